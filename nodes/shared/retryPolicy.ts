import type { RetryOptions } from './types';

/** Defaults of "Request Options": the UI (descriptions.ts) shows these same numbers. */
export const DEFAULT_MAX_ATTEMPTS = 6;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 300;

export const DEFAULT_RETRY: RetryOptions = {
	maxAttempts: DEFAULT_MAX_ATTEMPTS,
	maxTotalWaitMs: DEFAULT_MAX_RETRY_WAIT_SECONDS * 1000,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
};

/** Statuses that say "try again later": rate limited, or a gateway/server that is briefly unwell. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Connection failures worth another attempt. */
const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
]);

/** Failures that prove the request never reached the server, so even a plain write may be resent. */
const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export const isRetryableNetworkCode = (code: string | undefined) =>
	!!code && RETRYABLE_NETWORK_CODES.has(code);
export const provesNotSent = (code: string | undefined) =>
	!!code && NOT_SENT_NETWORK_CODES.has(code);

/**
 * A 429 means the server refused the request before doing anything with it, so any request may be
 * resent. A 502/503/504 may come after the server did the work: only idempotent requests are resent.
 */
export const statusProvesNotProcessed = (status: number) => status === 429;

/** `Retry-After` in milliseconds, from either form HTTP allows: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential backoff with full jitter: uniform in [0, min(maxDelay, base·2^retry)]. */
export function backoffDelay(
	retry: number,
	options: RetryOptions,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
	return Math.floor(random() * ceiling);
}

/** What one attempt ended with, as far as the retry policy cares. */
export type Outcome =
	/** The server answered with a status that is not a success (nor accepted by the caller). */
	| { kind: 'status'; status: number; retryAfterMs?: number; authFailure?: boolean }
	/** The connection failed; `code` is the Node/undici error code, when there is one. */
	| { kind: 'network'; code?: string }
	/** The token endpoint failed (`status` undefined: it could not be reached). */
	| { kind: 'token'; status?: number; retryAfterMs?: number };

/** Where one request stands: what it has spent and what it may still do. */
export interface AttemptState {
	/** Attempts already sent, this one included (1 after the first). */
	attempt: number;
	/** Time already spent waiting for this request (retry sleeps and `recover()`), in ms. */
	waitedMs: number;
	/** May the request be sent again after an ambiguous failure? */
	idempotent: boolean;
	/** Can the caller ask whether a write landed (`RequestSpec.recover`)? */
	canRecover: boolean;
	/** `recover()` already answered "did not land" for this failure. */
	recovered?: boolean;
	/** A bearer token was sent, and it was not renewed yet for this request. */
	canRenewToken?: boolean;
}

export type GiveUpReason =
	/** A status or error no retry can change (400, 403, 404, a TLS failure …). */
	| 'not-retryable'
	/** `maxAttempts` reached. */
	| 'attempts'
	/** The next wait would pass `maxTotalWaitMs`. */
	| 'wait-budget'
	/** The server asked for a wait (Retry-After) longer than what is left of `maxTotalWaitMs`. */
	| 'retry-after-too-long'
	/** A write that may have landed, with no way to ask (no idempotency key, no `recover`). */
	| 'may-have-landed'
	/** The credential was refused again with a brand-new token. */
	| 'auth';

export type Decision =
	| {
			action: 'resend';
			waitMs: number;
			renewToken?: boolean;
			waitSource: 'retry-after' | 'backoff' | 'none';
	  }
	| { action: 'recover' }
	| { action: 'give-up'; reason: GiveUpReason };

const giveUp = (reason: GiveUpReason): Decision => ({ action: 'give-up', reason });

/** A wait, if the budget allows it: else the reason it does not. */
function wait(
	state: AttemptState,
	options: RetryOptions,
	retryAfterMs: number | undefined,
	random: () => number,
): Decision {
	if (state.attempt >= options.maxAttempts) return giveUp('attempts');
	const left = options.maxTotalWaitMs - state.waitedMs;
	if (retryAfterMs !== undefined) {
		return retryAfterMs > left
			? giveUp('retry-after-too-long')
			: { action: 'resend', waitMs: retryAfterMs, waitSource: 'retry-after' };
	}
	const waitMs = backoffDelay(state.attempt - 1, options, random);
	return waitMs > left
		? giveUp('wait-budget')
		: { action: 'resend', waitMs, waitSource: 'backoff' };
}

/** Before resending something that may have been processed: ask, or give up. */
function ambiguous(
	state: AttemptState,
	options: RetryOptions,
	retryAfterMs: number | undefined,
	random: () => number,
): Decision {
	if (state.idempotent || state.recovered) return wait(state, options, retryAfterMs, random);
	// Asked even when no attempt is left: a write that landed on the last attempt is a success.
	return state.canRecover ? { action: 'recover' } : giveUp('may-have-landed');
}

/**
 * The retry policy as one pure decision: given how an attempt ended and what the request has spent,
 * resend (after how long), ask whether a write landed, or give up (and why). `ApiClient.request`
 * only carries out what this says; test/unit/transport/retryDecision.test.ts is its table.
 */
export function decide(
	outcome: Outcome,
	state: AttemptState,
	options: RetryOptions,
	random: () => number = Math.random,
): Decision {
	switch (outcome.kind) {
		case 'token':
			// Unreachable (no status) or briefly unwell: a token request carries no write, so it may be resent.
			if (outcome.status !== undefined && !RETRYABLE_STATUSES.has(outcome.status))
				return giveUp('not-retryable');
			return wait(state, options, outcome.retryAfterMs, random);
		case 'network':
			if (!isRetryableNetworkCode(outcome.code)) return giveUp('not-retryable');
			if (provesNotSent(outcome.code)) return wait(state, options, undefined, random);
			return ambiguous(state, options, undefined, random);
		case 'status':
			if (outcome.authFailure) {
				// A renewal is not a retry of the same thing: it does not wait and is allowed once.
				return state.canRenewToken
					? { action: 'resend', waitMs: 0, renewToken: true, waitSource: 'none' }
					: giveUp('auth');
			}
			if (!RETRYABLE_STATUSES.has(outcome.status)) return giveUp('not-retryable');
			if (statusProvesNotProcessed(outcome.status))
				return wait(state, options, outcome.retryAfterMs, random);
			return ambiguous(state, options, outcome.retryAfterMs, random);
	}
}
