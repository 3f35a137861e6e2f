import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { collect, offsetPaging } from '../../../shared/pagination';
import { paginateParallel, pagingWidth } from '../../../shared/parallelPaging';
import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import {
	compact,
	isoDate,
	optionalText,
	options,
	organizationId,
	organizationOption,
} from '../common';

export const CATALOG_PATH = '/content-discovery/v2/organizations/{orgId}/catalog-content';

const properties: INodeProperties[] = [
	...returnAllOrLimit({}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			organizationOption,
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				default: 1000,
				typeOptions: { minValue: 1, maxValue: 1000 },
				description: 'Items per request (Percipio allows up to 1000)',
			},
			{
				displayName: 'Transform Name',
				name: 'transformName',
				type: 'string',
				default: '',
				description: 'Name of a transform configured in your Percipio site, applied to each item',
			},
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Only content changed at or after this time (for incremental syncs)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalogContent'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const opts = options(this, itemIndex);
	const input = validateInput(
		this.getNode(),
		z.object({
			pageSize: z
				.number()
				.int()
				.min(1, 'must be from 1 to 1000')
				.max(1000, 'must be from 1 to 1000'),
			updatedSince: isoDate('a date-time').optional(),
			transformName: optionalText,
			limit: z.number().int().min(1, 'must be at least 1'),
		}),
		compact({
			pageSize: Number(opts.pageSize ?? 1000),
			updatedSince: opts.updatedSince || undefined,
			transformName: opts.transformName,
			limit: Number(this.getNodeParameter('limit', itemIndex, 50)),
		}),
		{ itemIndex },
	);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	// The first page opens a snapshot (x-paging-request-id); every later page asks for that same
	// snapshot (pagingRequestId), so items changed during the walk are neither skipped nor repeated.
	const strategy = offsetPaging<IDataObject>({
		pageSize: returnAll ? input.pageSize : Math.min(input.pageSize, input.limit),
		snapshotHeader: 'x-paging-request-id',
		snapshotParam: 'pagingRequestId',
	});
	const first = strategy.first({
		method: 'GET',
		url: client.url(CATALOG_PATH, { orgId: organizationId(this, client, itemIndex) }),
		qs: compact({ updatedSince: input.updatedSince, transformName: input.transformName }),
		itemIndex,
	});
	// Pages after the first are fetched in parallel where the total count is announced.
	const pages = paginateParallel(
		(r) => client.api.request(r),
		first,
		strategy,
		pagingWidth(client.settings.concurrency, returnAll),
	);
	return await collect(pages, { returnAll, limit: input.limit });
}
