import { RateLimiter } from '../../../nodes/shared/rateLimiter';
import { fakeClock } from './helpers';

describe('RateLimiter', () => {
	it('lets a burst through, then paces at the configured rate', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({ requestsPerMinute: 60, burst: 3 }, clock);
		const start = clock.now();
		const sentAt: number[] = [];
		for (let i = 0; i < 6; i++) {
			await limiter.acquire();
			sentAt.push(clock.now() - start);
		}
		expect(sentAt).toEqual([0, 0, 0, 1000, 2000, 3000]);
	});

	it('queues concurrent callers fairly (each waits for its own slot)', async () => {
		// All four ask at the same instant: time stands still while they queue.
		const sleeps: number[] = [];
		const clock = { now: () => 1_000_000, sleep: async (ms: number) => void sleeps.push(ms) };
		const limiter = new RateLimiter({ requestsPerMinute: 120, burst: 1 }, clock);
		await Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
		expect(sleeps.sort((a, b) => a - b)).toEqual([500, 1000, 1500]);
	});

	it('stops everyone until Retry-After has passed after a 429', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({}, clock);
		limiter.observe(429, {}, 7000);
		await limiter.acquire();
		expect(clock.sleeps).toEqual([7000]);
		await limiter.acquire();
		expect(clock.sleeps).toEqual([7000]);
	});

	it('spreads the remaining server budget over the time to reset (X-Rate-Limit-*)', async () => {
		const clock = fakeClock(Date.parse('2026-11-23T12:00:00Z'));
		const limiter = new RateLimiter({}, clock);
		limiter.observe(200, {
			'x-rate-limit-remaining': '10',
			'x-rate-limit-reset': '2026-11-23T12:00:30Z',
		});
		const start = clock.now();
		const sentAt: number[] = [];
		for (let i = 0; i < 3; i++) {
			await limiter.acquire();
			sentAt.push(clock.now() - start);
		}
		expect(sentAt).toEqual([0, 3000, 6000]);
	});

	it('waits for the reset when the server budget is spent', async () => {
		const clock = fakeClock(Date.parse('2026-11-23T12:00:00Z'));
		const limiter = new RateLimiter({ requestsPerMinute: 1000 }, clock);
		limiter.observe(200, {
			'x-rate-limit-remaining': '0',
			'x-rate-limit-reset': '2026-11-23T12:00:20Z',
		});
		await limiter.acquire();
		expect(clock.sleeps).toEqual([20_000]);
	});

	it('does nothing without a configured rate or server signal', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({}, clock);
		for (let i = 0; i < 100; i++) await limiter.acquire();
		expect(clock.sleeps).toEqual([]);
	});
});
