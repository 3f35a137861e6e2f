// Skillsoft Percipio emulator (reference: /work/shared/reference/providers.md §1, emulator notes §1.10).
//
// Hosts: 'oauth' (the JSON-only OAuth2 token endpoint) and 'api' (the regional API host). Routes:
//   POST /oauth2-provider/token                                                   JSON body only
//   GET  /user-management/v1/organizations/{orgId}/users                          offset/max, updatedSince, x-total-count
//   POST /user-management/v1/organizations/{orgId}/users                          create (409 when externalUserId/loginName exists)
//   GET  /user-management/v1/organizations/{orgId}/users/{id}
//   GET|PATCH /user-management/v1/organizations/{orgId}/users/external-user-id/{externalUserId}   PATCH = upsert
//   GET|PATCH /user-management/v1/organizations/{orgId}/users/login-name/{loginName}
//   GET  /user-management/v1/organizations/{orgId}/users/login-name-or-email/{loginNameOrEmail}
//   GET  /content-discovery/v2/organizations/{orgId}/catalog-content              offset/max, updatedSince, pagingRequestId,
//                                                                                 x-total-count, x-paging-request-id, link rel="last"
//   POST /reporting/v1/organizations/{orgId}/report-requests/learning-activity    → {id, status: PENDING}
//   GET  /reporting/v1/organizations/{orgId}/report-requests/{id}                 {id, status} while running, then an array of rows
//   POST /content-aggregation/v1/partners/{partner}/organizations/{orgId}/content Content Import: object or array, keyed by content_id
//   POST /content-aggregation/v1/partners/{partner}/track                         Track (also …/organizations/{orgId}/track)
//   POST /content-aggregation/v1/partners/{partner}/statements                    xAPI statements (path unconfirmed for the real API)
// Ledger kinds (provider 'percipio'): 'content' (key content_id; a re-post is an update), 'track'
// (key = percipioTrackKey(content_id, user, status, event_date): a key recorded twice is a duplicate
// event), 'statement' (key = statement id; the same id with the same content is an update, with other
// content a 409), 'user' (key externalUserId), 'report' (key report id).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PERCIPIO_DEMO } from '../fixtures';
import { isJson } from '../http-helpers';
import type { InsertRecord, ProviderContext, SandboxProvider } from '../types';
import { insertTime } from '../types';

export interface PercipioClient {
	clientId: string;
	clientSecret: string;
	/** scopes this client may ask for; a token request without scope gets all of them */
	scopes: string[];
}

export interface PercipioUser {
	id: string;
	externalUserId: string;
	loginName?: string;
	email?: string;
	firstName?: string;
	lastName?: string;
	role?: string;
	isActive?: boolean;
	customAttributes?: Array<{ id?: string; name?: string; value?: unknown }>;
	updatedAt: string;
	[key: string]: unknown;
}

export interface PercipioCatalogItem {
	id: string;
	code?: string;
	contentType: { category: string; displayLabel: string; percipioType: string; source: string };
	localizedMetadata: Array<{ localeCode: string; title: string; description: string }>;
	lifecycle: { status: string; publishDate: string; lastUpdatedDate: string };
	link: string;
	duration: string;
	[key: string]: unknown;
}

export interface PercipioOptions {
	/** default: the demo client of fixtures.ts */
	clients?: PercipioClient[];
	/** access-token lifetime in seconds (default 3600) */
	tokenLifetimeSeconds?: number;
	/** seed demo users, catalogue and completions (default false; the CLI and demo turn it on) */
	demoData?: boolean;
}

/** Seed data; every field optional. Lists add to (or replace by key) what is there. */
export interface PercipioSeed {
	clients?: PercipioClient[];
	tokenLifetimeSeconds?: number;
	/** organization UUIDs the API accepts (PERCIPIO_DEMO.orgId always is) */
	organizations?: string[];
	/** iX Studio partner names the partner routes accept (PERCIPIO_SANDBOX.partnerName always is) */
	partners?: string[];
	/** static service-account bearer tokens (JWTs) the API accepts */
	serviceAccountTokens?: string[];
	users?: Array<Partial<PercipioUser> & { externalUserId: string }>;
	catalog?: Array<Partial<PercipioCatalogItem> & { id: string; title?: string }>;
	/** learning-activity rows every report returns (besides rows derived from Track events) */
	activity?: Array<Record<string, unknown>>;
	/** how many GETs of a new report answer PENDING / IN_PROGRESS before the rows (default 2) */
	reportPolls?: number;
	/** set to e.g. 'FAILED' to make the next reports end in that status instead of rows */
	reportOutcome?: string | null;
	/** API requests per minute per token client before 429 + Retry-After (default: no limit; Percipio publishes none) */
	rateLimitPerMinute?: number | null;
}

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Sandbox-only names and a service-account JWT the emulator accepts out of the box. */
export const PERCIPIO_SANDBOX = {
	partnerName: 'sandbox-partner',
	/** A JWT-shaped service-account token (unsigned: the sandbox only looks it up). Expires in 2099. */
	serviceAccountToken: `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'sandbox-service-account', orgId: PERCIPIO_DEMO.orgId, iat: 1_700_000_000, exp: 4_102_444_800 })}.c2FuZGJveC1zaWduYXR1cmU`,
	reportPolls: 2,
} as const;

/** The emulator's key of a Track event: same (content_id, user, status, event_date) = same event. */
export function percipioTrackKey(event: {
	content_id?: unknown;
	user?: unknown;
	status?: unknown;
	event_date?: unknown;
}): string {
	return createHash('sha1')
		.update(
			JSON.stringify([
				event.content_id,
				event.user,
				String(event.status ?? '').toLowerCase(),
				event.event_date,
			]),
		)
		.digest('hex');
}

