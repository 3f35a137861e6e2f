// Learn.link (Thrive Learning) emulator (reference: /work/shared/reference/providers.md §4 and
// sources/learnlink-oauth-token.txt).
//
// Hosts: 'public' (public REST API) and 'users' (users/webhooks API). Each has its own token endpoint:
//   POST /oauth2/token/:tenantId            grant_type=client_credentials; client by HTTP Basic (tenant id or
//                                           client id : API secret) or client_id/client_secret in the body;
//                                           form or JSON; optional space-delimited scope; 1-hour tokens.
//                                           A token is only valid on the host that issued it.
// Every API route also takes HTTP Basic (tenant id : API secret) instead of a bearer token.
// public:
//   GET   /rest/v1/users                    page (from 1), perPage (1–1000) → {results, pagination}
//   GET   /rest/v1/users/:id, /rest/v1/users/ref/:ref
//   POST  /rest/v2/users                    create (409 when the ref exists)
//   PATCH /rest/v2/users/ref/:ref, /rest/v2/users/ref/:ref/suspend {endDate}
//   GET   /rest/v1/contents (updatedSince), /rest/v1/contents/:id
//   GET   /rest/v1/learning/completions     userId, contentId, isRPL, completedDateRangeStart/End → bare array
//   POST  /rest/v1/learning/completions     {userId, contentId, completedAt}: 201 created / 200 "already exists"
//   GET   /rest/v1/activities               timestampFrom/To ('YYYY-MM-DD hh:mm:ss'), actions, omitActions, contentIds, contentType
//   GET   /rest/v1/audiences; POST (add) | PATCH (replace) /rest/v1/audiences/:id/members  [refs] → 200, or 207 partial
// users:
//   POST  /webhooks                         user lifecycle events {id, timestamp, eventType, content:{user}}; deduped by id
//   POST  /_sandbox/send-webhook            (sandbox control, no auth) sends a signed Thrive event to {url}
// Errors: {status, error, message}. Scopes: read routes need api/read|api/all, writes api/write|api/all,
// /webhooks api/webhooks|api/all (else 403).
// Ledger kinds (provider 'learnlink'): 'user' (key ref), 'completion' (key userId|contentId|completedAt ISO),
// 'lifecycle-event' (key event id; a resend of a known id is recorded as an update and not applied again),
// 'audience-member' (key audienceId|userId).
import { createHash, createHmac } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { basicAuth, isJson, mediaType } from '../http-helpers';
import type { InsertRecord, ProviderContext, SandboxProvider, WebhookResult } from '../types';
import { insertTime } from '../types';

export const LEARNLINK_DEMO = {
	tenantId: 'eu-west-2_SandboxT1',
	apiSecret: 'sandbox-learnlink-api-secret',
	webhookSecret: 'sandbox-learnlink-webhook-secret',
	tokenLifetimeSeconds: 3600,
} as const;

const PUBLIC_SCOPES = ['api/all', 'api/read', 'api/write'];
const USERS_SCOPES = ['api/all', 'api/webhooks'];
const LIFECYCLE = ['user_joined', 'user_updated', 'user_suspended', 'user_deleted'];
const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export interface LearnLinkTenant {
	tenantId: string;
	apiSecret: string;
	/** a separate OAuth client id, when the tenant has one (the tenant id is always accepted too) */
	clientId?: string;
	/** scopes the client may get; default all */
	scopes?: string[];
}

export interface LearnLinkUser {
	id: string;
	ref: string;
	firstName: string;
	lastName: string;
	email?: string;
	role: string;
	status: 'active' | 'suspended' | 'deleted';
	loginMethod?: string;
	jobTitle?: string;
	managerRef?: string;
	startDate?: string;
	endDate?: string;
	timeZone?: string;
	languageCode?: string;
	additionalFields?: Record<string, unknown>;
	deleted: boolean;
	createdAt: string;
	updatedAt: string;
	[key: string]: unknown;
}

export interface LearnLinkContent {
	id: string;
	title: string;
	type: string;
	urls: string[];
	createdAt: string;
	updatedAt: string;
	[key: string]: unknown;
}

export interface LearnLinkCompletion {
	id: string;
	statementId: string;
	userId: string;
	contentId: string;
	completedAt: string;
	isRPL: boolean;
	completionType: string;
}

export interface LearnLinkActivity {
	id: string;
	userId: string;
	contentId: string;
	contentType: string;
	action: string;
	/** 'YYYY-MM-DD hh:mm:ss' UTC */
	timestamp: string;
}

export interface LearnLinkAudience {
	id: string;
	ref?: string;
	name: string;
	apiControlled: boolean;
	members: string[];
	updatedAt: string;
}

export interface LearnLinkSeed {
	tenants?: LearnLinkTenant[];
	users?: Array<Partial<LearnLinkUser> & { ref: string }>;
	contents?: Array<Partial<LearnLinkContent> & { id: string }>;
	completions?: Array<
		Partial<LearnLinkCompletion> & { userId: string; contentId: string; completedAt: string }
	>;
	activities?: LearnLinkActivity[];
	audiences?: Array<Partial<LearnLinkAudience> & { id: string }>;
	/** per tenant and host; null/0 = unlimited */
	rateLimitPerMinute?: number | null;
	tokenLifetimeSeconds?: number;
}

export interface LearnLinkOptions {
	/** seed demo users, content, completions, activity and audiences (default true) */
	demoData?: boolean;
}

