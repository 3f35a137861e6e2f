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

describe('RateLimiter: a budget shared with other workers (X-Rate-Limit-*)', () => {
	const T0 = Date.parse('2026-11-23T12:00:00Z');
	const budget = (
		remaining: number | string,
		resetInS = 30,
		extra: Record<string, string> = {},
	) => ({
		'x-rate-limit-remaining': String(remaining),
		'x-rate-limit-reset': new Date(T0 + resetInS * 1000).toISOString(),
		...extra,
	});
	const ticketOf = (result: Awaited<ReturnType<RateLimiter['acquire']>>) =>
		result.ok ? result.ticket : undefined;

	it("counts this worker's own requests in flight against the remaining budget", async () => {
		const clock = fakeClock(T0);
		const limiter = new RateLimiter({}, clock);
		const tickets = [];
		for (let i = 0; i < 4; i++) tickets.push(ticketOf(await limiter.acquire()));
		// The first answer says 3 left; the other 3 requests are on their way and will take them.
		limiter.observe(200, budget(3), undefined, 60_000, tickets[0]);
		await limiter.acquire();
		expect(clock.sleeps).toEqual([30_000]);
	});

	it('a request released without an answer (network error) no longer counts as in flight', async () => {
		const clock = fakeClock(T0);
		const limiter = new RateLimiter({}, clock);
		const tickets = [];
		for (let i = 0; i < 4; i++) tickets.push(ticketOf(await limiter.acquire()));
		for (const ticket of tickets.slice(1)) limiter.release(ticket);
		limiter.observe(200, budget(3), undefined, 60_000, tickets[0]);
		for (let i = 0; i < 3; i++) await limiter.acquire();
		expect(clock.sleeps).toEqual([10_000, 10_000]);
	});

	it('a request neither answered nor released is forgotten after 10 minutes', async () => {
		const clock = fakeClock(T0 - 11 * 60_000);
		const limiter = new RateLimiter({}, clock);
		for (let i = 0; i < 4; i++) await limiter.acquire(); // lost by their caller
		clock.advance(11 * 60_000);
		const ticket = ticketOf(await limiter.acquire());
		limiter.observe(200, budget(3), undefined, 60_000, ticket);
		for (let i = 0; i < 3; i++) await limiter.acquire();
		expect(clock.sleeps).toEqual([10_000, 10_000]);
	});

	it("learns the other workers' use from how remaining falls, and keeps to its share", async () => {
		const alone = new RateLimiter({}, fakeClock(T0));
		const shared = new RateLimiter({}, fakeClock(T0));
		for (let i = 0; i < 6; i++) {
			const a = ticketOf(await alone.acquire());
			alone.observe(200, budget(147 - i), undefined, 60_000, a);
			const s = ticketOf(await shared.acquire());
			// Between two of its own requests, two other workers sent one each.
			shared.observe(200, budget(147 - 3 * i), undefined, 60_000, s);
		}
		// 3 left: alone, the worker may take them; as one of three, its third is not a whole request.
		alone.observe(200, budget(3), undefined, 60_000, ticketOf(await alone.acquire()));
		shared.observe(200, budget(3), undefined, 60_000, ticketOf(await shared.acquire()));
		const aloneClock = (alone as unknown as { clock: ReturnType<typeof fakeClock> }).clock;
		const sharedClock = (shared as unknown as { clock: ReturnType<typeof fakeClock> }).clock;
		const [aloneBefore, sharedBefore] = [aloneClock.now(), sharedClock.now()];
		await alone.acquire();
		await shared.acquire();
		expect(aloneClock.now() - aloneBefore).toBeLessThan(30_000);
		expect(sharedClock.now() - sharedBefore).toBe(T0 + 30_000 - sharedBefore);
	});

	it('an answer older than one already learnt from does not give the budget back', async () => {
		const clock = fakeClock(T0);
		const limiter = new RateLimiter({}, clock);
		const first = ticketOf(await limiter.acquire());
		const second = ticketOf(await limiter.acquire());
		await limiter.acquire(); // the third takes the last one
		limiter.observe(200, budget(1), undefined, 60_000, second);
		limiter.observe(200, budget(2), undefined, 60_000, first); // sent earlier, answered later
		await limiter.acquire();
		expect(clock.sleeps).toEqual([30_000]);
	});

	it('a huge remaining never paces faster than Requests Per Minute; X-Rate-Limit-Limit caps it', async () => {
		const clock = fakeClock(T0);
		const limiter = new RateLimiter({ requestsPerMinute: 60, burst: 1 }, clock);
		limiter.observe(200, budget(1e12, 30), undefined, 60_000, ticketOf(await limiter.acquire()));
		for (let i = 0; i < 3; i++) await limiter.acquire();
		expect(clock.sleeps).toEqual([1000, 1000, 1000]);

		const capped = fakeClock(T0);
		const byLimit = new RateLimiter({}, capped);
		byLimit.observe(
			200,
			budget(1e12, 30, { 'x-rate-limit-limit': '3' }),
			undefined,
			60_000,
			ticketOf(await byLimit.acquire()),
		);
		for (let i = 0; i < 3; i++) await byLimit.acquire();
		expect(capped.sleeps).toEqual([10_000, 10_000]);
	});

	it.each([['NaN'], ['-5'], ['']])(
		'remaining %p with a reset an hour away never holds a request past Max Retry Wait',
		async (remaining) => {
			const clock = fakeClock(T0);
			const limiter = new RateLimiter({}, clock);
			limiter.observe(
				200,
				budget(remaining, 3600),
				undefined,
				60_000,
				ticketOf(await limiter.acquire()),
			);
			const result = await limiter.acquire({ maxWaitMs: 60_000 });
			expect(result.ok).toBe(true);
			expect(clock.sleeps.every((ms) => ms <= 60_000)).toBe(true);
		},
	);

	it('a share the other workers seem to spend entirely holds a request at most Max Retry Wait', async () => {
		const clock = fakeClock(T0);
		const limiter = new RateLimiter({}, clock);
		for (let i = 0; i < 10; i++) {
			const ticket = ticketOf(await limiter.acquire({ maxWaitMs: 60_000 }));
			// Each answer: 50 fewer left than the one before, the reset an hour away.
			limiter.observe(200, budget(1000 - 50 * i, 3600), undefined, 60_000, ticket);
		}
		expect(await limiter.acquire({ maxWaitMs: 30_000 })).toEqual({
			ok: false,
			waitMs: expect.any(Number),
		});
		expect(clock.sleeps.every((ms) => ms <= 60_000)).toBe(true);
		expect((await limiter.acquire({ maxWaitMs: 60_000 })).ok).toBe(true);
	});
});
