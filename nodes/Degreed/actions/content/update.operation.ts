import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';
import { validateInput } from '../../../shared/validation';
import type { DegreedClient } from '../../transport/client';
import { singleItem, toAttributes } from '../../transport/jsonapi';
import { additionalAttributesOption, apiUrl, jsonAttributes } from '../common';
import { contentAttributes, contentFieldsSchema } from './create.operation';
import { contentAttributeOptions, identifyByFields, jsonApiType, resolveContentId } from './fields';

const properties: INodeProperties[] = [
	...identifyByFields(['update']),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...contentAttributeOptions,
			{ displayName: 'External ID', name: 'externalId', type: 'string', default: '' },
			additionalAttributesOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['content'], operation: ['update'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const kind = this.getNodeParameter('contentType', 0) as string;
	const fields = Object.fromEntries(
		Object.entries(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject).map(
			([k, v]) => [k, v === '' ? undefined : v],
		),
	) as IDataObject;
	validateInput(this.getNode(), contentFieldsSchema, fields, { itemIndex });
	const attributes = {
		...contentAttributes(fields),
		...toAttributes(jsonAttributes(this, fields.additionalAttributes, itemIndex)),
	};
	if (!Object.keys(attributes).length)
		throw inputError(
			this.getNode(),
			'Nothing to update: add at least one field under "Update Fields"',
			{ itemIndex },
		);
	const id = await resolveContentId(
		client,
		this.getNode(),
		kind,
		this.getNodeParameter('identifyBy', itemIndex, 'id') as string,
		String(
			this.getNodeParameter('contentId', itemIndex, undefined, { extractValue: true }) ?? '',
		).trim(),
		itemIndex,
	);
	const url = apiUrl(client, '/api/v2/content/{kind}/{id}', { kind, id });
	const body = await client.api.json({
		method: 'PATCH',
		url,
		body: { data: { type: jsonApiType(kind), id, attributes } },
		idempotent: true,
		itemIndex,
	});
	return singleItem(body);
}
