import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { keyText } from '../../../shared/exactMatch';
import { apiError } from '../../../shared/errors';
import { validateInput } from '../../../shared/validation';
import type { HttpResponse, RequestSpec } from '../../../shared/types';
import type { DegreedClient } from '../../transport/client';
import { kebab, nextLink, singleItem, toAttributes, toItem } from '../../transport/jsonapi';
import { MAX_PAGE_SIZE, recordPages } from '../../transport/paging';
import {
	additionalAttributesOption,
	apiUrl,
	dateOnly,
	isoDateTime,
	jsonAttributes,
} from '../common';
import { COMPLETION_CONTENT_TYPES, CONTENT_ID_TYPES, USER_IDENTIFIER_TYPES } from './fields';
import { contentLocator, userLocator } from '../../methods/locators';

const fieldsInput = { inputMode: ['fields'] };

/** The completion fields an auto-mapped item may carry, by their camelCase names. */
const AUTO_MAP_FIELDS = [
	'userId',
	'userIdentifierType',
	'contentId',
	'contentIdType',
	'contentType',
	'completedAt',
	'percentile',
] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'inputMode',
		type: 'options',
		options: [
			{
				name: 'Fields Below',
				value: 'fields',
				description: 'Set each field, with expressions for values from the input items',
			},
			{
				name: "Map Each Item's Fields Automatically",
				value: 'autoMap',
				description:
					'Each input item already holds userId, contentId and completedAt (optional: userIdentifierType, contentIdType, contentType, percentile; camelCase or kebab-case). Fastest for large syncs: no expression is evaluated per item.',
			},
		],
		default: 'fields',
		description: 'Where the completion fields come from. Applies to all items.',
	},
	userLocator({
		description: 'The learner who completed the content: pick them, or give their email',
		displayOptions: { show: { ...fieldsInput, userIdentifierType: ['Email'] } },
		modes: userLocator().modes!.map((mode) =>
			mode.name === 'list'
				? { ...mode, typeOptions: { ...mode.typeOptions, searchListMethod: 'searchUserEmails' } }
				: mode.name === 'id'
					? {
							...mode,
							displayName: 'By Email',
							placeholder: 'e.g. jane@acme.com',
							validation: [
								{
									type: 'regex',
									properties: {
										regex: '^\\s*[^\\s@]+@[^\\s@]+\\s*$',
										errorMessage: 'Enter an email address',
									},
								},
							],
						}
					: mode,
		),
	}),
	{
		displayName: 'User',
		name: 'userId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. E-1042',
		description: 'The learner who completed the content, identified as set below',
		displayOptions: {
			show: { ...fieldsInput, userIdentifierType: ['EmployeeId', 'UserName', 'Id'] },
		},
	},
	{
		displayName: 'User Identifier Type',
		name: 'userIdentifierType',
		type: 'options',
		options: USER_IDENTIFIER_TYPES,
		default: 'Email',
		displayOptions: { show: fieldsInput },
	},
	contentLocator({
		displayName: 'Content',
		description: 'The content that was completed: pick it, or give its external ID',
		displayOptions: { show: { ...fieldsInput, contentIdType: ['externalId'] } },
		modes: contentLocator().modes!.map((mode) =>
			mode.name === 'list'
				? {
						...mode,
						typeOptions: { ...mode.typeOptions, searchListMethod: 'searchContentExternalIds' },
					}
				: mode.name === 'id'
					? { ...mode, displayName: 'By External ID', placeholder: 'e.g. course-v1:acme+101' }
					: mode,
		),
	}),
	contentLocator({
		displayName: 'Content',
		description: 'The content that was completed, by its Degreed ID',
		displayOptions: { show: { ...fieldsInput, contentIdType: ['id'] } },
	}),
	{
		displayName: 'Content ID',
		name: 'contentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://learn.acme.example/courses/101',
		description: 'The content that was completed, identified as set below',
		displayOptions: { show: { ...fieldsInput, contentIdType: ['url'] } },
	},
	{
		displayName: 'Content ID Type',
		name: 'contentIdType',
		type: 'options',
		options: CONTENT_ID_TYPES,
		default: 'externalId',
		displayOptions: { show: fieldsInput },
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'options',
		options: COMPLETION_CONTENT_TYPES,
		default: 'Course',
		displayOptions: { show: fieldsInput },
	},
	{
		displayName: 'Completed At',
		name: 'completedAt',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'When the learner completed it. A value without a time zone is taken as UTC.',
		displayOptions: { show: fieldsInput },
	},
	{
		displayName: 'If Completion Exists',
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
				description: 'Look the existing completion up and return it (extra read requests)',
			},
			{
				name: 'Treat as Success',
				value: 'success',
				description: 'Return the sent fields with status "alreadyExists", without another request',
			},
		],
		default: 'success',
		description:
			'What to do when Degreed answers 409 (a completion for this user, content and completion time already exists). The default suits nightly syncs that send the same completions again: the 409 itself confirms the record, and no read is spent against the per-minute limit.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Percentile',
				name: 'percentile',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 0, maxValue: 100 },
				description: 'Score or progress as a percentage (0–100)',
			},
			{
				displayName: 'Duplicate Check',
				name: 'duplicateCheck',
				type: 'boolean',
				default: true,
				description:
					'Whether to look the completion up (same user, content and completion time) before sending it again after a failure that may have reached Degreed, so a retry cannot create it twice',
			},
			additionalAttributesOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['create'] } },
	properties,
);

