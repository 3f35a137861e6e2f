import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { joinUrl } from '../../../shared/urls';
import { isValidDate, validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { compact, listAll, listLimits } from '../common';

const properties: INodeProperties[] = [
	...returnAllOrLimit({}),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Completed After',
				name: 'completedDateRangeStart',
				type: 'dateTime',
				default: '',
				description: 'Only completions on or after this time',
			},
			{
				displayName: 'Completed Before',
				name: 'completedDateRangeEnd',
				type: 'dateTime',
				default: '',
				description: 'Only completions on or before this time',
			},
			{ displayName: 'Content ID', name: 'contentId', type: 'string', default: '' },
			{
				displayName: 'Recognition of Prior Learning Only',
				name: 'isRPL',
				type: 'boolean',
				default: false,
				description: 'Whether to return only RPL (recognition of prior learning) completions',
			},
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				description: "Thrive's ID of the user",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['getAll'] } },
	properties,
);

const dateText = z.string().refine(isValidDate, 'Must be a date (ISO 8601)');
const schema = z
	.object({
		completedDateRangeStart: dateText,
		completedDateRangeEnd: dateText,
		contentId: z.string(),
		userId: z.string(),
		isRPL: z.boolean(),
	})
	.partial()
	.refine(
		(f) =>
			!f.completedDateRangeStart ||
			!f.completedDateRangeEnd ||
			Date.parse(f.completedDateRangeStart) <= Date.parse(f.completedDateRangeEnd),
		{
			message: 'Must not be after "Completed Before"',
			path: ['completedDateRangeStart'],
		},
	);

/** GET /rest/v1/learning/completions with the filters, page/perPage to the end. */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const raw = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters = validateInput(
		this.getNode(),
		schema,
		compact({ ...raw, isRPL: raw.isRPL === true ? true : undefined }),
		{ itemIndex, label: 'Filters' },
	);
	const qs: IDataObject = {};
	for (const [k, v] of Object.entries(filters))
		if (v !== undefined)
			qs[k] = k.startsWith('completedDateRange') ? new Date(v as string).toISOString() : v;
	return await listAll(
		client.api,
		{ method: 'GET', url: joinUrl(client.v1, '/learning/completions'), qs, itemIndex },
		listLimits(this, itemIndex),
	);
}
