import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { createMoodleClient } from '../transport/client';
import type { OperationExecute } from './common';
import * as completion from './completion/Completion.resource';
import * as course from './course/Course.resource';
import * as enrolment from './enrolment/Enrolment.resource';
import * as grade from './grade/Grade.resource';
import * as percipio from './percipio/Percipio.resource';
import * as user from './user/User.resource';
import * as webService from './webService/WebService.resource';

const operations: Record<string, Record<string, OperationExecute>> = {
	user: { create: user.create.execute, get: user.get.execute, getEnrolled: user.getEnrolled.execute },
	course: { get: course.get.execute, getMany: course.getMany.execute },
	enrolment: { enrol: enrolment.enrol.execute },
	completion: { getCourseStatus: completion.getCourseStatus.execute, getActivitiesStatus: completion.getActivitiesStatus.execute },
	grade: { getItems: grade.getItems.execute },
	percipio: { trackProgress: percipio.trackProgress.execute, importAsset: percipio.importAsset.execute },
	webService: { call: webService.call.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const { client, concurrency } = await createMoodleClient(this);
	return [await execute.call(this, { client, concurrency })];
}

export const descriptions = { completion, course, enrolment, grade, percipio, user, webService };