/** What /_sandbox/send-webhook and sendEvent() take. */
export interface SendEventOptions {
	url: string;
	/** the event; default: a content.completed event for the first demo user */
	event?: Record<string, unknown>;
	/** 'valid' (default), 'invalid' (signed with the wrong secret), 'missing' (no header), 'tampered' (signed, then the body changes) */
	signature?: 'valid' | 'invalid' | 'missing' | 'tampered';
	secret?: string;
}

type Req = FastifyRequest;
type Reply = FastifyReply;
type Access = 'read' | 'write' | 'webhooks';

function fail(reply: Reply, status: number, message: string) {
	return reply.code(status).send({ status, error: STATUS_CODES[status] ?? 'Error', message });
}

const iso = (ms: number) => new Date(ms).toISOString();
const stampOf = (isoText: string) => isoText.slice(0, 19).replace('T', ' ');

export class LearnLinkEmulator implements SandboxProvider {
	readonly name = 'learnlink';
	readonly hosts = ['public', 'users'] as const;
	readonly demo = {
		tenantId: LEARNLINK_DEMO.tenantId,
		apiSecret: LEARNLINK_DEMO.apiSecret,
		webhookSecret: LEARNLINK_DEMO.webhookSecret,
	};
	private ctx!: ProviderContext;
	tenants = new Map<string, LearnLinkTenant>();
	users = new Map<string, LearnLinkUser>();
	contents = new Map<string, LearnLinkContent>();
	completions: LearnLinkCompletion[] = [];
	activities: LearnLinkActivity[] = [];
	audiences = new Map<string, LearnLinkAudience>();
	/** lifecycle events applied, by id */
	events = new Map<string, Record<string, unknown>>();
	/** event ids received more than once (resends), in order of arrival */
	duplicateEvents: string[] = [];
	private rateLimitPerMinute: number | null = null;
	private tokenLifetimeSeconds: number = LEARNLINK_DEMO.tokenLifetimeSeconds;
	private seq = 0;

	constructor(private readonly options: LearnLinkOptions = {}) {
		this.reset();
	}

	register(host: string, app: FastifyInstance, ctx: ProviderContext): void {
		this.ctx = ctx;
		app.post<{ Params: { tenantId: string } }>(
			'/oauth2/token/:tenantId',
			{ config: { tokenEndpoint: true } },
			async (req, reply) => this.token(host as 'public' | 'users', req, reply),
		);
		if (host === 'public') this.registerPublic(app);
		else this.registerUsers(app);
	}

	/** kinds 'completion' (completedAt `at`), 'content' (created or changed at `at`), 'activity' (timestamp `at`, whole seconds). */
	insert(kind: string, records: InsertRecord[]): string[] {
		const users = [...this.users.values()];
		const contents = [...this.contents.values()];
		return records.map((r, i) => {
			const at = new Date(insertTime(r, this.now())).toISOString();
			const user = users[i % users.length];
			const content = contents[i % contents.length];
			if (kind === 'completion') {
				const userId = r.id ? `ins-user-${r.id}` : user.id;
				return this.addCompletion(userId, content.id, at).completion.id;
			}
			if (kind === 'content') {
				const id = r.id ?? this.idFor('content', `ins-${this.contents.size}-${at}`);
				this.contents.set(id, {
					title: `Inserted ${id}`,
					type: 'article',
					urls: [],
					createdAt: at,
					...this.contents.get(id),
					id,
					updatedAt: at,
				});
				return id;
			}
			if (kind === 'activity') {
				const id = r.id ?? `act-ins-${this.activities.length + 1}`;
				this.activities.push({
					id,
					userId: user.id,
					contentId: content.id,
					contentType: content.type,
					action: 'viewed',
					timestamp: at.slice(0, 19).replace('T', ' '),
				});
				return id;
			}
			throw new Error(
				`Learn.link inserts 'completion', 'content' or 'activity' records (got '${kind}')`,
			);
		});
	}

	reset(): void {
		this.tenants = new Map([
			[
				LEARNLINK_DEMO.tenantId,
				{ tenantId: LEARNLINK_DEMO.tenantId, apiSecret: LEARNLINK_DEMO.apiSecret },
			],
		]);
		this.users = new Map();
		this.contents = new Map();
		this.completions = [];
		this.activities = [];
		this.audiences = new Map();
		this.events = new Map();
		this.duplicateEvents = [];
		this.rateLimitPerMinute = null;
		this.tokenLifetimeSeconds = LEARNLINK_DEMO.tokenLifetimeSeconds;
		this.seq = 0;
		if (this.options.demoData !== false) this.seedDemo();
	}

