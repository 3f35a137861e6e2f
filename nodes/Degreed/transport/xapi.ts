import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { IRI_PATTERN, uuidV5 } from '../../shared/xapi';

/** Namespace of this package's statement ids (UUID v5). Never change it: ids must stay stable across versions. */
const STATEMENT_ID_NAMESPACE = '6f1d3c2a-8b4e-5f7a-9c0d-2e4b6a8c0d1e';

/** JSON with keys sorted at every level, so equal statements give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value as object)
			.filter((k) => (value as IDataObject)[k] !== undefined)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as IDataObject)[k])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * The statement's `id`, derived from the item: from the user's idempotency key when one is given,
 * else from the statement's own content (without `id`). Re-running the same item gives the same id,
 * so a retry or a re-run cannot store the statement twice.
 */
export function statementIdFor(statement: IDataObject, idempotencyKey?: string): string {
	if (idempotencyKey) return uuidV5(`key:${idempotencyKey}`, STATEMENT_ID_NAMESPACE);
	const content: IDataObject = { ...statement };
	delete content.id;
	return uuidV5(`statement:${canonicalJson(content)}`, STATEMENT_ID_NAMESPACE);
}

// ---- validation (xAPI 1.0.3 statement rules, the subset an LRS enforces) -------------------------

const IRI = z
	.string()
	.regex(IRI_PATTERN, 'must be an absolute IRI such as https://example.com/activities/1');
const UUID = z
	.string()
	.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'must be a UUID');