/**
 * One of an options list (the value may come from an expression): anything else is an error naming
 * the allowed values. Another value Degreed may accept goes through Additional Attributes (JSON),
 * which overrides any attribute (documented in the README).
 */
const oneOf = (options: Array<{ value: string }>) => {
	const values = options.map((o) => o.value) as [string, ...string[]];
	return z.enum(values, {
		errorMap: () => ({
			message: `must be one of ${values.join(', ')} (another value can be sent through Additional Attributes (JSON))`,
		}),
	});
};

export const completionSchema = z.object({
	userId: z.string().trim().min(1, 'must not be empty'),
	userIdentifierType: oneOf(USER_IDENTIFIER_TYPES),
	contentId: z.string().trim().min(1, 'must not be empty'),
	contentIdType: z.string().min(1),
	contentType: oneOf(COMPLETION_CONTENT_TYPES),
	completedAt: z
		.string()
		.refine(
			(v) => !Number.isNaN(Date.parse(v)),
			'must be a date and time, e.g. 2026-05-01T10:00:00Z',
		),
	percentile: z.number().min(0).max(100).optional(),
});

const USER_ID_TYPE_VALUES = new Set(USER_IDENTIFIER_TYPES.map((o) => o.value));
const CONTENT_TYPE_VALUES = new Set(COMPLETION_CONTENT_TYPES.map((o) => o.value));

/**
 * {@link completionSchema}'s rules written out for the common case: zod cost ~30 µs per completion
 * (bench/FINDINGS.md §8), as much as the rest of the item's own work. Returns what zod would, or
 * undefined for anything it does not accept outright: zod then decides and words the error. A test
 * holds the two to the same answers over thousands of near-valid inputs.
 */
export function fastCompletionInput(
	fields: IDataObject,
): z.infer<typeof completionSchema> | undefined {
	const {
		userId,
		userIdentifierType,
		contentId,
		contentIdType,
		contentType,
		completedAt,
		percentile,
	} = fields;
	if (
		typeof userId !== 'string' ||
		typeof contentId !== 'string' ||
		typeof contentIdType !== 'string' ||
		typeof completedAt !== 'string' ||
		typeof userIdentifierType !== 'string' ||
		typeof contentType !== 'string'
	)
		return undefined;
	const user = userId.trim();
	const content = contentId.trim();
	if (!user || !content || !contentIdType) return undefined;
	if (!USER_ID_TYPE_VALUES.has(userIdentifierType) || !CONTENT_TYPE_VALUES.has(contentType))
		return undefined;
	if (Number.isNaN(Date.parse(completedAt))) return undefined;
	if (
		percentile !== undefined &&
		!(typeof percentile === 'number' && percentile >= 0 && percentile <= 100)
	)
		return undefined;
	const input: z.infer<typeof completionSchema> = {
		userId: user,
		userIdentifierType,
		contentId: content,
		contentIdType,
		contentType,
		completedAt,
	};
	if ('percentile' in fields) input.percentile = percentile;
	return input;
}

