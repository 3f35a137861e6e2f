// Several n8n workers (separate processes, so separate RateLimiter instances, no shared store)
// sending for one API client against a fixed-window limit like Degreed's. Virtual time: every
// sleep is a timer that the scheduler fires in order, so the run is exact and takes milliseconds.
import { RateLimiter } from '../../../nodes/shared/rateLimiter';
import type { Clock } from '../../../nodes/shared/rateLimiter';

const EPOCH = Date.parse('2026-11-23T12:00:00Z');

class VirtualTime implements Clock {
	private current = EPOCH;
	private timers: Array<{ at: number; seq: number; fire: () => void }> = [];
	private seq = 0;

	now = (): number => this.current;

	sleep = (ms: number): Promise<void> =>
		new Promise((resolve) =>
			this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, fire: resolve }),
		);

	/** Runs until nothing is waiting any more: lets promise chains settle, then fires the next timer. */
	async run(): Promise<void> {
		for (;;) {
			for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
			if (!this.timers.length) return;
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift()!;
			this.current = Math.max(this.current, next.at);
			next.fire();
		}
	}
}

/** Degreed-like fixed window per API client: X-Rate-Limit-Remaining/-Reset (ISO), 429 + Retry-After. */
class FixedWindowServer {
	private windowStart = -Infinity;
	private used = 0;
	accepted = 0;
	rejected = 0;
	readonly acceptedPerWindow: number[] = [];

	constructor(
		private readonly clock: VirtualTime,
		readonly perWindow: number,
		readonly windowMs: number,
	) {}

	handle(): { status: number; headers: Record<string, string>; retryAfterMs?: number } {
		const now = this.clock.now();
		if (now >= this.windowStart + this.windowMs) {
			this.windowStart = now;
			this.used = 0;
			this.acceptedPerWindow.push(0);
		}
		const resetAt = this.windowStart + this.windowMs;
		const ok = this.used < this.perWindow;
		if (ok) {
			this.used++;
			this.accepted++;
			this.acceptedPerWindow[this.acceptedPerWindow.length - 1]++;
		} else this.rejected++;
		const retryAfterS = Math.max(1, Math.ceil((resetAt - now) / 1000));
		return {
			status: ok ? 200 : 429,
			headers: {
				'x-rate-limit-limit': String(this.perWindow),
				'x-rate-limit-remaining': String(this.perWindow - this.used),
				'x-rate-limit-reset': new Date(resetAt).toISOString(),
				date: new Date(now).toUTCString(),
				...(ok ? {} : { 'retry-after': String(retryAfterS) }),
			},
			retryAfterMs: ok ? undefined : retryAfterS * 1000,
		};
	}
}

/** One worker: `concurrency` lanes sending `records` writes, each retried after a 429 like ApiClient does. */
async function worker(
	clock: VirtualTime,
	server: FixedWindowServer,
	limiter: RateLimiter,
	records: { left: number },
	concurrency: number,
	latencyMs: number,
): Promise<void> {
	const lane = async () => {
		while (records.left > 0) {
			records.left--;
			for (;;) {
				await limiter.acquire();
				await clock.sleep(latencyMs / 2);
				const response = server.handle();
				await clock.sleep(latencyMs / 2);
				limiter.observe(response.status, response.headers, response.retryAfterMs);
				if (response.status !== 429) break;
				await clock.sleep(response.retryAfterMs!);
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, lane));
}

async function simulate(
	workers: number,
	{ perWindow = 50, windowMs = 10_000, records = 600, concurrency = 5, latencyMs = 40 } = {},
) {
	const clock = new VirtualTime();
	const server = new FixedWindowServer(clock, perWindow, windowMs);
	// Each worker is configured with the full published rate: alone, it would use the whole budget.
	const requestsPerMinute = (perWindow * 60_000) / windowMs;
	const done = Promise.all(
		Array.from({ length: workers }, () =>
			worker(
				clock,
				server,
				new RateLimiter({ requestsPerMinute, burst: 7 }, clock),
				{ left: records / workers },
				concurrency,
				latencyMs,
			),
		),
	);
	await clock.run();
	await done;
	const elapsedMs = clock.now() - EPOCH;
	const allowedRate = perWindow / windowMs;
	return { server, elapsedMs, shareOfAllowed: server.accepted / elapsedMs / allowedRate };
}

describe('RateLimiter across workers (no shared store)', () => {
	it.each([1, 2, 3])(
		'%i worker(s) at the full published rate each: every record lands, few 429s, near the allowed rate',
		async (workers) => {
			const { server, shareOfAllowed } = await simulate(workers);
			expect(server.accepted).toBe(600);
			expect(server.acceptedPerWindow.every((n) => n <= server.perWindow)).toBe(true);
			// Without the server's headers, k workers would send k times the limit: (k-1) of every k
			// requests would be refused. Following X-Rate-Limit-Remaining/-Reset keeps it to a few.
			expect(server.rejected).toBeLessThanOrEqual(
				workers === 1 ? 0 : Math.ceil(server.accepted * 0.05),
			);
			expect(shareOfAllowed).toBeGreaterThan(0.9);
		},
	);

	it('pacing from the headers alone (no published rate configured) also stays near the limit', async () => {
		const clock = new VirtualTime();
		const server = new FixedWindowServer(clock, 50, 10_000);
		const done = Promise.all(
			Array.from({ length: 3 }, () =>
				worker(clock, server, new RateLimiter({}, clock), { left: 200 }, 5, 40),
			),
		);
		await clock.run();
		await done;
		expect(server.accepted).toBe(600);
		// The first window has no signal yet (all 15 lanes go at once); later windows are paced.
		expect(server.rejected).toBeLessThan(server.accepted * 0.25);
	});

	it('holds a request that was already waiting for its slot when a 429 arrives', async () => {
		const clock = new VirtualTime();
		const limiter = new RateLimiter({ requestsPerMinute: 60, burst: 1 }, clock);
		await limiter.acquire(); // the burst
		const waiting = limiter.acquire().then(() => clock.now() - EPOCH); // its slot is at +1 s
		const learn = clock.sleep(500).then(() => limiter.observe(429, {}, 5_000)); // at +0.5 s: blocked until +5.5 s
		await clock.run();
		await learn;
		expect(await waiting).toBe(5_500);
	});

	it('paces against the reset on the server clock when the worker clock is off by minutes', async () => {
		const clock = new VirtualTime();
		const limiter = new RateLimiter({}, clock);
		const serverNow = EPOCH + 180_000; // the server's clock is 3 minutes ahead
		limiter.observe(200, {
			'x-rate-limit-remaining': '10',
			'x-rate-limit-reset': new Date(serverNow + 30_000).toISOString(),
			date: new Date(serverNow).toUTCString(),
		});
		const sentAt: number[] = [];
		const send = (async () => {
			for (let i = 0; i < 3; i++) {
				await limiter.acquire();
				sentAt.push(clock.now() - EPOCH);
			}
		})();
		await clock.run();
		await send;
		// 10 requests left for 30 s: one every 3 s (not every 21 s, as an unadjusted reset 210 s away would give).
		expect(sentAt).toEqual([0, 3000, 6000]);
	});
});
