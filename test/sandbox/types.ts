// The provider-facing interface of the sandbox. An emulator implements `SandboxProvider` and
// receives a `ProviderContext`; nothing else in this folder needs to be known to write one.
// See README.md in this folder for a walk-through.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ledger } from './ledger';

/** An emulator of one provider's documented HTTP contract. */
export interface SandboxProvider {
	/** URL-safe provider name, the first segment of every URL: 'percipio' → /percipio/<host>/... */
	readonly name: string;
	/**
	 * The provider's hosts, e.g. ['oauth', 'api']. Each is mounted under /<name>/<host>, because real
	 * providers split the token host from the API host (and users point each custom URL at one).
	 */
	readonly hosts: readonly string[];
	/**
	 * Adds the routes of one host. Called once per host, at start-up, inside a Fastify plugin scope
	 * whose prefix is /<name>/<host>: register routes with paths relative to the host root, exactly as
	 * the provider documents them ('/oauth2-provider/token'). Keep `ctx`; it lives as long as the sandbox.
	 */
	register(host: string, app: FastifyInstance, ctx: ProviderContext): void | Promise<void>;
	/** Back to the initial state, default seed data included. Called by sandbox.reset(). */
	reset?(): void;
	/**
	 * "Insert records over time" (polling triggers): stores records of `kind` as if the provider had
	 * received them at `at` (ISO or epoch ms; default now) — late ones (older than records already
	 * there) and equal timestamps included. Returns the new records' ids. Throw to refuse (400 over HTTP).
	 */
	insert?(kind: string, records: InsertRecord[]): string[];
	/** Stops timers or background work (webhook retries, job state machines). Called by sandbox.close(). */
	close?(): void | Promise<void>;
	/** Adds or replaces data (clients, users, catalogue...). The shape is the emulator's own; document it. */
	seed?(data: unknown): void;
	/**
	 * The provider's own error body for `status`, used for injected status faults, parse errors, 404s
	 * and uncaught route errors. Return an object (sent as JSON) or a string. Default: `{ message }`.
	 */
	errorBody?(status: number, message: string, host: string): unknown;
	/** Credentials and ids the emulator accepts out of the box (from fixtures.ts); `npm run sandbox` prints them. */
	readonly demo?: Readonly<Record<string, string>>;
	/**
	 * Accept multipart/form-data on this provider's hosts (@fastify/multipart, read with
	 * `await request.file()` or `request.parts()`): true for the default limits (256 MiB per file,
	 * 10 files), or limits of your own. Off by default: the plugin adds per-request hooks.
	 */
	readonly multipart?:
		| boolean
		| { fileSize?: number; files?: number; fields?: number; parts?: number };
}

/** What the sandbox gives an emulator. One context per provider, shared by its hosts. */
export interface ProviderContext {
	/** The provider's name (same as SandboxProvider.name). */
	readonly name: string;
	/** Opaque bearer tokens, scoped to this provider (a Percipio token never verifies on Degreed). */
	readonly tokens: TokenIssuer;
	/** The request and write ledger shared by the whole sandbox (pass `ctx.name` as provider). */
	readonly ledger: Ledger;
	/** Seeded random numbers for this provider (ids, jitter...): same seed, same sequence. */
	readonly rng: SeededRandom;
	/** Current time in ms since the epoch; tests may freeze or advance it (sandbox.clock). */
	now(): number;
	/** Counts a request against `key` (per provider) and says whether it is within the limit. */
	rateLimit(key: string, options: RateLimitOptions): RateLimitResult;
	/** POSTs `body` to `url` (an outbound webhook). Never throws: network errors give status 0. */
	sendWebhook(
		url: string,
		body: string | Buffer,
		headers?: Record<string, string>,
		options?: WebhookOptions,
	): Promise<WebhookResult>;
	/** The sandbox's own base URL for one of this provider's hosts (valid once the sandbox listens). */
	urlFor(host: string): string;
	/**
	 * The base URL of `host` as the client addressed it (Host header), for absolute links in bodies
	 * (Degreed `links.next`...); correct even when the client reached the sandbox through another name.
	 */
	publicUrl(request: FastifyRequest, host?: string): string;
	readonly log: SandboxLogger;
}

export interface TokenGrant {
	readonly token: string;
	readonly clientId: string;
	readonly scopes: readonly string[];
	readonly subject?: string;
	readonly issuedAt: number;
	/** ms since the epoch on the sandbox clock */
	expiresAt: number;
	revoked: boolean;
}

