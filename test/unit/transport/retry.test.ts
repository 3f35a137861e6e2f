import { backoffDelay, parseRetryAfter } from '../../../nodes/shared/retryPolicy';
import { bearerClient, fakeClock, json, scriptedServer, failure } from './helpers';

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-23T12:00:00Z');
	it('reads delta-seconds and HTTP dates', () => {
		expect(parseRetryAfter('7', now)).toBe(7000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});
});

describe('backoffDelay', () => {
	const options = { maxAttempts: 6, maxTotalWaitMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };
	it('uses full jitter within [0, min(max, base·2^n)]', () => {
		expect(backoffDelay(0, options, () => 0.999)).toBe(499);
		expect(backoffDelay(3, options, () => 0.5)).toBe(2000);
		expect(backoffDelay(10, options, () => 0.999)).toBe(7992);
		expect(backoffDelay(2, options, () => 0)).toBe(0);
		for (let i = 0; i < 200; i++) {
			const d = backoffDelay(4, options);
			expect(d).toBeGreaterThanOrEqual(0);
			expect(d).toBeLessThan(8000);
		}
	});
});

async function withServer(
	handler: Parameters<typeof scriptedServer>[0],
	run: (url: string, server: Awaited<ReturnType<typeof scriptedServer>>) => Promise<void>,
) {
	const server = await scriptedServer((req, res) => {
		if (req.url === '/token') return json(res, 200, { access_token: 'tok', expires_in: 3600 });
		handler(req, res);
	});
	try {
		await run(server.url, server);
	} finally {
		await server.close();
	}
}

const calls = (server: Awaited<ReturnType<typeof scriptedServer>>, path: string) =>
	server.requests.filter((r) => r.url.startsWith(path)).length;

