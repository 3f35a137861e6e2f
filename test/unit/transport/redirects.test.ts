import { bearerClient, failure, json, scriptedServer } from './helpers';

describe('redirects', () => {
	// Adapted (#16 class 1): a request with credentials no longer follows a redirect to another
	// origin at all (before, it went there without its Authorization header).
	it('follows a same-origin redirect with credentials, but never sends them to another origin', async () => {
		const other = await scriptedServer((_req, res) => json(res, 200, { from: 'other' }));
		const api = await scriptedServer((req, res) => {
			if (req.url === '/token')
				return json(res, 200, { access_token: 'tok-secret-1', expires_in: 3600 });
			if (req.url === '/moved') {
				res.writeHead(302, { location: '/here' });
				return res.end();
			}
			if (req.url === '/away') {
				res.writeHead(302, { location: `${other.url}/there?x=1` });
				return res.end();
			}
			json(res, 200, { from: 'api', auth: req.headers.authorization });
		});
		try {
			const { client } = bearerClient(api.url);
			await expect(client.json({ method: 'GET', url: `${api.url}/moved` })).resolves.toEqual({
				from: 'api',
				auth: 'Bearer tok-secret-1',
			});
			await expect(client.json({ method: 'GET', url: `${api.url}/away` })).rejects.toThrow(
				/redirected \(HTTP 302\) to http:\/\/127\.0\.0\.1:\d+\/there/,
			);
			expect(other.requests).toHaveLength(0);
			expect(other.requests.every((r) => r.headers.authorization === undefined)).toBe(true);

			const basic = bearerClient(api.url, {
				auth: {
					kind: 'static',
					apply: (request) =>
						void (request.headers = {
							...request.headers,
							Authorization: 'Basic YXBwOnNlY3JldA==',
						}),
				},
			}).client;
			await expect(basic.json({ method: 'GET', url: `${api.url}/away` })).rejects.toThrow(
				/redirected/,
			);
			expect(other.requests).toHaveLength(0);
		} finally {
			await api.close();
			await other.close();
		}
	});

	it('never redirects a request other than GET/HEAD: a DELETE answered 303 is an error, not "deleted"', async () => {
		const api = await scriptedServer((req, res) => {
			if (req.url === '/token')
				return json(res, 200, { access_token: 'tok-secret-2', expires_in: 3600 });
			if (req.url === '/records/1') {
				res.writeHead(303, { location: '/records/1/gone' });
				return res.end();
			}
			json(res, 200, { deleted: true });
		});
		try {
			const { client } = bearerClient(api.url);
			for (const method of ['DELETE', 'POST', 'PUT', 'PATCH'] as const) {
				const error = await failure(
					client.request({
						method,
						url: `${api.url}/records/1`,
						body: method === 'DELETE' ? undefined : { a: 1 },
					}),
				);
				expect(error.message).toMatch(/redirected \(HTTP 303\)/);
				expect(error.description).toMatch(new RegExp(`A ${method} request is never redirected`));
			}
			expect(api.requests.filter((r) => r.url === '/records/1/gone')).toHaveLength(0);
		} finally {
			await api.close();
		}
	});

	it('stops a same-origin redirect loop after 5 hops', async () => {
		const api = await scriptedServer((req, res) => {
			if (req.url === '/token') return json(res, 200, { access_token: 'tok', expires_in: 3600 });
			const n = Number(req.url?.slice(1)) || 0;
			res.writeHead(302, { location: `/${n + 1}` });
			res.end();
		});
		try {
			const { client } = bearerClient(api.url);
			await expect(client.json({ method: 'GET', url: `${api.url}/0` })).rejects.toThrow(
				/redirected/,
			);
			expect(api.requests.filter((r) => r.url !== '/token')).toHaveLength(6);
		} finally {
			await api.close();
		}
	});
});
