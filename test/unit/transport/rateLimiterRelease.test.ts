// ApiClient hands the limiter a ticket per request and ends it with the response, or releases it
// when none came: a dropped connection must not count against the shared budget for ever.
import { forgetRateLimiters } from '../../../nodes/shared/rateLimiter';
import { bearerClient, fakeClock, json, scriptedServer } from './helpers';

const T0 = Date.parse('2026-11-23T12:00:00Z');

afterEach(() => forgetRateLimiters());

it('a request whose connection dropped no longer holds back the next ones', async () => {
	let attempts = 0;
	const server = await scriptedServer((req, res) => {
		if (req.url === '/token') return json(res, 200, { access_token: 'a', expires_in: 3600 });
		if (req.url === '/r' && ++attempts === 1) return req.socket.destroy();
		if (req.url === '/r')
			return json(
				res,
				200,
				{ ok: true },
				{
					'x-rate-limit-remaining': '2',
					'x-rate-limit-reset': new Date(T0 + 30_000).toISOString(),
					date: new Date(T0).toUTCString(), // the fake clock's time, not the machine's
				},
			);
		json(res, 200, { ok: true });
	});
	try {
		const clock = fakeClock(T0);
		const { client } = bearerClient(server.url, { clock, rateLimit: {} });
		await expect(client.json({ method: 'GET', url: `${server.url}/r` })).resolves.toEqual({
			ok: true,
		});
		expect(attempts).toBe(2);
		const before = clock.sleeps.length;
		for (let i = 0; i < 2; i++) await client.json({ method: 'GET', url: `${server.url}/next` });
		// 2 left for 30 s (less the retry's backoff) and nothing in flight: one now, one about 15 s
		// later; the dropped attempt still counted would hold it for the reset (30 s).
		const waits = clock.sleeps.slice(before);
		expect(waits).toHaveLength(1);
		expect(waits[0]).toBeGreaterThan(10_000);
		expect(waits[0]).toBeLessThanOrEqual(15_000);
	} finally {
		await server.close();
	}
});
