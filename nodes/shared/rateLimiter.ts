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

/**
 * Sent (after `waitedMs`), or refused because the server asked for a longer wait than allowed. The
 * ticket names the request until its response is observed (or it is released without one).
 */
export type AcquireResult =
	| { ok: true; waitedMs: number; ticket: number }
	| { ok: false; waitMs: number };

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
 * rate, tightened by what the server says.
 *
 * The server's `X-Rate-Limit-Remaining`/`-Reset` describe the whole API client, whichever process
 * sent the requests, and n8n's queue-mode workers share no store. Spreading the remaining budget
 * over the time left is not enough then: k workers each doing it spend the budget k times as fast,
 * it runs out well before the reset, and each window ends with about k − 1 requests refused. So
 * each worker also works out its share of the budget from the headers alone: how far `remaining`
 * fell between two of its own responses, minus what it sent itself in between, is what the other
 * workers used. Its share of the remaining budget is its share of that recent use, its own requests
 * still in flight count against it, and it spreads what is left of its share over the time left.
 * The shares add up to one across the workers, so together they spend the budget by the reset, not
 * before; a worker whose share is spent waits for the reset (at most the request's Max Retry Wait).
 * A worker that stops sending leaves its part to the others within a window; one that starts takes
 * a part within its first few responses (test/unit/transport/rateLimiterWorkers.test.ts).
 */
export class RateLimiter {
	private tokens: number;
	private last: number;
	private blockedUntil = 0;
	private nextSlot = 0;
	private serverInterval = 0;
	private serverIntervalUntil = 0;
	/** Requests of this worker sent but not answered yet, by ticket (handed out in sending order): when sent. */
	private readonly inFlight = new Map<number, number>();
	private tickets = 0;
	/** Requests that reserved a place in the budget and wait for their moment to go. */
	private waiting = 0;
	/** The last response that told the budget: its window, the remaining count, its ticket. */
	private window?: { resetAt: number; remaining: number; ticket: number; at: number };
	/** Recent use of the shared budget: by this worker, by the others (decaying counts). */
	private ownUse = 0;
	private othersUse = 0;
	private limit = 0;
	/** This worker's share of the current window not yet reserved; below 0 it reserved too much. */
	private allowance = Infinity;
	private allowanceUntil = 0;
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

	/** Until when a request must wait for what the budget taught (`spent`: one more is too many). */
	private heldUntil(now: number, spent: number): number {
		const share = this.allowance < spent && now < this.allowanceUntil ? this.allowanceUntil : 0;
		return Math.max(this.blockedUntil, share);
	}

	/** The wait the server imposed (a 429, a spent or thin budget) on a request asking now. */
	private learntWait(now: number): number {
		const slot =
			this.serverInterval > 0 && now < this.serverIntervalUntil
				? Math.max(now, this.nextSlot) - now
				: 0;
		return Math.max(0, this.heldUntil(now, 1) - now, slot);
	}

	/**
	 * Waits until one more request may go out, and reserves it. A wait the server imposed that is
	 * longer than `maxWaitMs` is not made: the request is refused at once (nothing reserved).
	 */
	async acquire(limits: AcquireLimits = {}): Promise<AcquireResult> {
		const maxWaitMs = limits.maxWaitMs ?? Infinity;
		const now = this.clock.now();
		this.forgetLost(now);
		const learnt = this.learntWait(now);
		if (learnt > maxWaitMs) return { ok: false, waitMs: learnt };
		// A request this worker's share of the window has no room for goes after the reset: it
		// takes nothing from the share (nor counts as waiting for it).
		let reserved = !(this.allowance < 1 && now < this.allowanceUntil);
		if (reserved) this.reserve(1);
		let wait = Math.max(0, this.blockedUntil - now, reserved ? 0 : this.allowanceUntil - now);
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
		try {
			let waitedMs = 0;
			if (wait > 0) {
				this.waits++;
				waitedMs += Math.ceil(wait);
				await this.clock.sleep(Math.ceil(wait), limits.signal);
			}
			// A 429, a spent budget or a smaller share learnt while this request slept (from another
			// request of this process, possibly about requests of other workers) holds it as well:
			// going now would only earn a 429.
			let sleptUntil = 0;
			for (;;) {
				const until = this.heldUntil(this.clock.now(), reserved ? 0 : 1);
				if (until <= this.clock.now() || until === sleptUntil) break;
				sleptUntil = until;
				if (reserved) this.reserve(-1);
				reserved = false;
				const more = Math.ceil(until - this.clock.now());
				if (more > maxWaitMs) return { ok: false, waitMs: more };
				this.waits++;
				waitedMs += more;
				await this.clock.sleep(more, limits.signal);
			}
			if (reserved) this.waiting--;
			reserved = false;
			const ticket = ++this.tickets;
			this.inFlight.set(ticket, this.clock.now());
			return { ok: true, waitedMs, ticket };
		} finally {
			// Cancelled while waiting: its place goes back to the share.
			if (reserved) this.reserve(-1);
		}
	}

	/** Takes `n` requests from this worker's share (or gives them back, n < 0), waiting to go. */
	private reserve(n: number): void {
		this.waiting += n;
		this.allowance -= n;
	}

	/**
	 * Ends a request that got no response to observe (a network error, a timeout, a cancel): it no
	 * longer counts as in flight. Observing a response does this too.
	 */
	release(ticket: number | undefined): void {
		if (ticket !== undefined) this.inFlight.delete(ticket);
	}

	/** A request neither observed nor released for this long was lost by its caller. */
	private forgetLost(now: number): void {
		for (const [ticket, at] of this.inFlight) {
			if (now - at < LOST_AFTER_MS && this.inFlight.size <= MAX_IN_FLIGHT) break;
			this.inFlight.delete(ticket);
		}
	}

	/**
	 * Learns from a response: a 429's Retry-After stops everyone; low remaining budget slows down.
	 * What one response teaches is held for at most `capMs` (the "Max Retry Wait" of the request that
	 * saw it): a hostile or broken `Retry-After: 86400` cannot stall this credential for a day.
	 * `ticket` is the one `acquire` gave the request (without it, the oldest request in flight).
	 */
	observe(
		statusCode: number,
		headers: Headers,
		retryAfterMs?: number,
		capMs: number = DEFAULT_RETRY.maxTotalWaitMs,
		ticket?: number,
	): void {
		const now = this.clock.now();
		const cap = now + Math.max(0, capMs);
		this.forgetLost(now);
		const answered = ticket ?? this.inFlight.keys().next().value ?? this.tickets;
		this.inFlight.delete(answered);
		notePushback(statusCode); // hook: Auto concurrency shrinks on 429/503
		if (statusCode === 429) {
			const until = Math.min(cap, now + (retryAfterMs ?? 1000));
			this.blockedUntil = Math.max(this.blockedUntil, until);
		}
		const limit = Number(
			header(headers, 'x-rate-limit-limit') ?? header(headers, 'x-ratelimit-limit'),
		);
		if (Number.isFinite(limit) && limit >= 1) this.limit = limit;
		const reported = Number(
			header(headers, 'x-rate-limit-remaining') ?? header(headers, 'x-ratelimit-remaining'),
		);
		const resetAt = parseReset(
			header(headers, 'x-rate-limit-reset') ?? header(headers, 'x-ratelimit-reset'),
			now,
			header(headers, 'date'),
		);
		if (!Number.isFinite(reported) || resetAt === undefined || resetAt <= now) return;
		const remaining = Math.max(0, this.limit > 0 ? Math.min(reported, this.limit) : reported);
		if (!this.learnUse(remaining, resetAt, answered, now)) return;
		if (remaining <= 0) {
			this.blockedUntil = Math.max(this.blockedUntil, Math.min(cap, resetAt));
			return;
		}
		// Requests of this worker still on their way may reach the server after the answered one,
		// even those sent before it (answers come back out of order): all count as not yet counted.
		const later = this.inFlight.size;
		const share = this.share();
		// A few requests of the budget are left to the other workers' misjudgement of their share.
		const toSend = Math.max(0, remaining - RESERVE * (1 - share)) * share - later;
		this.allowance = toSend - this.waiting;
		this.allowanceUntil = Math.min(cap, resetAt);
		const paced = remaining * share * (1 + PUSH * (1 - share)) - later;
		this.serverInterval = toSend >= 1 ? Math.min(capMs, (resetAt - now) / paced) : 0;
		this.serverIntervalUntil = resetAt;
	}

	/**
	 * Counts what the other workers used since the previous response of the same window: the fall of
	 * `remaining` less this worker's own requests sent in between (tickets are handed out in order).
	 * False for an answer older than one already learnt from (it would take the budget back).
	 */
	private learnUse(remaining: number, resetAt: number, answered: number, now: number): boolean {
		const previous = this.window;
		// Answers come back out of order: one sent before the last one learnt from tells less.
		if (previous && answered < previous.ticket && resetAt <= previous.resetAt + SAME_RESET_MS)
			return false;
		const same = previous !== undefined && Math.abs(resetAt - previous.resetAt) <= SAME_RESET_MS;
		if (previous && same) {
			const own = answered - previous.ticket;
			this.ownUse += own;
			this.othersUse = Math.max(0, this.othersUse + previous.remaining - remaining - own);
			const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, this.limit || previous.remaining));
			const seen = this.ownUse + this.othersUse;
			if (seen > span) {
				this.ownUse *= span / seen;
				this.othersUse *= span / seen;
			}
		} else if (previous && now - previous.at > FORGET_SHARE_MS) {
			this.ownUse = 0;
			this.othersUse = 0;
		}
		this.window = { resetAt, remaining, ticket: answered, at: now };
		return true;
	}

	/** This worker's part of what is left: its part of the recent use (all of it, alone). */
	private share(): number {
		const seen = this.ownUse + this.othersUse;
		return seen < MIN_SAMPLE ? 1 : Math.max(MIN_SHARE, this.ownUse / seen);
	}
}

/** Responses whose reset times differ by less than this (whole-second headers) share a window. */
const SAME_RESET_MS = 1000;
/** Fewest requests seen before a share is trusted; the span the use counts decay over, at least. */
const MIN_SAMPLE = 4;
const MIN_SPAN = 20;
/**
 * A worker paces as if its share were larger by up to this factor (most for the smallest share),
 * still stopping at its share: a worker that got a small share early (it started late, or had
 * little to send) wins back an even part, so workers with equal work finish together.
 */
const PUSH = 1.5;
/** Requests of each window left to the other workers' misjudgement of their own share. */
const RESERVE = 1;
/** No share below this (about 50 workers): a worker that sent little for a while is not starved. */
const MIN_SHARE = 0.02;
const MAX_SPAN = 500;
/** After this long without a response the other workers may have come or gone: learn anew. */
const FORGET_SHARE_MS = 5 * 60_000;
const LOST_AFTER_MS = 10 * 60_000;
const MAX_IN_FLIGHT = 10_000;

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
