import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readRequestSettings } from '../../shared/descriptions';
import { runForEachItem } from '../../shared/itemRunner';
import { createScormCloudApi } from '../transport/client';
import { scormCloudProfile } from '../transport/profile';
import type { Operation } from './common';
import * as course from './course/Course.resource';
import * as ping from './ping/ping.operation';
import * as registration from './registration/Registration.resource';

const resources: Record<string, Record<string, Operation>> = {
	registration: registration.operations,
	course: course.operations,
	ping: { ping },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const settings = readRequestSettings(this, scormCloudProfile.rateLimit);
	const api = await createScormCloudApi(this, settings);
	const output = await runForEachItem(this, async (itemIndex) => await handler.execute.call(this, api, itemIndex), { concurrency: settings.concurrency });
	return [output];
}
