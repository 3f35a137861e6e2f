import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import type { DegreedClient } from '../../transport/client';
import { listRecords, pageSize } from '../../transport/paging';
import { verbIri } from '../../transport/xapi';
import { isoDateTime } from '../common';
import { statementsUrl, xapiHeaders } from './shared';

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
				displayName: 'Ascending',
				name: 'ascending',
				type: 'boolean',
				default: false,
				description: 'Whether to return the oldest statements first',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 1, maxValue: 1000 },
				description: 'Statements per request',
			},
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description:
					'Only statements stored after this time. Degreed advises a 15-minute lag (since = last run − 15 min) so late statements are not missed.',
			},
			{
				displayName: 'Statements Path',
				name: 'statementsPath',
				type: 'string',
				default: '/xAPI/statements',
				description: 'Path of the statements resource on the API host',
			},
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
				description: 'Only statements stored up to this time',
			},
			{
				displayName: 'Verb',
				name: 'verb',
				type: 'string',
				default: '',
				placeholder: 'e.g. completed or http://adlnet.gov/expapi/verbs/completed',
				description: 'Only statements with this verb (an ADL verb name or a full IRI)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['xapiStatement'], operation: ['getAll'] } },
	properties,
);

const statementsOf = (body: unknown): IDataObject[] => {
	const list = (body as { statements?: unknown })?.statements;
	return Array.isArray(list) ? (list as IDataObject[]) : [];
};
const moreOf = (body: unknown) => {
	const more = (body as { more?: unknown })?.more;
	return typeof more === 'string' && more.trim() ? more : undefined;
};

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = { limit: pageSize(returnAll, limit, Number(options.pageSize) || 100) };
	if (isoDateTime(options.since)) qs.since = isoDateTime(options.since);
	if (isoDateTime(options.until)) qs.until = isoDateTime(options.until);
	if (options.verb) qs.verb = verbIri(String(options.verb).trim());
	if (options.ascending === true) qs.ascending = true;
	const url = statementsUrl(this.getNode(), client, options.statementsPath);
	return await listRecords(
		client.api,
		{ method: 'GET', url, qs, headers: xapiHeaders },
		{
			returnAll,
			limit,
			items: statementsOf,
			next: moreOf,
			apiBaseUrl: client.hosts.apiBaseUrl,
			itemIndex,
			node: this.getNode(),
		},
	);
}
