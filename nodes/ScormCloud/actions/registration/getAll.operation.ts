import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { filteredList, optionalDate } from '../common';
import { detailSchema } from './get.operation';

const show = { resource: ['registration'], operation: ['getAll'] };

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
				displayName: 'Course ID',
				name: 'courseId',
				type: 'string',
				default: '',
				description: 'Only registrations for this course',
			},
			{
				displayName: 'Date Field',
				name: 'datetimeFilter',
				type: 'options',
				default: 'created',
				options: [
					{ name: 'Created', value: 'created' },
					{ name: 'Updated', value: 'updated' },
				],
				description:
					'Which date Since and Until apply to. "Updated" finds registrations with new progress since the last run.',
			},
			{
				displayName: 'Filter By',
				name: 'filterBy',
				type: 'options',
				default: 'registration_id',
				options: [
					{ name: 'Course ID', value: 'course_id' },
					{ name: 'Learner Email', value: 'learner_email' },
					{ name: 'Learner First Name', value: 'learner_first_name' },
					{ name: 'Learner ID', value: 'learner_id' },
					{ name: 'Learner Last Name', value: 'learner_last_name' },
					{ name: 'Registration ID', value: 'registration_id' },
				],
			},
			{
				displayName: 'Filter Text',
				name: 'filter',
				type: 'string',
				default: '',
				description: 'Only registrations whose "Filter By" field contains this text',
			},
			{
				displayName: 'Include Child Results',
				name: 'includeChildResults',
				type: 'boolean',
				default: false,
				description: "Whether to include each learning object's results",
			},
			{
				displayName: 'Include Interactions and Objectives',
				name: 'includeInteractionsAndObjectives',
				type: 'boolean',
				default: false,
				description: 'Whether to include interactions and objectives',
			},
			{
				displayName: 'Include Runtime',
				name: 'includeRuntime',
				type: 'boolean',
				default: false,
				description: 'Whether to include runtime details (CMI data)',
			},
			{
				displayName: 'Learner ID',
				name: 'learnerId',
				type: 'string',
				default: '',
				description: 'Only registrations of this learner',
			},
			{
				displayName: 'Order By',
				name: 'orderBy',
				type: 'options',
				default: 'created_desc',
				options: [
					{ name: 'Created (Newest First)', value: 'created_desc' },
					{ name: 'Created (Oldest First)', value: 'created_asc' },
					{ name: 'Updated (Newest First)', value: 'updated_desc' },
					{ name: 'Updated (Oldest First)', value: 'updated_asc' },
				],
			},
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description:
					'Only registrations created (or updated, see Date Field) at or after this time',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				description: 'Comma-separated registration tags; registrations with any of them',
			},
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
				description: 'Only registrations created (or updated) at or before this time',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const schema = z.object({
	returnAll: z.boolean(),
	limit: z.number().int().min(1).optional(),
	filters: detailSchema.extend({
		courseId: z.string().trim().optional(),
		learnerId: z.string().trim().optional(),
		since: optionalDate('Since'),
		until: optionalDate('Until'),
		datetimeFilter: z.enum(['created', 'updated']).optional(),
		tags: z.string().optional(),
		filter: z.string().optional(),
		filterBy: z.string().optional(),
		orderBy: z.enum(['created_asc', 'created_desc', 'updated_asc', 'updated_desc']).optional(),
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
	return await filteredList(client, '/registrations', 'registrations', input, itemIndex);
}