	seed(data: unknown): void {
		const d = (data ?? {}) as LearnLinkSeed;
		for (const t of d.tenants ?? []) {
			if (typeof t?.tenantId !== 'string' || typeof t.apiSecret !== 'string')
				throw new Error('each tenant needs tenantId and apiSecret');
			this.tenants.set(t.tenantId, { ...t });
		}
		if (d.tokenLifetimeSeconds !== undefined) this.tokenLifetimeSeconds = d.tokenLifetimeSeconds;
		if (d.rateLimitPerMinute !== undefined)
			this.rateLimitPerMinute =
				d.rateLimitPerMinute && d.rateLimitPerMinute > 0 ? d.rateLimitPerMinute : null;
		const now = iso(this.now());
		for (const u of d.users ?? []) {
			if (typeof u?.ref !== 'string') throw new Error('each user needs ref');
			const existing = this.userBy('ref', u.ref);
			const user: LearnLinkUser = {
				role: 'learner',
				status: 'active',
				deleted: false,
				firstName: '',
				lastName: '',
				createdAt: now,
				...existing,
				...u,
				id: u.id ?? existing?.id ?? this.idFor('user', u.ref),
				updatedAt: u.updatedAt ?? now,
			} as LearnLinkUser;
			this.users.set(user.id, user);
		}
		for (const c of d.contents ?? []) {
			const content: LearnLinkContent = {
				title: c.id,
				type: 'article',
				urls: [],
				createdAt: now,
				updatedAt: now,
				...this.contents.get(c.id),
				...c,
			} as LearnLinkContent;
			this.contents.set(content.id, content);
		}
		for (const c of d.completions ?? [])
			this.addCompletion(
				c.userId,
				c.contentId,
				new Date(c.completedAt).toISOString(),
				c.isRPL ?? false,
			);
		if (d.activities) this.activities.push(...d.activities);
		for (const a of d.audiences ?? [])
			this.audiences.set(a.id, {
				name: a.id,
				apiControlled: true,
				members: [],
				updatedAt: now,
				...this.audiences.get(a.id),
				...a,
			} as LearnLinkAudience);
	}

	errorBody(status: number, message: string): unknown {
		return { status, error: STATUS_CODES[status] ?? 'Error', message };
	}

	/** Signs `rawBody` as Thrive does: `sha256=` + hex HMAC-SHA256 with the subscription's secret. */
	static sign(rawBody: string | Buffer, secret: string): string {
		return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
	}

