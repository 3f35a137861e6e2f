import {
	TokenManager,
	tokenCacheKey,
	tokenFromExpiresIn,
} from '../../../nodes/shared/tokenManager';
import { bearerClient, json, scriptedServer, SECRET, failure } from './helpers';

describe('tokenCacheKey', () => {
	it('changes with every field that shapes a token and never contains the secret', () => {
		const base = {
			url: 'https://a/token',
			clientId: 'id',
			secret: SECRET,
			scope: 'x',
			tenant: 't',
		};
		const key = tokenCacheKey(base);
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(key).not.toContain(SECRET);
		for (const field of Object.keys(base)) {
			expect(tokenCacheKey({ ...base, [field]: 'other' })).not.toBe(key);
		}
		expect(
			tokenCacheKey({
				tenant: 't',
				scope: 'x',
				secret: SECRET,
				clientId: 'id',
				url: 'https://a/token',
			}),
		).toBe(key);
	});
});

describe('TokenManager', () => {
	it('refreshes at 80% of the lifetime, never closer than 60 s to expiry', () => {
		const tm = new TokenManager();
		const t0 = 1_000_000;
		expect(tm.refreshAt({ accessToken: 'a', issuedAt: t0, expiresAt: t0 + 3_600_000 })).toBe(
			t0 + 2_880_000,
		);
		// 300 s token: 80 % = 240 s, expiry − 60 s = 240 s.
		expect(tm.refreshAt({ accessToken: 'a', issuedAt: t0, expiresAt: t0 + 300_000 })).toBe(
			t0 + 240_000,
		);
		// 200 s token: 80 % = 160 s but expiry − 60 s = 140 s wins.
		expect(tm.refreshAt({ accessToken: 'a', issuedAt: t0, expiresAt: t0 + 200_000 })).toBe(
			t0 + 140_000,
		);
	});

	it('serves the cached token until its refresh point, then fetches once', async () => {
		let now = 0;
		const tm = new TokenManager({ now: () => now });
		let n = 0;
		const fetch = async () => tokenFromExpiresIn(`t${++n}`, 300, now);
		expect((await tm.get('k', fetch)).accessToken).toBe('t1');
		now = 239_000;
		expect((await tm.get('k', fetch)).accessToken).toBe('t1');
		now = 240_001;
		expect((await tm.get('k', fetch)).accessToken).toBe('t2');
		expect(tm.fetches).toBe(2);
	});

	it('uses a fresh persisted token as seed, and ignores a stale one', async () => {
		let now = 10_000;
		const tm = new TokenManager({ now: () => now });
		const fetch = jest.fn(async () => tokenFromExpiresIn('fetched', 300, now));
		const seed = { accessToken: 'persisted', issuedAt: 0, expiresAt: 300_000 };
		expect((await tm.get('a', fetch, seed)).accessToken).toBe('persisted');
		now = 250_000;
		expect((await tm.get('b', fetch, seed)).accessToken).toBe('fetched');
		expect(fetch).toHaveBeenCalledTimes(1);
	});

	it('never seeds again with a persisted token the provider refused (every execution brings it back)', async () => {
		const tm = new TokenManager();
		let n = 0;
		const fetch = jest.fn(async () => tokenFromExpiresIn(`fresh${++n}`, 3600));
		const persisted = {
			accessToken: 'revoked-but-persisted',
			issuedAt: Date.now(),
			expiresAt: Date.now() + 3_600_000,
		};
		expect((await tm.get('k', fetch, persisted)).accessToken).toBe('revoked-but-persisted');
		tm.invalidate('k', 'revoked-but-persisted');
		// The retry after the 401, and the next execution (same seed from the credential), get a new token.
		expect((await tm.get('k', fetch, persisted)).accessToken).toBe('fresh1');
		tm.invalidate('k', 'fresh1');
		expect((await tm.get('k', fetch, persisted)).accessToken).toBe('fresh2');
		expect(fetch).toHaveBeenCalledTimes(2);
		// Another credential's key may still use its own persisted token.
		expect((await tm.get('other', fetch, { ...persisted, accessToken: 'fine' })).accessToken).toBe(
			'fine',
		);
	});

	it('invalidates only the token that was refused, not a newer one', async () => {
		const tm = new TokenManager();
		let n = 0;
		const fetch = async () => tokenFromExpiresIn(`t${++n}`, 3600);
		await tm.get('k', fetch);
		tm.invalidate('k', 't1');
		expect((await tm.get('k', fetch)).accessToken).toBe('t2');
		tm.invalidate('k', 't1');
		expect((await tm.get('k', fetch)).accessToken).toBe('t2');
	});

	it('does not cache a failed fetch', async () => {
		const tm = new TokenManager();
		await expect(tm.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
			'boom',
		);
		expect((await tm.get('k', async () => tokenFromExpiresIn('ok', 60))).accessToken).toBe('ok');
	});
});

