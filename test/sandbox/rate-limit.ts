// Request counters for emulated rate limits (Degreed: 70 requests/minute per API client, with
// X-Rate-Limit-* headers and 429 + Retry-After). Rejected requests do not consume the budget.
import type { RateLimitOptions, RateLimitResult } from './types';

interface FixedWindow {
	start: number;
	count: number;
}

export class RateLimiter {
	private readonly fixed = new Map<string, FixedWindow>();
	/** sliding windows: timestamps (one per unit of cost) of the requests still inside the window */
	private readonly sliding = new Map<string, number[]>();

	constructor(private readonly now: () => number) {}

	check(
		key: string,
		{ perWindow, windowMs, mode = 'fixed', cost = 1 }: RateLimitOptions,
	): RateLimitResult {
		if (!(perWindow > 0) || !(windowMs > 0))
			throw new Error('rateLimit: perWindow and windowMs must be > 0');
		const now = this.now();
		if (mode === 'sliding') {
			let log = this.sliding.get(key);
			if (!log) this.sliding.set(key, (log = []));
			let drop = 0;
			while (drop < log.length && log[drop] <= now - windowMs) drop++;
			if (drop) log.splice(0, drop);
			const allowed = log.length + cost <= perWindow;
			if (allowed) for (let i = 0; i < cost; i++) log.push(now);
			// The window frees a slot when its oldest request leaves it.
			const resetAt = log.length ? log[0] + windowMs : now;
			return {
				allowed,
				limit: perWindow,
				remaining: Math.max(0, perWindow - log.length),
				resetAt,
				retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAt - now) / 1000)),
			};
		}
		let w = this.fixed.get(key);
		if (!w || now >= w.start + windowMs) {
			w = { start: now, count: 0 };
			this.fixed.set(key, w);
		}
		const allowed = w.count + cost <= perWindow;
		if (allowed) w.count += cost;
		const resetAt = w.start + windowMs;
		return {
			allowed,
			limit: perWindow,
			remaining: Math.max(0, perWindow - w.count),
			resetAt,
			retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAt - now) / 1000)),
		};
	}

	clear(): void {
		this.fixed.clear();
		this.sliding.clear();
	}
}
