// Degreed API v2 emulator (reference: /work/shared/reference/providers.md §3 and
// sources/degreed-authentication.txt).
//
// Hosts, one pair per data center (a token is only valid on the API host of the data center that
// issued it, as with real regional deployments):
//   'oauth' / 'api' (US), 'eu-oauth' / 'eu-api', 'ca-oauth' / 'ca-api'
// Token host:
//   POST /oauth/token    form-encoded only; grant_type=client_credentials; client_id/client_secret in the
//                        body (documented) or HTTP Basic; scope required, comma-delimited (whitespace around
//                        commas tolerated, a space-separated list is one unknown scope); a scope the key
//                        lacks → 403 {error:'invalid_scope', error_description names the scopes}; tokens
//                        live 300 s by default (Degreed's documented default).
//   POST /oauth/logout   Bearer token: expires it at once.
// API host (Bearer; JSON:API bodies; kebab-case attributes; X-Rate-Limit-Limit/-Remaining/-Reset on every
// response; per-client fixed window, default 70/min, 429 with Retry-After and the documented errors[] body):
//   GET    /api/v2/users [filter[<attr>]], /api/v2/users/:id, /api/v2/users/:id/completions      users:read / completions:read
//   GET    /api/v2/content [filter[modified_after|modified_before|include_restricted|external_id]]   content:read
//   GET    /api/v2/content/:kind (same filters), /api/v2/content/:id, /api/v2/content/:kind/:id        content:read
//   POST   /api/v2/content/:kind      409 when external-id or url is taken                          content:write
//   PATCH  /api/v2/content/:kind/:id, DELETE /api/v2/content/:kind/:id                               content:write
//   POST   /api/v2/completions        409 for the same user, content and completed-at (a duplicate)   completions:write
//                            (option duplicateCompletions 'create': no deduplication, every POST creates)
//   GET    /api/v2/completions [filter[start_date], filter[end_date] on completed-at, yyyy-mm-dd]     completions:read
//   GET/PATCH/DELETE /api/v2/completions/:id                                                        completions:read/write
//   GET    /xAPI/statements  limit, since, until, verb, ascending; `more` link                       xapi:read|write|all
//   POST   /xAPI/statements  one statement or an array; every one must pass @learninglocker/xapi-validation
//                            (else 400, nothing stored); a known id with the same content is a no-op,
//                            with other content 409                                                  xapi:write|all
// Lists: `limit` (1–1000, default 100) and an opaque cursor in links.next (`?next=`); the result set is
// snapshotted on the first request and the cursor expires after 2 minutes without a next call (410 Gone).
// Errors: {errors:[{id, code, status, title, detail, source?}]}.
// Ledger kinds (provider 'degreed'): 'content' (key external-id; PATCH and 409 re-creates are updates),
// 'completion' (key "<user id>|<content id>|<completed-at ISO>"; with duplicateCompletions 'create' a
// second create of the same key is recorded as a write again, i.e. a duplicate), 'statement' (key statement id; a same-content re-send is an update).
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { basicAuth, isJson, mediaType } from '../http-helpers';
import type { InsertRecord, ProviderContext, SandboxProvider, TokenGrant } from '../types';
import { insertTime } from '../types';

const validateStatement: (statement: unknown) => Array<{ path?: unknown; message?: string }> =
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('@learninglocker/xapi-validation').default;

/** The demo learners: first name, last name, email, employee id (user ids U1… in this order). */
const DEMO_PEOPLE = [
	['Jane', 'Doe', 'jane.doe@acme.example', 'E1001'],
	['Omar', 'Haddad', 'omar.haddad@acme.example', 'E1002'],
	['Li', 'Wei', 'li.wei@acme.example', 'E1003'],
	['Ana', 'Souza', 'ana.souza@acme.example', 'E1004'],
	['Kofi', 'Mensah', 'kofi.mensah@acme.example', 'E1005'],
	['Sara', 'Lind', 'sara.lind@acme.example', 'E1006'],
];

/** The demo learners' emails, the identifier tests write completions for. */
export const DEGREED_DEMO_LEARNERS = DEMO_PEOPLE.map(([, , email]) => email);

export const DEGREED_DEMO = {
	clientId: 'sandbox-degreed-client',
	clientSecret: 'sandbox-degreed-secret',
	/** every scope the node's operations use */
	scopes: [
		'users:read',
		'content:read',
		'content:write',
		'completions:read',
		'completions:write',
		'xapi:read',
		'xapi:write',
	],
	/** a provider key with read-only content access, for 403 tests */
	limitedClientId: 'sandbox-degreed-content-reader',
	limitedClientSecret: 'sandbox-degreed-content-reader-secret',
	limitedScopes: ['content:read'],
	tokenLifetimeSeconds: 300,
	requestsPerMinute: 70,
} as const;

export const DEGREED_DOCUMENTED_SCOPES = new Set(
	'users:read users:write content:read content:write completions:read completions:write required_learning:read required_learning:write groups:read groups:write pathways:read pathways:write recommendations:read views:read search_terms:read skill_plans:read skill_plans:write skill:read skill:write logins:read providers:read provider_users:read provider_users:write user_skills:read user_skills:write skill_ratings:read skill_ratings:write todays_learning:read xapi:read xapi:write xapi:all bundles:read bundles:write shared_items:read shared_items:write accomplishments:read accomplishments:write opportunity:read opportunity:write certificates:read certificates:write custom_attribute:read custom_attribute:write user_badges:read user_badges:write self_enrolled_learning:read self_enrolled_learning:write experiences:read experiences:write awards:read awards:write degrees:read degrees:write job_roles:read job_roles:write'.split(
		' ',
	),
);

export const DEGREED_CONTENT_KINDS = [
	'articles',
	'books',
	'videos',
	'courses',
	'podcasts',
	'assessments',
	'events',
] as const;
const KIND_LABEL: Record<string, string> = {
	articles: 'Article',
	books: 'Book',
	videos: 'Video',
	courses: 'Course',
	podcasts: 'Podcast',
	assessments: 'Assessment',
	events: 'Event',
};

/**
 * The package's Degreed credential (`degreedApi`) pointed at this emulator with the demo key and
 * every scope: what tests, the demo and the benchmarks store. Callers add what they vary.
 */
export function degreedSandboxCredential(sandbox: {
	urlFor(provider: string, host: string): string;
}) {
	return {
		environment: 'custom',
		tokenBaseUrl: sandbox.urlFor('degreed', 'oauth'),
		apiBaseUrl: sandbox.urlFor('degreed', 'api'),
		clientId: DEGREED_DEMO.clientId,
		clientSecret: DEGREED_DEMO.clientSecret,
		scopes: [...DEGREED_DEMO.scopes],
		extraScopes: '',
		clientAuthentication: 'body',
	};
}

