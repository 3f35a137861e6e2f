// Auto concurrency in virtual time: every sleep is a timer fired in order, so runs of thousands of
// requests are exact and take milliseconds.
import { AdaptiveConcurrency, mapAdaptive } from '../../../nodes/shared/adaptiveConcurrency';
import { mapConcurrent } from '../../../nodes/shared/concurrency';
import { RateLimiter } from '../../../nodes/shared/rateLimiter';
import type { Clock } from '../../../nodes/shared/rateLimiter';

const EPOCH = Date.parse('2026-12-07T12:00:00Z');

class VirtualTime implements Clock {
	private current = EPOCH;
	private timers: Array<{ at: number; seq: number; fire: () => void }> = [];
	private seq = 0;
	now = (): number => this.current;
	sleep = (ms: number): Promise<void> =>
		new Promise((resolve) =>
			this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, fire: resolve }),
		);
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

/**
 * n8n's process as the bench sees it: every request needs the one CPU for `cpuMs` (TLS handshake,
 * expressions, JSON), growing with the number in flight (GC, sockets), then `rttMs` on the wire.
 */
function latencyModel(clock: VirtualTime, { cpuMs = 4, rttMs = 110, contention = 0.01 } = {}) {
	let cpuFreeAt = EPOCH;
	let inFlight = 0;
	return async () => {
		inFlight++;
		const start = Math.max(clock.now(), cpuFreeAt);
		cpuFreeAt = start + cpuMs * (1 + contention * inFlight);
		await clock.sleep(cpuFreeAt - clock.now());
		await clock.sleep(rttMs);
		inFlight--;
	};
}

/**
 * The bench's HTTPS sweep (new TLS connection per request, server and n8n sharing two cores):
 * latency grows with the number in flight long before records per second stop growing. Fitted to
 * the measured sweep (5/10/20/50 in flight: 48/90/131/163 per s, 103 → 307 ms).
 */
function queueingModel(clock: VirtualTime, { floorMs = 100, growth = 0.61, jitter = 0 } = {}) {
	let inFlight = 0;
	// A fixed pseudo-random sequence (Park–Miller), so every run of the test is the same.
	let seed = 7;
	const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
	return async () => {
		inFlight++;
		const scatter = 1 + jitter * (random() * 2 - 1);
		await clock.sleep((floorMs + growth * inFlight ** 1.5) * scatter);
		inFlight--;
	};
}

async function throughput(
	width: number | 'auto',
	records = 4000,
	model: (clock: VirtualTime) => () => Promise<void> = latencyModel,
) {
	const clock = new VirtualTime();
	const request = model(clock);
	const items = Array.from({ length: records }, (_, i) => i);
	const controller = new AdaptiveConcurrency({ initial: 5, max: 50 }, clock.now);
	const run =
		width === 'auto'
			? mapAdaptive(items, controller, request, { now: clock.now, pushbacks: () => 0 })
			: mapConcurrent(items, width, request);
	await clock.run();
	await run;
	return { perSecond: (records * 1000) / (clock.now() - EPOCH), controller };
}