export type TokenFailure = 'missing' | 'unknown' | 'expired' | 'revoked';
export type TokenVerification =
	| { ok: true; grant: TokenGrant }
	| { ok: false; reason: TokenFailure };

export interface IssueTokenOptions {
	clientId: string;
	scopes?: readonly string[];
	lifetimeSeconds: number;
	subject?: string;
}

export interface TokenIssuer {
	issue(options: IssueTokenOptions): { accessToken: string; expiresIn: number; grant: TokenGrant };
	/** Accepts an Authorization header value ('Bearer x', any case) or the bare token. */
	verify(authorizationHeaderOrToken: string | string[] | undefined | null): TokenVerification;
	revoke(token: string): boolean;
	/** Revokes every token not yet revoked; returns how many. */
	revokeAll(): number;
	/** Makes every active token expired (as if its lifetime had passed); returns how many. */
	expireAll(): number;
	/** Tokens issued since start/reset. */
	readonly issued: number;
	/** Tokens issued since start/reset, per client id (a successful token request each). */
	issuedByClient(): Record<string, number>;
	/** Tokens neither expired nor revoked. */
	readonly active: number;
	clear(): void;
}

export interface SeededRandom {
	/** uniform in [0, 1) */
	float(): number;
	/** uniform integer in [min, max] (both included) */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	/** lowercase hex string of `length` characters */
	hex(length: number): string;
	/** an RFC 4122 version-4-shaped UUID drawn from the seeded stream */
	uuid(): string;
}

export interface RateLimitOptions {
	perWindow: number;
	windowMs: number;
	/** 'fixed' (default): the window starts with the first request and resets after windowMs. 'sliding': the last windowMs. */
	mode?: 'fixed' | 'sliding';
	/** Requests this one counts as (default 1). */
	cost?: number;
}

export interface RateLimitResult {
	allowed: boolean;
	limit: number;
	/** requests left in the current window after this one */
	remaining: number;
	/** ms since the epoch when the window frees up (fixed: resets; sliding: the oldest request leaves) */
	resetAt: number;
	/** 0 when allowed, else whole seconds until a request would be allowed (>= 1) */
	retryAfterSeconds: number;
}

export interface WebhookOptions {
	/** default 10 000 */
	timeoutMs?: number;
}

export interface WebhookResult {
	/** HTTP status, or 0 when the request failed (refused, timeout...) */
	status: number;
	body: string;
	error?: string;
	durationMs: number;
}

export interface SandboxLogger {
	debug(message: string, ...details: unknown[]): void;
	info(message: string, ...details: unknown[]): void;
	warn(message: string, ...details: unknown[]): void;
	error(message: string, ...details: unknown[]): void;
}

/** What the sandbox knows about each request; `request.sandbox` in routes and hooks. */
export interface SandboxRequestInfo {
	/** '' when the URL matches no mounted /<provider>/<host> prefix */
	readonly provider: string;
	readonly host: string;
	/** the path inside the host, no query: '/oauth2-provider/token' */
	readonly path: string;
	/** kind of the fault applied to this request, if any */
	fault?: string;
	faultId?: string;
	/** internal: set once the request is in the ledger */
	recorded?: boolean;
	/** internal: reset the socket once the route has produced its response */
	resetAfter?: boolean;
}

declare module 'fastify' {
	interface FastifyRequest {
		/**
		 * The request body exactly as received (JSON, form and other non-multipart bodies), for
		 * signatures and for emulators that must reject what a real server would not parse.
		 */
		readonly rawBody: Buffer | undefined;
		/** Set by the sandbox before any route runs. */
		sandbox: SandboxRequestInfo;
	}
	interface FastifyContextConfig {
		/** Mark a provider's token route: its requests are counted as token requests in the stats. */
		tokenEndpoint?: boolean;
	}
}

/** One record for {@link SandboxProvider.insert}: its id (generated when absent) and its time. */
export interface InsertRecord {
	id?: string;
	at?: string | number;
	[field: string]: unknown;
}

/** The time of an inserted record, in ms since the epoch (`now` when absent). */
export function insertTime(record: InsertRecord, now: number): number {
	if (record.at === undefined) return now;
	const at = typeof record.at === 'number' ? record.at : Date.parse(record.at);
	if (!Number.isFinite(at))
		throw new Error(`"at" must be an ISO date or epoch ms (got ${String(record.at)})`);
	return at;
}
