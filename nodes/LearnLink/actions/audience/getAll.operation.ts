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
				displayName: 'API Controlled',
				name: 'apiControlled',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Only API-Controlled', value: 'true' },
					{ name: 'Only Not API-Controlled', value: 'false' },
				],
			},
			{ displayName: 'Updated Since', name: 'updatedSince', type: 'dateTime', default: '' },
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['audience'], operation: ['getAll'] } },
	properties,
);

const schema = z
	.object({
		updatedSince: z.string().refine(isValidDate, 'Must be a date (ISO 8601)'),
		apiControlled: z.enum(['any', 'true', 'false']),
	})
	.partial();

/** GET /rest/v1/audiences, page/perPage to the end. */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const filters = validateInput(
		this.getNode(),
		schema,
		compact(this.getNodeParameter('filters', itemIndex, {}) as IDataObject),
		{ itemIndex, label: 'Filters' },
	);
	const qs: IDataObject = {};
	if (filters.updatedSince) qs.updatedSince = new Date(filters.updatedSince).toISOString();
	if (filters.apiControlled && filters.apiControlled !== 'any')
		qs.apiControlled = filters.apiControlled;
	return await listAll(
		client.api,
		{ method: 'GET', url: joinUrl(client.v1, '/audiences'), qs, itemIndex },
		listLimits(this, itemIndex),
	);
}