describe('AdaptiveConcurrency (Auto)', () => {
	it('reaches at least 90 % of the best fixed concurrency of 5, 10, 20, 50 under a CPU-bound latency model', async () => {
		const fixed = await Promise.all(
			[5, 10, 20, 50].map(async (w) => (await throughput(w)).perSecond),
		);
		const best = Math.max(...fixed);
		const auto = await throughput('auto');
		// The sweep must have a knee for the test to mean anything: 5 is latency-bound.
		expect(fixed[0]).toBeLessThan(best * 0.5);
		expect(auto.perSecond).toBeGreaterThanOrEqual(best * 0.9);
		// …and it does not sit at the maximum: latency growth stopped it near the knee.
		expect(auto.controller.limit).toBeLessThan(50);
	});

	it('keeps growing past twice the latency floor while more in flight still pays (throughput probe): at least 90 % of the best fixed', async () => {
		const fixed = await Promise.all(
			[5, 10, 20, 50].map(async (w) => (await throughput(w, 2000, queueingModel)).perSecond),
		);
		const best = Math.max(...fixed);
		// The model is what the latency rule alone could not handle: the best of the sweep is the
		// widest, at about three times the floor latency.
		expect(best).toBe(fixed[3]);
		const auto = await throughput('auto', 2000, queueingModel);
		expect(auto.perSecond).toBeGreaterThanOrEqual(best * 0.9);
		expect(auto.controller.peak).toBeGreaterThan(20);
	});

	it('holds up when latencies scatter (±30 %): the floor is a mean of a few items, not the luckiest one', async () => {
		const model = (clock: VirtualTime) => queueingModel(clock, { jitter: 0.3 });
		const fixed = await Promise.all(
			[5, 10, 20, 50].map(async (w) => (await throughput(w, 2000, model)).perSecond),
		);
		const auto = await throughput('auto', 2000, model);
		expect(auto.perSecond).toBeGreaterThanOrEqual(Math.max(...fixed) * 0.9);
	});

	it('stays near the knee over a long run (the latency floor does not creep up with its own queue)', async () => {
		const auto = await throughput('auto', 30_000);
		// The knee of this model: 110 ms on the wire / ~4 ms of CPU per request ≈ 28 in flight.
		expect(auto.controller.peak).toBeLessThanOrEqual(50);
		expect(auto.controller.limit).toBeLessThan(45);
		expect(auto.controller.floor).toBeLessThan(130);
	});

	it('grows while latency stays at its floor and halves on pushback (429/503), once per round trip', () => {
		let now = 0;
		const c = new AdaptiveConcurrency({ initial: 5, max: 50 }, () => now);
		for (let i = 0; i < 20; i++) c.record(100);
		expect(c.limit).toBe(25); // slow start: +1 per sample
		now += 10;
		c.record(100, true);
		expect(c.limit).toBe(12);
		now += 10;
		c.record(100, true); // same round trip: no second cut
		expect(c.limit).toBe(12);
		now += 200;
		c.record(100, true);
		expect(c.limit).toBe(6);
		for (let i = 0; i < 6; i++) c.record(100); // additive: about +1 per round trip now
		expect(c.limit).toBe(7);
	});

	it('shrinks when latency grows past twice its floor, and never goes under 1 or over max', () => {
		let now = 0;
		const c = new AdaptiveConcurrency({ initial: 10, max: 12, floorWindowMs: 1e9 }, () => now);
		for (let i = 0; i < 30; i++) c.record(100);
		expect(c.limit).toBe(12);
		for (let i = 0; i < 200; i++) {
			now += 1000;
			c.record(1000);
		}
		expect(c.limit).toBe(1);
		expect(c.decreases).toBeGreaterThan(5);
	});

	it('never allows more in flight than the rate limit can serve (rate × floor latency + 1)', () => {
		const c = new AdaptiveConcurrency({ initial: 5, max: 50, ratePerMs: 30 / 1000 }, () => 0);
		for (let i = 0; i < 100; i++) c.record(100);
		expect(c.limit).toBe(4); // 30/s × 0.1 s + 1
	});

	it('keeps results in input order and throws the lowest-index failure after the work in flight', async () => {
		const c = new AdaptiveConcurrency({ initial: 3 });
		const seen: number[] = [];
		await expect(
			mapAdaptive(
				[1, 2, 3, 4, 5, 6],
				c,
				async (n) => {
					seen.push(n);
					await new Promise((r) => setImmediate(r));
					if (n === 1 || n === 2) throw new Error(`failed ${n}`);
					return n;
				},
				{ stopOnError: true },
			),
		).rejects.toThrow('failed 1');
		expect(seen).toEqual([1, 2, 3]);
		expect(
			await mapAdaptive([3, 1, 2], new AdaptiveConcurrency({ initial: 2 }), async (n) => n * 10),
		).toEqual([30, 10, 20]);
		expect(await mapAdaptive([], new AdaptiveConcurrency(), async (n) => n)).toEqual([]);
	});

	it('mapConcurrent with limit 0 runs in Auto mode', async () => {
		let inFlight = 0;
		let peak = 0;
		const out = await mapConcurrent(
			Array.from({ length: 40 }, (_, i) => i),
			0,
			async (n) => {
				peak = Math.max(peak, ++inFlight);
				await new Promise((r) => setImmediate(r));
				inFlight--;
				return n;
			},
		);
		expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i));
		expect(peak).toBeGreaterThan(1);
		expect(peak).toBeLessThanOrEqual(50);
	});
});

/** Degreed-like fixed window per API client: X-Rate-Limit-Remaining/-Reset, 429 + Retry-After. */
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
	handle() {
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
				'x-rate-limit-remaining': String(this.perWindow - this.used),
				'x-rate-limit-reset': new Date(resetAt).toISOString(),
				date: new Date(now).toUTCString(),
			},
			retryAfterMs: ok ? undefined : retryAfterS * 1000,
		};
	}
}