	/** A Thrive-shaped completion event (content.completed). */
	completionEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
		const user = [...this.users.values()][0] ?? {
			id: 'u-1',
			ref: 'emp-1',
			email: 'ada@example.com',
			firstName: 'Ada',
			lastName: 'Lovelace',
		};
		const content = [...this.contents.values()][0] ?? {
			id: 'c-1',
			title: 'Intro',
			type: 'article',
			urls: [],
		};
		const now = iso(this.now());
		return {
			eventType: 'content.completed',
			tenantId: LEARNLINK_DEMO.tenantId,
			createdAt: now,
			dispatchedAt: now,
			user: {
				id: user.id,
				reference: user.ref,
				email: user.email,
				firstName: user.firstName,
				lastName: user.lastName,
			},
			content: { id: content.id, title: content.title, type: content.type, urls: content.urls },
			...overrides,
		};
	}

	/** Sends an outbound Thrive webhook to `url`, signed (or badly signed) as asked. */
	async sendEvent(options: SendEventOptions): Promise<WebhookResult & { sentBody: string }> {
		const body = JSON.stringify(options.event ?? this.completionEvent());
		const secret = options.secret ?? LEARNLINK_DEMO.webhookSecret;
		const mode = options.signature ?? 'valid';
		const headers: Record<string, string> = {};
		let sent = body;
		if (mode === 'valid') headers['x-hmac-signature'] = LearnLinkEmulator.sign(body, secret);
		if (mode === 'invalid')
			headers['x-hmac-signature'] = LearnLinkEmulator.sign(body, `${secret}-wrong`);
		if (mode === 'tampered') {
			headers['x-hmac-signature'] = LearnLinkEmulator.sign(body, secret);
			sent = body.replace(/"eventType":"[^"]*"/, '"eventType":"content.deleted"');
			if (sent === body) sent = `${body} `;
		}
		const result = await this.ctx.sendWebhook(options.url, sent, headers);
		return { ...result, sentBody: sent };
	}

	private now(): number {
		return this.ctx ? this.ctx.now() : Date.now();
	}

	private idFor(kind: string, key: string): string {
		return createHash('sha256').update(`${kind}:${key}`).digest('hex').slice(0, 24);
	}

	private userBy(field: 'id' | 'ref' | 'email', value: string): LearnLinkUser | undefined {
		if (field === 'id') return this.users.get(value);
		const v = value.toLowerCase();
		for (const u of this.users.values()) if (String(u[field] ?? '').toLowerCase() === v) return u;
		return undefined;
	}

	private addCompletion(
		userId: string,
		contentId: string,
		completedAt: string,
		isRPL = false,
	): { completion: LearnLinkCompletion; created: boolean } {
		const existing = this.completions.find(
			(c) => c.userId === userId && c.contentId === contentId && c.completedAt === completedAt,
		);
		if (existing) return { completion: existing, created: false };
		const key = `${userId}|${contentId}|${completedAt}`;
		const completion: LearnLinkCompletion = {
			id: this.idFor('completion', key),
			statementId: this.idFor('statement', key),
			userId,
			contentId,
			completedAt,
			isRPL,
			completionType: 'complete',
		};
		this.completions.push(completion);
		return { completion, created: true };
	}

	private seedDemo(): void {
		const day = (d: number) => iso(Date.UTC(2026, 10, d, 9, 30));
		this.seed({
			users: [
				{
					ref: 'emp-1001',
					firstName: 'Ada',
					lastName: 'Lovelace',
					email: 'ada.lovelace@example.com',
					jobTitle: 'Engineer',
					role: 'learner',
					updatedAt: day(2),
				},
				{
					ref: 'emp-1002',
					firstName: 'Grace',
					lastName: 'Hopper',
					email: 'grace.hopper@example.com',
					jobTitle: 'Engineering Manager',
					role: 'learneradmin',
					updatedAt: day(3),
				},
				{
					ref: 'emp-1003',
					firstName: 'Alan',
					lastName: 'Turing',
					email: 'alan.turing@example.com',
					managerRef: 'emp-1002',
					updatedAt: day(4),
				},
				{
					ref: 'emp-1004',
					firstName: 'Katherine',
					lastName: 'Johnson',
					email: 'katherine.johnson@example.com',
					updatedAt: day(5),
				},
				{
					ref: 'emp-1005',
					firstName: 'Tim',
					lastName: 'Berners-Lee',
					email: 'tim.bernerslee@example.com',
					role: 'administrator',
					updatedAt: day(6),
				},
			],
			contents: [
				{
					id: 'cnt-101',
					title: 'Information Security Essentials',
					type: 'course',
					urls: ['https://sandbox.learn.link/content/cnt-101'],
					updatedAt: day(1),
				},
				{
					id: 'cnt-102',
					title: 'Giving Feedback That Lands',
					type: 'video',
					urls: ['https://sandbox.learn.link/content/cnt-102'],
					updatedAt: day(3),
				},
				{
					id: 'cnt-103',
					title: 'GDPR in Practice',
					type: 'scorm',
					urls: ['https://sandbox.learn.link/content/cnt-103'],
					updatedAt: day(7),
				},
				{
					id: 'cnt-104',
					title: 'Writing Clear Documentation',
					type: 'article',
					urls: ['https://sandbox.learn.link/content/cnt-104'],
					updatedAt: day(9),
				},
			],
			audiences: [
				{ id: 'aud-eng', ref: 'engineering', name: 'Engineering', apiControlled: true },
				{ id: 'aud-new', ref: 'new-starters', name: 'New starters', apiControlled: false },
			],
		});
		const u = (ref: string) => this.userBy('ref', ref)!.id;
		this.seed({
			completions: [
				{ userId: u('emp-1001'), contentId: 'cnt-101', completedAt: day(10) },
				{ userId: u('emp-1002'), contentId: 'cnt-101', completedAt: day(11) },
				{ userId: u('emp-1003'), contentId: 'cnt-103', completedAt: day(12) },
			],
			activities: [
				{
					id: 'act-1',
					userId: u('emp-1001'),
					contentId: 'cnt-101',
					contentType: 'course',
					action: 'viewed',
					timestamp: '2026-11-10 09:00:00',
				},
				{
					id: 'act-2',
					userId: u('emp-1001'),
					contentId: 'cnt-101',
					contentType: 'course',
					action: 'completed',
					timestamp: '2026-11-10 09:30:00',
				},
				{
					id: 'act-3',
					userId: u('emp-1003'),
					contentId: 'cnt-103',
					contentType: 'scorm',
					action: 'completed',
					timestamp: '2026-11-12 09:30:00',
				},
			],
		});
		this.audiences.get('aud-eng')!.members = [u('emp-1001'), u('emp-1003')];
	}

	// ---- token endpoint (both hosts) ----

	private token(
		host: 'public' | 'users',
		req: Req & { Params?: { tenantId: string } },
		reply: Reply,
	) {
		const tenantId = (req.params as { tenantId: string }).tenantId;
		const type = mediaType(req);
		if (type !== 'application/x-www-form-urlencoded' && !isJson(req))
			return fail(
				reply,
				400,
				`Unsupported Content-Type '${type || 'none'}': send application/x-www-form-urlencoded`,
			);
		const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<
			string,
			unknown
		>;
		const tenant = this.tenants.get(tenantId);
		const basic = basicAuth(req.headers.authorization);
		const clientId =
			basic?.user ?? (typeof body.client_id === 'string' ? body.client_id : undefined);
		const secret =
			basic?.password ?? (typeof body.client_secret === 'string' ? body.client_secret : undefined);
		if (clientId === undefined || secret === undefined)
			return fail(
				reply,
				401,
				'Client authentication is required (HTTP Basic with Tenant ID and API secret)',
			);
		if (body.grant_type !== 'client_credentials')
			return fail(
				reply,
				400,
				`grant_type must be client_credentials (got ${body.grant_type === undefined ? 'none' : `'${String(body.grant_type)}'`})`,
			);
		if (!tenant) return fail(reply, 401, 'Invalid client credentials');
		const clientOk =
			clientId === tenant.tenantId ||
			(tenant.clientId !== undefined && clientId === tenant.clientId);
		// A client given both ways must agree.
		if (basic && body.client_id !== undefined && body.client_id !== basic.user)
			return fail(reply, 401, 'Invalid client credentials');
		if (!clientOk || secret !== tenant.apiSecret)
			return fail(reply, 401, 'Invalid client credentials');
		const known = host === 'public' ? PUBLIC_SCOPES : USERS_SCOPES;
		const allowed = (tenant.scopes ?? known).filter((s) => known.includes(s));
		if (body.scope !== undefined && typeof body.scope !== 'string')
			return fail(reply, 400, 'scope must be a space-delimited string');
		const requested =
			typeof body.scope === 'string' && body.scope.trim()
				? body.scope.trim().split(' ').filter(Boolean)
				: allowed;
		const bad = requested.filter((s) => !known.includes(s) || !allowed.includes(s));
		if (bad.length)
			return fail(
				reply,
				400,
				`invalid_scope: ${bad.join(' ')} ${bad.some((s) => !known.includes(s)) ? `is not a scope of the ${host === 'public' ? 'public' : 'webhooks'} API` : 'is not allowed for this client'}`,
			);
		if (requested.length === 0)
			return fail(
				reply,
				400,
				`invalid_scope: this client has no ${host === 'public' ? 'public' : 'webhooks'} API scope`,
			);
		const { accessToken, expiresIn } = this.ctx.tokens.issue({
			clientId: `${host}:${tenant.tenantId}`,
			scopes: requested,
			lifetimeSeconds: this.tokenLifetimeSeconds,
		});
		reply.header('cache-control', 'no-store');
		return {
			access_token: accessToken,
			token_type: 'Bearer',
			expires_in: expiresIn,
			scope: requested.join(' '),
		};
	}

	// ---- auth guard ----

	private guard(
		host: 'public' | 'users',
		access: Access,
		req: Req,
		reply: Reply,
		route: (tenant: string) => unknown,
	) {
		const header = req.headers.authorization;
		let tenant: string | undefined;
		const basic = basicAuth(header);
		if (basic) {
			const t =
				this.tenants.get(basic.user) ??
				[...this.tenants.values()].find((x) => x.clientId === basic.user);
			if (!t || t.apiSecret !== basic.password) return fail(reply, 401, 'Invalid credentials');
			tenant = t.tenantId;
		} else {
			const v = this.ctx.tokens.verify(header);
			if (!v.ok)
				return fail(
					reply,
					401,
					{
						missing: 'Missing credentials',
						unknown: 'Invalid access token',
						expired: 'The access token has expired',
						revoked: 'The access token has been revoked',
					}[v.reason],
				);
			const [tokenHost, tokenTenant] = v.grant.clientId.split(':');
			if (tokenHost !== host)
				return fail(
					reply,
					401,
					`This access token was issued for the ${tokenHost} API, not this one`,
				);
			const need =
				access === 'webhooks'
					? ['api/webhooks', 'api/all']
					: access === 'read'
						? ['api/read', 'api/all']
						: ['api/write', 'api/all'];
			if (!v.grant.scopes.some((s) => need.includes(s)))
				return fail(reply, 403, `Missing scope: one of ${need.join(', ')}`);
			tenant = tokenTenant;
		}
		if (this.rateLimitPerMinute) {
			const r = this.ctx.rateLimit(`${tenant}:${host}`, {
				perWindow: this.rateLimitPerMinute,
				windowMs: 60_000,
			});
			if (!r.allowed) {
				reply.header('retry-after', String(r.retryAfterSeconds));
				return fail(reply, 429, 'rate_limit_exceeded');
			}
		}
		return route(tenant);
	}

	private paging(req: Req, reply: Reply): { page: number; perPage: number } | undefined {
		const q = req.query as Record<string, string | undefined>;
		const page = q.page === undefined ? 1 : Number(q.page);
		const perPage = q.perPage === undefined ? 100 : Number(q.perPage);
		if (!Number.isInteger(page) || page < 1) {
			fail(reply, 400, 'page must be an integer >= 1');
			return undefined;
		}
		if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000) {
			fail(reply, 400, 'perPage must be an integer between 1 and 1000');
			return undefined;
		}
		return { page, perPage };
	}

	private pageOf<T>(all: T[], p: { page: number; perPage: number }) {
		const results = all.slice((p.page - 1) * p.perPage, p.page * p.perPage);
		return {
			results,
			pagination: {
				page: p.page,
				perPage: p.perPage,
				totalResults: all.length,
				totalPages: Math.ceil(all.length / p.perPage),
			},
		};
	}

	// ---- public API ----

	private registerPublic(app: FastifyInstance): void {
		type P<T> = { Params: T };
		const g =
			(access: Access, fn: (req: Req, reply: Reply) => unknown) => async (req: Req, reply: Reply) =>
				this.guard('public', access, req, reply, () => fn(req, reply));
		app.get(
			'/rest/v1/users',
			g('read', (req, reply) => {
				const p = this.paging(req, reply);
				if (!p) return reply;
				return this.pageOf([...this.users.values()], p);
			}),
		);
		app.get<P<{ id: string }>>(
			'/rest/v1/users/:id',
			g(
				'read',
				(req, reply) =>
					this.userBy('id', (req.params as { id: string }).id) ??
					fail(reply, 404, 'User not found'),
			),
		);
		app.get<P<{ ref: string }>>(
			'/rest/v1/users/ref/:ref',
			g(
				'read',
				(req, reply) =>
					this.userBy('ref', (req.params as { ref: string }).ref) ??
					fail(reply, 404, 'User not found'),
			),
		);
		app.post(
			'/rest/v2/users',
			g('write', (req, reply) => this.createUser(req, reply)),
		);
		app.patch<P<{ ref: string }>>(
			'/rest/v2/users/ref/:ref',
			g('write', (req, reply) => this.updateUser((req.params as { ref: string }).ref, req, reply)),
		);
		app.patch<P<{ ref: string }>>(
			'/rest/v2/users/ref/:ref/suspend',
			g('write', (req, reply) => this.suspendUser((req.params as { ref: string }).ref, req, reply)),
		);
		app.get(
			'/rest/v1/contents',
			g('read', (req, reply) => {
				const p = this.paging(req, reply);
				if (!p) return reply;
				const since = (req.query as Record<string, string | undefined>).updatedSince;
				if (since !== undefined && Number.isNaN(Date.parse(since)))
					return fail(reply, 400, 'updatedSince must be an ISO 8601 date');
				const list = [...this.contents.values()].filter(
					(c) => since === undefined || Date.parse(c.updatedAt) >= Date.parse(since),
				);
				return this.pageOf(list, p);
			}),
		);
		app.get<P<{ id: string }>>(
			'/rest/v1/contents/:id',
			g(
				'read',
				(req, reply) =>
					this.contents.get((req.params as { id: string }).id) ??
					fail(reply, 404, 'Content not found'),
			),
		);
		app.get(
			'/rest/v1/learning/completions',
			g('read', (req, reply) => this.listCompletions(req, reply)),
		);
		app.post(
			'/rest/v1/learning/completions',
			g('write', (req, reply) => this.createCompletion(req, reply)),
		);
		app.get(
			'/rest/v1/activities',
			g('read', (req, reply) => this.listActivities(req, reply)),
		);
		app.get(
			'/rest/v1/audiences',
			g('read', (req, reply) => {
				const p = this.paging(req, reply);
				if (!p) return reply;
				const q = req.query as Record<string, string | undefined>;
				const list = [...this.audiences.values()]
					.filter(
						(a) => q.apiControlled === undefined || String(a.apiControlled) === q.apiControlled,
					)
					.filter(
						(a) =>
							q.updatedSince === undefined || Date.parse(a.updatedAt) >= Date.parse(q.updatedSince),
					)
					.map(({ members, ...a }) => ({ ...a, memberCount: members.length }));
				return this.pageOf(list, p);
			}),
		);
		app.post<P<{ id: string }>>(
			'/rest/v1/audiences/:id/members',
			g('write', (req, reply) =>
				this.members('add', (req.params as { id: string }).id, req, reply),
			),
		);
		app.patch<P<{ id: string }>>(
			'/rest/v1/audiences/:id/members',
			g('write', (req, reply) =>
				this.members('replace', (req.params as { id: string }).id, req, reply),
			),
		);
	}

	private body(req: Req, reply: Reply): Record<string, unknown> | undefined {
		if (!isJson(req) || !req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
			fail(reply, 400, 'The body must be a JSON object');
			return undefined;
		}
		return req.body as Record<string, unknown>;
	}

	private validateUserFields(
		b: Record<string, unknown>,
		reply: Reply,
		creating: boolean,
	): string | undefined {
		const strings = [
			'ref',
			'firstName',
			'lastName',
			'email',
			'loginMethod',
			'role',
			'jobTitle',
			'managerRef',
			'startDate',
			'endDate',
			'timeZone',
			'languageCode',
			'domain',
		];
		for (const k of strings)
			if (b[k] !== undefined && typeof b[k] !== 'string') return `${k} must be a string`;
		if (b.sso !== undefined && typeof b.sso !== 'boolean') return 'sso must be a boolean';
		if (
			b.additionalFields !== undefined &&
			(typeof b.additionalFields !== 'object' ||
				Array.isArray(b.additionalFields) ||
				b.additionalFields === null)
		)
			return 'additionalFields must be an object';
		if (
			b.role !== undefined &&
			!['administrator', 'learneradmin', 'learner'].includes(b.role as string)
		)
			return `role must be administrator, learneradmin or learner`;
		if (b.loginMethod !== undefined && !['email', 'ref'].includes(b.loginMethod as string))
			return 'loginMethod must be email or ref';
		if (b.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(b.email as string))
			return 'email is not a valid email address';
		for (const k of ['startDate', 'endDate'])
			if (b[k] !== undefined && Number.isNaN(Date.parse(b[k] as string)))
				return `${k} must be an ISO 8601 date`;
		if (creating) {
			for (const k of ['ref', 'firstName', 'lastName']) if (!b[k]) return `${k} is required`;
			if ((b.loginMethod ?? 'email') === 'email' && !b.email)
				return 'email is required unless loginMethod is ref';
		}
		void reply;
		return undefined;
	}

	private createUser(req: Req, reply: Reply) {
		const b = this.body(req, reply);
		if (!b) return reply;
		const problem = this.validateUserFields(b, reply, true);
		if (problem) return fail(reply, 422, problem);
		if (this.userBy('ref', b.ref as string))
			return fail(reply, 409, `A user with ref '${String(b.ref)}' already exists`);
		const now = iso(this.now());
		const user = {
			role: 'learner',
			...b,
			id: this.idFor('user', b.ref as string),
			status: 'active',
			deleted: false,
			createdAt: now,
			updatedAt: now,
		} as LearnLinkUser;
		this.users.set(user.id, user);
		this.ctx.ledger.recordWrite(this.name, 'user', user.ref, user);
		return reply.code(201).send(user);
	}

	private updateUser(ref: string, req: Req, reply: Reply) {
		const b = this.body(req, reply);
		if (!b) return reply;
		const problem = this.validateUserFields(b, reply, false);
		if (problem) return fail(reply, 422, problem);
		const user = this.userBy('ref', ref);
		if (!user) return fail(reply, 404, `No user with ref '${ref}'`);
		if (b.ref !== undefined && b.ref !== ref && this.userBy('ref', b.ref as string))
			return fail(reply, 409, `A user with ref '${String(b.ref)}' already exists`);
		Object.assign(user, b, { updatedAt: iso(this.now()) });
		this.ctx.ledger.recordUpdate(this.name, 'user', ref, user);
		return user;
	}

	private suspendUser(ref: string, req: Req, reply: Reply) {
		const b = this.body(req, reply);
		if (!b) return reply;
		if (typeof b.endDate !== 'string' || Number.isNaN(Date.parse(b.endDate)))
			return fail(reply, 422, 'endDate is required (ISO 8601 date)');
		const user = this.userBy('ref', ref);
		if (!user) return fail(reply, 404, `No user with ref '${ref}'`);
		Object.assign(user, { status: 'suspended', endDate: b.endDate, updatedAt: iso(this.now()) });
		this.ctx.ledger.recordUpdate(this.name, 'user', ref, user);
		return user;
	}

	private listCompletions(req: Req, reply: Reply) {
		const p = this.paging(req, reply);
		if (!p) return reply;
		const q = req.query as Record<string, string | undefined>;
		for (const k of ['completedDateRangeStart', 'completedDateRangeEnd'])
			if (q[k] !== undefined && Number.isNaN(Date.parse(q[k]!)))
				return fail(reply, 400, `${k} must be an ISO 8601 date`);
		const list = this.completions.filter(
			(c) =>
				(q.userId === undefined || c.userId === q.userId) &&
				(q.contentId === undefined || c.contentId === q.contentId) &&
				(q.isRPL === undefined || String(c.isRPL) === q.isRPL) &&
				(q.completedDateRangeStart === undefined ||
					Date.parse(c.completedAt) >= Date.parse(q.completedDateRangeStart)) &&
				(q.completedDateRangeEnd === undefined ||
					Date.parse(c.completedAt) <= Date.parse(q.completedDateRangeEnd)),
		);
		// This endpoint answers a bare array (no totals): the client stops at a short page.
		return list.slice((p.page - 1) * p.perPage, p.page * p.perPage);
	}

	private createCompletion(req: Req, reply: Reply) {
		const b = this.body(req, reply);
		if (!b) return reply;
		for (const k of ['userId', 'contentId', 'completedAt'])
			if (typeof b[k] !== 'string' || !b[k]) return fail(reply, 400, `${k} is required`);
		if (Number.isNaN(Date.parse(b.completedAt as string)))
			return fail(reply, 400, 'completedAt must be an ISO 8601 date-time');
		if (!this.users.has(b.userId as string))
			return fail(reply, 404, `User '${String(b.userId)}' not found`);
		if (!this.contents.has(b.contentId as string))
			return fail(reply, 404, `Content '${String(b.contentId)}' not found`);
		const completedAt = new Date(b.completedAt as string).toISOString();
		const { completion, created } = this.addCompletion(
			b.userId as string,
			b.contentId as string,
			completedAt,
		);
		const key = `${completion.userId}|${completion.contentId}|${completedAt}`;
		if (created) {
			this.ctx.ledger.recordWrite(this.name, 'completion', key, completion);
			return reply
				.code(201)
				.send({ statementId: completion.statementId, message: 'Completion created' });
		}
		this.ctx.ledger.recordUpdate(this.name, 'completion', key, completion);
		return reply
			.code(200)
			.send({ statementId: completion.statementId, message: 'Completion already exists' });
	}

	private listActivities(req: Req, reply: Reply) {
		const p = this.paging(req, reply);
		if (!p) return reply;
		const q = req.query as Record<string, string | undefined>;
		for (const k of ['timestampFrom', 'timestampTo'])
			if (q[k] !== undefined && !STAMP.test(q[k]!))
				return fail(reply, 400, `${k} must be formatted YYYY-MM-DD hh:mm:ss`);
		const csv = (v: string | undefined) =>
			v === undefined
				? undefined
				: v
						.split(',')
						.map((s) => s.trim())
						.filter(Boolean);
		const actions = csv(q.actions);
		const omit = csv(q.omitActions);
		const contentIds = csv(q.contentIds);
		const list = this.activities.filter(
			(a) =>
				(q.timestampFrom === undefined || a.timestamp >= q.timestampFrom) &&
				(q.timestampTo === undefined || a.timestamp <= q.timestampTo) &&
				(!actions || actions.includes(a.action)) &&
				(!omit || !omit.includes(a.action)) &&
				(!contentIds || contentIds.includes(a.contentId)) &&
				(q.contentType === undefined || a.contentType === q.contentType),
		);
		return this.pageOf(list, p);
	}

	private members(mode: 'add' | 'replace', audienceId: string, req: Req, reply: Reply) {
		if (!isJson(req) || !Array.isArray(req.body))
			return fail(reply, 400, 'The body must be a JSON array of user emails, refs or ids');
		const refs = req.body as unknown[];
		if (refs.length === 0)
			return fail(
				reply,
				400,
				mode === 'replace'
					? 'An empty array is not supported: it would remove every member'
					: 'Name at least one user',
			);
		if (refs.length > 100) return fail(reply, 400, 'At most 100 users per request');
		if (refs.some((r) => typeof r !== 'string'))
			return fail(reply, 400, 'Every entry must be a string');
		const audience =
			this.audiences.get(audienceId) ??
			[...this.audiences.values()].find((a) => a.ref === audienceId);
		if (!audience) return fail(reply, 404, `Audience '${audienceId}' not found`);
		const success: Array<{ reference: string; id: string }> = [];
		const failure: Array<{ reference: string; reason: string }> = [];
		const resolved: string[] = [];
		for (const reference of refs as string[]) {
			const user =
				this.userBy('id', reference) ??
				this.userBy('ref', reference) ??
				this.userBy('email', reference);
			if (!user) failure.push({ reference, reason: 'User not found' });
			else if (user.status !== 'active')
				failure.push({ reference, reason: `User is ${user.status}` });
			else {
				success.push({ reference, id: user.id });
				resolved.push(user.id);
			}
		}
		if (mode === 'replace' && resolved.length === 0)
			return fail(
				reply,
				400,
				'None of the users could be resolved; the audience was left unchanged',
			);
		const before = new Set(audience.members);
		audience.members =
			mode === 'add' ? [...new Set([...audience.members, ...resolved])] : [...new Set(resolved)];
		audience.updatedAt = iso(this.now());
		for (const id of resolved) {
			if (before.has(id))
				this.ctx.ledger.recordUpdate(this.name, 'audience-member', `${audience.id}|${id}`);
			else this.ctx.ledger.recordWrite(this.name, 'audience-member', `${audience.id}|${id}`);
		}
		const result = {
			success: { count: success.length, entities: success },
			failure: { count: failure.length, entities: failure },
		};
		return reply.code(failure.length ? 207 : 200).send(result);
	}

	// ---- users/webhooks API ----

	private registerUsers(app: FastifyInstance): void {
		app.post('/webhooks', async (req, reply) =>
			this.guard('users', 'webhooks', req, reply, () => this.lifecycle(req, reply)),
		);
		app.post('/_sandbox/send-webhook', async (req, reply) => {
			const b = (
				req.body && typeof req.body === 'object' ? req.body : {}
			) as Partial<SendEventOptions>;
			if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url))
				return fail(
					reply,
					400,
					'Send {"url": "http://...", "signature"?: "valid"|"invalid"|"missing"|"tampered", "event"?: {...}, "secret"?: "..."}',
				);
			if (
				b.signature !== undefined &&
				!['valid', 'invalid', 'missing', 'tampered'].includes(b.signature)
			)
				return fail(reply, 400, 'signature must be valid, invalid, missing or tampered');
			const result = await this.sendEvent({
				url: b.url,
				signature: b.signature,
				event: b.event,
				secret: b.secret,
			});
			return {
				status: result.status,
				body: result.body,
				error: result.error,
				sentBody: result.sentBody,
			};
		});
	}

	private lifecycle(req: Req, reply: Reply) {
		const b = this.body(req, reply);
		if (!b) return reply;
		if (typeof b.id !== 'string' || !b.id.trim())
			return fail(reply, 400, 'id (a unique reference of the event) is required');
		if (typeof b.timestamp !== 'string' || Number.isNaN(Date.parse(b.timestamp)))
			return fail(reply, 400, 'timestamp must be an ISO 8601 date-time');
		if (!LIFECYCLE.includes(b.eventType as string))
			return fail(reply, 400, `eventType must be one of ${LIFECYCLE.join(', ')}`);
		const user = ((b.content ?? {}) as Record<string, unknown>).user as
			| Record<string, unknown>
			| undefined;
		if (!user || typeof user !== 'object' || typeof user.ref !== 'string' || !user.ref)
			return fail(reply, 400, 'content.user.ref is required');
		if (this.events.has(b.id)) {
			// A resend of an event already received: acknowledged, not applied again.
			this.duplicateEvents.push(b.id);
			this.ctx.ledger.recordUpdate(this.name, 'lifecycle-event', b.id, b);
			return reply.code(202).send({ id: b.id, status: 'duplicate' });
		}
		if (b.eventType === 'user_joined') {
			const existing = this.userBy('ref', user.ref);
			if (!existing && (!user.firstName || !user.lastName || !user.email))
				return fail(reply, 422, 'user_joined for a new user needs firstName, lastName and email');
		} else if (!this.userBy('ref', user.ref))
			return fail(reply, 404, `No user with ref '${user.ref}'`);
		this.events.set(b.id, b);
		this.ctx.ledger.recordWrite(this.name, 'lifecycle-event', b.id, b);
		this.applyLifecycle(b.eventType as string, user);
		return reply.code(202).send({ id: b.id, status: 'accepted' });
	}

	private applyLifecycle(eventType: string, fields: Record<string, unknown>): void {
		const now = iso(this.now());
		const ref = fields.ref as string;
		let user = this.userBy('ref', ref);
		if (!user) {
			user = {
				id: this.idFor('user', ref),
				ref,
				firstName: '',
				lastName: '',
				role: 'learner',
				status: 'active',
				deleted: false,
				createdAt: now,
				updatedAt: now,
			};
			this.users.set(user.id, user);
		}
		if (eventType === 'user_joined' || eventType === 'user_updated')
			Object.assign(user, fields, { updatedAt: now });
		if (eventType === 'user_joined') Object.assign(user, { status: 'active', deleted: false });
		if (eventType === 'user_suspended')
			Object.assign(user, { status: 'suspended', updatedAt: now });
		if (eventType === 'user_deleted')
			Object.assign(user, {
				status: 'deleted',
				deleted: true,
				firstName: 'Deleted',
				lastName: 'User',
				email: undefined,
				updatedAt: now,
			});
	}
}

export function learnlinkProvider(options?: LearnLinkOptions): LearnLinkEmulator {
	return new LearnLinkEmulator(options);
}

/** The sandbox's activity timestamp form, for tests. */
export const learnLinkStamp = stampOf;