describe('ApiClient retries', () => {
	it('honours Retry-After in seconds on 429, for a POST too', async () => {
		let n = 0;
		await withServer(
			(_req, res) =>
				++n === 1
					? json(res, 429, { message: 'slow down' }, { 'retry-after': '3' })
					: json(res, 201, { id: 1 }),
			async (url, server) => {
				const clock = fakeClock();
				const { client } = bearerClient(url, { clock });
				await expect(
					client.json({ method: 'POST', url: `${url}/completions`, body: { a: 1 } }),
				).resolves.toEqual({ id: 1 });
				expect(clock.sleeps).toEqual([3000]);
				expect(calls(server, '/completions')).toBe(2);
				expect(client.stats.status429).toBe(1);
			},
		);
	});

	it('honours Retry-After as an HTTP date', async () => {
		let n = 0;
		const clock = fakeClock(Date.parse('2026-11-23T12:00:00Z'));
		await withServer(
			(_req, res) =>
				++n === 1
					? json(res, 503, {}, { 'retry-after': 'Mon, 23 Nov 2026 12:00:45 GMT' })
					: json(res, 200, { ok: 1 }),
			async (url) => {
				const { client } = bearerClient(url, { clock });
				await client.json({ method: 'GET', url: `${url}/x` });
				expect(clock.sleeps).toEqual([45_000]);
			},
		);
	});

	it('backs off with jitter on 502/504 for reads, and gives up after maxAttempts', async () => {
		await withServer(
			(_req, res) => json(res, 502, { message: 'bad gateway' }),
			async (url, server) => {
				const clock = fakeClock();
				const { client } = bearerClient(url, {
					clock,
					random: () => 0.5,
					retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
				});
				const error = await failure(
					client.json({ method: 'GET', url: `${url}/list`, itemIndex: 2 }),
				);
				expect(calls(server, '/list')).toBe(4);
				expect(clock.sleeps).toEqual([50, 100, 200]);
				expect(error.httpCode).toBe('502');
				expect(error.message).toContain('bad gateway');
				expect(error.context.itemIndex).toBe(2);
			},
		);
	});

	it('stops when the total wait would exceed maxTotalWaitMs', async () => {
		await withServer(
			(_req, res) => json(res, 429, {}, { 'retry-after': '40' }),
			async (url, server) => {
				const clock = fakeClock();
				const { client } = bearerClient(url, {
					clock,
					retry: { maxAttempts: 10, maxTotalWaitMs: 100_000 },
				});
				await expect(client.json({ method: 'GET', url: `${url}/x` })).rejects.toMatchObject({
					httpCode: '429',
				});
				expect(clock.sleeps).toEqual([40_000, 40_000]);
				expect(calls(server, '/x')).toBe(3);
			},
		);
	});

	it('does not resend a plain write after a 503 (it may have been processed)', async () => {
		await withServer(
			(_req, res) => json(res, 503, { message: 'unavailable' }),
			async (url, server) => {
				const { client } = bearerClient(url, { clock: fakeClock() });
				const error = await failure(client.json({ method: 'POST', url: `${url}/w`, body: {} }));
				expect(calls(server, '/w')).toBe(1);
				expect(error.description).toContain('no idempotency key');
			},
		);
	});

	it('resends a write that carries an idempotency key', async () => {
		let n = 0;
		await withServer(
			(_req, res) => (++n < 3 ? json(res, 504, {}) : json(res, 200, { stored: true })),
			async (url, server) => {
				const { client } = bearerClient(url, { clock: fakeClock() });
				await expect(
					client.json({ method: 'POST', url: `${url}/w`, body: { id: 'k1' }, idempotent: true }),
				).resolves.toEqual({ stored: true });
				expect(calls(server, '/w')).toBe(3);
			},
		);
	});

	it('asks recover() before resending a plain write, and returns what already landed', async () => {
		await withServer(
			(_req, res) => json(res, 503, {}),
			async (url, server) => {
				const { client } = bearerClient(url, { clock: fakeClock() });
				const recover = jest.fn(async () => ({
					statusCode: 200,
					headers: {},
					body: { found: true },
				}));
				await expect(
					client.json({ method: 'POST', url: `${url}/w`, body: {}, recover }),
				).resolves.toEqual({ found: true });
				expect(recover).toHaveBeenCalledTimes(1);
				expect(calls(server, '/w')).toBe(1);
			},
		);
	});

	it('resends a plain write when recover() finds nothing', async () => {
		let n = 0;
		await withServer(
			(_req, res) => (++n === 1 ? json(res, 503, {}) : json(res, 201, { created: true })),
			async (url, server) => {
				const { client } = bearerClient(url, { clock: fakeClock() });
				await expect(
					client.json({
						method: 'POST',
						url: `${url}/w`,
						body: {},
						recover: async () => undefined,
					}),
				).resolves.toEqual({ created: true });
				expect(calls(server, '/w')).toBe(2);
			},
		);
	});

	it('retries a read whose connection was reset, but not a plain write', async () => {
		let n = 0;
		await withServer(
			(req, res) => {
				if (req.url === '/w' || ++n === 1) return req.socket.destroy();
				json(res, 200, { ok: true });
			},
			async (url, server) => {
				const { client } = bearerClient(url, { clock: fakeClock() });
				await expect(client.json({ method: 'GET', url: `${url}/r` })).resolves.toEqual({
					ok: true,
				});
				expect(calls(server, '/r')).toBe(2);
				const error = await failure(client.json({ method: 'POST', url: `${url}/w`, body: {} }));
				expect(calls(server, '/w')).toBe(1);
				expect(error.message).toContain('the connection to 127.0.0.1');
				expect(error.description).toContain('ECONNRESET');
			},
		);
	});

	it('resends even a plain write when the connection was refused (never sent)', async () => {
		const clock = fakeClock();
		const { client } = bearerClient('http://127.0.0.1:1', {
			clock,
			retry: { maxAttempts: 3 },
			auth: { kind: 'static', apply: () => undefined },
		});
		const error = await failure(
			client.json({ method: 'POST', url: 'http://127.0.0.1:1/w', body: {} }),
		);
		expect(clock.sleeps).toHaveLength(2);
		expect(error.description).toContain('ECONNREFUSED');
	});

	it('returns accepted statuses instead of failing', async () => {
		await withServer(
			(_req, res) => json(res, 409, { message: 'exists' }),
			async (url) => {
				const { client } = bearerClient(url);
				const response = await client.request({
					method: 'POST',
					url: `${url}/c`,
					body: {},
					acceptStatuses: [409],
				});
				expect(response.statusCode).toBe(409);
			},
		);
	});

	it('refuses plain http to a non-loopback host before sending anything', async () => {
		const { client, requests } = bearerClient('http://example.test');
		await expect(
			client.json({ method: 'GET', url: 'http://lms.example.test/api' }),
		).rejects.toThrow(/Refusing to send credentials over http/);
		expect(requests).toHaveLength(0);
	});

	it('a body cut off mid-way is a dropped connection (a GET is sent again), never a short success', async () => {
		await withServer(
			(_req, res) => {
				res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
				res.write('{"blob": "only the start', () => res.socket?.destroy());
			},
			async (url, server) => {
				const { client } = bearerClient(url, {
					clock: fakeClock(),
					retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
				});
				const error = await failure(client.json({ method: 'GET', url: `${url}/cut` }));
				expect(calls(server, '/cut')).toBe(2);
				expect(String(error.message)).not.toMatch(/JSON|too large/);
			},
		);
	});

	it('bounds the response size', async () => {
		await withServer(
			(_req, res) => json(res, 200, { blob: 'x'.repeat(5000) }),
			async (url) => {
				const { client } = bearerClient(url, { maxResponseBytes: 1000 });
				await expect(client.json({ method: 'GET', url: `${url}/big` })).rejects.toThrow(
					/too large/,
				);
			},
		);
	});
});
