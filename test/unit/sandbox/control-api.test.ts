// The control API over HTTP, as the demo and the real-n8n tests use it from another process.
import { percipioProvider } from '../../sandbox/providers/percipio';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { http, ItemsProvider, percipioToken, percipioTokenBody, usersPath } from './helpers';
import type { Http } from './helpers';

let sandbox: Sandbox;
let h: Http;
let control: string;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 3, providers: [percipioProvider(), new ItemsProvider()] });
	h = http();
	control = sandbox.controlUrl;
});
afterAll(async () => {
	await h.close();
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

describe('control API', () => {
	test('health lists every provider host with its URL', async () => {
		const res = await h.send(`${control}/health`);
		expect(res.status).toBe(200);
		expect(res.json()).toMatchObject({
			ok: true,
			seed: 3,
			providers: [
				{
					name: 'percipio',
					hosts: { oauth: `${sandbox.url}/percipio/oauth`, api: `${sandbox.url}/percipio/api` },
				},
				{ name: 'items', hosts: { api: `${sandbox.url}/items/api` } },
			],
		});
	});

	test('a fault added over HTTP applies, shows its counters, and can be deleted', async () => {
		const add = await h.json(`${control}/faults`, 'POST', [
			{
				id: 'slow-token',
				kind: 'status',
				status: 503,
				count: 1,
				match: { provider: 'percipio', host: 'oauth' },
			},
		]);
		expect(add.status).toBe(201);
		expect(add.json().added).toEqual([
			expect.objectContaining({ id: 'slow-token', remaining: 1, active: true }),
		]);

		const token = await h.json(
			`${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
			'POST',
			percipioTokenBody,
		);
		expect(token.status).toBe(503);
		expect(token.headers['x-sandbox-fault']).toBe('slow-token');

		const list = await h.send(`${control}/faults`);
		expect(list.json().faults).toEqual([
			expect.objectContaining({ id: 'slow-token', fired: 1, remaining: 0, active: false }),
		]);

		await h.json(`${control}/faults`, 'POST', { kind: 'status', status: 500 });
		const del = await h.send(`${control}/faults`, { method: 'DELETE' });
		expect(del.json()).toEqual({ removed: 2 });
		expect(sandbox.faults.list()).toEqual([]);
	});

	test('an invalid plan gets 400 with the issues', async () => {
		const res = await h.json(`${control}/faults`, 'POST', { kind: 'status', share: 2 });
		expect(res.status).toBe(400);
		const body = res.json();
		expect(body.message).toMatch(/Invalid fault plan/);
		expect(body.issues.join(' ')).toMatch(/share/);
		expect(body.issues.join(' ')).toMatch(/status/);
	});

	test('the ledger, writes and stats read over HTTP; control calls are not recorded', async () => {
		await percipioToken(sandbox, h);
		const since = sandbox.ledger.lastSeq;
		await h.send(`${sandbox.urlFor('percipio', 'api')}${usersPath}`);
		await h.json(`${sandbox.urlFor('items', 'api')}/items`, 'POST', { key: 'k1' });
		await h.json(`${sandbox.urlFor('items', 'api')}/items`, 'POST', { key: 'k1' });

		const ledger = (await h.send(`${control}/ledger?provider=percipio&since=${since}`)).json();
		expect(ledger.entries).toEqual([
			expect.objectContaining({
				provider: 'percipio',
				host: 'api',
				method: 'GET',
				path: usersPath,
				status: 401,
			}),
		]);
		expect(ledger.lastSeq).toBe(4);

		const writes = (await h.send(`${control}/writes?provider=items&kind=item`)).json();
		expect(writes).toEqual({
			provider: 'items',
			kind: 'item',
			total: 1,
			unique: 1,
			updates: 1,
			duplicates: [],
			keys: ['k1'],
		});
		expect((await h.send(`${control}/writes`)).json().writes).toHaveLength(1);

		const stats = (await h.send(`${control}/stats`)).json();
		expect(stats.requests.total).toBe(4);
		expect(stats.tokens.percipio).toEqual({ issued: 1, active: 1, requests: 1 });
		expect(stats.requests.byProvider.items.api.byStatus).toEqual({ 200: 1, 201: 1 });

		expect((await h.send(`${control}/ledger?since=x`)).status).toBe(400);
		expect((await h.send(`${control}/writes?provider=nobody`)).status).toBe(404);
		expect(sandbox.ledger.requests().every((e) => !e.path.includes('_control'))).toBe(true);
	});

	test('tokens can be revoked and expired, data seeded, and everything reset over HTTP', async () => {
		const usersUrl = `${sandbox.urlFor('percipio', 'api')}${usersPath}`;
		const bearer = async () => ({ authorization: `Bearer ${await percipioToken(sandbox, h)}` });

		let headers = await bearer();
		expect(
			(await h.json(`${control}/tokens/revoke`, 'POST', { provider: 'percipio' })).json(),
		).toEqual({ revoked: 1 });
		expect((await h.send(usersUrl, { headers })).json().message).toMatch(/revoked/);

		headers = await bearer();
		expect(
			(await h.json(`${control}/tokens/expire`, 'POST', { provider: 'percipio' })).json(),
		).toEqual({ expired: 1 });
		expect((await h.send(usersUrl, { headers })).json().message).toMatch(/expired/);

		const seed = await h.json(`${control}/seed`, 'POST', {
			provider: 'percipio',
			data: { clients: [{ clientId: 'n8n-demo', clientSecret: 'pw' }] },
		});
		expect(seed.json()).toEqual({ ok: true });
		const tokenUrl = `${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`;
		const seeded = await h.json(tokenUrl, 'POST', {
			...percipioTokenBody,
			client_id: 'n8n-demo',
			client_secret: 'pw',
		});
		expect(seeded.status).toBe(200);
		expect((await h.json(`${control}/seed`, 'POST', { provider: 'items', data: {} })).status).toBe(
			400,
		);
		expect(
			(await h.json(`${control}/seed`, 'POST', { provider: 'percipio', data: { clients: [{}] } }))
				.status,
		).toBe(400);

		const clock = await h.json(`${control}/clock`, 'POST', { freeze: 1_000, advanceMs: 500 });
		expect(clock.json()).toEqual({ now: 1_500, frozen: true });

		expect((await h.json(`${control}/reset`, 'POST', {})).json()).toEqual({ ok: true });
		expect(sandbox.ledger.requestCount()).toBe(0);
		expect(sandbox.clock.frozen).toBe(false);
		expect(
			(
				await h.json(tokenUrl, 'POST', {
					...percipioTokenBody,
					client_id: 'n8n-demo',
					client_secret: 'pw',
				})
			).status,
		).toBe(401);
	});
});
