import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { filteredList, optionalDate } from '../common';
import { courseDetailOptions } from './get.operation';

const show = { resource: ['course'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Date Field',
				name: 'datetimeFilter',
				type: 'options',
				default: 'created',
				options: [
					{ name: 'Created', value: 'created' },
					{ name: 'Updated', value: 'updated' },
				],
			},
			{
				displayName: 'Filter By',
				name: 'filterBy',
				type: 'options',
				default: 'title',
				options: [
					{ name: 'Course ID', value: 'course_id' },
					{ name: 'Title', value: 'title' },
				],
			},
			{
				displayName: 'Filter Text',
				name: 'filter',
				type: 'string',
				default: '',
				description: 'Only courses whose "Filter By" field contains this text',
			},
			...courseDetailOptions,
			{
				displayName: 'Order By',
				name: 'orderBy',
				type: 'options',
				default: 'created_desc',
				options: [
					{ name: 'Created (Newest First)', value: 'created_desc' },
					{ name: 'Created (Oldest First)', value: 'created_asc' },
					{ name: 'Title (A–Z)', value: 'title_asc' },
					{ name: 'Title (Z–A)', value: 'title_desc' },
					{ name: 'Updated (Newest First)', value: 'updated_desc' },
					{ name: 'Updated (Oldest First)', value: 'updated_asc' },
				],
			},
			{ displayName: 'Since', name: 'since', type: 'dateTime', default: '' },
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				description: 'Comma-separated course tags; courses with any of them',
			},
			{ displayName: 'Until', name: 'until', type: 'dateTime', default: '' },
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const schema = z.object({
	returnAll: z.boolean(),
	limit: z.number().int().min(1).optional(),
	filters: z.object({
		since: optionalDate('Since'),
		until: optionalDate('Until'),
		datetimeFilter: z.enum(['created', 'updated']).optional(),
		tags: z.string().optional(),
		filter: z.string().optional(),
		filterBy: z.enum(['title', 'course_id']).optional(),
		orderBy: z.string().optional(),
		includeCourseMetadata: z.boolean().optional(),
		includeRegistrationCount: z.boolean().optional(),
	}),
});

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			returnAll: this.getNodeParameter('returnAll', itemIndex, false),
			limit: this.getNodeParameter('limit', itemIndex, 50),
			filters: this.getNodeParameter('filters', itemIndex, {}),
		},
		{ itemIndex },
	);
	return await filteredList(client, '/courses', 'courses', input, itemIndex);
}