type Attrs = Record<string, unknown>;
interface Rec {
	id: string;
	attributes: Attrs;
}
interface ContentRec extends Rec {
	kind: string;
}
interface Cursor {
	ids: string[];
	pos: number;
	limit: number;
	lastUsed: number;
	/** path (inside the host) the next link points at */
	path: string;
	kind: 'users' | 'content' | 'completions' | 'statements';
}
export interface DegreedClientConfig {
	clientId: string;
	clientSecret: string;
	scopes: string[];
	tokenLifetimeSeconds?: number;
}
export interface DegreedEmulatorOptions {
	/** per API client and window; 0 turns the limit off (default 70) */
	requestsPerMinute?: number;
	/** the rate-limit window in ms (default 60 000): tests may shorten it */
	windowMs?: number;
	/** idle time after which a paging cursor expires (default 120 000 ms) */
	cursorTtlMs?: number;
	/** token lifetime for the demo clients (default 300 s) */
	tokenLifetimeSeconds?: number;
	/** seed the demo users, content, completions and statements (default true) */
	demoData?: boolean;
	/**
	 * A completion POST for a user, content and completed-at that already has one: 'conflict' (default)
	 * answers 409 as Degreed's error codes document for duplicates; 'create' stores a second record.
	 */
	duplicateCompletions?: 'conflict' | 'create';
}
/** What `seed(data)` accepts (all optional). */
export interface DegreedSeed {
	clients?: DegreedClientConfig[];
	users?: Array<{ id?: string } & Attrs>;
	content?: Array<{ id?: string; kind: string } & Attrs>;
	completions?: Array<{ id?: string } & Attrs>;
	rateLimit?: { requestsPerMinute?: number; windowMs?: number };
	cursorTtlMs?: number;
	tokenLifetimeSeconds?: number;
}

// Degreed's timestamps have no milliseconds. Called several times per write: no regex, and the last
// answer is kept (records written in the same millisecond share their 'added-at').
let lastIsoMs = NaN;
let lastIso = '';
const iso = (ms: number) => {
	if (ms === lastIsoMs) return lastIso;
	const s = new Date(ms).toISOString();
	lastIsoMs = ms;
	lastIso = s.length === 24 ? `${s.slice(0, 19)}Z` : s.replace(/\.\d{3}Z$/, 'Z');
	return lastIso;
};
const completionKey = (rec: Rec) =>
	`${String(rec.attributes['user-id'])}|${String(rec.attributes['content-id'])}|${String(rec.attributes['completed-at'])}`;
