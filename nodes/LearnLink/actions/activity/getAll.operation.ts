import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { joinUrl } from '../../../shared/urls';
import { isValidDate, validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { activityTimestamp, compact, listAll, listLimits, listOf } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'timestampFrom',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Start of the time range (sent as YYYY-MM-DD hh:mm:ss, UTC)',
	},
	{
		displayName: 'To',
		name: 'timestampTo',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'End of the time range (sent as YYYY-MM-DD hh:mm:ss, UTC)',
	},
	...returnAllOrLimit({}),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Actions',
				name: 'actions',
				type: 'string',
				default: '',
				description: 'Only these actions (comma-separated, e.g. viewed,completed)',
			},
			{
				displayName: 'Content IDs',
				name: 'contentIds',
				type: 'string',
				default: '',
				description: 'Only activity on these content items (comma-separated)',
			},
			{ displayName: 'Content Type', name: 'contentType', type: 'string', default: '' },
			{
				displayName: 'Omit Actions',
				name: 'omitActions',
				type: 'string',
				default: '',
				description: 'Leave out these actions (comma-separated)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getAll'] } },
	properties,
);

const stamp = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'Must be a date and time')
	.refine(isValidDate, 'Must be a real date and time');
const schema = z
	.object({
		timestampFrom: stamp,
		timestampTo: stamp,
		actions: z.array(z.string()).optional(),
		omitActions: z.array(z.string()).optional(),
		contentIds: z.array(z.string()).optional(),
		contentType: z.string().optional(),
	})
	.refine((v) => v.timestampFrom <= v.timestampTo, {
		message: 'Must not be after "To"',
		path: ['timestampFrom'],
	});

/** GET /rest/v1/activities?timestampFrom=…&timestampTo=…, page/perPage to the end. */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const raw = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const input = validateInput(
		this.getNode(),
		schema,
		compact({
			timestampFrom: activityTimestamp(this.getNodeParameter('timestampFrom', itemIndex, '')) ?? '',
			timestampTo: activityTimestamp(this.getNodeParameter('timestampTo', itemIndex, '')) ?? '',
			actions: listOf(raw.actions),
			omitActions: listOf(raw.omitActions),
			contentIds: listOf(raw.contentIds),
			contentType: raw.contentType,
		}),
		{ itemIndex },
	);
	const qs: IDataObject = { timestampFrom: input.timestampFrom, timestampTo: input.timestampTo };
	if (input.actions) qs.actions = input.actions.join(',');
	if (input.omitActions) qs.omitActions = input.omitActions.join(',');
	if (input.contentIds) qs.contentIds = input.contentIds.join(',');
	if (input.contentType) qs.contentType = input.contentType;
	return await listAll(
		client.api,
		{ method: 'GET', url: joinUrl(client.v1, '/activities'), qs, itemIndex },
		listLimits(this, itemIndex),
	);
}
