import { createHash } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import {
	compact,
	isoDate,
	optionalNumber,
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

const DEFAULT_TRACK_PATH = '/content-aggregation/v1/partners/{partnerName}/track';
const DEFAULT_TRACK_ORG_PATH =
	'/content-aggregation/v1/partners/{partnerName}/organizations/{orgId}/track';

const properties: INodeProperties[] = [
	{
		displayName: 'Content ID',
		name: 'contentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ext-course-001',
		description: 'The content_id the item was imported with',
	},
	{
		displayName: 'User',
		name: 'user',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. john_doe',
		description:
			'The learner, as Percipio knows them (login name or the identifier agreed at onboarding)',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Started', value: 'started' },
			{ name: 'In Progress', value: 'in-progress' },
			{ name: 'Completed', value: 'completed' },
		],
		default: 'completed',
		description:
			'Progress status. The exact spelling Percipio expects for "in progress" is unconfirmed; an expression may send another value.',
	},
	{
		displayName: 'Event Date',
		name: 'eventDate',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			"When it happened (ISO 8601). Part of the event's identity: keep it stable when re-sending.",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Completion Percentage',
				name: 'completionPercentage',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 0, maxValue: 100 },
			},
			{
				displayName: 'Duration Spent (Seconds)',
				name: 'durationSpent',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
			},
			{ displayName: 'Grade', name: 'grade', type: 'string', default: '', placeholder: 'e.g. 95' },
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
				displayName: 'Include Organization in Path',
				name: 'includeOrganization',
				type: 'boolean',
				default: true,
				description:
					'Whether to send to …/organizations/{orgId}/track (on) or to …/partners/{partnerName}/track (off). Percipio documents both.',
			},
			organizationOption,
			partnerOption,
			{
				displayName: 'Resend After Ambiguous Failures',
				name: 'resendAmbiguous',
				type: 'boolean',
				default: false,
				description:
					'Whether to send an event again after a 502/503/504 or a connection dropped mid-request. Off: such an event fails with a clear error instead, because Percipio may already have recorded it and the Track API takes no idempotency key. 429s and expired tokens are always retried safely.',
			},
			pathOption(
				'trackPath',
				'Track Path',
				DEFAULT_TRACK_PATH,
				' Used when "Include Organization in Path" is off.',
			),
			pathOption(
				'trackOrgPath',
				'Track Path (With Organization)',
				DEFAULT_TRACK_ORG_PATH,
				' Used when "Include Organization in Path" is on.',
			),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['track'], operation: ['send'] } },
	properties,
);

const trackSchema = z.object({
	content_id: requiredText('is required: the content_id the item was imported with'),
	user: requiredText('is required: the learner'),
	status: requiredText('is required: started, in-progress or completed').pipe(
		z
			.string()
			.regex(
				/^[A-Za-z][A-Za-z_ -]{0,39}$/,
				'must be a status word such as started, in-progress or completed',
			),
	),
	event_date: isoDate('when the progress happened'),
	completion_percentage: optionalNumber.pipe(
		z.number().min(0, 'must be from 0 to 100').max(100, 'must be from 0 to 100').optional(),
	),
	duration_spent: optionalNumber.pipe(
		z.number().int('must be whole seconds').min(0, 'must not be negative').optional(),
	),
	grade: optionalText,
});

export type TrackEvent = z.infer<typeof trackSchema>;

/**
 * The identity of a Track event: the same (content_id, user, status, event_date) is the same event.
 * Returned with each result so a workflow can de-duplicate, and used by the sandbox to prove
 * "exactly once".
 */
export function trackKey(
	event: Pick<TrackEvent, 'content_id' | 'user' | 'status' | 'event_date'>,
): string {
	return createHash('sha1')
		.update(
			JSON.stringify([event.content_id, event.user, event.status.toLowerCase(), event.event_date]),
		)
		.digest('hex');
}

function prepareTrack(ctx: IExecuteFunctions, itemIndex: number): TrackEvent {
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const raw = compact({
		content_id: ctx.getNodeParameter('contentId', itemIndex, ''),
		user: ctx.getNodeParameter('user', itemIndex, ''),
		status: ctx.getNodeParameter('status', itemIndex, ''),
		event_date: ctx.getNodeParameter('eventDate', itemIndex, ''),
		completion_percentage: extra.completionPercentage,
		duration_spent: extra.durationSpent,
		grade: extra.grade,
	});
	return compact(validateInput(ctx.getNode(), trackSchema, raw, { itemIndex }));
}

/** Every item is checked before the first request: one bad item stops the node with nothing sent. */
export function prepare(this: IExecuteFunctions, client: PercipioClient, itemIndex: number) {
	const event = prepareTrack(this, itemIndex);
	const opts = options(this, itemIndex);
	const withOrg = opts.includeOrganization !== false;
	const partner = partnerName(this, client, itemIndex);
	const url = withOrg
		? client.url(
				pathTemplate(this, itemIndex, 'trackOrgPath', DEFAULT_TRACK_ORG_PATH, [
					'partnerName',
					'orgId',
				]),
				{ partnerName: partner, orgId: organizationId(this, client, itemIndex) },
			)
		: client.url(
				pathTemplate(this, itemIndex, 'trackPath', DEFAULT_TRACK_PATH, ['partnerName', 'orgId']),
				{ partnerName: partner, orgId: client.config.organizationId },
			);
	return { event, opts, url };
}

export async function execute(
	this: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
	{ event, opts, url }: ReturnType<typeof prepare>,
): Promise<IDataObject> {
	const response = await client.api.json({
		method: 'POST',
		url,
		body: event,
		idempotent: opts.resendAmbiguous === true,
		itemIndex,
	});
	const body =
		response && typeof response === 'object' && !Array.isArray(response)
			? (response as IDataObject)
			: {};
	return { ...event, trackKey: trackKey(event), response: body };
}
