import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { inputError } from '../../../shared/errors';
import type { Batch } from '../../../shared/router';
import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import {
	compact,
	extraJson,
	optionalText,
	options,
	organizationId,
	organizationOption,
	partnerName,
	partnerOption,
	pathOption,
	pathTemplate,
	requiredText,
} from '../common';

const DEFAULT_CONTENT_PATH =
	'/content-aggregation/v1/partners/{partnerName}/organizations/{orgId}/content';

const properties: INodeProperties[] = [
	{
		displayName: 'Content ID',
		name: 'contentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ext-course-001',
		description:
			'Your own stable ID of the item. Re-sending the same ID updates the item instead of creating another.',
	},
	{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true },
	{
		displayName: 'Type',
		name: 'contentType',
		type: 'string',
		default: 'COURSE',
		required: true,
		placeholder: 'e.g. VIDEO',
		description: 'Content type as agreed at onboarding, e.g. COURSE or VIDEO',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://learn.example.com/courses/001',
		description: 'Launch URL of the item (http or https)',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en',
		required: true,
		description: 'Language code of the item, e.g. en or fr-CA',
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		default: 0,
		required: true,
		typeOptions: { minValue: 0 },
		description: 'How long the item takes, in seconds',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Author', name: 'author', type: 'string', default: '' },
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'At most 500 characters (Percipio onboarding guideline)',
			},
			{
				displayName: 'Extra Fields (JSON)',
				name: 'extraFields',
				type: 'json',
				default: '{}',
				description:
					'Further fields sent as they are, e.g. {"level": "beginner"}. They cannot replace the fields above.',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				description: 'Comma-separated tags, or an array from an expression',
			},
			{ displayName: 'Thumbnail URL', name: 'thumbnailUrl', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 1, maxValue: 1000 },
				description: 'Items per request when "Send Mode" is Batch',
				displayOptions: { show: { sendMode: ['batch'] } },
			},
			pathOption('contentPath', 'Content Import Path', DEFAULT_CONTENT_PATH),
			organizationOption,
			partnerOption,
			{
				displayName: 'Send Mode',
				name: 'sendMode',
				type: 'options',
				options: [
					{ name: 'One Request per Item', value: 'perItem' },
					{
						name: 'Batch (Array Body)',
						value: 'batch',
						description:
							'Several items per request as a JSON array. Only if your Percipio onboarding confirmed arrays are accepted.',
					},
				],
				default: 'perItem',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contentImport'], operation: ['upsert'] } },
	properties,
);

const httpUrl = (what: string) =>
	z.preprocess(
		(v) => (typeof v === 'string' ? v.trim() : v),
		z
			.string({ required_error: `is required (${what})` })
			.min(1, `is required (${what})`)
			.url('must be a full URL such as https://learn.example.com/item')
			.refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://'),
	);

/** The onboarding guide's fields: content_id, title, type, url, language and duration are mandatory; description ≤ 500. */
export const contentSchema = z
	.object({
		content_id: requiredText('is required: the stable ID of the item').pipe(
			z.string().max(255, 'must be at most 255 characters'),
		),
		title: requiredText('is required').pipe(z.string().max(255, 'must be at most 255 characters')),
		type: requiredText('is required, e.g. COURSE or VIDEO'),
		url: httpUrl('launch URL'),
		language: requiredText('is required, e.g. en').pipe(
			z
				.string()
				.regex(
					/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/,
					'must be a language code such as en or fr-CA',
				),
		),
		duration: z.preprocess(
			(v) => (v === '' || v === null ? undefined : typeof v === 'string' ? Number(v) : v),
			z
				.number({
					required_error: 'is required (seconds)',
					invalid_type_error: 'must be a number of seconds',
				})
				.int('must be whole seconds')
				.min(0, 'must not be negative'),
		),
		description: optionalText.pipe(
			z
				.string()
				.max(500, 'must be at most 500 characters (Percipio onboarding guideline)')
				.optional(),
		),
		tags: z.array(z.string().min(1)).optional(),
		thumbnail_url: z.preprocess(
			(v) => (v === '' || v === null ? undefined : v),
			httpUrl('thumbnail').optional(),
		),
		author: optionalText,
	})
	.passthrough();

export type ContentItem = z.infer<typeof contentSchema>;

