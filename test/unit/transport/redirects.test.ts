import { bearerClient, json, scriptedServer } from './helpers';

describe('redirects', () => {
	it('follows a same-origin redirect with credentials, but never sends them to another origin', async () => {
		const other = await scriptedServer((_req, res) => json(res, 200, { from: 'other' }));
		const api = await scriptedServer((req, res) => {
			if (req.url === '/token') return json(res, 200, { access_token: 'tok-secret-1', expires_in: 3600 });
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
			await expect(client.json({ method: 'GET', url: `${api.url}/moved` })).resolves.toEqual({ from: 'api', auth: 'Bearer tok-secret-1' });
			await expect(client.json({ method: 'GET', url: `${api.url}/away` })).resolves.toEqual({ from: 'other' });
			expect(other.requests).toHaveLength(1);
			expect(other.requests[0].headers.authorization).toBeUndefined();

			const basic = bearerClient(api.url, {
				auth: { kind: 'static', apply: (request) => void (request.headers = { ...request.headers, Authorization: 'Basic YXBwOnNlY3JldA==' }) },
			}).client;
			await basic.json({ method: 'GET', url: `${api.url}/away` });
			expect(other.requests[1].headers.authorization).toBeUndefined();
		} finally {
			await api.close();
			await other.close();
		}
	});
});
