import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { collect, moreTokenPaging, paginate } from '../../../shared/pagination';
import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { compact, idSchema, optionalDate } from '../common';
import { registrationIdProperty } from './get.operation';

const show = { resource: ['registration'], operation: ['getXapiStatements'] };

const properties: INodeProperties[] = [
	registrationIdProperty,
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description: 'Only statements stored at or after this time',
			},
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
				description: 'Only statements stored at or before this time',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		z.object({
			registrationId: idSchema('Registration ID'),
			returnAll: z.boolean(),
			limit: z.number().int().min(1).optional(),
			filters: z.object({ since: optionalDate('Since'), until: optionalDate('Until') }),
		}),
		{
			registrationId: this.getNodeParameter('registrationId', itemIndex, undefined, {
				extractValue: true,
			}),
			returnAll: this.getNodeParameter('returnAll', itemIndex, false),
			limit: this.getNodeParameter('limit', itemIndex, 50),
			filters: this.getNodeParameter('filters', itemIndex, {}),
		},
		{ itemIndex },
	);
	const paging = moreTokenPaging<IDataObject>({
		items: (body) => ((body as IDataObject)?.statements as IDataObject[]) ?? [],
		token: (body) => ((body as IDataObject)?.more as string) || undefined,
	});
	const first = {
		method: 'GET' as const,
		url: client.url('/registrations/{registrationId}/xAPIStatements', {
			registrationId: input.registrationId,
		}),
		qs: compact({ ...input.filters }),
		itemIndex,
	};
	return await collect(
		paginate(async (request) => await client.api.request(request), first, paging.read),
		{ returnAll: input.returnAll, limit: input.limit },
	);
}
