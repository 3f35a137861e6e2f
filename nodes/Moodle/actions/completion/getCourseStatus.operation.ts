import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { moodleId } from '../common';
import { courseLocator, userLocator } from '../../methods/locators';

const FUNCTION = 'core_completion_get_course_completion_status';

const properties: INodeProperties[] = [courseLocator(), userLocator()];

export const description = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['getCourseStatus'] } },
	properties,
);

const schema = z.object({ courseid: moodleId, userid: moodleId });

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			courseid: this.getNodeParameter('courseId', itemIndex, undefined, { extractValue: true }),
			userid: this.getNodeParameter('userId', itemIndex, undefined, { extractValue: true }),
		},
		{ itemIndex: itemIndex },
	);
	const result = await client.call<IDataObject>(FUNCTION, input, { itemIndex: itemIndex });
	const status = (result?.completionstatus ?? {}) as IDataObject;
	// Plain fields: completed, aggregation, completions[] next to the IDs asked for.
	return { ...input, ...status, warnings: result?.warnings ?? [] };
}
