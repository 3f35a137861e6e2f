import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { inputError } from '../../../shared/errors';
import { validateInput } from '../../../shared/validation';
import { XAPI_VERSION, isIri, uuidV5 } from '../../../shared/xapi';
import type { PercipioClient } from '../../transport/client';
import {
	compact,
	isoDate,
	optionalNumber,
	optionalText,
	options,
	partnerName,
	partnerOption,
	pathOption,
	pathTemplate,
	requiredText,
} from '../common';

/** Unconfirmed: Skillsoft documents the Statements API but not its path (README → Unconfirmed). */
export const DEFAULT_STATEMENTS_PATH = '/content-aggregation/v1/partners/{partnerName}/statements';

/** Percipio's supported xAPI vocabulary (Skillsoft's "supported statements" page). */
export const VERBS: Record<string, string> = {
	completed: 'http://adlnet.gov/expapi/verbs/completed',
	passed: 'http://adlnet.gov/expapi/verbs/passed',
	failed: 'http://adlnet.gov/expapi/verbs/failed',
	experienced: 'http://adlnet.gov/expapi/verbs/experienced',
	initialized: 'http://adlnet.gov/expapi/verbs/initialized',
	satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
	scored: 'http://adlnet.gov/expapi/verbs/scored',
	arrived: 'https://xapi.percipio.com/xapi/verbs/arrived',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Actor Identified By',
		name: 'actorType',
		type: 'options',
		options: [
			{ name: 'Account (Percipio Site + User Name)', value: 'account' },
			{ name: 'Email (Mbox)', value: 'mbox' },
		],
		default: 'account',
	},
	{
		displayName: 'Account Home Page',
		name: 'accountHomePage',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://yoursite.percipio.com',
		description: 'Your Percipio site URL, which Percipio uses as the account home page',
		displayOptions: { show: { actorType: ['account'] } },
	},
	{
		displayName: 'Account Name',
		name: 'accountName',
		type: 'string',
		default: '',
		required: true,
		description: "The learner's user name on that site",
		displayOptions: { show: { actorType: ['account'] } },
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		displayOptions: { show: { actorType: ['mbox'] } },
	},
	{
		displayName: 'Verb',
		name: 'verb',
		type: 'options',
		options: [
			{ name: 'Arrived (Percipio)', value: 'arrived' },
			{ name: 'Completed', value: 'completed' },
			{ name: 'Custom', value: 'custom' },
			{ name: 'Experienced', value: 'experienced' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Initialized', value: 'initialized' },
			{ name: 'Passed', value: 'passed' },
			{ name: 'Satisfied', value: 'satisfied' },
			{ name: 'Scored', value: 'scored' },
		],
		default: 'completed',
	},
	{
		displayName: 'Verb IRI',
		name: 'verbId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. http://adlnet.gov/expapi/verbs/attempted',
		displayOptions: { show: { verb: ['custom'] } },
	},
	{
		displayName: 'Activity ID',
		name: 'activityId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://learn.example.com/courses/001',
		description: 'IRI of the activity (for imported content: the IRI agreed at onboarding)',
	},
	{
		displayName: 'Timestamp',
		name: 'timestamp',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'When it happened. Part of the identity of the statement: the statement ID is derived from actor, verb, activity and timestamp, so re-sending never duplicates.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Activity Name', name: 'activityName', type: 'string', default: '' },
			{
				displayName: 'Activity Type IRI',
				name: 'activityType',
				type: 'string',
				default: '',
				placeholder: 'e.g. http://adlnet.gov/expapi/activities/course',
			},
			{ displayName: 'Actor Name', name: 'actorName', type: 'string', default: '' },
			{
				displayName: 'Completion',
				name: 'completion',
				type: 'boolean',
				default: true,
				description: 'Whether result.completion is true',
			},
			{
				displayName: 'Duration',
				name: 'duration',
				type: 'string',
				default: '',
				placeholder: 'e.g. PT1H30M',
				description: 'The result duration as an ISO 8601 duration',
			},
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'string',
				default: '',
				description: 'A registration UUID',
			},
			{ displayName: 'Score Max', name: 'scoreMax', type: 'number', default: 100 },
			{ displayName: 'Score Min', name: 'scoreMin', type: 'number', default: 0 },
			{ displayName: 'Score Raw', name: 'scoreRaw', type: 'number', default: 0 },
			{
				displayName: 'Score Scaled',
				name: 'scoreScaled',
				type: 'number',
				default: 1,
				typeOptions: { minValue: -1, maxValue: 1, numberPrecision: 2 },
				description: 'From -1 to 1',
			},
			{
				displayName: 'Statement ID',
				name: 'statementId',
				type: 'string',
				default: '',
				description:
					'Your own statement UUID. Empty: derived from actor, verb, activity and timestamp.',
			},
			{
				displayName: 'Success',
				name: 'success',
				type: 'boolean',
				default: true,
				description: 'Whether result.success is true',
			},
			{
				displayName: 'Verb Display',
				name: 'verbDisplay',
				type: 'string',
				default: '',
				description: 'Verb display text (en-US). Empty: the verb name.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			partnerOption,
			pathOption(
				'statementsPath',
				'Statements Path',
				DEFAULT_STATEMENTS_PATH,
				' Skillsoft has not published this path: confirm it with your onboarding contact.',
			),
			{
				displayName: 'xAPI Version',
				name: 'xapiVersion',
				type: 'string',
				default: XAPI_VERSION,
				description: 'Sent as the X-Experience-API-Version header',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['statement'], operation: ['send'] } },
	properties,
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iri = (what: string) =>
	requiredText(`is required (${what})`).pipe(
		z.string().refine(isIri, `must be an IRI such as https://example.com/… (${what})`),
	);