describe('ApiClient token handling against a real server', () => {
	it('100 concurrent requests on a cold cache cause exactly 1 token request', async () => {
		let issued = 0;
		const server = await scriptedServer((req, res) => {
			if (req.url === '/token') {
				issued++;
				setTimeout(() => json(res, 200, { access_token: `tok-${issued}`, expires_in: 3600 }), 50);
				return;
			}
			json(res, req.headers.authorization === 'Bearer tok-1' ? 200 : 401, { ok: true });
		});
		try {
			const { client } = bearerClient(server.url);
			const results = await Promise.all(
				Array.from({ length: 100 }, (_, i) =>
					client.json({ method: 'GET', url: `${server.url}/items/${i}` }),
				),
			);
			expect(results).toHaveLength(100);
			expect(issued).toBe(1);
			expect(client.stats.tokenRequests).toBe(1);
			expect(
				server.requests
					.filter((r) => r.url.startsWith('/items'))
					.every((r) => r.headers.authorization === 'Bearer tok-1'),
			).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('a 401 drops the token, fetches a new one and resends once', async () => {
		let issued = 0;
		let valid = 'tok-2';
		const server = await scriptedServer((req, res) => {
			if (req.url === '/token')
				return json(res, 200, { access_token: `tok-${++issued}`, expires_in: 3600 });
			json(res, req.headers.authorization === `Bearer ${valid}` ? 200 : 401, {
				message: 'token expired',
			});
		});
		try {
			const { client } = bearerClient(server.url);
			await expect(
				client.json({ method: 'POST', url: `${server.url}/write`, body: { a: 1 } }),
			).resolves.toEqual({ message: 'token expired' });
			expect(issued).toBe(2);
			expect(
				server.requests.filter((r) => r.url === '/write').map((r) => r.headers.authorization),
			).toEqual(['Bearer tok-1', 'Bearer tok-2']);
			valid = 'never';
			const error = await failure(
				client.json({ method: 'GET', url: `${server.url}/read`, itemIndex: 3 }),
			);
			expect(error.message).toContain('Test testLmsApi');
			expect(error.message).toContain('refused twice');
			expect(error.httpCode).toBe('401');
			expect(error.context.itemIndex).toBe(3);
			expect(server.requests.filter((r) => r.url === '/read')).toHaveLength(2);
		} finally {
			await server.close();
		}
	});

	it('reports a token endpoint failure with the provider message and no secret', async () => {
		const server = await scriptedServer((_req, res) =>
			json(res, 401, { message: `invalid_client ${SECRET}` }),
		);
		try {
			const { client } = bearerClient(server.url);
			const error = await failure(client.json({ method: 'GET', url: `${server.url}/x` }));
			expect(error.message).toContain('could not get an access token');
			expect(
				JSON.stringify({ m: error.message, d: error.description, c: error.context }),
			).not.toContain(SECRET);
			expect(server.requests).toHaveLength(1);
		} finally {
			await server.close();
		}
	});
});
