import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';
import type { Batch } from '../../../shared/router';
import { validateInput } from '../../../shared/validation';
import type { DegreedClient } from '../../transport/client';
import {
	buildStatement,
	normalizeTimestamp,
	statementIdFor,
	statementSchema,
} from '../../transport/xapi';
import type { SimpleStatementFields } from '../../transport/xapi';
import { isCommonValidStatement } from '../../transport/xapiFastPath';
import { statementsUrl, xapiHeaders } from './shared';

const fieldsMode = { mode: ['fields'] };
// Inside a collection a condition on a top-level parameter names it by its root path: n8n 2.0 and
// 2.1 cannot resolve a plain `mode` there ("Could not resolve parameter dependencies" on every run).
const rootFieldsMode = { '/mode': ['fields'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Simple Fields', value: 'fields', description: 'Learner, verb, activity and result' },
			{
				name: 'Raw JSON',
				value: 'json',
				description: 'A full xAPI statement, or a list of statements, per item',
			},
			{
				name: 'Each Item Is a Statement',
				value: 'item',
				description:
					"The input item's JSON is one full xAPI statement (e.g. from a Code node or another LRS). Fastest for large syncs: no expression is evaluated per item.",
			},
		],
		default: 'fields',
	},
	{
		displayName: 'Learner Identified By',
		name: 'actorType',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Account (Home Page + Name)', value: 'account' },
		],
		default: 'email',
		displayOptions: { show: fieldsMode },
	},
	{
		displayName: 'Learner Email',
		name: 'learnerEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		displayOptions: { show: { ...fieldsMode, actorType: ['email'] } },
	},
	{
		displayName: 'Account Home Page',
		name: 'accountHomePage',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://hr.acme.com',
		required: true,
		displayOptions: { show: { ...fieldsMode, actorType: ['account'] } },
	},
	{
		displayName: 'Account Name',
		name: 'accountName',
		type: 'string',
		default: '',
		placeholder: 'e.g. E12345',
		required: true,
		description: "The learner's ID in that system (e.g. employee ID)",
		displayOptions: { show: { ...fieldsMode, actorType: ['account'] } },
	},
	{
		displayName: 'Verb',
		name: 'verb',
		type: 'options',
		options: [
			{ name: 'Answered', value: 'answered' },
			{ name: 'Attempted', value: 'attempted' },
			{ name: 'Attended', value: 'attended' },
			{ name: 'Completed', value: 'completed' },
			{ name: 'Custom IRI', value: 'custom' },
			{ name: 'Experienced', value: 'experienced' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Initialized', value: 'initialized' },
			{ name: 'Launched', value: 'launched' },
			{ name: 'Passed', value: 'passed' },
			{ name: 'Progressed', value: 'progressed' },
			{ name: 'Registered', value: 'registered' },
			{ name: 'Scored', value: 'scored' },
			{ name: 'Terminated', value: 'terminated' },
		],
		default: 'completed',
		displayOptions: { show: fieldsMode },
	},
	{
		displayName: 'Verb IRI',
		name: 'customVerbIri',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://w3id.org/xapi/dod-isd/verbs/reviewed',
		required: true,
		displayOptions: { show: { ...fieldsMode, verb: ['custom'] } },
	},
	{
		displayName: 'Activity ID',
		name: 'activityId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://learn.acme.com/courses/101',
		description: 'An IRI that identifies the activity (usually its URL)',
		displayOptions: { show: fieldsMode },
	},
	{
		displayName: 'Activity Name',
		name: 'activityName',
		type: 'string',
		default: '',
		displayOptions: { show: fieldsMode },
	},
	{
		displayName: 'Timestamp',
		name: 'timestamp',
		type: 'dateTime',
		default: '',
		description:
			"When it happened; part of the statement's identity, so a re-run with the same time never stores it twice. Empty: the time of sending (a re-run is then a new statement). A value without a time zone is taken as UTC.",
		displayOptions: { show: fieldsMode },
	},
	{
		displayName: 'Result',
		name: 'result',
		type: 'collection',
		placeholder: 'Add Result Field',
		default: {},
		displayOptions: { show: fieldsMode },
		options: [
			{
				displayName: 'Completion',
				name: 'completion',
				type: 'boolean',
				default: true,
				description:
					'Whether the result says the learner completed the activity (result.completion)',
			},
			{
				displayName: 'Duration',
				name: 'duration',
				type: 'string',
				default: '',
				placeholder: 'e.g. PT45M',
				description: 'ISO 8601 duration',
			},
			{ displayName: 'Score Max', name: 'scoreMax', type: 'number', default: 100 },
			{ displayName: 'Score Min', name: 'scoreMin', type: 'number', default: 0 },
			{ displayName: 'Score Raw', name: 'scoreRaw', type: 'number', default: 0 },
			{
				displayName: 'Score Scaled',
				name: 'scoreScaled',
				type: 'number',
				default: 1,
				typeOptions: { minValue: -1, maxValue: 1, numberPrecision: 4 },
				description: 'Between -1 and 1',
			},
			{
				displayName: 'Success',
				name: 'success',
				type: 'boolean',
				default: true,
				description: 'Whether the result says the learner passed (result.success)',
			},
		],
	},
	{
		displayName: 'Statement (JSON)',
		name: 'statementJson',
		type: 'json',
		default:
			'{\n  "actor": { "mbox": "mailto:jane@acme.com" },\n  "verb": { "id": "http://adlnet.gov/expapi/verbs/completed" },\n  "object": { "id": "https://learn.acme.com/courses/101" }\n}',
		description:
			'One statement or an array of statements. Without an "ID", one is derived from the statement.',
		displayOptions: { show: { mode: ['json'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Activity Description',
				name: 'activityDescription',
				type: 'string',
				default: '',
				displayOptions: { show: rootFieldsMode },
			},
			{
				displayName: 'Activity Type',
				name: 'activityType',
				type: 'string',
				default: '',
				placeholder: 'e.g. http://adlnet.gov/expapi/activities/course',
				displayOptions: { show: rootFieldsMode },
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Your own unique key for this item (e.g. a registration ID); the statement ID is derived from it. By default the ID is derived from the statement itself (actor, verb, object, timestamp, result), so sending the same statement again never stores it twice.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: 'en-US',
				description: 'Language of the names (and context.language)',
				displayOptions: { show: rootFieldsMode },
			},
			{
				displayName: 'Learner Name',
				name: 'learnerName',
				type: 'string',
				default: '',
				displayOptions: { show: rootFieldsMode },
			},
			{
				displayName: 'Platform',
				name: 'platform',
				type: 'string',
				default: '',
				placeholder: 'e.g. Acme LMS',
				displayOptions: { show: rootFieldsMode },
			},
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'string',
				default: '',
				description: 'A UUID tying statements of one attempt together',
				displayOptions: { show: rootFieldsMode },
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
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 1, maxValue: 500 },
				description:
					'Statements sent per request. Fewer requests count less against the per-minute limit.',
			},
			{
				displayName: 'Statements Path',
				name: 'statementsPath',
				type: 'string',
				default: '/xAPI/statements',
				description:
					'Path of the statements resource on the API host. Degreed documents GET /xAPI/statements; POST to the same path is assumed.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['xapiStatement'], operation: ['send'] } },
	properties,
);

const blank = (v: unknown) => v === undefined || v === null || v === '';

function parseStatements(ctx: IExecuteFunctions, value: unknown, itemIndex: number): IDataObject[] {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw inputError(
				ctx.getNode(),
				`"Statement (JSON)" is not valid JSON (${(error as Error).message})`,
				{ itemIndex, description: 'Nothing was sent for this item.' },
			);
		}
	}
	const list = Array.isArray(parsed) ? parsed : [parsed];
	if (!list.length || list.some((s) => !s || typeof s !== 'object' || Array.isArray(s))) {
		throw inputError(
			ctx.getNode(),
			'"Statement (JSON)" must be a statement object or an array of statement objects',
			{ itemIndex },
		);
	}
	return list as IDataObject[];
}