/** Namespace of this package's Percipio statement ids (a fixed random UUID). Never change it: ids must stay stable. */
const STATEMENT_NAMESPACE = 'b6b3f7f2-3c1e-4b55-9a0e-6f5f0d7c2a91';

const statementInput = z.object({
	actorType: z.enum(['account', 'mbox']),
	accountHomePage: z.string().optional(),
	accountName: z.string().optional(),
	email: z.string().optional(),
	actorName: optionalText,
	verb: z.string(),
	verbId: z.string().optional(),
	verbDisplay: optionalText,
	activityId: iri('the activity'),
	activityName: optionalText,
	activityType: optionalText.pipe(z.string().refine(isIri, 'must be an IRI').optional()),
	timestamp: isoDate('when it happened'),
	completion: z.boolean().optional(),
	success: z.boolean().optional(),
	scoreScaled: optionalNumber.pipe(
		z.number().min(-1, 'must be from -1 to 1').max(1, 'must be from -1 to 1').optional(),
	),
	scoreRaw: optionalNumber,
	scoreMin: optionalNumber,
	scoreMax: optionalNumber,
	duration: optionalText.pipe(
		z
			.string()
			.regex(
				/^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/,
				'must be an ISO 8601 duration such as PT1H30M',
			)
			.optional(),
	),
	registration: optionalText.pipe(z.string().regex(UUID, 'must be a UUID').optional()),
	statementId: optionalText.pipe(z.string().regex(UUID, 'must be a UUID').optional()),
});

