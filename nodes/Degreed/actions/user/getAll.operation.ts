import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import type { DegreedClient } from '../../transport/client';
import { listItems, nextLink } from '../../transport/jsonapi';
import { listRecords, pageSize } from '../../transport/paging';
import { apiUrl, filterQuery, filtersProperty, pageSizeOption } from '../common';

const properties: INodeProperties[] = [
	...returnAllOrLimit({}),
	filtersProperty({}, 'filter[email]=jane@acme.com'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [pageSizeOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {
		limit: pageSize(returnAll, limit, Number(options.pageSize) || undefined),
		...filterQuery(this.getNodeParameter('filters', itemIndex, {})),
	};
	return await listRecords(
		client.api,
		{ method: 'GET', url: apiUrl(client, '/api/v2/users'), qs },
		{
			returnAll,
			limit,
			items: listItems,
			next: nextLink,
			apiBaseUrl: client.hosts.apiBaseUrl,
			itemIndex,
			node: this.getNode(),
		},
	);
}
