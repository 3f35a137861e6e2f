import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { runForEachItem } from '../../../shared/itemRunner';
import { validateInput } from '../../../shared/validation';
import type { OperationContext } from '../common';
import { moodleId } from '../common';
import { courseLocator, userLocator } from '../../methods/locators';

const FUNCTION = 'core_completion_get_course_completion_status';

const properties: INodeProperties[] = [
	courseLocator(),
	userLocator(),
];

export const description = updateDisplayOptions({ show: { resource: ['completion'], operation: ['getCourseStatus'] } }, properties);

const schema = z.object({ courseid: moodleId, userid: moodleId });

export async function execute(this: IExecuteFunctions, { client, concurrency }: OperationContext): Promise<INodeExecutionData[]> {
	return await runForEachItem(
		this,
		async (i) => {
			const input = validateInput(this.getNode(), schema, { courseid: this.getNodeParameter('courseId', i, undefined, { extractValue: true }), userid: this.getNodeParameter('userId', i, undefined, { extractValue: true }) }, { itemIndex: i });
			const result = await client.call<IDataObject>(FUNCTION, input, { itemIndex: i });
			const status = (result?.completionstatus ?? {}) as IDataObject;
			// Plain fields: completed, aggregation, completions[] next to the IDs asked for.
			return { ...input, ...status, warnings: result?.warnings ?? [] };
		},
		{ concurrency },
	);
}