const norm = (v: unknown) =>
	String(v ?? '')
		.trim()
		.toLowerCase();

/** The look-up reads at most this many completions of the day (10 pages of 1,000). */
const LOOKUP_MAX_RECORDS = 10 * MAX_PAGE_SIZE;

/**
 * Did a completion with these user, content and completion time land? Degreed has no idempotency
 * key for completions, so after an ambiguous failure (a 5xx or a connection dropped after sending)
 * the node looks before it sends again. Completions of that day are read (filter by date,
 * unconfirmed parameter names) and matched on the completion time and on the user and content
 * identifiers appearing among the record's attributes. The pages are walked with the lists' cursor
 * paging (`recordPages`): when a follow-up page answers that its cursor expired (a fault on that
 * page makes the resent page answer 410), the look-up restarts from the first page instead of
 * failing the item, and stops at the first match.
 */
export async function findCompletion(
	client: DegreedClient,
	node: INode,
	attrs: IDataObject,
	itemIndex: number,
): Promise<HttpResponse | undefined> {
	const completedAt = Date.parse(String(attrs['completed-at']));
	const day = dateOnly(attrs['completed-at']);
	const next = day
		? new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
		: undefined;
	const user = norm(attrs['user-id']);
	const content = norm(attrs['content-id']);
	const first: RequestSpec = {
		method: 'GET',
		url: apiUrl(client, '/api/v2/completions'),
		qs: { limit: MAX_PAGE_SIZE, 'filter[start_date]': day, 'filter[end_date]': next },
	};
	const records = (body: unknown) =>
		((body as { data?: IDataObject[] })?.data ?? []).filter(
			(r): r is IDataObject => !!r && typeof r === 'object',
		);
	let read = 0;
	for await (const page of recordPages(client.api, first, {
		items: records,
		next: nextLink,
		apiBaseUrl: client.hosts.apiBaseUrl,
		itemIndex,
		node,
	})) {
		const matches = (
			page as Array<{ id?: string; attributes?: IDataObject; relationships?: IDataObject }>
		).filter((record) => {
			if (!record || typeof record !== 'object') return false;
			const a = record.attributes ?? {};
			if (Date.parse(String(a['completed-at'])) !== completedAt) return false;
			// A record without the identifiers never matches (an absent value is not "equal").
			const values = new Set(
				[
					...Object.values(a),
					...Object.values(record.relationships ?? {}).map(
						(r) => (r as { data?: { id?: string } })?.data?.id,
					),
				]
					.filter((v) => keyText(v) !== undefined)
					.map(norm),
			);
			return !!user && !!content && values.has(user) && values.has(content);
		});
		// Two completions for the same user, content and time: which one this write made cannot be told.
		if (matches.length > 1) {
			throw new NodeOperationError(
				node,
				'More than one Degreed completion matches this user, content and completion time',
				{
					itemIndex,
					description:
						'The look-up after an interrupted request found several records, so it cannot say which one this item created. Check the completions in Degreed.',
				},
			);
		}
		if (matches.length === 1) return { statusCode: 200, headers: {}, body: { data: matches[0] } };
		read += page.length;
		if (read >= LOOKUP_MAX_RECORDS) break;
	}
	return undefined;
}

/**
 * Degreed answered 409: this user already has this completion at this time (a re-run of a sync, or
 * a resend whose first attempt landed unseen). "Fail" reports it; "Return It" looks the record up
 * (when the look-up cannot find it, the sent fields are returned as for "Treat as Success": Degreed
 * has confirmed the record exists); "Treat as Success" returns the sent fields.
 */
