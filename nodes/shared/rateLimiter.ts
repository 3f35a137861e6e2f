import { sleep } from 'n8n-workflow';

import { DEFAULT_RETRY } from './retryPolicy';
import { notePushback } from './adaptiveConcurrency';
import type { RateLimitOptions } from './types';

export interface Clock {
	now(): number;
	/** Resolves after `ms`, or rejects as soon as `signal` aborts (the execution was cancelled). */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const abortReason = (signal: AbortSignal): Error =>
	signal.reason instanceof Error ? signal.reason : new Error('The execution was cancelled');

/**
 * n8n-workflow's `sleep`, ended by the execution's cancel signal. n8n-workflow 2.x's `sleep` takes
 * the signal itself; the race also covers an n8n whose `sleep` does not (then only its timer is left).
 */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) throw abortReason(signal);
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(abortReason(signal));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([
			(sleep as (ms: number, signal?: AbortSignal) => Promise<void>)(ms, signal),
			aborted,
		]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
	}
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await abortableSleep(ms, signal),
};

export interface AcquireLimits {
	/** Longest wait the caller accepts for what a response taught (Retry-After, a spent budget). */
	maxWaitMs?: number;
	signal?: AbortSignal;
}

/** Sent (after `waitedMs`), or refused because the server asked for a longer wait than allowed. */
export type AcquireResult = { ok: true; waitedMs: number } | { ok: false; waitMs: number };

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string | undefined => {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
};

/**
 * Reset time from `X-Rate-Limit-Reset`: an ISO date (Degreed), epoch seconds, or seconds from now.
 * An absolute time is the server's clock: when the response's `Date` header shows that clock more
 * than 2 s away from ours, the reset is moved by the difference, so a worker whose clock drifts does
 * not pace against the wrong moment. (`Date` has whole seconds, so smaller skews are left alone.)
 */
function parseReset(
	value: string | undefined,
	now: number,
	serverDate: string | undefined,
): number | undefined {
	if (!value) return undefined;
	let at: number;
	if (/^\d+(\.\d+)?$/.test(value)) {
		const n = Number(value);
		if (n <= 1e9) return now + n * 1000;
		at = n * 1000;
	} else {
		at = Date.parse(value);
		if (Number.isNaN(at)) return undefined;
	}
	const serverNow = serverDate ? Date.parse(serverDate) : Number.NaN;
	const skew = Number.isNaN(serverNow) ? 0 : serverNow - now;
	return Math.abs(skew) > 2000 ? at - skew : at;
}

/**
 * Client-side pacing for one API client on one host: a token bucket at the provider's published
 * rate, tightened by what the server says. The server's `X-Rate-Limit-Remaining`/`-Reset` describe
 * the whole API client, whichever process sent the requests, so spreading the remaining budget
 * over the time left keeps several n8n workers together under the limit without a shared store:
 * k workers each sending at remaining/timeLeft spend the budget k times as fast as one, so the
 * remaining budget shrinks like (timeLeft/window)^k and runs out only as the window resets. What
 * is already in flight near the end of a window can still earn a 429; its Retry-After then stops
 * every request of that worker until the reset (test/unit/transport/rateLimiterWorkers.test.ts).
 */
export class RateLimiter {
	private tokens: number;
	private last: number;
	private blockedUntil = 0;
	private nextSlot = 0;
	private serverInterval = 0;
	private serverIntervalUntil = 0;
	waits = 0;

	constructor(
		private options: RateLimitOptions,
		private readonly clock: Clock = systemClock,
	) {
		this.tokens = this.burst;
		this.last = clock.now();
	}

	private get rate(): number {
		return (this.options.requestsPerMinute ?? 0) / 60_000;
	}

	private get burst(): number {
		return Math.max(
			1,
			this.options.burst ?? Math.ceil((this.options.requestsPerMinute ?? 60) / 10),
		);
	}

	configure(options: RateLimitOptions): void {
		if (
			options.requestsPerMinute === this.options.requestsPerMinute &&
			options.burst === this.options.burst
		)
			return;
		this.options = options;
		this.tokens = Math.min(this.tokens, this.burst);
	}