function tagsOf(value: unknown): unknown {
	if (value === undefined || value === null || value === '') return undefined;
	if (Array.isArray(value))
		return value.map((t) => (typeof t === 'string' ? t.trim() : t)).filter((t) => t !== '');
	if (typeof value === 'string')
		return value
			.split(',')
			.map((t) => t.trim())
			.filter(Boolean);
	return value;
}

/** Builds and validates one item's content record; throws a per-item error naming the field. */
function prepareContent(ctx: IExecuteFunctions, itemIndex: number): ContentItem {
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const node = ctx.getNode();
	const extraFields =
		validateInput(
			node,
			z.object({ extraFields: extraJson }),
			{ extraFields: extra.extraFields },
			{ itemIndex },
		).extraFields ?? {};
	const record = {
		...extraFields,
		...compact({
			content_id: ctx.getNodeParameter('contentId', itemIndex, ''),
			title: ctx.getNodeParameter('title', itemIndex, ''),
			type: ctx.getNodeParameter('contentType', itemIndex, ''),
			url: ctx.getNodeParameter('url', itemIndex, ''),
			language: ctx.getNodeParameter('language', itemIndex, ''),
			duration: ctx.getNodeParameter('duration', itemIndex, undefined as unknown as number),
			description: extra.description,
			tags: tagsOf(extra.tags),
			thumbnail_url: extra.thumbnailUrl,
			author: extra.author,
		}),
	};
	return compact(validateInput(node, contentSchema, record, { itemIndex }));
}

function resultFor(record: ContentItem, response: unknown): IDataObject {
	const body =
		response && typeof response === 'object' && !Array.isArray(response)
			? (response as IDataObject)
			: {};
	return { content_id: record.content_id, title: record.title, ...body } as IDataObject;
}

function urlFor(ctx: IExecuteFunctions, client: PercipioClient, itemIndex: number): string {
	return client.url(
		pathTemplate(ctx, itemIndex, 'contentPath', DEFAULT_CONTENT_PATH, ['partnerName', 'orgId']),
		{
			partnerName: partnerName(ctx, client, itemIndex),
			orgId: organizationId(ctx, client, itemIndex),
		},
	);
}

/** Every item is checked before the first request: one bad item stops the node with nothing sent. */
export function prepare(this: IExecuteFunctions, client: PercipioClient, itemIndex: number) {
	return { record: prepareContent(this, itemIndex), url: urlFor(this, client, itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
	{ record, url }: ReturnType<typeof prepare>,
): Promise<IDataObject> {
	// content_id is the idempotency key: re-posting it updates, so a retry can never duplicate.
	const response = await client.api.json({
		method: 'POST',
		url,
		body: record,
		idempotent: true,
		itemIndex,
	});
	return clean(resultFor(record, response));
}

/** "Send Mode: Batch": several items per request as a JSON array. */
export function batch(
	this: IExecuteFunctions,
	client: PercipioClient,
): Batch<ReturnType<typeof prepare>> | undefined {
	const opts = options(this, 0);
	if (((opts.sendMode as string) ?? 'perItem') !== 'batch') return undefined;
	let batchUrl: string | undefined;
	return {
		size: Math.max(1, Math.min(1000, Number(opts.batchSize ?? 50))),
		prepare: (itemIndex) => {
			const prepared = prepare.call(this, client, itemIndex);
			// One route per run in batch mode: an item for another organization or partner would be
			// sent to the wrong one inside someone else's batch.
			batchUrl ??= prepared.url;
			if (prepared.url !== batchUrl) {
				throw inputError(
					this.getNode(),
					'In batch mode every item must use the same organization, partner and path',
					{
						itemIndex,
						description:
							'Run one node per organization or partner, or use "Send Mode: One Request per Item". Nothing was sent for this item.',
					},
				);
			}
			return prepared;
		},
		send: async (entries) => {
			const body = entries.map((b) => b.payload.record);
			const response = await client.api.json({
				method: 'POST',
				url: entries[0].payload.url,
				body,
				idempotent: true,
				itemIndex: entries[0].itemIndex,
			});
			const results = Array.isArray(response) && response.length === entries.length ? response : [];
			return entries.map((b, i) => clean(resultFor(b.payload.record, results[i] ?? response)));
		},
	};
}

function clean(value: IDataObject): IDataObject {
	return compact(value as Record<string, unknown>) as IDataObject;
}
