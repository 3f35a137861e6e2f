import { createHash } from 'node:crypto';

import type { AccessToken, TokenFailure } from './types';

export const isTokenFailure = (value: unknown): value is TokenFailure =>
	(value as TokenFailure | undefined)?.kind === 'tokenFailure';

/**
 * Key of a token in the cache: a hash of every field that shapes it, so a changed secret, scope or
 * tenant never reuses an old token, and the cache never holds a secret in clear.
 */
export function tokenCacheKey(fields: Record<string, unknown>): string {
	const stable = Object.keys(fields)
		.sort()
		.map((k) => [k, fields[k] ?? null]);
	return createHash('sha256').update(JSON.stringify(stable)).digest('hex');
}

/** Refused tokens are remembered by digest: the cache of refusals holds no usable secret. */
const tokenDigest = (token: string): string =>
	createHash('sha256').update(token).digest('base64url');

export interface TokenManagerOptions {
	/** Share of the lifetime after which a token is refreshed (default 0.8). */
	refreshRatio?: number;
	/** Never keep using a token closer than this to its expiry, in ms (default 60 s). */
	minRemainingMs?: number;
	now?: () => number;
}

interface Entry {
	token: AccessToken;
	refreshAt: number;
}

/**
 * Process-wide token cache with single-flight fetching and refresh ahead of expiry.
 *
 * n8n alone refreshes a token only after a request failed with it, and does not coordinate parallel
 * executions; here every request of every execution in this process shares one token per key, one
 * fetch at a time, and a token is replaced before it can expire mid-request.
 */
export class TokenManager {
	private readonly entries = new Map<string, Entry>();
	private readonly inflight = new Map<string, Promise<AccessToken | TokenFailure>>();
	/** per key: digests of tokens the provider refused → until when to remember them */
	private readonly refused = new Map<string, Map<string, number>>();
	private readonly refreshRatio: number;
	private readonly minRemainingMs: number;
	private readonly now: () => number;
	/** Token requests made, for statistics and tests. */
	fetches = 0;

	constructor(options: TokenManagerOptions = {}) {
		this.refreshRatio = options.refreshRatio ?? 0.8;
		this.minRemainingMs = options.minRemainingMs ?? 60_000;
		this.now = options.now ?? Date.now;
	}

	/** When a token should be replaced: at 80 % of its life, but no later than 60 s before expiry. */
	refreshAt(token: AccessToken): number {
		const life = Math.max(0, token.expiresAt - token.issuedAt);
		const byRatio = token.issuedAt + life * this.refreshRatio;
		const byMargin = token.expiresAt - this.minRemainingMs;
		// A token shorter-lived than the margin would otherwise be stale from birth: keep half its life.
		return Math.max(Math.min(byRatio, byMargin), token.issuedAt + life / 2);
	}

	/**
	 * Returns a usable token for `key`. A fresh cached token is returned at once; past its refresh
	 * point one caller fetches a new one while everyone else waits for that same fetch.
	 * `seed` is a token persisted elsewhere (the credential), used when nothing better is cached.
	 */
	async get<R extends AccessToken | TokenFailure = AccessToken>(
		key: string,
		fetch: () => Promise<R>,
		seed?: AccessToken,
	): Promise<R | AccessToken> {
		const now = this.now();
		const entry = this.entries.get(key);
		if (entry && now < entry.refreshAt) return entry.token;
		// A persisted token the provider already refused is not used again, though the credential
		// still holds it (n8n never sees our refresh, so every execution brings the old one back).
		if (
			!entry &&
			seed?.accessToken &&
			now < this.refreshAt(seed) &&
			!this.wasRefused(key, seed.accessToken, now)
		) {
			this.store(key, seed);
			return seed;
		}
		return this.refresh(key, fetch);
	}