	/** The wait the server imposed (a 429, a spent or thin budget) on a request asking now. */
	private learntWait(now: number): number {
		const slot =
			this.serverInterval > 0 && now < this.serverIntervalUntil
				? Math.max(now, this.nextSlot) - now
				: 0;
		return Math.max(0, this.blockedUntil - now, slot);
	}

	/**
	 * Waits until one more request may go out, and reserves it. A wait the server imposed that is
	 * longer than `maxWaitMs` is not made: the request is refused at once (nothing reserved).
	 */
	async acquire(limits: AcquireLimits = {}): Promise<AcquireResult> {
		const maxWaitMs = limits.maxWaitMs ?? Infinity;
		const now = this.clock.now();
		const learnt = this.learntWait(now);
		if (learnt > maxWaitMs) return { ok: false, waitMs: learnt };
		let wait = Math.max(0, this.blockedUntil - now);
		if (this.rate > 0) {
			this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.rate);
			this.last = now;
			this.tokens -= 1;
			if (this.tokens < 0) wait = Math.max(wait, -this.tokens / this.rate);
		}
		if (this.serverInterval > 0 && now < this.serverIntervalUntil) {
			const slot = Math.max(now, this.nextSlot);
			this.nextSlot = slot + this.serverInterval;
			wait = Math.max(wait, slot - now);
		}
		let waitedMs = 0;
		if (wait > 0) {
			this.waits++;
			waitedMs += Math.ceil(wait);
			await this.clock.sleep(Math.ceil(wait), limits.signal);
		}
		// A 429 or a spent budget reported while this request slept (by another request of this
		// process, possibly about requests of other workers) holds it as well: going now would only
		// earn another 429.
		let sleptUntil = 0;
		while (this.blockedUntil > this.clock.now() && this.blockedUntil !== sleptUntil) {
			sleptUntil = this.blockedUntil;
			const more = Math.ceil(sleptUntil - this.clock.now());
			if (more > maxWaitMs) return { ok: false, waitMs: more };
			this.waits++;
			waitedMs += more;
			await this.clock.sleep(more, limits.signal);
		}
		return { ok: true, waitedMs };
	}

	/**
	 * Learns from a response: a 429's Retry-After stops everyone; low remaining budget slows down.
	 * What one response teaches is held for at most `capMs` (the "Max Retry Wait" of the request that
	 * saw it): a hostile or broken `Retry-After: 86400` cannot stall this credential for a day.
	 */
	observe(
		statusCode: number,
		headers: Headers,
		retryAfterMs?: number,
		capMs: number = DEFAULT_RETRY.maxTotalWaitMs,
	): void {
		const now = this.clock.now();
		const cap = now + Math.max(0, capMs);
		notePushback(statusCode); // hook: Auto concurrency shrinks on 429/503
		if (statusCode === 429) {
			const until = Math.min(cap, now + (retryAfterMs ?? 1000));
			this.blockedUntil = Math.max(this.blockedUntil, until);
		}
		const remaining = Number(
			header(headers, 'x-rate-limit-remaining') ?? header(headers, 'x-ratelimit-remaining'),
		);
		const resetAt = parseReset(
			header(headers, 'x-rate-limit-reset') ?? header(headers, 'x-ratelimit-reset'),
			now,
			header(headers, 'date'),
		);
		if (!Number.isFinite(remaining) || resetAt === undefined || resetAt <= now) return;
		if (remaining <= 0) {
			this.blockedUntil = Math.max(this.blockedUntil, Math.min(cap, resetAt));
			return;
		}
		this.serverInterval = Math.min(capMs, (resetAt - now) / remaining);
		this.serverIntervalUntil = resetAt;
	}
}

const limiters = new Map<string, RateLimiter>();

/** The limiter shared by every request of this process to one API client (credential) and host. */
export function rateLimiterFor(key: string, options: RateLimitOptions, clock?: Clock): RateLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new RateLimiter(options, clock);
		limiters.set(key, limiter);
	} else limiter.configure(options);
	return limiter;
}

/** Forgets what this process learned about every API client's limits (tests start from scratch). */
export function forgetRateLimiters(): void {
	limiters.clear();
}