const MAILTO = z
	.string()
	.regex(
		/^mailto:[A-Z0-9.`'_%+-]+@[A-Z0-9.-]+\.[A-Z]{1,63}$/i,
		'must be "mailto:" followed by an email address',
	);
const LANGUAGE = /^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$/;
const LANGUAGE_MAP = z
	.record(z.string().regex(LANGUAGE, 'must be a language tag such as en-US'), z.string())
	.refine(
		(m) => Object.keys(m).every((k) => LANGUAGE.test(k)),
		'keys must be language tags such as en-US',
	);
const EXTENSIONS = z
	.record(z.unknown())
	.refine((m) => Object.keys(m).every((k) => IRI_PATTERN.test(k)), 'extension keys must be IRIs');
const TIMESTAMP = z
	.string()
	.regex(
		/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/,
		'must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T10:00:00Z',
	)
	.refine((v) => !Number.isNaN(Date.parse(v)), 'must be a real date');
const DURATION = z
	.string()
	.regex(
		/^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+[DW])?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
		'must be an ISO 8601 duration such as PT30M',
	);

const account = z.object({ homePage: IRI, name: z.string().min(1) }).strict();
const agentFields = {
	name: z.string().optional(),
	mbox: MAILTO.optional(),
	mbox_sha1sum: z
		.string()
		.regex(/^[0-9a-f]{40}$/i, 'must be 40 hex characters')
		.optional(),
	openid: IRI.optional(),
	account: account.optional(),
};
const ifiCount = (a: {
	mbox?: unknown;
	mbox_sha1sum?: unknown;
	openid?: unknown;
	account?: unknown;
}) => [a.mbox, a.mbox_sha1sum, a.openid, a.account].filter((v) => v !== undefined).length;
const agent = z
	.object({ objectType: z.literal('Agent').optional(), ...agentFields })
	.strict()
	.refine(
		(a) => ifiCount(a) === 1,
		'an agent needs exactly one identifier: mbox, mbox_sha1sum, openid or account',
	);
const group = z
	.object({ objectType: z.literal('Group'), ...agentFields, member: z.array(agent).optional() })
	.strict()
	.refine(
		(g) => ifiCount(g) <= 1 && (ifiCount(g) === 1 || (g.member?.length ?? 0) > 0),
		'a group needs one identifier, or members when anonymous',
	);
const actor = z.union([agent, group]);

const verb = z.object({ id: IRI, display: LANGUAGE_MAP.optional() }).strict();
const interactionComponent = z
	.object({ id: z.string().min(1), description: LANGUAGE_MAP.optional() })
	.strict();
const definition = z
	.object({
		name: LANGUAGE_MAP.optional(),
		description: LANGUAGE_MAP.optional(),
		type: IRI.optional(),
		moreInfo: IRI.optional(),
		extensions: EXTENSIONS.optional(),
		interactionType: z
			.enum([
				'true-false',
				'choice',
				'fill-in',
				'long-fill-in',
				'matching',
				'performance',
				'sequencing',
				'likert',
				'numeric',
				'other',
			])
			.optional(),
		correctResponsesPattern: z.array(z.string()).optional(),
		choices: z.array(interactionComponent).optional(),
		scale: z.array(interactionComponent).optional(),
		source: z.array(interactionComponent).optional(),
		target: z.array(interactionComponent).optional(),
		steps: z.array(interactionComponent).optional(),
	})
	.strict();
const activity = z
	.object({
		objectType: z.literal('Activity').optional(),
		id: IRI,
		definition: definition.optional(),
	})
	.strict();
const statementRef = z.object({ objectType: z.literal('StatementRef'), id: UUID }).strict();
const score = z
	.object({
		scaled: z.number().min(-1).max(1).optional(),
		raw: z.number().optional(),
		min: z.number().optional(),
		max: z.number().optional(),
	})
	.strict()
	.refine(
		(s) => s.min === undefined || s.max === undefined || s.min <= s.max,
		'score.min must not exceed score.max',
	)
	.refine(
		(s) =>
			s.raw === undefined ||
			((s.min === undefined || s.raw >= s.min) && (s.max === undefined || s.raw <= s.max)),
		'score.raw must lie between score.min and score.max',
	);
const result = z
	.object({
		score: score.optional(),
		success: z.boolean().optional(),
		completion: z.boolean().optional(),
		response: z.string().optional(),
		duration: DURATION.optional(),
		extensions: EXTENSIONS.optional(),
	})
	.strict();
const contextActivities = z
	.object({
		parent: z.union([activity, z.array(activity)]).optional(),
		grouping: z.union([activity, z.array(activity)]).optional(),
		category: z.union([activity, z.array(activity)]).optional(),
		other: z.union([activity, z.array(activity)]).optional(),
	})
	.strict();
const context = z
	.object({
		registration: UUID.optional(),
		instructor: actor.optional(),
		team: group.optional(),
		contextActivities: contextActivities.optional(),
		revision: z.string().optional(),
		platform: z.string().optional(),
		language: z.string().regex(LANGUAGE, 'must be a language tag such as en-US').optional(),
		statement: statementRef.optional(),
		extensions: EXTENSIONS.optional(),
	})
	.strict();

const baseStatement = {
	actor,
	verb,
	result: result.optional(),
	context: context.optional(),
	timestamp: TIMESTAMP.optional(),
	attachments: z.array(z.unknown()).optional(),
};
const subStatement = z
	.object({
		objectType: z.literal('SubStatement'),
		...baseStatement,
		object: z.union([activity, statementRef, agent, group]),
	})
	.strict();

const objectSchema = z.union([activity, statementRef, subStatement, agent, group]);

/** An xAPI statement as this node sends it: validated before anything goes out. */
export const statementSchema = z
	.object({
		id: UUID.optional(),
		...baseStatement,
		object: objectSchema,
		version: z
			.string()
			.regex(/^1\.0(\.\d+)?$/, 'must be 1.0.x')
			.optional(),
		stored: z.string().optional(),
		authority: z.unknown().optional(),
	})
	.strict()
	.superRefine((s, ctx) => {
		const isActivity = !('objectType' in s.object) || s.object.objectType === 'Activity';
		if (!isActivity && s.context?.revision !== undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['context', 'revision'],
				message: 'is only allowed when the object is an activity',
			});
		if (!isActivity && s.context?.platform !== undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['context', 'platform'],
				message: 'is only allowed when the object is an activity',
			});
		if (
			s.verb.id === 'http://adlnet.gov/expapi/verbs/voided' &&
			!(s.object as { objectType?: string }).objectType?.startsWith('StatementRef')
		) {
			ctx.addIssue({
				code: 'custom',
				path: ['object'],
				message: 'a voiding statement needs a StatementRef object',
			});
		}
	});

export type XapiStatement = z.infer<typeof statementSchema>;

// ---- building from simple fields ---------------------------------------------------------------

/** Common ADL verbs offered in the node (a custom IRI is always possible). */
const ADL_VERBS = [
	'completed',
	'passed',
	'failed',
	'attempted',
	'experienced',
	'attended',
	'launched',
	'initialized',
	'progressed',
	'scored',
	'answered',
	'registered',
	'terminated',
] as const;

export const verbIri = (verb: string) =>
	(ADL_VERBS as readonly string[]).includes(verb) ? `http://adlnet.gov/expapi/verbs/${verb}` : verb;
const verbName = (iri: string) => iri.replace(/\/+$/, '').split(/[/#]/).pop() ?? iri;

export interface SimpleStatementFields {
	actorType: 'email' | 'account';
	learnerEmail?: string;
	accountHomePage?: string;
	accountName?: string;
	learnerName?: string;
	verb: string;
	customVerbIri?: string;
	activityId: string;
	activityName?: string;
	activityDescription?: string;
	activityType?: string;
	language?: string;
	timestamp?: string;
	completion?: boolean;
	success?: boolean;
	scoreScaled?: number;
	scoreRaw?: number;
	scoreMin?: number;
	scoreMax?: number;
	duration?: string;
	registration?: string;
	platform?: string;
}

const filled = (v: unknown) => v !== undefined && v !== null && v !== '';

/** A statement from the node's simple fields. Nothing is invented (no timestamp "now"): same item, same statement. */
export function buildStatement(f: SimpleStatementFields): IDataObject {
	const lang = f.language || 'en-US';
	const actorObj: IDataObject = { objectType: 'Agent' };
	if (filled(f.learnerName)) actorObj.name = f.learnerName;
	if (f.actorType === 'account')
		actorObj.account = { homePage: f.accountHomePage, name: f.accountName };
	else
		actorObj.mbox = String(f.learnerEmail ?? '').startsWith('mailto:')
			? f.learnerEmail
			: `mailto:${String(f.learnerEmail ?? '').trim()}`;

	const id = f.verb === 'custom' ? String(f.customVerbIri ?? '') : verbIri(f.verb);
	const statement: IDataObject = {
		actor: actorObj,
		verb: { id, display: { [lang]: verbName(id) } },
	};

	const def: IDataObject = {};
	if (filled(f.activityName)) def.name = { [lang]: f.activityName };
	if (filled(f.activityDescription)) def.description = { [lang]: f.activityDescription };
	if (filled(f.activityType)) def.type = f.activityType;
	statement.object = {
		objectType: 'Activity',
		id: f.activityId,
		...(Object.keys(def).length ? { definition: def } : {}),
	};

	const res: IDataObject = {};
	const sc: IDataObject = {};
	if (filled(f.scoreScaled)) sc.scaled = Number(f.scoreScaled);
	if (filled(f.scoreRaw)) sc.raw = Number(f.scoreRaw);
	if (filled(f.scoreMin)) sc.min = Number(f.scoreMin);
	if (filled(f.scoreMax)) sc.max = Number(f.scoreMax);
	if (Object.keys(sc).length) res.score = sc;
	if (typeof f.completion === 'boolean') res.completion = f.completion;
	if (typeof f.success === 'boolean') res.success = f.success;
	if (filled(f.duration)) res.duration = f.duration;
	if (Object.keys(res).length) statement.result = res;

	const ctx: IDataObject = {};
	if (filled(f.registration)) ctx.registration = f.registration;
	if (filled(f.platform)) ctx.platform = f.platform;
	if (filled(f.language)) ctx.language = f.language;
	if (Object.keys(ctx).length) statement.context = ctx;

	if (filled(f.timestamp)) statement.timestamp = normalizeTimestamp(String(f.timestamp));
	return statement;
}

/** n8n date pickers give "2026-05-01T10:00:00" (no zone) or ISO with zone: xAPI needs a zone, so UTC is assumed. */
export function normalizeTimestamp(value: string): string {
	const text = value.trim();
	if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return text;
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00Z`;
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return `${text}Z`;
	return text;
}
