import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';
import { runForEachItem } from '../../../shared/itemRunner';
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
		options: [...contentAttributeOptions, { displayName: 'External ID', name: 'externalId', type: 'string', default: '' }, additionalAttributesOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['content'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, client: DegreedClient): Promise<INodeExecutionData[]> {
	const kind = this.getNodeParameter('contentType', 0) as string;
	return await runForEachItem(
		this,
		async (i) => {
			const fields = Object.fromEntries(Object.entries(this.getNodeParameter('updateFields', i, {}) as IDataObject).map(([k, v]) => [k, v === '' ? undefined : v])) as IDataObject;
			validateInput(this.getNode(), contentFieldsSchema, fields, { itemIndex: i });
			const attributes = { ...contentAttributes(fields), ...toAttributes(jsonAttributes(this, fields.additionalAttributes, i)) };
			if (!Object.keys(attributes).length) throw inputError(this.getNode(), 'Nothing to update: add at least one field under "Update Fields"', { itemIndex: i });
			const id = await resolveContentId(client, this.getNode(), kind, this.getNodeParameter('identifyBy', i, 'id') as string, String(this.getNodeParameter('contentId', i, undefined, { extractValue: true }) ?? '').trim(), i);
			const url = apiUrl(client, '/api/v2/content/{kind}/{id}', { kind, id });
			const body = await client.api.json({ method: 'PATCH', url, body: { data: { type: jsonApiType(kind), id, attributes } }, idempotent: true, itemIndex: i });
			return singleItem(body);
		},
		{ concurrency: client.settings.concurrency },
	);
}
