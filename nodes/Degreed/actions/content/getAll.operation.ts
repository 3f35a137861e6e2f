import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import type { DegreedClient } from '../../transport/client';
import { listItems, nextLink } from '../../transport/jsonapi';
import { listRecords, pageSize } from '../../transport/paging';
import { apiUrl, dateOnly, filterQuery, filtersProperty, pageSizeOption } from '../common';

const properties: INodeProperties[] = [
	...returnAllOrLimit({}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description: 'Only content with this external ID (filter[external_id])',
			},
			{
				displayName: 'Include Restricted',
				name: 'includeRestricted',
				type: 'boolean',
				default: false,
				description: 'Whether to include restricted content (filter[include_restricted])',
			},
			{
				displayName: 'Modified After',
				name: 'modifiedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only content modified after this date (filter[modified_after], yyyy-mm-dd)',
			},
			{
				displayName: 'Modified Before',
				name: 'modifiedBefore',
				type: 'dateTime',
				default: '',
				description: 'Only content modified before this date (filter[modified_before], yyyy-mm-dd)',
			},
			pageSizeOption,
		],
	},
	filtersProperty({}, 'filter[modified_after]=2026-01-01'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['content'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const kind = this.getNodeParameter('contentType', 0, 'any') as string;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {
		limit: pageSize(returnAll, limit, Number(options.pageSize) || undefined),
	};
	if (dateOnly(options.modifiedAfter))
		qs['filter[modified_after]'] = dateOnly(options.modifiedAfter);
	if (dateOnly(options.modifiedBefore))
		qs['filter[modified_before]'] = dateOnly(options.modifiedBefore);
	if (options.includeRestricted === true) qs['filter[include_restricted]'] = true;
	if (options.externalId) qs['filter[external_id]'] = options.externalId;
	Object.assign(qs, filterQuery(this.getNodeParameter('filters', itemIndex, {})));
	const url =
		kind === 'any'
			? apiUrl(client, '/api/v2/content')
			: apiUrl(client, '/api/v2/content/{kind}', { kind });
	return await listRecords(
		client.api,
		{ method: 'GET', url, qs },
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
