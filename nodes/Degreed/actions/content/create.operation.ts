import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { apiError } from '../../../shared/errors';
import { validateInput } from '../../../shared/validation';
import type { DegreedClient } from '../../transport/client';
import { omit, singleItem, toAttributes } from '../../transport/jsonapi';
import { additionalAttributesOption, apiUrl, isoDateTime, jsonAttributes } from '../common';
import {
	contentAttributeOptions,
	findContentByExternalId,
	findContentResource,
	jsonApiType,
} from './fields';

const properties: INodeProperties[] = [
	{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true },
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		required: true,
		description:
			'Your own unique ID of this content. It is the idempotency key: creating the same external ID twice never makes two records.',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://learn.acme.com/courses/101',
		description: 'Where learners open the content',
	},
	{
		displayName: 'If Content Exists',
		name: 'ifExists',
		type: 'options',
		options: [
			{
				name: 'Fail',
				value: 'error',
				description: 'Report "already exists" as an error for this item',
			},
			{
				name: 'Return It',
				value: 'returnExisting',
				description: 'Return the existing content unchanged',
			},
			{
				name: 'Update It',
				value: 'update',
				description: 'Update the existing content with these fields',
			},
		],
		default: 'error',
		description: 'What to do when Degreed answers 409 (the external ID or URL is already used)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...contentAttributeOptions.filter((o) => o.name !== 'title' && o.name !== 'url'),
			additionalAttributesOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['content'], operation: ['create'] } },
	properties,
);

const urlSchema = z.string().url('must be a full URL such as https://example.com/course');
export const contentFieldsSchema = z.object({
	title: z.string().trim().min(1, 'must not be empty').optional(),
	url: urlSchema.optional(),
	imageUrl: urlSchema.optional(),
	duration: z.number().nonnegative().optional(),
	publishDate: z
		.string()
		.refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date')
		.optional(),
});
const createSchema = contentFieldsSchema.extend({
	title: z.string({ required_error: 'must not be empty' }).trim().min(1, 'must not be empty'),
	externalId: z.string({ required_error: 'must not be empty' }).trim().min(1, 'must not be empty'),
});

const blankToUndefined = (fields: IDataObject) =>
	Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === '' ? undefined : v]));

/** Plain content fields → Degreed attributes (authors as a list, dates in ISO). */
export function contentAttributes(fields: IDataObject): IDataObject {
	const out: IDataObject = omit(fields, 'additionalAttributes');
	if (typeof out.authors === 'string')
		out.authors = out.authors
			.split(',')
			.map((a) => a.trim())
			.filter(Boolean);
	if (out.publishDate) out.publishDate = isoDateTime(out.publishDate);
	return toAttributes(out);
}

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const kind = this.getNodeParameter('contentType', 0) as string;
	const additional = blankToUndefined(
		this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
	);
	const fields = blankToUndefined({
		...additional,
		title: this.getNodeParameter('title', itemIndex),
		externalId: String(this.getNodeParameter('externalId', itemIndex) ?? '').trim(),
		url: this.getNodeParameter('url', itemIndex, ''),
	});
	validateInput(this.getNode(), createSchema, fields, { itemIndex });
	const externalId = String(fields.externalId);
	const ifExists = this.getNodeParameter('ifExists', itemIndex, 'error') as string;
	const attributes = {
		...contentAttributes(fields),
		...toAttributes(jsonAttributes(this, additional.additionalAttributes, itemIndex)),
	};
	const url = apiUrl(client, '/api/v2/content/{kind}', { kind });

	const response = await client.api.request({
		method: 'POST',
		url,
		body: { data: { type: jsonApiType(kind), attributes } },
		acceptStatuses: [409],
		itemIndex,
		idempotent: false,
		// The external ID is the key: after an ambiguous failure, a record with it means the create landed.
		recover: async () => {
			const found = await findContentResource(client, kind, externalId, itemIndex, this.getNode());
			return found ? { statusCode: 200, headers: {}, body: { data: found } } : undefined;
		},
	});
	if (response.statusCode !== 409) return singleItem(response.body);

	// 409: the external ID (or the URL) is already used.
	const existing =
		ifExists === 'error'
			? undefined
			: await findContentByExternalId(client, kind, externalId, itemIndex, this.getNode());
	if (ifExists === 'error' || !existing?.id) {
		const said = client.api.provider.parseError(response).message;
		throw apiError({
			node: this.getNode(),
			provider: 'Degreed',
			redactor: client.api.redactor,
			response,
			itemIndex,
			message:
				existing === undefined && ifExists !== 'error'
					? `content conflicts with existing content, but none has the external ID "${externalId}" (the URL may be used by other content)${said ? `: ${said}` : ''}`
					: `content with the external ID "${externalId}" already exists${said ? ` (${said})` : ''}`,
			description:
				'Set "If Content Exists" to "Update It" or "Return It" to treat existing content as a success.',
		});
	}
	if (ifExists === 'returnExisting') return existing;
	const patchUrl = apiUrl(client, '/api/v2/content/{kind}/{id}', { kind, id: existing.id });
	const changes = omit(attributes, 'external-id');
	const body = await client.api.json({
		method: 'PATCH',
		url: patchUrl,
		body: { data: { type: jsonApiType(kind), id: String(existing.id), attributes: changes } },
		idempotent: true,
		itemIndex,
	});
	return singleItem(body);
}