export function buildStatement(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = ctx.getNode();
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const actorType = ctx.getNodeParameter('actorType', itemIndex, 'account') as string;
	const verb = ctx.getNodeParameter('verb', itemIndex, 'completed') as string;
	const input = validateInput(
		node,
		statementInput,
		{
			actorType,
			accountHomePage:
				actorType === 'account'
					? ctx.getNodeParameter('accountHomePage', itemIndex, '')
					: undefined,
			accountName:
				actorType === 'account' ? ctx.getNodeParameter('accountName', itemIndex, '') : undefined,
			email: actorType === 'mbox' ? ctx.getNodeParameter('email', itemIndex, '') : undefined,
			verb,
			verbId: verb === 'custom' ? ctx.getNodeParameter('verbId', itemIndex, '') : undefined,
			activityId: ctx.getNodeParameter('activityId', itemIndex, ''),
			timestamp: ctx.getNodeParameter('timestamp', itemIndex, ''),
			...extra,
		},
		{ itemIndex },
	);
	// Actor and verb: checked here so the error names the field the user filled in.
	let actor: IDataObject;
	if (input.actorType === 'account') {
		const extraCheck = z.object({
			accountHomePage: iri('your Percipio site URL, e.g. https://yoursite.percipio.com'),
			accountName: requiredText("is required (the learner's user name)"),
		});
		const a = validateInput(
			node,
			extraCheck,
			{ accountHomePage: input.accountHomePage, accountName: input.accountName },
			{ itemIndex },
		);
		actor = { objectType: 'Agent', account: { homePage: a.accountHomePage, name: a.accountName } };
	} else {
		const e = validateInput(
			node,
			z.object({
				email: requiredText('is required').pipe(z.string().email('must be an email address')),
			}),
			{ email: input.email },
			{ itemIndex },
		);
		actor = { objectType: 'Agent', mbox: `mailto:${e.email.toLowerCase()}` };
	}
	if (input.actorName) actor.name = input.actorName;
	let verbId = VERBS[input.verb];
	if (input.verb === 'custom' || !verbId)
		verbId = validateInput(
			node,
			z.object({ verbId: iri('the verb') }),
			{ verbId: input.verbId },
			{ itemIndex },
		).verbId;
	const timestamp = new Date(Date.parse(input.timestamp)).toISOString();
	const definition = compact({
		name: input.activityName ? { 'en-US': input.activityName } : undefined,
		type: input.activityType,
	});
	const score = compact({
		scaled: input.scoreScaled,
		raw: input.scoreRaw,
		min: input.scoreMin,
		max: input.scoreMax,
	});
	if (
		score.raw !== undefined &&
		((score.min !== undefined && score.raw < score.min) ||
			(score.max !== undefined && score.raw > score.max))
	) {
		throw inputError(
			node,
			`Invalid "scoreRaw" must be between Score Min (${score.min}) and Score Max (${score.max})`,
			{ itemIndex, description: 'Nothing was sent for this item.' },
		);
	}
	const result = compact({
		completion: input.completion,
		success: input.success,
		score: Object.keys(score).length ? score : undefined,
		duration: input.duration,
	});
	const identity = JSON.stringify([
		actor.account ?? actor.mbox,
		verbId,
		input.activityId,
		timestamp,
		input.registration ?? null,
	]);
	return compact({
		id: input.statementId?.toLowerCase() ?? uuidV5(identity, STATEMENT_NAMESPACE),
		actor,
		verb: {
			id: verbId,
			display: {
				'en-US':
					input.verbDisplay ?? (input.verb === 'custom' ? verbId.split('/').pop() : input.verb),
			},
		},
		object: compact({
			objectType: 'Activity',
			id: input.activityId,
			definition: Object.keys(definition).length ? definition : undefined,
		}),
		result: Object.keys(result).length ? result : undefined,
		context: input.registration ? { registration: input.registration } : undefined,
		timestamp,
	}) as IDataObject;
}

/** Every item is checked before the first request: one bad item stops the node with nothing sent. */
export function prepare(this: IExecuteFunctions, client: PercipioClient, itemIndex: number) {
	return {
		statement: buildStatement(this, itemIndex),
		opts: options(this, itemIndex),
		url: client.url(
			pathTemplate(this, itemIndex, 'statementsPath', DEFAULT_STATEMENTS_PATH, [
				'partnerName',
				'orgId',
			]),
			{
				partnerName: partnerName(this, client, itemIndex),
				orgId: client.config.organizationId,
			},
		),
	};
}

export async function execute(
	this: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
	{ statement, opts, url }: ReturnType<typeof prepare>,
): Promise<IDataObject> {
	// The id is derived from the statement itself: a resend is recognised by the LRS (same id,
	// same content = stored once), so ambiguous failures may be retried.
	const response = await client.api.request({
		method: 'POST',
		url,
		body: statement,
		headers: { 'X-Experience-API-Version': String(opts.xapiVersion || XAPI_VERSION) },
		idempotent: true,
		acceptStatuses: [409],
		itemIndex,
	});
	if (response.statusCode === 409) {
		return {
			statementId: statement.id,
			stored: false,
			conflict: true,
			message:
				'A statement with this id is already stored with different content; it was not changed.',
			statement,
		};
	}
	return { statementId: statement.id, stored: true, statement };
}
