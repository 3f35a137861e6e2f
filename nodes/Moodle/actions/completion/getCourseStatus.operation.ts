import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { moodleId } from '../common';

const FUNCTION = 'core_completion_get_course_completion_status';

const properties: INodeProperties[] = [
	{ displayName: 'Course ID', name: 'courseId', type: 'number', default: 0, required: true, description: 'Moodle ID of the course' },
	{ displayName: 'User ID', name: 'userId', type: 'number', default: 0, required: true, description: 'Moodle ID of the user' },
];

export const description = updateDisplayOptions({ show: { resource: ['completion'], operation: ['getCourseStatus'] } }, properties);

const schema = z.object({ courseid: moodleId, userid: moodleId });

export async function execute(this: IExecuteFunctions, client: MoodleClient, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const input = validateInput(this.getNode(), schema, { courseid: this.getNodeParameter('courseId', itemIndex), userid: this.getNodeParameter('userId', itemIndex) }, { itemIndex: itemIndex });
	const result = await client.call<IDataObject>(FUNCTION, input, { itemIndex: itemIndex });
	const status = (result?.completionstatus ?? {}) as IDataObject;
	// Plain fields: completed, aggregation, completions[] next to the IDs asked for.
	return { ...input, ...status, warnings: result?.warnings ?? [] };
}
