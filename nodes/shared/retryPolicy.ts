import type { RetryOptions } from './types';

export const DEFAULT_RETRY: RetryOptions = {
	maxAttempts: 6,
	maxTotalWaitMs: 5 * 60_000,
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

export const isRetryableNetworkCode = (code: string | undefined) => !!code && RETRYABLE_NETWORK_CODES.has(code);
export const provesNotSent = (code: string | undefined) => !!code && NOT_SENT_NETWORK_CODES.has(code);

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
export function backoffDelay(retry: number, options: RetryOptions, random: () => number = Math.random): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
	return Math.floor(random() * ceiling);
}