async function rateLimited(
	workers: number,
	{
		perWindow = 300,
		windowMs = 10_000,
		records = 3000,
		latencyMs = 40,
		fixed = 0,
		noRate = false,
	} = {},
) {
	const clock = new VirtualTime();
	const server = new FixedWindowServer(clock, perWindow, windowMs);
	const requestsPerMinute = (perWindow * 60_000) / windowMs;
	const peaks: number[] = [];
	/** the highest width once the first half of the records is sent (after the start's overshoot) */
	const laterPeaks: number[] = [];
	const runs = Array.from({ length: workers }, async () => {
		const limiter = new RateLimiter({ requestsPerMinute, burst: 7 }, clock);
		let pushbacks = 0;
		const controller = new AdaptiveConcurrency(
			{ initial: 5, max: 50, ratePerMs: noRate ? undefined : requestsPerMinute / 60_000 },
			clock.now,
		);
		const items = Array.from({ length: records / workers }, (_, i) => i);
		await (
			fixed
				? (w: (i: number) => Promise<void>) => mapConcurrent(items, fixed, (_n, i) => w(i))
				: (w: (i: number) => Promise<void>) =>
						mapAdaptive(items, controller, (_n, i) => w(i), {
							now: clock.now,
							pushbacks: () => pushbacks,
						})
		)(async (i: number) => {
			if (i >= items.length / 2) laterPeaks[0] = Math.max(laterPeaks[0] ?? 0, controller.limit);
			for (;;) {
				await limiter.acquire();
				await clock.sleep(latencyMs / 2);
				const response = server.handle();
				await clock.sleep(latencyMs / 2);
				limiter.observe(response.status, response.headers, response.retryAfterMs);
				if (response.status !== 429) return;
				pushbacks++;
				await clock.sleep(response.retryAfterMs!);
			}
		});
		peaks.push(controller.peak);
	});
	const done = Promise.all(runs);
	await clock.run();
	await done;
	return {
		server,
		peaks,
		laterPeaks,
		shareOfAllowed: server.accepted / (clock.now() - EPOCH) / (perWindow / windowMs),
	};
}

describe('AdaptiveConcurrency under a provider rate limit', () => {
	it('no more 429s than the fixed default (5) where the limiter alone lets one through at a window edge', async () => {
		const auto = await rateLimited(1, { latencyMs: 110 });
		const fixed = await rateLimited(1, { latencyMs: 110, fixed: 5 });
		expect(auto.server.accepted).toBe(3000);
		expect(auto.server.rejected).toBeLessThanOrEqual(fixed.server.rejected);
		expect(auto.shareOfAllowed).toBeGreaterThanOrEqual(0.95);
	});

	it('one worker: 0 × 429 and at least 95 % of the allowed rate', async () => {
		const { server, shareOfAllowed, peaks } = await rateLimited(1);
		expect(server.accepted).toBe(3000);
		expect(server.rejected).toBe(0);
		expect(shareOfAllowed).toBeGreaterThanOrEqual(0.95);
		expect(peaks[0]).toBeLessThanOrEqual(5); // 30/s × 0.04 s + 1 (+ the start width): never more than the limiter serves
	});

	it('wired as in the nodes (no rate given, waiting in the limiter counts as latency): in flight stays near rate × round trip over a long run', async () => {
		const { server, laterPeaks, shareOfAllowed } = await rateLimited(1, {
			records: 6000,
			latencyMs: 110,
			noRate: true,
		});
		expect(server.accepted).toBe(6000);
		// At 110 ms the limiter alone lets one request meet a window edge (fixed 5 too, see above).
		expect(server.rejected).toBeLessThanOrEqual(1);
		expect(shareOfAllowed).toBeGreaterThanOrEqual(0.95);
		expect(laterPeaks[0]).toBeLessThanOrEqual(8); // 30/s × 0.11 s ≈ 3.3 served; not 50 waiting in the limiter
	});

	it('three workers sharing the limit stay under it in every window', async () => {
		const { server, shareOfAllowed } = await rateLimited(3);
		expect(server.accepted).toBe(3000);
		expect(server.acceptedPerWindow.every((n) => n <= server.perWindow)).toBe(true);
		expect(server.rejected).toBeLessThanOrEqual(Math.ceil(server.accepted * 0.05));
		expect(shareOfAllowed).toBeGreaterThan(0.9);
	});
});