async function onExistingCompletion(
	ctx: IExecuteFunctions,
	client: DegreedClient,
	response: HttpResponse,
	attributes: IDataObject,
	ifExists: string,
	itemIndex: number,
): Promise<IDataObject> {
	if (ifExists === 'error') {
		const said = client.api.provider.parseError(response).message;
		throw apiError({
			node: ctx.getNode(),
			provider: 'Degreed',
			redactor: client.api.redactor,
			response,
			itemIndex,
			message: `a completion of "${String(attributes['content-id'])}" by "${String(attributes['user-id'])}" at ${String(attributes['completed-at'])} already exists${said ? ` (${said})` : ''}`,
			description:
				'Set "If Completion Exists" to "Treat as Success" or "Return It" to accept completions that are already there (a re-run of a sync).',
		});
	}
	if (ifExists === 'returnExisting') {
		const found = await findCompletion(client, ctx.getNode(), attributes, itemIndex);
		if (found) return { ...singleItem(found.body), status: 'alreadyExists' };
	}
	return { ...toItem({ attributes }), status: 'alreadyExists' };
}

/** One item's completion fields: from the parameters (expressions), or straight from the item's JSON. */
function completionFields(
	ctx: IExecuteFunctions,
	i: number,
	autoMap: boolean,
	additional: IDataObject,
): IDataObject {
	const percentileOf = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : v);
	if (autoMap) {
		const json = ctx.getInputData()[i]?.json ?? {};
		const fields: IDataObject = {};
		for (const name of AUTO_MAP_FIELDS) fields[name] = json[name] ?? json[kebab(name)];
		// Employee numbers and content ids often arrive as numbers from HR exports.
		for (const name of ['userId', 'contentId'] as const)
			if (typeof fields[name] === 'number') fields[name] = String(fields[name]);
		fields.userIdentifierType ??= 'Email';
		fields.contentIdType ??= 'externalId';
		fields.contentType ??= 'Course';
		fields.completedAt =
			fields.completedAt instanceof Date
				? fields.completedAt.toISOString()
				: String(fields.completedAt ?? '');
		fields.percentile = percentileOf(fields.percentile ?? additional.percentile);
		return fields;
	}
	return {
		userId: ctx.getNodeParameter('userId', i, undefined, { extractValue: true }),
		userIdentifierType: ctx.getNodeParameter('userIdentifierType', i, 'Email'),
		contentId: ctx.getNodeParameter('contentId', i, undefined, { extractValue: true }),
		contentIdType: ctx.getNodeParameter('contentIdType', i, 'externalId'),
		contentType: ctx.getNodeParameter('contentType', i, 'Course'),
		completedAt: String(ctx.getNodeParameter('completedAt', i, '') ?? ''),
		percentile: percentileOf(additional.percentile),
	};
}

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const autoMap = this.getNodeParameter('inputMode', 0, 'fields') === 'autoMap';
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const fields = completionFields(this, itemIndex, autoMap, additional);
	const input =
		fastCompletionInput(fields) ??
		validateInput(this.getNode(), completionSchema, fields, {
			itemIndex,
			label: 'completion',
			description: autoMap
				? 'Fix this field of the input item (auto-mapped input) and run the node again. Nothing was sent for this item.'
				: undefined,
		});
	const attributes: IDataObject = {
		...toAttributes({
			userId: input.userId,
			userIdentifierType: input.userIdentifierType,
			contentId: input.contentId,
			contentIdType: input.contentIdType,
			contentType: input.contentType,
			completedAt: isoDateTime(input.completedAt),
			percentile: input.percentile,
		}),
		...toAttributes(jsonAttributes(this, additional.additionalAttributes, itemIndex)),
	};
	const response = await client.api.request({
		method: 'POST',
		url: apiUrl(client, '/api/v2/completions'),
		body: { data: { attributes } },
		itemIndex,
		acceptStatuses: [409],
		// No idempotency key exists for completions: never resent blindly; looked up first.
		idempotent: false,
		recover:
			additional.duplicateCheck === false
				? undefined
				: async () => await findCompletion(client, this.getNode(), attributes, itemIndex),
	});
	if (response.statusCode !== 409) return singleItem(response.body);
	return await onExistingCompletion(
		this,
		client,
		response,
		attributes,
		this.getNodeParameter('ifExists', itemIndex, 'success') as string,
		itemIndex,
	);
}
