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
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Only content created or changed since this time (for incremental syncs)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['content'], operation: ['getAll'] } },
	properties,
);

const schema = z
	.object({ updatedSince: z.string().refine(isValidDate, 'Must be a date (ISO 8601)') })
	.partial();

/** GET /rest/v1/contents?updatedSince=…, page/perPage to the end. */
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
	const qs: IDataObject = filters.updatedSince
		? { updatedSince: new Date(filters.updatedSince).toISOString() }
		: {};
	return await listAll(
		client.api,
		{ method: 'GET', url: joinUrl(client.v1, '/contents'), qs, itemIndex },
		listLimits(this, itemIndex),
	);
}