const lower = (v: unknown) =>
	String(v ?? '')
		.trim()
		.toLowerCase();
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value as object)
			.filter((k) => (value as Attrs)[k] !== undefined)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((value as Attrs)[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * Finds records by a field's lowercased value without scanning them all: value → id, per field. Every hit
 * is checked against the record itself and a miss rebuilds the field's index from the records, so an
 * index gone stale (records added, changed or deleted anywhere) never answers wrongly; the first record
 * in insertion order wins, as with a scan. Writes at benchmark sizes stay O(1) instead of O(records).
 */
class LookupIndex<T extends Rec> {
	private readonly fields = new Map<string, Map<string, string>>();

	constructor(
		private readonly records: Map<string, T>,
		private readonly valueOf: (record: T, field: string) => string,
	) {}

	find(field: string, value: string): T | undefined {
		return this.hit(field, value) ?? (this.rebuild(field), this.hit(field, value));
	}

	private hit(field: string, value: string): T | undefined {
		const id = this.fields.get(field)?.get(value);
		const rec = id === undefined ? undefined : this.records.get(id);
		return rec && this.valueOf(rec, field) === value ? rec : undefined;
	}

	private rebuild(field: string): void {
		const index = new Map<string, string>();
		for (const r of this.records.values()) {
			const v = this.valueOf(r, field);
			if (!index.has(v)) index.set(v, r.id);
		}
		this.fields.set(field, index);
	}
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly source?: string,
	) {
		super(message);
	}
}

export class DegreedEmulator implements SandboxProvider {
	readonly name = 'degreed';
	readonly hosts = ['oauth', 'api', 'eu-oauth', 'eu-api', 'ca-oauth', 'ca-api'];
	readonly demo = {
		client_id: DEGREED_DEMO.clientId,
		client_secret: DEGREED_DEMO.clientSecret,
		scope: DEGREED_DEMO.scopes.join(','),
	};

	private ctx!: ProviderContext;
	private clients = new Map<string, DegreedClientConfig>();
	readonly users = new Map<string, Rec>();
	readonly content = new Map<string, ContentRec>();
	readonly completions = new Map<string, Rec>();
	/** "<user id>|<content id>|<completed-at>" → completion id, checked against the record on use */
	private readonly completionByKey = new Map<string, string>();
	duplicateCompletions: 'conflict' | 'create' = 'conflict';
	readonly statements = new Map<string, { statement: Attrs; stored: number; canonical: string }>();
	private cursors = new Map<string, Cursor>();
	private readonly userIndex = new LookupIndex(this.users, (u, field) =>
		field === 'id' ? lower(u.id) : lower(u.attributes[field]),
	);
	private readonly contentIndex = new LookupIndex(this.content, (c, field) =>
		field === 'id' ? lower(c.id) : lower(c.attributes[field]),
	);
	private requestsPerMinute: number;
	private windowMs: number;
	private cursorTtlMs: number;
	private tokenLifetimeSeconds: number;
	private seq = 0;
	/** requests answered 429 by the emulator's own limit (not injected faults) */
	rateLimited = 0;
	/** cursors refused because they expired */
	expiredCursors = 0;
	/** API requests received since reset (token host excluded) */
	apiRequests = 0;
	/**
	 * Test hook, called at the start of every API request with its number (1-based) and path, before
	 * the token is checked: lets a test expire tokens or move the clock at an exact point of a run.
	 */
	onApiRequest?: (count: number, path: string) => void;

	constructor(private readonly options: DegreedEmulatorOptions = {}) {
		this.requestsPerMinute = options.requestsPerMinute ?? DEGREED_DEMO.requestsPerMinute;
		this.windowMs = options.windowMs ?? 60_000;
		this.cursorTtlMs = options.cursorTtlMs ?? 120_000;
		this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEGREED_DEMO.tokenLifetimeSeconds;
	}

	/**
	 * Changes the rate limit, cursor lifetime or token lifetime at run time (tests, benchmarks). The limit
	 * as `requestsPerMinute` / `windowMs` or nested as `rateLimit: { requestsPerMinute, windowMs }` (as in
	 * seed data); `requestsPerMinute` is per window, per API client; 0 turns the limit off.
	 */
	configure(settings: {
		requestsPerMinute?: number;
		windowMs?: number;
		rateLimit?: { requestsPerMinute?: number; windowMs?: number };
		cursorTtlMs?: number;
		tokenLifetimeSeconds?: number;
	}): void {
		const requestsPerMinute = settings.rateLimit?.requestsPerMinute ?? settings.requestsPerMinute;
		const windowMs = settings.rateLimit?.windowMs ?? settings.windowMs;
		if (
			requestsPerMinute !== undefined &&
			!(Number.isInteger(requestsPerMinute) && requestsPerMinute >= 0)
		)
			throw new Error('requestsPerMinute must be an integer >= 0');
		if (windowMs !== undefined && !(windowMs > 0)) throw new Error('windowMs must be > 0');
		if (requestsPerMinute !== undefined) this.requestsPerMinute = requestsPerMinute;
		if (windowMs !== undefined) this.windowMs = windowMs;
		if (settings.cursorTtlMs !== undefined) this.cursorTtlMs = settings.cursorTtlMs;
		if (settings.tokenLifetimeSeconds !== undefined) {
			this.tokenLifetimeSeconds = settings.tokenLifetimeSeconds;
			for (const c of this.clients.values()) c.tokenLifetimeSeconds = settings.tokenLifetimeSeconds;
		}
	}

	register(host: string, app: FastifyInstance, ctx: ProviderContext): void {
		this.ctx = ctx;
		if (!this.clients.size) this.reset();
		const region = host.includes('-') ? host.split('-')[0] : 'us';
		if (host.endsWith('oauth')) this.registerOAuth(app, region);
		else this.registerApi(app, region);
	}

	/** kinds 'statement' (stored at `at`) and 'completion' (completed-at `at`) of the demo users and content. */
	insert(kind: string, records: InsertRecord[]): string[] {
		const users = [...this.users.values()];
		const content = [...this.content.values()];
		return records.map((r, i) => {
			const at = insertTime(r, this.now());
			if (kind === 'statement') {
				const id = r.id ?? this.ctx.rng.uuid();
				const statement = {
					id,
					actor: {
						objectType: 'Agent',
						mbox: `mailto:${String(users[i % users.length]?.attributes.email ?? 'learner@acme.example')}`,
					},
					verb: {
						id: 'http://adlnet.gov/expapi/verbs/completed',
						display: { 'en-US': 'completed' },
					},
					object: { objectType: 'Activity', id: `https://learn.acme.example/inserted/${id}` },
					timestamp: iso(at),
				};
				this.statements.set(id, {
					statement: { ...statement, stored: iso(at), version: '1.0.0' },
					stored: at,
					canonical: canonical(statement),
				});
				return id;
			}
			if (kind === 'completion') {
				const user = users[i % users.length];
				const item = content[i % content.length];
				const rec: Rec = {
					id: r.id ?? this.newId('k'),
					attributes: {
						'user-id': user.id,
						'employee-id': user.attributes['employee-id'],
						email: user.attributes.email,
						'content-id': item.id,
						'content-type': item.attributes['content-type'],
						'completed-at': iso(at),
						percentile: null,
						'is-verified': false,
						'added-at': iso(this.now()),
					},
				};
				this.completions.set(rec.id, rec);
				return rec.id;
			}
			throw new Error(`Degreed inserts 'statement' or 'completion' records (got '${kind}')`);
		});
	}

	reset(): void {
		this.clients.clear();
		this.users.clear();
		this.content.clear();
		this.completions.clear();
		this.completionByKey.clear();
		this.duplicateCompletions = this.options.duplicateCompletions ?? 'conflict';
		this.statements.clear();
		this.cursors.clear();
		this.seq = 0;
		this.rateLimited = 0;
		this.expiredCursors = 0;
		this.apiRequests = 0;
		this.onApiRequest = undefined;
		this.requestsPerMinute = this.options.requestsPerMinute ?? DEGREED_DEMO.requestsPerMinute;
		this.windowMs = this.options.windowMs ?? 60_000;
		this.cursorTtlMs = this.options.cursorTtlMs ?? 120_000;
		this.tokenLifetimeSeconds =
			this.options.tokenLifetimeSeconds ?? DEGREED_DEMO.tokenLifetimeSeconds;
		this.clients.set(DEGREED_DEMO.clientId, {
			clientId: DEGREED_DEMO.clientId,
			clientSecret: DEGREED_DEMO.clientSecret,
			scopes: [...DEGREED_DEMO.scopes],
		});
		this.clients.set(DEGREED_DEMO.limitedClientId, {
			clientId: DEGREED_DEMO.limitedClientId,
			clientSecret: DEGREED_DEMO.limitedClientSecret,
			scopes: [...DEGREED_DEMO.limitedScopes],
		});
		if (this.options.demoData !== false) this.seedDemo();
	}

	seed(data: unknown): void {
		const d = (data ?? {}) as DegreedSeed;
		for (const c of d.clients ?? []) {
			if (!c.clientId || !c.clientSecret || !Array.isArray(c.scopes))
				throw new Error('a client needs clientId, clientSecret and scopes[]');
			this.clients.set(c.clientId, { ...c });
		}
		for (const u of d.users ?? []) {
			const { id, ...attributes } = u;
			const rec = {
				id: id ?? this.newId('u'),
				attributes: { 'created-at': iso(this.now()), ...attributes },
			};
			this.users.set(rec.id, rec);
		}
		for (const c of d.content ?? []) {
			const { id, kind, ...attributes } = c;
			if (!DEGREED_CONTENT_KINDS.includes(kind as never))
				throw new Error(`unknown content kind "${kind}"`);
			const rec: ContentRec = {
				id: id ?? this.newId('c'),
				kind,
				attributes: {
					'content-type': KIND_LABEL[kind],
					'created-at': iso(this.now()),
					'modified-at': iso(this.now()),
					...attributes,
				},
			};
			this.content.set(rec.id, rec);
		}
		for (const c of d.completions ?? []) {
			const { id, ...attributes } = c;
			const rec = { id: id ?? this.newId('k'), attributes };
			this.completions.set(rec.id, rec);
			this.completionByKey.set(completionKey(rec), rec.id);
		}
		if (d.rateLimit || d.cursorTtlMs !== undefined || d.tokenLifetimeSeconds !== undefined) {
			this.configure({
				...d.rateLimit,
				cursorTtlMs: d.cursorTtlMs,
				tokenLifetimeSeconds: d.tokenLifetimeSeconds,
			});
		}
	}

	errorBody(status: number, message: string): unknown {
		return {
			errors: [
				{
					id: this.ctx?.rng.uuid() ?? '00000000-0000-4000-8000-000000000000',
					code: codeFor(status),
					status,
					title: STATUS_CODES[status] ?? 'Error',
					detail: message,
				},
			],
		};
	}

	// ---- token host --------------------------------------------------------------------------------

	private registerOAuth(app: FastifyInstance, region: string): void {
		app.post('/oauth/token', { config: { tokenEndpoint: true } }, async (req, reply) => {
			const oauthError = (status: number, error: string, description: string) =>
				reply.code(status).send({ error, error_description: description });
			if (mediaType(req) !== 'application/x-www-form-urlencoded')
				return oauthError(
					400,
					'invalid_request',
					'The request must be application/x-www-form-urlencoded.',
				);
			const body = (req.body ?? {}) as Record<string, unknown>;
			if (body.grant_type !== 'client_credentials')
				return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials.');
			const basic = basicAuth(req.headers.authorization);
			const clientId = basic ? decodeURIComponent(basic.user) : String(body.client_id ?? '');
			const secret = basic ? decodeURIComponent(basic.password) : String(body.client_secret ?? '');
			const client = this.clients.get(clientId);
			if (!client || client.clientSecret !== secret)
				return oauthError(401, 'invalid_client', 'Client authentication failed.');
			if (typeof body.scope !== 'string' || !body.scope.trim())
				return oauthError(
					400,
					'invalid_scope',
					'The scope parameter is required (a comma-delimited list).',
				);
			const requested = body.scope
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			const refused = requested.filter(
				(s) => !DEGREED_DOCUMENTED_SCOPES.has(s) || !client.scopes.includes(s),
			);
			if (refused.length)
				return oauthError(
					403,
					'invalid_scope',
					`The API key is not permitted scope(s): ${refused.join(', ')}`,
				);
			const lifetime = client.tokenLifetimeSeconds ?? this.tokenLifetimeSeconds;
			const { accessToken, expiresIn } = this.ctx.tokens.issue({
				clientId,
				scopes: requested,
				lifetimeSeconds: lifetime,
				subject: region,
			});
			return reply.send({
				access_token: accessToken,
				token_type: 'bearer',
				expires_in: expiresIn,
				refresh_token: this.ctx.rng.hex(32),
			});
		});

		app.post('/oauth/logout', async (req, reply) => {
			const auth = this.ctx.tokens.verify(req.headers.authorization);
			if (!auth.ok)
				return reply.code(401).send({
					error: 'invalid_token',
					error_description: `The access token is ${auth.reason}.`,
				});
			this.ctx.tokens.revoke(auth.grant.token);
			return reply.code(200).send({});
		});
	}

	// ---- API host ----------------------------------------------------------------------------------

	/** Auth, rate limit and scope, in that order; sets the X-Rate-Limit-* headers. */
	private guard(
		req: FastifyRequest,
		reply: FastifyReply,
		region: string,
		anyOf: string[],
	): TokenGrant {
		this.apiRequests++;
		this.onApiRequest?.(this.apiRequests, req.sandbox?.path ?? req.url);
		const auth = this.ctx.tokens.verify(req.headers.authorization);
		if (!auth.ok || auth.grant.subject !== region) {
			throw new HttpError(
				401,
				'unauthorized',
				auth.ok
					? 'The access token was issued for another data center.'
					: `The access token is ${auth.reason}.`,
			);
		}
		if (this.requestsPerMinute > 0) {
			const r = this.ctx.rateLimit(auth.grant.clientId, {
				perWindow: this.requestsPerMinute,
				windowMs: this.windowMs,
			});
			const period =
				this.windowMs % 60_000 === 0
					? `${this.windowMs / 60_000}m`
					: `${Math.max(1, Math.round(this.windowMs / 1000))}s`;
			reply.header('X-Rate-Limit-Limit', period);
			reply.header('X-Rate-Limit-Remaining', String(Math.max(0, r.remaining)));
			reply.header('X-Rate-Limit-Reset', new Date(r.resetAt).toISOString());
			if (!r.allowed) {
				this.rateLimited++;
				reply.header('Retry-After', String(r.retryAfterSeconds));
				throw new HttpError(
					429,
					'quota-exceeded',
					`Maximum ${this.requestsPerMinute} requests allowed per ${period}.`,
				);
			}
		}
		if (!anyOf.some((s) => auth.grant.scopes.includes(s)))
			throw new HttpError(
				403,
				'forbidden',
				`The access token lacks the scope ${anyOf.join(' or ')}.`,
			);
		return auth.grant;
	}

	private route(
		app: FastifyInstance,
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
		path: string,
		region: string,
		scopes: string[],
		handler: (req: FastifyRequest, reply: FastifyReply) => unknown,
	): void {
		app.route({
			method,
			url: path,
			handler: async (req, reply) => {
				try {
					this.guard(req, reply, region, scopes);
					if ((method === 'POST' || method === 'PATCH') && !isJson(req))
						throw new HttpError(
							415,
							'unsupported-media-type',
							'Send JSON (application/json or application/vnd.api+json).',
						);
					const out = await handler(req, reply);
					return reply.sent ? reply : reply.send(out);
				} catch (error) {
					if (error instanceof HttpError) {
						const body = {
							errors: [
								{
									id: this.ctx.rng.uuid(),
									code: error.code,
									status: error.status,
									title: STATUS_CODES[error.status] ?? 'Error',
									detail: error.message,
									...(error.source ? { source: error.source } : {}),
								},
							],
						};
						return reply.code(error.status).send(body);
					}
					throw error;
				}
			},
		});
	}

	private registerApi(app: FastifyInstance, region: string): void {
		const r = (
			method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
			path: string,
			scopes: string[],
			handler: (req: FastifyRequest, reply: FastifyReply) => unknown,
		) => this.route(app, method, path, region, scopes, handler);

		// users
		r('GET', '/api/v2/users', ['users:read'], (req) => {
			const q = req.query as Record<string, unknown>;
			return this.list(req, q, 'users', '/api/v2/users', () => {
				const filters = (q.filter ?? {}) as Record<string, unknown>;
				return [...this.users.values()]
					.filter((u) =>
						Object.entries(filters).every(
							([k, v]) => lower(u.attributes[k.replace(/_/g, '-')]) === lower(v),
						),
					)
					.map((u) => u.id);
			});
		});
		r('GET', '/api/v2/users/:id', ['users:read'], (req) => ({
			data: this.userResource(this.mustFind(this.users, (req.params as { id: string }).id, 'user')),
		}));
		r('GET', '/api/v2/users/:id/completions', ['completions:read'], (req) => {
			const id = (req.params as { id: string }).id;
			this.mustFind(this.users, id, 'user');
			const q = req.query as Record<string, unknown>;
			return this.list(
				req,
				q,
				'completions',
				`/api/v2/users/${encodeURIComponent(id)}/completions`,
				() =>
					this.completionIds(q).filter(
						(cid) => this.completions.get(cid)?.attributes['user-id'] === id,
					),
			);
		});

		// content
		const listContent = (req: FastifyRequest, kind?: string) => {
			const q = req.query as Record<string, unknown>;
			const f = (q.filter ?? {}) as Record<string, unknown>;
			for (const key of ['modified_after', 'modified_before'] as const) {
				if (f[key] !== undefined && !DATE.test(String(f[key])))
					throw new HttpError(
						400,
						'bad-request',
						`filter[${key}] must be yyyy-mm-dd.`,
						`filter[${key}]`,
					);
			}
			const path = kind ? `/api/v2/content/${kind}` : '/api/v2/content';
			return this.list(req, q, 'content', path, () =>
				[...this.content.values()]
					.filter((c) => !kind || c.kind === kind)
					.filter((c) => c.attributes.obsolete !== true)
					.filter((c) => f.include_restricted === 'true' || c.attributes['is-restricted'] !== true)
					.filter(
						(c) =>
							f.external_id === undefined ||
							lower(c.attributes['external-id']) === lower(f.external_id),
					)
					.filter(
						(c) =>
							f.modified_after === undefined ||
							String(c.attributes['modified-at']).slice(0, 10) > String(f.modified_after),
					)
					.filter(
						(c) =>
							f.modified_before === undefined ||
							String(c.attributes['modified-at']).slice(0, 10) < String(f.modified_before),
					)
					.map((c) => c.id),
			);
		};
		r('GET', '/api/v2/content', ['content:read'], (req) => listContent(req));
		r('GET', '/api/v2/content/:kindOrId', ['content:read'], (req) => {
			const p = (req.params as { kindOrId: string }).kindOrId;
			if (DEGREED_CONTENT_KINDS.includes(p as never)) return listContent(req, p);
			return { data: this.contentResource(this.mustFind(this.content, p, 'content')) };
		});
		r('GET', '/api/v2/content/:kind/:id', ['content:read'], (req) => {
			const { kind, id } = req.params as { kind: string; id: string };
			const rec = this.mustFind(this.content, id, 'content');
			if (rec.kind !== kind)
				throw new HttpError(404, 'not-found', `No ${kind} content with id ${id}.`);
			return { data: this.contentResource(rec) };
		});
		r('POST', '/api/v2/content/:kind', ['content:write'], (req, reply) => {
			const kind = this.kind(req);
			const attrs = this.attributesOf(req, `content/${kind}`);
			if (typeof attrs.title !== 'string' || !attrs.title.trim())
				throw new HttpError(400, 'bad-request', 'title is required.', 'data.attributes.title');
			const externalId =
				attrs['external-id'] === undefined ? undefined : String(attrs['external-id']);
			this.assertUniqueContent(attrs, undefined);
			const now = iso(this.now());
			const rec: ContentRec = {
				id: this.newId('c'),
				kind,
				attributes: {
					...attrs,
					'content-type': KIND_LABEL[kind],
					'degreed-url': `https://degreed.com/${kind}/${this.seq}`,
					'created-at': now,
					'modified-at': now,
				},
			};
			this.content.set(rec.id, rec);
			this.ctx.ledger.recordWrite(this.name, 'content', externalId ?? rec.id, rec.attributes);
			reply.code(201);
			return { data: this.contentResource(rec) };
		});
		r('PATCH', '/api/v2/content/:kind/:id', ['content:write'], (req) => {
			const { kind, id } = req.params as { kind: string; id: string };
			const rec = this.mustFind(this.content, id, 'content');
			if (rec.kind !== kind)
				throw new HttpError(404, 'not-found', `No ${kind} content with id ${id}.`);
			const data = this.dataOf(req, `content/${kind}`);
			if (data.id !== undefined && String(data.id) !== id)
				throw new HttpError(409, 'conflict', 'data.id does not match the URL.', 'data.id');
			const attrs = (data.attributes ?? {}) as Attrs;
			this.assertUniqueContent(attrs, id);
			Object.assign(rec.attributes, attrs, { 'modified-at': iso(this.now()) });
			this.ctx.ledger.recordUpdate(
				this.name,
				'content',
				String(rec.attributes['external-id'] ?? rec.id),
				rec.attributes,
			);
			return { data: this.contentResource(rec) };
		});
		r('DELETE', '/api/v2/content/:kind/:id', ['content:write'], (req, reply) => {
			const { kind, id } = req.params as { kind: string; id: string };
			const rec = this.mustFind(this.content, id, 'content');
			if (rec.kind !== kind)
				throw new HttpError(404, 'not-found', `No ${kind} content with id ${id}.`);
			this.content.delete(id);
			return reply.code(204).send();
		});

		// completions
		r('POST', '/api/v2/completions', ['completions:write'], (req, reply) => {
			const attrs = this.attributesOf(req, 'completions');
			const user = this.resolveUser(attrs['user-id'], attrs['user-identifier-type']);
			const content = this.resolveContent(attrs['content-id'], attrs['content-id-type']);
			const completedAt = Date.parse(String(attrs['completed-at'] ?? ''));
			if (Number.isNaN(completedAt))
				throw new HttpError(
					400,
					'bad-request',
					'completed-at is required (ISO 8601).',
					'data.attributes.completed-at',
				);
			const percentile = attrs.percentile;
			if (
				percentile !== undefined &&
				(typeof percentile !== 'number' || percentile < 0 || percentile > 100)
			)
				throw new HttpError(
					400,
					'bad-request',
					'percentile must be a number from 0 to 100.',
					'data.attributes.percentile',
				);
			// Degreed's error codes: 409 = a duplicate. The same user, content and completion time is one
			// completion; a re-send of it is refused (unless a test asks for the old accept-everything mode).
			if (this.duplicateCompletions === 'conflict') {
				const key = `${user.id}|${content.id}|${iso(completedAt)}`;
				const same = this.completions.get(this.completionByKey.get(key) ?? '');
				if (same && completionKey(same) === key)
					throw new HttpError(
						409,
						'conflict',
						`A completion of content ${content.id} by user ${user.id} at ${iso(completedAt)} already exists (id ${same.id}).`,
						'data.attributes',
					);
			}
			const rec: Rec = {
				id: this.newId('k'),
				attributes: {
					'user-id': user.id,
					'employee-id': user.attributes['employee-id'],
					email: user.attributes.email,
					'content-id': content.id,
					'external-id': content.attributes['external-id'],
					'content-type': content.attributes['content-type'],
					'completed-at': iso(completedAt),
					percentile: percentile ?? null,
					'is-verified': false,
					'added-at': iso(this.now()),
				},
			};
			this.completions.set(rec.id, rec);
			this.completionByKey.set(completionKey(rec), rec.id);
			// No idempotency key: with duplicateCompletions 'create' a second POST is a second completion, and the ledger shows it.
			this.ctx.ledger.recordWrite(
				this.name,
				'completion',
				`${user.id}|${content.id}|${iso(completedAt)}`,
				rec.attributes,
			);
			reply.code(201);
			return { data: this.completionResource(rec) };
		});
		r('GET', '/api/v2/completions', ['completions:read'], (req) => {
			const q = req.query as Record<string, unknown>;
			return this.list(req, q, 'completions', '/api/v2/completions', () => this.completionIds(q));
		});
		r('GET', '/api/v2/completions/:id', ['completions:read'], (req) => ({
			data: this.completionResource(
				this.mustFind(this.completions, (req.params as { id: string }).id, 'completion'),
			),
		}));
		r('PATCH', '/api/v2/completions/:id', ['completions:write'], (req) => {
			const id = (req.params as { id: string }).id;
			const rec = this.mustFind(this.completions, id, 'completion');
			const data = this.dataOf(req, 'completions');
			if (data.id !== undefined && String(data.id) !== id)
				throw new HttpError(409, 'conflict', 'data.id does not match the URL.', 'data.id');
			const attrs = (data.attributes ?? {}) as Attrs;
			if (attrs['completed-at'] !== undefined) {
				const t = Date.parse(String(attrs['completed-at']));
				if (Number.isNaN(t))
					throw new HttpError(
						400,
						'bad-request',
						'completed-at must be ISO 8601.',
						'data.attributes.completed-at',
					);
				attrs['completed-at'] = iso(t);
			}
			Object.assign(rec.attributes, attrs);
			this.completionByKey.set(completionKey(rec), rec.id);
			this.ctx.ledger.recordUpdate(
				this.name,
				'completion',
				`${rec.attributes['user-id']}|${rec.attributes['content-id']}|${rec.attributes['completed-at']}`,
				rec.attributes,
			);
			return { data: this.completionResource(rec) };
		});
		r('DELETE', '/api/v2/completions/:id', ['completions:write'], (req, reply) => {
			const id = (req.params as { id: string }).id;
			this.mustFind(this.completions, id, 'completion');
			this.completions.delete(id);
			return reply.code(204).send();
		});

		// xAPI (outside /api/v2)
		r('GET', '/xAPI/statements', ['xapi:read', 'xapi:write', 'xapi:all'], (req) =>
			this.listStatements(req),
		);
		r('POST', '/xAPI/statements', ['xapi:write', 'xapi:all'], (req) => this.storeStatements(req));
	}

	// ---- lists and cursors ---------------------------------------------------------------------------

	private list(
		req: FastifyRequest,
		q: Record<string, unknown>,
		kind: Cursor['kind'],
		path: string,
		select: () => string[],
	): unknown {
		const cursor = this.cursorFor(q, kind, path, select);
		const ids = cursor.ids.slice(cursor.pos, cursor.pos + cursor.limit);
		cursor.pos += ids.length;
		const data = ids.map((id) => this.resourceOf(kind, id)).filter(Boolean);
		const base = this.ctx.publicUrl(req);
		const links: Attrs = { self: `${base}${req.url.replace(/^\/degreed\/[^/]+/, '')}` };
		const cursorId = this.cursorIdOf(cursor);
		if (cursor.pos < cursor.ids.length)
			links.next = `${base}${cursor.path}?limit=${cursor.limit}&next=${cursorId}`;
		else this.cursors.delete(cursorId);
		return { links, data };
	}

	private cursorFor(
		q: Record<string, unknown>,
		kind: Cursor['kind'],
		path: string,
		select: () => string[],
	): Cursor {
		const limit = q.limit === undefined ? 100 : Number(q.limit);
		if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
			throw new HttpError(400, 'bad-request', 'limit must be an integer from 1 to 1000.', 'limit');
		if (q.next !== undefined) {
			const cursor = this.cursors.get(String(q.next));
			if (!cursor || cursor.kind !== kind)
				throw new HttpError(
					410,
					'cursor-expired',
					'The paging cursor has expired or is unknown; request the first page again.',
					'next',
				);
			if (this.now() - cursor.lastUsed > this.cursorTtlMs) {
				this.cursors.delete(String(q.next));
				this.expiredCursors++;
				throw new HttpError(
					410,
					'cursor-expired',
					'The paging cursor has expired (no next call for 2 minutes); request the first page again.',
					'next',
				);
			}
			cursor.lastUsed = this.now();
			cursor.limit = limit;
			return cursor;
		}
		const cursor: Cursor = { ids: select(), pos: 0, limit, lastUsed: this.now(), path, kind };
		this.cursors.set(this.ctx.rng.hex(12), cursor);
		return cursor;
	}

	private cursorIdOf(cursor: Cursor): string {
		for (const [id, c] of this.cursors) if (c === cursor) return id;
		return '';
	}

	private resourceOf(kind: Cursor['kind'], id: string): unknown {
		if (kind === 'users')
			return this.users.has(id) ? this.userResource(this.users.get(id)!) : undefined;
		if (kind === 'content')
			return this.content.has(id) ? this.contentResource(this.content.get(id)!) : undefined;
		if (kind === 'completions')
			return this.completions.has(id)
				? this.completionResource(this.completions.get(id)!)
				: undefined;
		return this.statements.get(id)?.statement;
	}

	private completionIds(q: Record<string, unknown>): string[] {
		const f = (q.filter ?? {}) as Record<string, unknown>;
		for (const key of ['start_date', 'end_date'] as const) {
			if (f[key] !== undefined && !DATE.test(String(f[key])))
				throw new HttpError(
					400,
					'bad-request',
					`filter[${key}] must be yyyy-mm-dd.`,
					`filter[${key}]`,
				);
		}
		return [...this.completions.values()]
			.filter(
				(c) =>
					f.start_date === undefined ||
					String(c.attributes['completed-at']).slice(0, 10) >= String(f.start_date),
			)
			.filter(
				(c) =>
					f.end_date === undefined ||
					String(c.attributes['completed-at']).slice(0, 10) <= String(f.end_date),
			)
			.map((c) => c.id);
	}

	// ---- xAPI ------------------------------------------------------------------------------------------

	private listStatements(req: FastifyRequest): unknown {
		const q = req.query as Record<string, unknown>;
		if (q.next !== undefined) {
			const page = this.list(
				req,
				{ next: q.next, limit: q.limit ?? this.cursors.get(String(q.next))?.limit },
				'statements',
				'/xAPI/statements',
				() => [],
			) as { links: Attrs; data: unknown[] };
			return { statements: page.data, more: page.links.next ?? '' };
		}
		for (const key of ['since', 'until'] as const) {
			if (q[key] !== undefined && Number.isNaN(Date.parse(String(q[key]))))
				throw new HttpError(400, 'bad-request', `${key} must be an ISO 8601 timestamp.`, key);
		}
		const since = q.since === undefined ? -Infinity : Date.parse(String(q.since));
		const until = q.until === undefined ? Infinity : Date.parse(String(q.until));
		const ascending = String(q.ascending) === 'true';
		const select = () => {
			const rows = [...this.statements.entries()].filter(
				([, s]) =>
					s.stored > since &&
					s.stored <= until &&
					(q.verb === undefined || (s.statement.verb as Attrs)?.id === q.verb),
			);
			rows.sort((a, b) => (ascending ? a[1].stored - b[1].stored : b[1].stored - a[1].stored));
			return rows.map(([id]) => id);
		};
		const page = this.list(
			req,
			{ limit: q.limit ?? 100 },
			'statements',
			'/xAPI/statements',
			select,
		) as { links: Attrs; data: unknown[] };
		return { statements: page.data, more: page.links.next ?? '' };
	}

	private storeStatements(req: FastifyRequest): unknown {
		const body = req.body as unknown;
		const list = Array.isArray(body) ? body : [body];
		if (!list.length || list.some((s) => !s || typeof s !== 'object' || Array.isArray(s)))
			throw new HttpError(400, 'bad-request', 'Send a statement object or an array of statements.');
		const problems: string[] = [];
		list.forEach((s, n) => {
			const warnings = validateStatement(s);
			if (warnings.length)
				problems.push(
					`statement ${n}: ${warnings
						.slice(0, 3)
						.map((w) => `${JSON.stringify(w.path ?? '')} ${w.message ?? ''}`.trim())
						.join('; ')}`,
				);
		});
		if (problems.length)
			throw new HttpError(
				400,
				'bad-request',
				`Invalid xAPI statement(s), nothing was stored. ${problems.join(' | ')}`,
			);
		// Check every id first: a conflicting batch stores nothing.
		const prepared = (list as Attrs[]).map((s) => {
			const statement: Attrs = {
				...s,
				id: typeof s.id === 'string' ? s.id.toLowerCase() : this.ctx.rng.uuid(),
			};
			const content: Attrs = { ...statement };
			for (const k of ['stored', 'authority', 'version']) delete content[k];
			return { statement, canonical: canonical(content) };
		});
		const seenInBatch = new Map<string, string>();
		for (const p of prepared) {
			const existing = this.statements.get(String(p.statement.id));
			const twin = seenInBatch.get(String(p.statement.id));
			if (
				(existing && existing.canonical !== p.canonical) ||
				(twin !== undefined && twin !== p.canonical)
			) {
				throw new HttpError(
					409,
					'conflict',
					`A different statement with id ${p.statement.id} already exists.`,
					'id',
				);
			}
			seenInBatch.set(String(p.statement.id), p.canonical);
		}
		const ids: string[] = [];
		for (const p of prepared) {
			const id = String(p.statement.id);
			ids.push(id);
			if (this.statements.has(id)) {
				this.ctx.ledger.recordUpdate(this.name, 'statement', id, p.statement);
				continue;
			}
			const stored = this.now();
			this.statements.set(id, {
				statement: {
					...p.statement,
					stored: new Date(stored).toISOString(),
					version: p.statement.version ?? '1.0.0',
				},
				stored,
				canonical: p.canonical,
			});
			this.ctx.ledger.recordWrite(this.name, 'statement', id, p.statement);
		}
		return ids;
	}

	// ---- helpers ---------------------------------------------------------------------------------------

	private now(): number {
		return this.ctx ? this.ctx.now() : Date.now();
	}

	private newId(prefix: string): string {
		this.seq++;
		return `${prefix}${idHash(`${prefix}${this.seq}`)}${this.seq}`;
	}

	private mustFind<T>(map: Map<string, T>, id: string, what: string): T {
		const rec = map.get(id);
		if (!rec) throw new HttpError(404, 'not-found', `No ${what} with id ${id}.`);
		return rec;
	}

	private kind(req: FastifyRequest): string {
		const kind = (req.params as { kind: string }).kind;
		if (!DEGREED_CONTENT_KINDS.includes(kind as never))
			throw new HttpError(404, 'not-found', `Unknown content type ${kind}.`);
		return kind;
	}

	private dataOf(req: FastifyRequest, type: string): Attrs {
		const data = (req.body as { data?: unknown })?.data;
		if (!data || typeof data !== 'object' || Array.isArray(data))
			throw new HttpError(
				400,
				'bad-request',
				'The body must be a JSON:API document: {"data": {"attributes": {...}}}.',
				'data',
			);
		const t = (data as Attrs).type;
		if (t !== undefined && t !== type)
			throw new HttpError(409, 'conflict', `data.type must be "${type}".`, 'data.type');
		return data as Attrs;
	}

	private attributesOf(req: FastifyRequest, type: string): Attrs {
		const attrs = this.dataOf(req, type).attributes;
		if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs))
			throw new HttpError(400, 'bad-request', 'data.attributes is required.', 'data.attributes');
		return { ...(attrs as Attrs) };
	}

	private assertUniqueContent(attrs: Attrs, selfId: string | undefined): void {
		// Fast path: no record at all has either value. Otherwise (a conflict, or the record itself) the
		// scan below decides, exactly as before, which conflict is reported.
		const free = (field: string) =>
			attrs[field] === undefined ||
			this.contentIndex.find(field, lower(attrs[field])) === undefined;
		if (free('external-id') && free('url')) return;
		for (const c of this.content.values()) {
			if (c.id === selfId) continue;
			if (
				attrs['external-id'] !== undefined &&
				lower(c.attributes['external-id']) === lower(attrs['external-id'])
			) {
				if (!selfId)
					this.ctx.ledger.recordUpdate(this.name, 'content', String(attrs['external-id']), attrs);
				throw new HttpError(
					409,
					'conflict',
					`Content with external-id "${attrs['external-id']}" already exists.`,
					'data.attributes.external-id',
				);
			}
			if (attrs.url !== undefined && lower(c.attributes.url) === lower(attrs.url))
				throw new HttpError(
					409,
					'conflict',
					`Content with url "${attrs.url}" already exists.`,
					'data.attributes.url',
				);
		}
	}

	private resolveUser(value: unknown, type: unknown): Rec {
		const v = lower(value);
		const t = lower(type ?? 'email');
		const field =
			t === 'email'
				? 'email'
				: t === 'employeeid'
					? 'employee-id'
					: t === 'username'
						? 'user-name'
						: t === 'id'
							? 'id'
							: undefined;
		if (!field)
			throw new HttpError(
				400,
				'bad-request',
				`Invalid user identifier type: ${String(type)}`,
				'data.attributes.user-identifier-type',
			);
		const u = v ? this.userIndex.find(field, v) : undefined;
		if (u) return u;
		throw new HttpError(
			400,
			'bad-request',
			`Invalid user identifier: ${String(value)}`,
			'data.attributes.user-id',
		);
	}

	private resolveContent(value: unknown, type: unknown): ContentRec {
		const v = lower(value);
		const t = lower(type ?? 'externalid');
		const field =
			t === 'externalid' ? 'external-id' : t === 'id' ? 'id' : t === 'url' ? 'url' : undefined;
		if (!field)
			throw new HttpError(
				400,
				'bad-request',
				`Invalid content identifier type: ${String(type)}`,
				'data.attributes.content-id-type',
			);
		const c = v ? this.contentIndex.find(field, v) : undefined;
		if (c) return c;
		throw new HttpError(
			400,
			'bad-request',
			`Invalid content identifier: ${String(value)}`,
			'data.attributes.content-id',
		);
	}

	private userResource(u: Rec): unknown {
		return {
			type: 'users',
			id: u.id,
			attributes: u.attributes,
			links: { self: `/api/v2/users/${u.id}` },
		};
	}

	private contentResource(c: ContentRec): unknown {
		return {
			type: 'content',
			id: c.id,
			attributes: c.attributes,
			links: { self: `/api/v2/content/${c.kind}/${c.id}` },
		};
	}

	private completionResource(k: Rec): unknown {
		return {
			type: 'completions',
			id: k.id,
			attributes: k.attributes,
			relationships: {
				user: { data: { type: 'users', id: k.attributes['user-id'] } },
				content: { data: { type: 'content', id: k.attributes['content-id'] } },
			},
		};
	}

	private seedDemo(): void {
		this.seed({
			users: DEMO_PEOPLE.map(([first, last, email, employee], n) => ({
				id: `U${n + 1}`,
				'first-name': first,
				'last-name': last,
				email,
				'employee-id': employee,
				'user-name': email.split('@')[0],
				'is-active': true,
			})),
			content: [
				{
					id: 'C1',
					kind: 'courses',
					title: 'Data Privacy Essentials',
					'external-id': 'course-privacy-101',
					url: 'https://learn.acme.example/courses/privacy-101',
					duration: 45,
					'duration-type': 'Minutes',
					language: 'en',
				},
				{
					id: 'C2',
					kind: 'courses',
					title: 'Leading Remote Teams',
					'external-id': 'course-remote-lead',
					url: 'https://learn.acme.example/courses/remote-lead',
					duration: 2,
					'duration-type': 'Hours',
					language: 'en',
				},
				{
					id: 'C3',
					kind: 'articles',
					title: 'Writing Clear Emails',
					'external-id': 'article-clear-email',
					url: 'https://learn.acme.example/articles/clear-email',
					language: 'en',
				},
				{
					id: 'C4',
					kind: 'videos',
					title: 'Intro to SQL',
					'external-id': 'video-sql-intro',
					url: 'https://learn.acme.example/videos/sql-intro',
					duration: 12,
					'duration-type': 'Minutes',
				},
				{
					id: 'C5',
					kind: 'books',
					title: 'The Pragmatic Manager',
					'external-id': 'book-pragmatic-manager',
					authors: ['A. Author'],
				},
				{
					id: 'C6',
					kind: 'podcasts',
					title: 'Security Weekly #12',
					'external-id': 'podcast-sec-12',
					url: 'https://learn.acme.example/podcasts/sec-12',
				},
				{
					id: 'C7',
					kind: 'courses',
					title: 'Workplace Safety',
					'external-id': 'course-safety',
					url: 'https://learn.acme.example/courses/safety',
					'is-restricted': true,
				},
				{
					id: 'C8',
					kind: 'courses',
					title: 'Onboarding 2026',
					'external-id': 'course-onboarding',
					url: 'https://learn.acme.example/courses/onboarding',
				},
			],
		});
		const day = Date.UTC(2026, 4, 1, 9, 0, 0);
		for (let n = 0; n < 10; n++) {
			const user = this.users.get(`U${(n % 6) + 1}`)!;
			const content = this.content.get(`C${(n % 4) + 1}`)!;
			const rec: Rec = {
				id: `K${n + 1}`,
				attributes: {
					'user-id': user.id,
					'employee-id': user.attributes['employee-id'],
					email: user.attributes.email,
					'content-id': content.id,
					'external-id': content.attributes['external-id'],
					'content-type': content.attributes['content-type'],
					'completed-at': iso(day + n * 3_600_000),
					percentile: 80 + n,
					'is-verified': false,
					'added-at': iso(day + n * 3_600_000),
				},
			};
			this.completions.set(rec.id, rec);
			this.completionByKey.set(completionKey(rec), rec.id);
		}
		const verbs = ['completed', 'experienced', 'passed'];
		for (let n = 0; n < 3; n++) {
			const id = `0a7c5f1e-2b3d-4e5f-8a9b-00000000000${n + 1}`;
			const statement = {
				id,
				actor: {
					objectType: 'Agent',
					mbox: `mailto:${this.users.get(`U${n + 1}`)!.attributes.email}`,
				},
				verb: { id: `http://adlnet.gov/expapi/verbs/${verbs[n]}`, display: { 'en-US': verbs[n] } },
				object: {
					objectType: 'Activity',
					id: String(
						this.content.get(`C${n + 1}`)!.attributes.url ?? 'https://learn.acme.example/x',
					),
					definition: {
						name: { 'en-US': String(this.content.get(`C${n + 1}`)!.attributes.title) },
					},
				},
				timestamp: iso(day + n * 60_000),
			};
			const stored = day + n * 60_000 + 1000;
			this.statements.set(id, {
				statement: { ...statement, stored: new Date(stored).toISOString(), version: '1.0.0' },
				stored,
				canonical: canonical(statement),
			});
		}
	}
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Six base64url characters mixed from `s` (FNV-1a + a final avalanche): ids look random, cost nothing, stay deterministic. */
function idHash(s: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	h ^= h >>> 15;
	h = Math.imul(h, 0x2c1b3c6d);
	h ^= h >>> 12;
	h = Math.imul(h, 0x297a2d39);
	h ^= h >>> 15;
	let out = '';
	for (let i = 0; i < 5; i++, h >>>= 6) out += B64URL[h & 63];
	return out + B64URL[(h ^ s.length) & 63];
}

function codeFor(status: number): string {
	switch (status) {
		case 400:
			return 'bad-request';
		case 401:
			return 'unauthorized';
		case 403:
			return 'forbidden';
		case 404:
			return 'not-found';
		case 409:
			return 'conflict';
		case 410:
			return 'gone';
		case 429:
			return 'quota-exceeded';
		case 503:
			return 'service-unavailable';
		default:
			return status >= 500 ? 'server-error' : 'error';
	}
}

export const degreedProvider = (options?: DegreedEmulatorOptions) => new DegreedEmulator(options);