/** The item's statements, validated (xAPI 1.0.3 rules) and given their deterministic IDs. */
function prepareStatements(ctx: IExecuteFunctions, i: number): IDataObject[] {
	const mode = ctx.getNodeParameter('mode', i, 'fields') as string;
	const additional = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const key = blank(additional.idempotencyKey) ? undefined : String(additional.idempotencyKey);
	let statements: IDataObject[];
	if (mode === 'item') {
		statements = [(ctx.getInputData()[i]?.json ?? {}) as IDataObject];
	} else if (mode === 'json') {
		statements = parseStatements(ctx, ctx.getNodeParameter('statementJson', i), i);
	} else {
		const result = ctx.getNodeParameter('result', i, {}) as IDataObject;
		const fields: SimpleStatementFields = {
			actorType: ctx.getNodeParameter('actorType', i, 'email') as 'email' | 'account',
			learnerEmail: ctx.getNodeParameter('learnerEmail', i, '') as string,
			accountHomePage: ctx.getNodeParameter('accountHomePage', i, '') as string,
			accountName: ctx.getNodeParameter('accountName', i, '') as string,
			verb: ctx.getNodeParameter('verb', i, 'completed') as string,
			customVerbIri: ctx.getNodeParameter('customVerbIri', i, '') as string,
			activityId: ctx.getNodeParameter('activityId', i, '') as string,
			activityName: ctx.getNodeParameter('activityName', i, '') as string,
			timestamp: ctx.getNodeParameter('timestamp', i, '') as string,
			learnerName: additional.learnerName as string,
			activityDescription: additional.activityDescription as string,
			activityType: additional.activityType as string,
			language: additional.language as string,
			registration: additional.registration as string,
			platform: additional.platform as string,
			completion: result.completion as boolean | undefined,
			success: result.success as boolean | undefined,
			scoreScaled: result.scoreScaled as number | undefined,
			scoreRaw: result.scoreRaw as number | undefined,
			scoreMin: result.scoreMin as number | undefined,
			scoreMax: result.scoreMax as number | undefined,
			duration: result.duration as string | undefined,
		};
		statements = [buildStatement(fields)];
	}
	// A statement is a fact: same actor, verb, object and time is the same statement. Without a time
	// its content-derived id would make a later, real repeat (the course completed again) look like
	// a resend and vanish; so it gets the time of this send, which is what xAPI says an LRS assumes
	// (timestamp = stored) anyway. Taken once, before the transport's retries: a resend keeps the id.
	const sentAt = normalizeTimestamp(new Date().toISOString());
	return statements.map((statement, n) => {
		const s: IDataObject = { ...statement };
		if (typeof s.timestamp === 'string') s.timestamp = normalizeTimestamp(s.timestamp);
		if (blank(s.id) && key === undefined && blank(s.timestamp)) s.timestamp = sentAt;
		if (blank(s.id))
			s.id = statementIdFor(
				s,
				key === undefined ? undefined : statements.length > 1 ? `${key}#${n}` : key,
			);
		// Hook (performance): the common statement shapes are checked by hand; zod for the rest and for the message.
		if (!isCommonValidStatement(s))
			validateInput(ctx.getNode(), statementSchema, s, { itemIndex: i, label: 'statement' });
		return s;
	});
}

/** Statements go to the LRS many per request (an xAPI statements POST takes a list). */
export function batch(this: IExecuteFunctions, client: DegreedClient): Batch<IDataObject[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const url = statementsUrl(this.getNode(), client, options.statementsPath);
	return {
		size: Math.max(1, Number(options.batchSize ?? 50)),
		prepare: (i) => prepareStatements(this, i),
		send: async (entries) => {
			const statements = entries.flatMap((entry) => entry.payload);
			await client.api.request({
				method: 'POST',
				url,
				body: statements.length === 1 ? statements[0] : statements,
				headers: xapiHeaders,
				// Every statement carries its own deterministic ID: a resend cannot store it twice.
				idempotent: true,
				itemIndex: entries[0].itemIndex,
			});
			return entries.map((entry) => entry.payload);
		},
	};
}
