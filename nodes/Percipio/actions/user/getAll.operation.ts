import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { collect, offsetPaging } from '../../../shared/pagination';
import { paginateParallel, pagingWidth } from '../../../shared/parallelPaging';
import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import { compact, isoDate, options, organizationId, organizationOption } from '../common';
import { USERS_PATH } from './fields';

const show = { resource: ['user'], operation: ['getAll'] };

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
				description: 'Users per request (Percipio allows up to 1000)',
			},
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Only users changed at or after this time',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

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
			limit: z.number().int().min(1, 'must be at least 1'),
		}),
		compact({
			pageSize: Number(opts.pageSize ?? 1000),
			updatedSince: opts.updatedSince || undefined,
			limit: Number(this.getNodeParameter('limit', itemIndex, 50)),
		}),
		{ itemIndex },
	);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const pageSize = returnAll ? input.pageSize : Math.min(input.pageSize, input.limit);
	const strategy = offsetPaging<IDataObject>({ pageSize });
	const first = strategy.first({
		method: 'GET',
		url: client.url(USERS_PATH, { orgId: organizationId(this, client, itemIndex) }),
		qs: compact({ updatedSince: input.updatedSince }),
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
