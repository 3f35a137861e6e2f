import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { compact, idSchema } from '../common';
import { courseLocator } from '../../methods/locators';

export const courseIdProperty: INodeProperties = courseLocator();

export const courseDetailOptions: INodeProperties[] = [
	{
		displayName: 'Include Course Metadata',
		name: 'includeCourseMetadata',
		type: 'boolean',
		default: false,
		description: "Whether to include the package's metadata (description, duration, keywords)",
	},
	{
		displayName: 'Include Registration Count',
		name: 'includeRegistrationCount',
		type: 'boolean',
		default: false,
		description: 'Whether to include how many registrations the course has',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['get'] } },
	[
		courseIdProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: courseDetailOptions,
		},
	],
);

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const input = validateInput(
		this.getNode(),
		z.object({
			courseId: idSchema('Course ID'),
			options: z.object({
				includeCourseMetadata: z.boolean().optional(),
				includeRegistrationCount: z.boolean().optional(),
			}),
		}),
		{
			courseId: this.getNodeParameter('courseId', itemIndex, undefined, { extractValue: true }),
			options: this.getNodeParameter('options', itemIndex, {}),
		},
		{ itemIndex },
	);
	return await client.api.json<IDataObject>({
		method: 'GET',
		url: client.url('/courses/{courseId}', { courseId: input.courseId }),
		qs: compact({ ...input.options }),
		itemIndex,
	});
}
