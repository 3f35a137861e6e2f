import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';
import { findExactlyOne } from '../../../shared/exactMatch';
import type { DegreedClient } from '../../transport/client';
import { toItem } from '../../transport/jsonapi';
import type { JsonApiResource } from '../../transport/jsonapi';
import { apiUrl } from '../common';
import { contentLocator } from '../../methods/locators';

/** Content kinds the node manages; the path segment and JSON:API type follow Degreed's `/api/v2/content/courses` pattern. */
const CONTENT_KINDS = [
	{ name: 'Article', value: 'articles' },
	{ name: 'Book', value: 'books' },
	{ name: 'Course', value: 'courses' },
	{ name: 'Podcast', value: 'podcasts' },
	{ name: 'Video', value: 'videos' },
];

/** For writes: a specific kind (the path and JSON:API type depend on it). */
export const contentKindField: INodeProperties = {
	displayName: 'Content Type',
	name: 'contentType',
	type: 'options',
	options: CONTENT_KINDS,
	default: 'courses',
	displayOptions: { show: { resource: ['content'], operation: ['create', 'update', 'delete'] } },
};

/** For reads: a specific kind, or any content. */
export const contentKindOrAnyField: INodeProperties = {
	displayName: 'Content Type',
	name: 'contentType',
	type: 'options',
	options: [
		{ name: 'Any', value: 'any', description: 'All content types (/api/v2/content)' },
		...CONTENT_KINDS,
	],
	default: 'any',
	displayOptions: { show: { resource: ['content'], operation: ['get', 'getAll'] } },
};

export const identifyByFields = (operations: string[]): INodeProperties[] => [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{ name: 'Degreed ID', value: 'id' },
			{
				name: 'External ID',
				value: 'externalId',
				description: 'Your own ID of the content (looked up with filter[external_id])',
			},
		],
		default: 'id',
		displayOptions: { show: { resource: ['content'], operation: operations } },
	},
	contentLocator({
		displayOptions: { show: { resource: ['content'], operation: operations, identifyBy: ['id'] } },
	}),
	{
		displayName: 'External ID',
		name: 'contentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. course-privacy-101',
		description: 'Your own ID of the content, as given when it was created in Degreed',
		displayOptions: {
			show: { resource: ['content'], operation: operations, identifyBy: ['externalId'] },
		},
	},
];

/** Optional attributes shared by Create ("Additional Fields") and Update ("Update Fields"). */
export const contentAttributeOptions: INodeProperties[] = [
	{
		displayName: 'Authors',
		name: 'authors',
		type: 'string',
		default: '',
		description: 'Comma-separated (books)',
	},
	{
		displayName: 'Duration',
		name: 'duration',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
	},
	{
		displayName: 'Duration Type',
		name: 'durationType',
		type: 'options',
		options: ['Seconds', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months'].map((v) => ({
			name: v,
			value: v,
		})),
		default: 'Minutes',
	},
	{ displayName: 'Image URL', name: 'imageUrl', type: 'string', default: '' },
	{
		displayName: 'Is Internal',
		name: 'isInternal',
		type: 'boolean',
		default: false,
		description: 'Whether the content is internal to your organization',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		placeholder: 'e.g. en',
	},
	{
		displayName: 'Obsolete',
		name: 'obsolete',
		type: 'boolean',
		default: false,
		description: 'Whether the content is retired (hidden from learners)',
	},
	{ displayName: 'Provider Code', name: 'providerCode', type: 'string', default: '' },
	{ displayName: 'Publish Date', name: 'publishDate', type: 'dateTime', default: '' },
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
	},
	{ displayName: 'Title', name: 'title', type: 'string', default: '' },
	{ displayName: 'URL', name: 'url', type: 'string', default: '' },
];

export const jsonApiType = (kind: string) => `content/${kind}`;

/** The raw JSON:API resource of the content with this external ID (`filter[external_id]`), if any. */
export async function findContentResource(
	client: DegreedClient,
	kind: string,
	externalId: string,
	itemIndex: number,
	node: INode,
): Promise<JsonApiResource | undefined> {
	const url =
		kind === 'any'
			? apiUrl(client, '/api/v2/content')
			: apiUrl(client, '/api/v2/content/{kind}', { kind });
	const body = await client.api.json<{ data?: JsonApiResource[] }>({
		method: 'GET',
		url,
		qs: { 'filter[external_id]': externalId, limit: 2 },
		itemIndex,
	});
	const data = Array.isArray(body?.data) ? body.data : [];
	// The filter is matched again: a record without an external ID, or with another one, is not it.
	return findExactlyOne(data, externalId, {
		node,
		itemIndex,
		what: 'Degreed content',
		keyName: 'external ID',
		keyOf: (r) => r.attributes?.['external-id'],
		caseInsensitive: true,
	});
}

/** Looks content up by its external ID; undefined when there is none. */
export async function findContentByExternalId(
	client: DegreedClient,
	kind: string,
	externalId: string,
	itemIndex: number,
	node: INode,
): Promise<IDataObject | undefined> {
	const found = await findContentResource(client, kind, externalId, itemIndex, node);
	return found ? toItem(found) : undefined;
}

/** The Degreed ID of the content an item names (looked up when given as an external ID). */
export async function resolveContentId(
	client: DegreedClient,
	node: INode,
	kind: string,
	identifyBy: string,
	value: string,
	itemIndex: number,
): Promise<string> {
	if (identifyBy !== 'externalId') return value;
	const found = await findContentByExternalId(client, kind, value, itemIndex, node);
	if (!found?.id) {
		throw inputError(node, `No Degreed content has the external ID "${value}"`, {
			itemIndex,
			description:
				'Check the external ID and the content type, or identify the content by its Degreed ID.',
		});
	}
	return String(found.id);
}
