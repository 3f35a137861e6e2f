import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { runForEachItem } from '../../../shared/itemRunner';
import { validateInput } from '../../../shared/validation';
import type { OperationContext } from '../common';
import { moodleId } from '../common';

const FUNCTION = 'core_completion_get_course_completion_status';

const properties: INodeProperties[] = [
	{ displayName: 'Course ID', name: 'courseId', type: 'number', default: 0, required: true, description: 'Moodle ID of the course' },
	{ displayName: 'User ID', name: 'userId', type: 'number', default: 0, required: true, description: 'Moodle ID of the user' },
];

export const description = updateDisplayOptions({ show: { resource: ['completion'], operation: ['getCourseStatus'] } }, properties);

const schema = z.object({ courseid: moodleId, userid: moodleId });

export async function execute(this: IExecuteFunctions, { client, concurrency }: OperationContext): Promise<INodeExecutionData[]> {
	return await runForEachItem(
		this,
		async (i) => {
			const input = validateInput(this.getNode(), schema, { courseid: this.getNodeParameter('courseId', i), userid: this.getNodeParameter('userId', i) }, { itemIndex: i });
			const result = await client.call<IDataObject>(FUNCTION, input, { itemIndex: i });
			const status = (result?.completionstatus ?? {}) as IDataObject;
			// Plain fields: completed, aggregation, completions[] next to the IDs asked for.
			return { ...input, ...status, warnings: result?.warnings ?? [] };
		},
		{ concurrency },
	);
}