const DEMO_CLIENT: PercipioClient = {
	clientId: PERCIPIO_DEMO.clientId,
	clientSecret: PERCIPIO_DEMO.clientSecret,
	scopes: [PERCIPIO_DEMO.scope],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = [
	'LEARNER',
	'ADMIN',
	'CONTENT_CURATOR',
	'CONTENT_COORDINATOR',
	'LEARNING_ADMIN',
	'MANAGER',
];
const TIME_FRAMES = ['DAY', 'WEEK', 'THIRTY_DAYS', 'CALENDAR_MONTH'];
const REPORT_STATUSES = [
	'ACHIEVED',
	'ACTIVE',
	'COMPLETED',
	'LISTENED',
	'READ',
	'STARTED',
	'WATCHED',
	'ABANDONED',
];
const TRACK_STATUSES = ['started', 'in-progress', 'completed'];
const IMPORT_REQUIRED = ['content_id', 'title', 'type', 'url', 'language', 'duration'] as const;

/** RFC 6749 §5.2 error response. */
function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
	reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
	if (status === 401) reply.header('www-authenticate', 'Bearer realm="percipio"');
	return reply.code(status).send({ error, error_description: description });
}

/** A copy of `value` without `keys`. */
function omit<T extends Record<string, unknown>>(
	value: T,
	...keys: string[]
): Record<string, unknown> {
	return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

const fail = (
	reply: FastifyReply,
	status: number,
	message: string,
	extra: Record<string, unknown> = {},
) => reply.code(status).send({ message, ...extra });

/** Deterministic UUID-shaped id from a name (demo data stays the same across runs). */
function nameUuid(name: string): string {
	const h = createHash('sha1').update(`percipio-sandbox:${name}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function isoDuration(seconds: number): string {
	const h = Math.floor(seconds / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	const s = seconds % 60;
	return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

interface Report {
	id: string;
	orgId: string;
	body: Record<string, unknown>;
	polls: number;
	pollsUntilReady: number;
	outcome: string | null;
}

interface TrackEvent {
	key: string;
	orgId?: string;
	partner: string;
	payload: Record<string, unknown>;
	at: number;
}

/** Entries `offset` … `offset + max - 1` of an iteration, in its order, without copying the rest. */
function pageOf<T>(values: Iterable<T>, offset: number, max: number): T[] {
	const out: T[] = [];
	let index = 0;
	for (const value of values) {
		if (index >= offset) {
			if (out.length >= max) break;
			out.push(value);
		}
		index++;
	}
	return out;
}

export class PercipioEmulator implements SandboxProvider {
	readonly name = 'percipio';
	readonly hosts = ['oauth', 'api'] as const;
	readonly demo = {
		client_id: PERCIPIO_DEMO.clientId,
		client_secret: PERCIPIO_DEMO.clientSecret,
		scope: PERCIPIO_DEMO.scope,
		orgId: PERCIPIO_DEMO.orgId,
		partnerName: PERCIPIO_SANDBOX.partnerName,
		serviceAccountToken: PERCIPIO_SANDBOX.serviceAccountToken,
	};

	private ctx!: ProviderContext;
	private clients = new Map<string, PercipioClient>();
	private tokenLifetimeSeconds: number;
	private orgs = new Set<string>();
	private partners = new Set<string>();
	private serviceTokens = new Set<string>();
	/** by Percipio id */
	users = new Map<string, PercipioUser>();
	catalog: PercipioCatalogItem[] = [];
	private snapshots = new Map<string, PercipioCatalogItem[]>();
	/** imported content by content_id */
	content = new Map<string, Record<string, unknown>>();
	/** every Track event received, in order (a re-sent event appears twice) */
	tracks: TrackEvent[] = [];
	/** xAPI statements by id */
	statements = new Map<string, Record<string, unknown>>();
	private activity: Array<Record<string, unknown>> = [];
	reports = new Map<string, Report>();
	private reportPolls: number = PERCIPIO_SANDBOX.reportPolls;
	private reportOutcome: string | null = null;
	private rateLimitPerMinute: number | null = null;
	private seq = 0;

	constructor(private readonly options: PercipioOptions = {}) {
		this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? PERCIPIO_DEMO.tokenLifetimeSeconds;
		this.reset();
	}

	register(host: string, app: FastifyInstance, ctx: ProviderContext): void {
		this.ctx = ctx;
		if (host === 'oauth') this.registerOauth(app);
		else if (host === 'api') this.registerApi(app);
	}

	reset(): void {
		this.clients = new Map(
			(this.options.clients ?? [DEMO_CLIENT]).map((c) => [c.clientId, { ...c }]),
		);
		this.tokenLifetimeSeconds =
			this.options.tokenLifetimeSeconds ?? PERCIPIO_DEMO.tokenLifetimeSeconds;
		this.orgs = new Set([PERCIPIO_DEMO.orgId]);
		this.partners = new Set([PERCIPIO_SANDBOX.partnerName]);
		this.serviceTokens = new Set([PERCIPIO_SANDBOX.serviceAccountToken]);
		this.users = new Map();
		this.catalog = [];
		this.snapshots = new Map();
		this.content = new Map();
		this.tracks = [];
		this.statements = new Map();
		this.activity = [];
		this.reports = new Map();
		this.reportPolls = PERCIPIO_SANDBOX.reportPolls;
		this.reportOutcome = null;
		this.rateLimitPerMinute = null;
		this.seq = 0;
		if (this.options.demoData) this.seedDemo();
	}

	seed(data: unknown): void {
		const d = (data ?? {}) as PercipioSeed;
		if (d.tokenLifetimeSeconds !== undefined) {
			if (!(typeof d.tokenLifetimeSeconds === 'number' && d.tokenLifetimeSeconds > 0))
				throw new Error('tokenLifetimeSeconds must be a positive number');
			this.tokenLifetimeSeconds = d.tokenLifetimeSeconds;
		}
		for (const c of d.clients ?? []) {
			if (typeof c?.clientId !== 'string' || typeof c.clientSecret !== 'string')
				throw new Error('each client needs clientId and clientSecret');
			this.clients.set(c.clientId, {
				clientId: c.clientId,
				clientSecret: c.clientSecret,
				scopes: c.scopes ?? [PERCIPIO_DEMO.scope],
			});
		}
		for (const o of d.organizations ?? []) {
			if (!UUID.test(o)) throw new Error(`organization '${o}' is not a UUID`);
			this.orgs.add(o.toLowerCase());
		}
		for (const p of d.partners ?? []) this.partners.add(p);
		for (const t of d.serviceAccountTokens ?? []) this.serviceTokens.add(t);
		for (const u of d.users ?? []) {
			if (typeof u?.externalUserId !== 'string') throw new Error('each user needs externalUserId');
			const existing = this.findUser('externalUserId', u.externalUserId);
			const user: PercipioUser = {
				isActive: true,
				role: 'LEARNER',
				...existing,
				...u,
				id: u.id ?? existing?.id ?? nameUuid(`user:${u.externalUserId}`),
				updatedAt: u.updatedAt ?? new Date(this.now()).toISOString(),
			};
			this.users.set(user.id, user);
		}
		for (const c of d.catalog ?? []) {
			const item = this.catalogItem(c);
			const i = this.catalog.findIndex((x) => x.id === item.id);
			if (i >= 0) this.catalog[i] = item;
			else this.catalog.push(item);
		}
		if (d.activity) this.activity.push(...d.activity);
		if (d.reportPolls !== undefined) {
			if (!(Number.isInteger(d.reportPolls) && d.reportPolls >= 0))
				throw new Error('reportPolls must be an integer >= 0');
			this.reportPolls = d.reportPolls;
		}
		if (d.reportOutcome !== undefined) this.reportOutcome = d.reportOutcome;
		if (d.rateLimitPerMinute !== undefined)
			this.rateLimitPerMinute =
				d.rateLimitPerMinute && d.rateLimitPerMinute > 0 ? d.rateLimitPerMinute : null;
	}

	errorBody(status: number, message: string, host: string): unknown {
		if (host === 'oauth')
			return {
				error:
					status === 429 ? 'too_many_requests' : status >= 500 ? 'server_error' : 'invalid_request',
				error_description: message,
			};
		return { message };
	}

	private now(): number {
		return this.ctx ? this.ctx.now() : Date.now();
	}

	// ---- demo data ----

	private seedDemo(): void {
		const people: Array<[string, string, string, string]> = [
			['emp-1001', 'ada.lovelace', 'Ada', 'Lovelace'],
			['emp-1002', 'alan.turing', 'Alan', 'Turing'],
			['emp-1003', 'grace.hopper', 'Grace', 'Hopper'],
			['emp-1004', 'katherine.johnson', 'Katherine', 'Johnson'],
			['emp-1005', 'tim.berners-lee', 'Tim', 'Berners-Lee'],
		];
		const at = '2026-10-01T09:00:00.000Z';
		this.seed({
			users: people.map(([externalUserId, loginName, firstName, lastName], i) => ({
				externalUserId,
				loginName,
				firstName,
				lastName,
				email: `${loginName}@example.com`,
				role: i === 0 ? 'LEARNING_ADMIN' : 'LEARNER',
				updatedAt: at,
			})),
		});
		const titles: Array<[string, string, number]> = [
			['Course', 'Leading Remote Teams', 3600],
			['Course', 'Cloud Computing Fundamentals', 5400],
			['Video', 'Giving Effective Feedback', 420],
			['Book', 'The Pragmatic Data Engineer', 28_800],
			['Course', 'Information Security Essentials', 2700],
			['Assessment', 'Python Proficiency Check', 1800],
			['Course', 'Negotiation Skills', 3000],
			['Audiobook', 'Deep Work', 25_200],
			['Course', 'Agile Project Management', 4200],
			['Video', 'Running Better Meetings', 360],
			['Course', 'Inclusive Leadership', 2400],
			['Course', 'Kubernetes in Practice', 7200],
		];
		this.seed({
			catalog: titles.map(([type, title, seconds], i) => ({
				id: nameUuid(`content:${i}`),
				title,
				contentType: {
					category: type.toUpperCase(),
					displayLabel: type,
					percipioType: type.toUpperCase(),
					source: 'Skillsoft',
				},
				duration: isoDuration(seconds),
				lifecycle: {
					status: 'ACTIVE',
					publishDate: '2026-01-15T00:00:00Z',
					lastUpdatedDate: new Date(
						Date.parse('2026-09-01T00:00:00Z') + i * 86_400_000,
					).toISOString(),
				},
			})),
		});
		const users = [...this.users.values()];
		this.activity = [0, 1, 2, 3, 4, 5].map((i) => {
			const u = users[i % users.length];
			const c = this.catalog[i * 2];
			const completed = i % 3 !== 2;
			return {
				userId: u.loginName,
				userUuid: u.id,
				firstName: u.firstName,
				lastName: u.lastName,
				emailAddress: u.email,
				userStatus: 'ACTIVE',
				contentUuid: c.id,
				contentTitle: c.localizedMetadata[0].title,
				contentType: c.contentType.displayLabel,
				status: completed ? 'Completed' : 'Started',
				completedDate: completed ? `2026-11-${String(10 + i).padStart(2, '0')}T15:30:00Z` : null,
				firstAccess: `2026-11-${String(9 + i).padStart(2, '0')}T10:00:00Z`,
				lastAccess: `2026-11-${String(10 + i).padStart(2, '0')}T15:30:00Z`,
				duration: 1200 + i * 300,
				durationHms: isoDuration(1200 + i * 300),
				totalAccesses: 2 + i,
				languageCode: 'en',
				audience: 'ALL',
			};
		});
	}

	/**
	 * kinds 'activity' (a report row last accessed at `at`, completed then unless `completed: false`),
	 * 'user' (created or changed at `at`) and 'content' (a catalogue item updated at `at`).
	 */
	insert(kind: string, records: InsertRecord[]): string[] {
		return records.map((r, i) => {
			const at = new Date(insertTime(r, this.now())).toISOString();
			const id = r.id ?? this.ctx.rng.uuid();
			if (kind === 'activity') {
				const completed = r.completed !== false;
				this.activity.push({
					userId: `learner-${id}`,
					userUuid: id,
					contentUuid: this.catalog[i % this.catalog.length]?.id ?? null,
					contentTitle: `Inserted ${id}`,
					contentType: 'Course',
					status: completed ? 'Completed' : 'Started',
					completedDate: completed ? at : null,
					lastAccess: at,
					duration: 600,
					languageCode: 'en',
					audience: 'ALL',
				});
				return id;
			}
			if (kind === 'user') {
				const user: PercipioUser = {
					isActive: true,
					role: 'LEARNER',
					externalUserId: `ext-${id}`,
					loginName: `login-${id}`,
					id,
					updatedAt: at,
				};
				this.users.set(id, user);
				return id;
			}
			if (kind === 'content') {
				const item = this.catalogItem({
					id,
					title: `Inserted ${id}`,
					lifecycle: { status: 'ACTIVE', publishDate: at, lastUpdatedDate: at },
				});
				const existing = this.catalog.findIndex((x) => x.id === id);
				if (existing >= 0) this.catalog[existing] = item;
				else this.catalog.push(item);
				return id;
			}
			throw new Error(`Percipio inserts 'activity', 'user' or 'content' records (got '${kind}')`);
		});
	}

	private catalogItem(
		c: Partial<PercipioCatalogItem> & { id: string; title?: string },
	): PercipioCatalogItem {
		const title = c.title ?? c.localizedMetadata?.[0]?.title ?? c.id;
		const updated = c.lifecycle?.lastUpdatedDate ?? new Date(this.now()).toISOString();
		const rest = omit(c, 'title') as Partial<PercipioCatalogItem>;
		return {
			code: `sbx_${c.id.slice(0, 8)}`,
			contentType: {
				category: 'COURSE',
				displayLabel: 'Course',
				percipioType: 'COURSE',
				source: 'Skillsoft',
			},
			localizedMetadata: [
				{ localeCode: 'en-US', title, description: `${title} (sandbox content)` },
			],
			link: `https://sandbox.percipio.example/courses/${c.id}`,
			duration: 'PT1H',
			...rest,
			lifecycle: {
				status: 'ACTIVE',
				publishDate: '2026-01-15T00:00:00Z',
				...c.lifecycle,
				lastUpdatedDate: updated,
			},
			id: c.id,
		};
	}

	// ---- host 'oauth' ----

	private registerOauth(app: FastifyInstance): void {
		// JSON only, as documented for iX Studio and sent by the Moodle plugin: n8n's generic OAuth2
		// credential (always form-urlencoded) must fail here the way it fails against Percipio.
		app.post('/oauth2-provider/token', { config: { tokenEndpoint: true } }, async (req, reply) =>
			this.token(req, reply),
		);
	}

	private token(req: FastifyRequest, reply: FastifyReply) {
		if (!isJson(req)) {
			return oauthError(
				reply,
				400,
				'invalid_request',
				`The token request must be JSON (Content-Type: application/json); got ${req.headers['content-type'] ? `'${req.headers['content-type']}'` : 'no Content-Type'}`,
			);
		}
		const body = req.body;
		if (body === null || typeof body !== 'object' || Array.isArray(body))
			return oauthError(
				reply,
				400,
				'invalid_request',
				'The token request body must be a JSON object',
			);
		const b = body as Record<string, unknown>;
		for (const field of ['grant_type', 'client_id', 'client_secret'] as const) {
			if (typeof b[field] !== 'string' || b[field] === '')
				return oauthError(reply, 400, 'invalid_request', `Missing required parameter: ${field}`);
		}
		if (b.grant_type !== 'client_credentials')
			return oauthError(
				reply,
				400,
				'unsupported_grant_type',
				`grant_type '${String(b.grant_type)}' is not supported; use client_credentials`,
			);
		if (b.scope !== undefined && typeof b.scope !== 'string')
			return oauthError(reply, 400, 'invalid_request', 'scope must be a string');
		const client = this.clients.get(b.client_id as string);
		if (!client || client.clientSecret !== b.client_secret)
			return oauthError(reply, 401, 'invalid_client', 'Client authentication failed');
		const requested =
			typeof b.scope === 'string' && b.scope.trim() !== ''
				? b.scope.trim().split(/[\s,]+/)
				: client.scopes;
		const refused = requested.filter((s) => !client.scopes.includes(s));
		if (refused.length)
			return oauthError(
				reply,
				400,
				'invalid_scope',
				`Scope not allowed for this client: ${refused.join(' ')}`,
			);
		const { accessToken, expiresIn } = this.ctx.tokens.issue({
			clientId: client.clientId,
			scopes: requested,
			lifetimeSeconds: this.tokenLifetimeSeconds,
		});
		reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
		return {
			access_token: accessToken,
			token_type: 'Bearer',
			expires_in: expiresIn,
			scope: requested.join(' '),
		};
	}

	// ---- host 'api' ----

	private registerApi(app: FastifyInstance): void {
		type Org = { Params: { orgId: string } };
		const um = '/user-management/v1/organizations/:orgId';
		app.get<Org & { Querystring: Record<string, string> }>(`${um}/users`, async (req, reply) =>
			this.guard(req, reply, () => this.listUsers(req, reply)),
		);
		app.post<Org>(`${um}/users`, async (req, reply) =>
			this.guard(req, reply, () => this.createUser(req, reply)),
		);
		app.get<Org & { Params: { id: string } }>(`${um}/users/:id`, async (req, reply) =>
			this.guard(req, reply, () => this.userBy('id', req.params.id, reply)),
		);
		app.patch<Org & { Params: { id: string } }>(`${um}/users/:id`, async (req, reply) =>
			this.guard(req, reply, () => this.patchUser('id', req.params.id, req, reply)),
		);
		for (const [segment, field] of [
			['external-user-id', 'externalUserId'],
			['login-name', 'loginName'],
		] as const) {
			app.get<Org & { Params: { key: string } }>(
				`${um}/users/${segment}/:key`,
				async (req, reply) =>
					this.guard(req, reply, () => this.userBy(field, req.params.key, reply)),
			);
			app.patch<Org & { Params: { key: string } }>(
				`${um}/users/${segment}/:key`,
				async (req, reply) =>
					this.guard(req, reply, () => this.patchUser(field, req.params.key, req, reply)),
			);
		}
		app.get<Org & { Params: { key: string } }>(
			`${um}/users/login-name-or-email/:key`,
			async (req, reply) =>
				this.guard(req, reply, () => this.userBy('loginName', req.params.key, reply, true)),
		);
		app.get<Org & { Querystring: Record<string, string> }>(
			'/content-discovery/v2/organizations/:orgId/catalog-content',
			async (req, reply) => this.guard(req, reply, () => this.listCatalog(req, reply)),
		);
		const rep = '/reporting/v1/organizations/:orgId/report-requests';
		app.post<Org>(`${rep}/learning-activity`, async (req, reply) =>
			this.guard(req, reply, () => this.requestReport(req, reply)),
		);
		app.get<Org & { Params: { id: string } }>(`${rep}/:id`, async (req, reply) =>
			this.guard(req, reply, () => this.pollReport(req, reply)),
		);
		const ix = '/content-aggregation/v1/partners/:partner';
		app.post<Org & { Params: { partner: string } }>(
			`${ix}/organizations/:orgId/content`,
			async (req, reply) => this.guard(req, reply, () => this.importContent(req, reply)),
		);
		app.post<{ Params: { partner: string } }>(`${ix}/track`, async (req, reply) =>
			this.guard(req, reply, () => this.track(req, reply)),
		);
		app.post<Org & { Params: { partner: string } }>(
			`${ix}/organizations/:orgId/track`,
			async (req, reply) => this.guard(req, reply, () => this.track(req, reply)),
		);
		app.post<{ Params: { partner: string } }>(`${ix}/statements`, async (req, reply) =>
			this.guard(req, reply, () => this.postStatements(req, reply)),
		);
	}

	/** Auth (OAuth token or service-account JWT), rate limit, organization and partner checks, then the route. */
	private guard(req: FastifyRequest, reply: FastifyReply, route: () => unknown) {
		const client = this.authorize(req, reply);
		if (!client) return reply;
		if (this.rateLimitPerMinute) {
			const r = this.ctx.rateLimit(`client:${client}`, {
				perWindow: this.rateLimitPerMinute,
				windowMs: 60_000,
			});
			if (!r.allowed)
				return reply
					.code(429)
					.header('retry-after', String(r.retryAfterSeconds))
					.send({ message: 'Too many requests' });
		}
		const params = req.params as { orgId?: string; partner?: string };
		if (params.orgId !== undefined) {
			if (!UUID.test(params.orgId))
				return fail(reply, 400, `orgId must be a UUID: '${params.orgId}'`);
			if (!this.orgs.has(params.orgId.toLowerCase()))
				return fail(reply, 403, 'The token is not valid for this organization');
		}
		if (params.partner !== undefined && !this.partners.has(params.partner))
			return fail(reply, 404, `Unknown partner '${params.partner}'`);
		return route();
	}

	/** Verifies the bearer token; on failure answers 401 and returns undefined, else the client it belongs to. */
	private authorize(req: FastifyRequest, reply: FastifyReply): string | undefined {
		const header = req.headers.authorization;
		const raw = typeof header === 'string' ? header.replace(/^\s*bearer\s+/i, '').trim() : '';
		if (raw && this.serviceTokens.has(raw)) return 'service-account';
		const v = this.ctx.tokens.verify(header);
		if (v.ok) return v.grant.clientId;
		const message = {
			missing: 'Missing bearer token',
			unknown: 'Invalid bearer token',
			expired: 'The access token has expired',
			revoked: 'The access token has been revoked',
		}[v.reason];
		reply
			.code(401)
			.header('www-authenticate', `Bearer error="invalid_token", error_description="${message}"`)
			.send({ message });
		return undefined;
	}

	/** offset/max as Percipio validates them; a reply was sent when undefined is returned. */
	private paging(
		q: Record<string, string>,
		reply: FastifyReply,
		defaultMax = 1000,
	): { offset: number; max: number } | undefined {
		const offset = q.offset === undefined ? 0 : Number(q.offset);
		const max = q.max === undefined ? defaultMax : Number(q.max);
		if (!Number.isInteger(offset) || offset < 0) {
			fail(reply, 400, 'offset must be an integer >= 0');
			return undefined;
		}
		if (!Number.isInteger(max) || max < 1 || max > 1000) {
			fail(reply, 400, 'max must be an integer between 1 and 1000');
			return undefined;
		}
		return { offset, max };
	}

	private since(q: Record<string, string>, reply: FastifyReply): number | null | undefined {
		if (q.updatedSince === undefined || q.updatedSince === '') return null;
		const t = Date.parse(q.updatedSince);
		if (Number.isNaN(t)) {
			fail(reply, 400, `updatedSince must be an ISO 8601 date-time: '${q.updatedSince}'`);
			return undefined;
		}
		return t;
	}

	// users

	private findUser(
		field: 'id' | 'externalUserId' | 'loginName',
		value: string,
	): PercipioUser | undefined {
		if (field === 'id') return this.users.get(value);
		for (const u of this.users.values()) if (u[field] === value) return u;
		return undefined;
	}

	private listUsers(
		req: FastifyRequest<{ Querystring: Record<string, string> }>,
		reply: FastifyReply,
	) {
		const page = this.paging(req.query, reply);
		const since = this.since(req.query, reply);
		if (!page || since === undefined) return reply;
		if (since === null) {
			// Without a filter a page costs O(offset + page), not a copy of the whole store: the
			// parallel-paging bench reads 100 pages of 100,000 users (bench/FINDINGS.md §8).
			reply.header('x-total-count', String(this.users.size));
			return pageOf(this.users.values(), page.offset, page.max);
		}
		const all = [...this.users.values()].filter((u) => Date.parse(u.updatedAt) >= since);
		reply.header('x-total-count', String(all.length));
		return all.slice(page.offset, page.offset + page.max);
	}

	private userBy(
		field: 'id' | 'externalUserId' | 'loginName',
		value: string,
		reply: FastifyReply,
		orEmail = false,
	) {
		const user =
			this.findUser(field, value) ??
			(orEmail
				? [...this.users.values()].find((u) => u.email?.toLowerCase() === value.toLowerCase())
				: undefined);
		if (!user) return fail(reply, 404, `User not found: ${field} '${value}'`);
		return user;
	}

	private checkUserBody(
		body: unknown,
		reply: FastifyReply,
		requireExternalId: boolean,
	): Record<string, unknown> | undefined {
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			fail(reply, 400, 'The request body must be a JSON object');
			return undefined;
		}
		const b = body as Record<string, unknown>;
		if (requireExternalId && (typeof b.externalUserId !== 'string' || !b.externalUserId.trim())) {
			fail(reply, 400, 'externalUserId is required');
			return undefined;
		}
		if (b.role !== undefined && !ROLES.includes(String(b.role))) {
			fail(reply, 400, `role must be one of ${ROLES.join(', ')}`);
			return undefined;
		}
		if (b.email !== undefined && b.email !== null && !/^[^@\s]+@[^@\s]+$/.test(String(b.email))) {
			fail(reply, 400, `email is not valid: '${String(b.email)}'`);
			return undefined;
		}
		return b;
	}

	private createUser(req: FastifyRequest, reply: FastifyReply) {
		const b = this.checkUserBody(req.body, reply, true);
		if (!b) return reply;
		const ext = String(b.externalUserId);
		if (this.findUser('externalUserId', ext))
			return fail(reply, 409, `A user with externalUserId '${ext}' already exists`);
		if (typeof b.loginName === 'string' && this.findUser('loginName', b.loginName))
			return fail(reply, 409, `A user with loginName '${b.loginName}' already exists`);
		const fields = omit(b, 'password', 'sendWelcomeEmail');
		const user: PercipioUser = {
			isActive: true,
			role: 'LEARNER',
			...fields,
			externalUserId: ext,
			id: this.ctx.rng.uuid(),
			updatedAt: new Date(this.now()).toISOString(),
		};
		this.users.set(user.id, user);
		this.ctx.ledger.recordWrite(this.name, 'user', ext, user);
		return reply.code(201).send(user);
	}

	private patchUser(
		field: 'id' | 'externalUserId' | 'loginName',
		value: string,
		req: FastifyRequest,
		reply: FastifyReply,
	) {
		const b = this.checkUserBody(req.body, reply, false);
		if (!b) return reply;
		const fields = omit(b, 'password', 'sendWelcomeEmail', 'id');
		const existing = this.findUser(field, value);
		if (!existing) {
			if (field === 'id') return fail(reply, 404, `User not found: id '${value}'`);
			// PATCH by external id / login name upserts
			const ext = field === 'externalUserId' ? value : String(fields.externalUserId ?? '');
			if (!ext) return fail(reply, 400, 'externalUserId is required to create a user');
			const user: PercipioUser = {
				isActive: true,
				role: 'LEARNER',
				...fields,
				[field]: value,
				externalUserId: ext,
				id: this.ctx.rng.uuid(),
				updatedAt: new Date(this.now()).toISOString(),
			};
			this.users.set(user.id, user);
			this.ctx.ledger.recordWrite(this.name, 'user', ext, user);
			return reply.code(201).send(user);
		}
		Object.assign(existing, fields, {
			[field]: value === existing[field] ? value : existing[field],
			updatedAt: new Date(this.now()).toISOString(),
		});
		this.ctx.ledger.recordUpdate(this.name, 'user', existing.externalUserId, existing);
		return existing;
	}

	// catalog

	private listCatalog(
		req: FastifyRequest<{ Querystring: Record<string, string> }>,
		reply: FastifyReply,
	) {
		const q = req.query;
		const page = this.paging(q, reply);
		const since = this.since(q, reply);
		if (!page || since === undefined) return reply;
		let pagingRequestId = q.pagingRequestId;
		let snapshot: PercipioCatalogItem[] | undefined;
		if (pagingRequestId) {
			snapshot = this.snapshots.get(pagingRequestId);
			if (!snapshot)
				return fail(reply, 400, `Unknown or expired pagingRequestId '${pagingRequestId}'`);
		} else {
			pagingRequestId = this.ctx.rng.uuid();
			snapshot = this.catalog
				.filter((c) => since === null || Date.parse(c.lifecycle.lastUpdatedDate) >= since)
				.map((c) => structuredClone(c));
			this.snapshots.set(pagingRequestId, snapshot);
		}
		const total = snapshot.length;
		const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / page.max) * page.max;
		const base = `${this.ctx.publicUrl(req, 'api')}${req.sandbox.path}`;
		reply
			.header('x-total-count', String(total))
			.header('x-paging-request-id', pagingRequestId)
			.header(
				'link',
				`<${base}?offset=${lastOffset}&max=${page.max}&pagingRequestId=${pagingRequestId}>; rel="last"`,
			);
		return snapshot.slice(page.offset, page.offset + page.max);
	}

	// reports

	private requestReport(req: FastifyRequest<{ Params: { orgId: string } }>, reply: FastifyReply) {
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body !== 'object' || Array.isArray(body))
			return fail(reply, 400, 'The request body must be a JSON object');
		const hasRange = body.start !== undefined || body.end !== undefined;
		if (body.timeFrame !== undefined && hasRange)
			return fail(reply, 400, 'Use either timeFrame or start/end, not both');
		if (body.timeFrame !== undefined && !TIME_FRAMES.includes(String(body.timeFrame)))
			return fail(reply, 400, `timeFrame must be one of ${TIME_FRAMES.join(', ')}`);
		for (const f of ['start', 'end'] as const) {
			if (body[f] !== undefined && Number.isNaN(Date.parse(String(body[f]))))
				return fail(reply, 400, `${f} must be an ISO 8601 date-time`);
		}
		if (
			body.start !== undefined &&
			body.end !== undefined &&
			Date.parse(String(body.start)) > Date.parse(String(body.end))
		)
			return fail(reply, 400, 'start must be before end');
		if (body.status !== undefined && !REPORT_STATUSES.includes(String(body.status)))
			return fail(reply, 400, `status must be one of ${REPORT_STATUSES.join(', ')}`);
		if (body.formatType !== undefined && body.formatType !== 'JSON')
			return fail(reply, 400, 'The sandbox only produces JSON reports');
		const id = this.ctx.rng.uuid();
		this.reports.set(id, {
			id,
			orgId: req.params.orgId,
			body,
			polls: 0,
			pollsUntilReady: this.reportPolls,
			outcome: this.reportOutcome,
		});
		this.ctx.ledger.recordWrite(this.name, 'report', id, body);
		return { id, status: 'PENDING' };
	}

	private pollReport(
		req: FastifyRequest<{ Params: { orgId: string; id: string } }>,
		reply: FastifyReply,
	) {
		const report = this.reports.get(req.params.id);
		if (!report || report.orgId !== req.params.orgId)
			return fail(reply, 404, `Report request '${req.params.id}' not found`);
		report.polls++;
		if (report.polls <= report.pollsUntilReady)
			return { id: report.id, status: report.polls === 1 ? 'PENDING' : 'IN_PROGRESS' };
		if (report.outcome)
			return {
				id: report.id,
				status: report.outcome,
				message: `Report generation ended with status ${report.outcome}`,
			};
		return this.reportRows(report.body);
	}

	private reportRows(body: Record<string, unknown>): Array<Record<string, unknown>> {
		const users = [...this.users.values()];
		const fromTracks = this.tracks.map((t) => {
			const u = users.find(
				(x) =>
					x.loginName === t.payload.user ||
					x.externalUserId === t.payload.user ||
					x.email === t.payload.user,
			);
			const status = String(t.payload.status);
			return {
				userId: t.payload.user,
				userUuid: u?.id ?? null,
				firstName: u?.firstName ?? null,
				lastName: u?.lastName ?? null,
				emailAddress: u?.email ?? null,
				contentUuid: null,
				contentTitle:
					(this.content.get(String(t.payload.content_id))?.title as string | undefined) ??
					String(t.payload.content_id),
				contentType: 'Partner Content',
				status: status === 'completed' ? 'Completed' : status === 'started' ? 'Started' : 'Active',
				completedDate: status === 'completed' ? t.payload.event_date : null,
				lastAccess: t.payload.event_date,
				duration: t.payload.duration_spent ?? 0,
				languageCode: 'en',
				audience: 'ALL',
			};
		});
		let rows = [...this.activity, ...fromTracks];
		if (body.status !== undefined)
			rows = rows.filter((r) => String(r.status).toUpperCase() === String(body.status));
		if (typeof body.contentType === 'string' && body.contentType.trim()) {
			const types = body.contentType.split(',').map((s) => s.trim().toLowerCase());
			rows = rows.filter((r) => types.includes(String(r.contentType).toLowerCase()));
		}
		const start = body.start !== undefined ? Date.parse(String(body.start)) : undefined;
		const end = body.end !== undefined ? Date.parse(String(body.end)) : undefined;
		if (start !== undefined || end !== undefined) {
			rows = rows.filter((r) => {
				const t = Date.parse(String(r.lastAccess ?? ''));
				return (
					!Number.isNaN(t) && (start === undefined || t >= start) && (end === undefined || t <= end)
				);
			});
		}
		return rows;
	}

	// iX Studio partner APIs

	private importContent(
		req: FastifyRequest<{ Params: { orgId: string; partner: string } }>,
		reply: FastifyReply,
	) {
		const body = req.body;
		const list = Array.isArray(body) ? body : [body];
		if (list.length === 0) return fail(reply, 400, 'No content items in the request');
		const problems: string[] = [];
		list.forEach((item, i) => {
			const where = Array.isArray(body) ? `[${i}].` : '';
			if (!item || typeof item !== 'object' || Array.isArray(item))
				return problems.push(`${where.slice(0, -1) || 'body'} must be an object`);
			const c = item as Record<string, unknown>;
			for (const f of IMPORT_REQUIRED)
				if (c[f] === undefined || c[f] === null || c[f] === '')
					problems.push(`${where}${f} is required`);
			if (typeof c.description === 'string' && c.description.length > 500)
				problems.push(`${where}description must be at most 500 characters`);
			if (c.duration !== undefined && !(typeof c.duration === 'number' && c.duration >= 0))
				problems.push(`${where}duration must be a number of seconds`);
			if (typeof c.url === 'string' && !/^https?:\/\//.test(c.url))
				problems.push(`${where}url must be an http(s) URL`);
			return undefined;
		});
		if (problems.length)
			return fail(reply, 400, `Invalid content: ${problems.join('; ')}`, {
				errors: problems.map((message) => ({ message })),
			});
		const results = list.map((item) => {
			const c = item as Record<string, unknown>;
			const id = String(c.content_id);
			const existed = this.content.has(id);
			this.content.set(id, {
				...c,
				partner: req.params.partner,
				orgId: req.params.orgId,
				updatedAt: new Date(this.now()).toISOString(),
			});
			if (existed) this.ctx.ledger.recordUpdate(this.name, 'content', id, c);
			else this.ctx.ledger.recordWrite(this.name, 'content', id, c);
			return { content_id: id, status: existed ? 'UPDATED' : 'CREATED' };
		});
		return Array.isArray(body) ? results : results[0];
	}

	private track(
		req: FastifyRequest<{ Params: { orgId?: string; partner: string } }>,
		reply: FastifyReply,
	) {
		const b = req.body as Record<string, unknown> | undefined;
		if (!b || typeof b !== 'object' || Array.isArray(b))
			return fail(reply, 400, 'The request body must be a JSON object');
		for (const f of ['content_id', 'user', 'status'] as const)
			if (typeof b[f] !== 'string' || !b[f]) return fail(reply, 400, `${f} is required`);
		if (!TRACK_STATUSES.includes(String(b.status)))
			return fail(reply, 400, `status must be one of ${TRACK_STATUSES.join(', ')}`);
		if (b.event_date !== undefined && Number.isNaN(Date.parse(String(b.event_date))))
			return fail(reply, 400, 'event_date must be an ISO 8601 date-time');
		if (
			b.completion_percentage !== undefined &&
			!(
				typeof b.completion_percentage === 'number' &&
				b.completion_percentage >= 0 &&
				b.completion_percentage <= 100
			)
		) {
			return fail(reply, 400, 'completion_percentage must be a number from 0 to 100');
		}
		const key = percipioTrackKey(b);
		this.tracks.push({
			key,
			orgId: req.params.orgId,
			partner: req.params.partner,
			payload: b,
			at: this.now(),
		});
		// Every event received is recorded as a write: the same event received twice shows as a duplicate.
		this.ctx.ledger.recordWrite(this.name, 'track', key, { ...b, orgId: req.params.orgId ?? null });
		return { status: 'ok', message: 'Track event accepted' };
	}

	private postStatements(
		req: FastifyRequest<{ Params: { partner: string } }>,
		reply: FastifyReply,
	) {
		if (!req.headers['x-experience-api-version'])
			return fail(reply, 400, 'X-Experience-API-Version header is required');
		const body = req.body;
		const list = Array.isArray(body) ? body : [body];
		const ids: string[] = [];
		for (const [i, s] of list.entries()) {
			if (!s || typeof s !== 'object') return fail(reply, 400, `statement ${i} must be an object`);
			const st = s as Record<string, { id?: unknown; mbox?: unknown; account?: unknown } | unknown>;
			const actor = st.actor as
				| { mbox?: unknown; account?: { homePage?: unknown; name?: unknown } }
				| undefined;
			const verb = st.verb as { id?: unknown } | undefined;
			const object = st.object as { id?: unknown } | undefined;
			if (!actor || (!actor.mbox && !(actor.account?.homePage && actor.account?.name)))
				return fail(reply, 400, `statement ${i}: actor needs mbox or account {homePage, name}`);
			if (!verb || typeof verb.id !== 'string')
				return fail(reply, 400, `statement ${i}: verb.id is required`);
			if (!object || typeof object.id !== 'string')
				return fail(reply, 400, `statement ${i}: object.id is required`);
			if (st.id !== undefined && (typeof st.id !== 'string' || !UUID.test(st.id)))
				return fail(reply, 400, `statement ${i}: id must be a UUID`);
		}
		for (const s of list as Array<Record<string, unknown>>) {
			const id = typeof s.id === 'string' ? s.id.toLowerCase() : this.ctx.rng.uuid();
			const content = omit(s, 'stored', 'authority');
			const existing = this.statements.get(id);
			if (existing) {
				const before = omit(existing, 'stored', 'authority');
				if (JSON.stringify({ ...before, id }) !== JSON.stringify({ ...content, id }))
					return fail(reply, 409, `Statement ${id} already exists with different content`);
				this.ctx.ledger.recordUpdate(this.name, 'statement', id, s);
			} else {
				this.statements.set(id, { ...content, id, stored: new Date(this.now()).toISOString() });
				this.ctx.ledger.recordWrite(this.name, 'statement', id, s);
			}
			ids.push(id);
		}
		return ids;
	}
}

export function percipioProvider(options?: PercipioOptions): PercipioEmulator {
	return new PercipioEmulator(options);
}