	/** Forgets `token` for `key` (after the provider refused it). A newer token is kept. */
	invalidate(key: string, token?: string): void {
		const entry = this.entries.get(key);
		const now = this.now();
		if (token !== undefined) {
			let refused = this.refused.get(key);
			if (!refused) this.refused.set(key, (refused = new Map()));
			for (const [digest, until] of refused) if (until <= now) refused.delete(digest);
			const expiresAt = entry?.token.accessToken === token ? entry.token.expiresAt : 0;
			// Remembered for a day, or longer if the token would have lived longer.
			refused.set(tokenDigest(token), Math.max(expiresAt, now + 86_400_000));
		}
		if (entry && (token === undefined || entry.token.accessToken === token))
			this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
		this.refused.clear();
	}

	private wasRefused(key: string, token: string, now: number): boolean {
		const until = this.refused.get(key)?.get(tokenDigest(token));
		return until !== undefined && until > now;
	}

	private store(key: string, token: AccessToken): void {
		this.entries.set(key, { token, refreshAt: this.refreshAt(token) });
	}

	private refresh<R extends AccessToken | TokenFailure>(
		key: string,
		fetch: () => Promise<R>,
	): Promise<R> {
		const running = this.inflight.get(key);
		if (running) return running as Promise<R>;
		this.fetches++;
		// A failure is shared with every waiter of this fetch but never cached: the next call tries again.
		const promise = fetch()
			.then((result) => {
				if (!isTokenFailure(result)) this.store(key, result);
				return result;
			})
			.finally(() => this.inflight.delete(key));
		this.inflight.set(key, promise);
		return promise;
	}
}

/** The one token manager of this process, shared by all nodes and executions. */
export const sharedTokenManager = new TokenManager();

/** Builds an AccessToken from an OAuth-style `expires_in` (seconds), with a sane default. */
export function tokenFromExpiresIn(
	accessToken: string,
	expiresInSeconds: unknown,
	now = Date.now(),
	defaultSeconds = 300,
): AccessToken {
	const seconds = Number(expiresInSeconds);
	const life = Number.isFinite(seconds) && seconds > 0 ? seconds : defaultSeconds;
	return { accessToken, issuedAt: now, expiresAt: now + life * 1000 };
}

/** Epoch ms from what a credential stores: digits (the format written now), a number or an ISO date (older credentials); 0 when unreadable. */
function epochMs(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
	const text = String(value ?? '').trim();
	if (/^\d+$/.test(text)) return Number(text);
	const t = Date.parse(text);
	return Number.isNaN(t) ? 0 : t;
}

/** `accessToken`, or `usersAccessToken` for the prefix `users` (a credential holding a token per host). */
const field = (prefix: string, name: string) =>
	prefix ? `${prefix}${name[0].toUpperCase()}${name.slice(1)}` : name;

/**
 * What a credential's `preAuthentication` returns for n8n to persist: the token, its times as epoch
 * milliseconds in decimal strings, and `issuedFor`, the `tokenKey` of the fields it was minted for.
 * The four fields must be declared on the credential as hidden properties.
 */
export function persistedFields(
	token: AccessToken,
	key: string,
	prefix = '',
): Record<string, string> {
	return {
		[field(prefix, 'accessToken')]: token.accessToken,
		[field(prefix, 'issuedAt')]: String(token.issuedAt),
		[field(prefix, 'expiresAt')]: String(token.expiresAt),
		[field(prefix, 'issuedFor')]: key,
	};
}

/**
 * The token a credential persisted, as a seed for the token manager, only when it was minted for
 * exactly today's fields (`issuedFor` equals `key`): n8n keeps the stored token after the client, the
 * secret or the scopes were edited. Undefined when there is none. An unknown issue time leaves
 * refresh to the 60 s-before-expiry rule.
 */
export function persistedToken(
	data: Record<string, unknown>,
	key: string,
	prefix = '',
): AccessToken | undefined {
	const accessToken = data[field(prefix, 'accessToken')];
	if (typeof accessToken !== 'string' || !accessToken || data[field(prefix, 'issuedFor')] !== key)
		return undefined;
	const expires = epochMs(data[field(prefix, 'expiresAt')]);
	if (expires <= 0) return undefined;
	const issued = epochMs(data[field(prefix, 'issuedAt')]);
	return { accessToken, issuedAt: issued > 0 && issued < expires ? issued : 0, expiresAt: expires };
}
