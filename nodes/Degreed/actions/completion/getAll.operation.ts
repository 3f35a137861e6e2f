import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import type { DegreedClient } from '../../transport/client';
import { listItems, nextLink } from '../../transport/jsonapi';
import { listRecords, pageSize } from '../../transport/paging';
import { apiUrl, dateOnly, filterQuery, filtersProperty, pageSizeOption } from '../common';

const show = { resource: ['completion'], operation: ['getAll'] };

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
				displayName: 'Completed After',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Only completions from this date on (sent as filter[start_date], yyyy-mm-dd)',
			},
			{
				displayName: 'Completed Before',
				name: 'endDate',
				type: 'dateTime',
				default: '',
				description: 'Only completions up to this date (sent as filter[end_date], yyyy-mm-dd)',
			},
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				description:
					"Only this learner's completions (Degreed user ID; uses /api/v2/users/{ID}/completions)",
			},
			pageSizeOption,
		],
	},
	filtersProperty({}, 'filter[start_date]=2026-01-01'),
];

export const description = updateDisplayOptions({ show }, properties);

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
		...(dateOnly(options.startDate) ? { 'filter[start_date]': dateOnly(options.startDate) } : {}),
		...(dateOnly(options.endDate) ? { 'filter[end_date]': dateOnly(options.endDate) } : {}),
		...filterQuery(this.getNodeParameter('filters', itemIndex, {})),
	};
	const url = options.userId
		? apiUrl(client, '/api/v2/users/{userId}/completions', { userId: options.userId })
		: apiUrl(client, '/api/v2/completions');
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
