import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ledger } from '../../sandbox/ledger';
import { percipioProvider } from '../../sandbox/providers/percipio';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { http, ItemsProvider, percipioToken, usersPath } from './helpers';
import type { Http } from './helpers';

let sandbox: Sandbox;
let h: Http;

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [percipioProvider(), new ItemsProvider()] });
	h = http();
});
afterAll(async () => {
	await h.close();
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

describe('request ledger', () => {
	test('records every request compactly and counts per provider / host / status', async () => {
		const token = await percipioToken(sandbox, h);
		const usersUrl = `${sandbox.urlFor('percipio', 'api')}${usersPath}`;
		await h.send(`${usersUrl}?offset=0&max=10`, { headers: { authorization: `Bearer ${token}` } });
		await h.send(usersUrl);
		await h.send(`${sandbox.url}/nowhere`);
		const entries = sandbox.ledger.requests();
		expect(entries.map((e) => [e.seq, e.provider, e.host, e.method, e.status])).toEqual([
			[1, 'percipio', 'oauth', 'POST', 200],
			[2, 'percipio', 'api', 'GET', 200],
			[3, 'percipio', 'api', 'GET', 401],
			[4, '', '', 'GET', 404],
		]);
		expect(entries[1]).toMatchObject({ path: usersPath, query: 'offset=0&max=10' });
		expect(entries[1].durationMs).toBeGreaterThanOrEqual(0);
		expect(sandbox.ledger.requestCount('percipio')).toBe(3);
		expect(sandbox.ledger.requestCount('percipio', 'api', 401)).toBe(1);
		expect(sandbox.ledger.requests({ since: 2 }).map((e) => e.seq)).toEqual([3, 4]);
		expect(
			sandbox.ledger.requests({ provider: 'percipio', path: '^/user-management/' }).length,
		).toBe(2);
		expect(sandbox.ledger.stats().requests.byProvider.percipio.api).toEqual({
			total: 2,
			byStatus: { 200: 1, 401: 1 },
		});
	});

	test("mode 'off' keeps the counters but no entries", async () => {
		sandbox.ledger.mode = 'off';
		try {
			for (let i = 0; i < 5; i++)
				await h.json(`${sandbox.urlFor('items', 'api')}/items`, 'POST', { key: `k${i}` });
			expect(sandbox.ledger.requests()).toEqual([]);
			expect(sandbox.ledger.requestCount('items', 'api', 201)).toBe(5);
			expect(sandbox.ledger.lastSeq).toBe(5);
			expect(sandbox.ledger.writes('items', 'item').unique).toBe(5);
		} finally {
			sandbox.ledger.mode = 'all';
		}
	});

	test('keeps at most maxEntries, dropping the oldest', () => {
		const l = new Ledger({ maxEntries: 10 });
		const c = l.requestCounter('p', 'h');
		for (let i = 0; i < 25; i++) l.recordRequest(c, 0, 'GET', '/', '', 200, 1);
		const seqs = l.requests().map((e) => e.seq);
		expect(seqs.length).toBeLessThanOrEqual(10);
		expect(seqs[seqs.length - 1]).toBe(25);
		expect(l.dropped + seqs.length).toBe(25);
		expect(c.total).toBe(25);
	});
});

describe('write ledger', () => {
	test('counts writes per key and reports duplicates', () => {
		const l = new Ledger();
		expect(l.recordWrite('degreed', 'completion', 'a', { n: 1 })).toBe(1);
		expect(l.recordWrite('degreed', 'completion', 'b')).toBe(1);
		expect(l.recordWrite('degreed', 'completion', 'a', { n: 2 })).toBe(2);
		expect(l.recordUpdate('degreed', 'completion', 'b', { n: 3 })).toBe(1);
		l.recordWrite('degreed', 'content', 'a');
		expect(l.writes('degreed', 'completion')).toEqual({
			provider: 'degreed',
			kind: 'completion',
			total: 3,
			unique: 2,
			updates: 1,
			duplicates: ['a'],
			keys: ['a', 'b'],
		});
		expect(l.duplicates('degreed', 'completion')).toEqual(['a']);
		expect(l.duplicates('degreed', 'content')).toEqual([]);
		expect(l.payload('degreed', 'completion', 'b')).toEqual({ n: 3 });
		expect(l.writeKinds('degreed')).toEqual([
			{ provider: 'degreed', kind: 'completion' },
			{ provider: 'degreed', kind: 'content' },
		]);
		expect(l.writes('moodle', 'user')).toMatchObject({ total: 0, keys: [] });
	});

	test('an emulator that re-creates a key shows up as a duplicate; an idempotent one does not', async () => {
		const url = `${sandbox.urlFor('items', 'api')}/items`;
		await h.json(url, 'POST', { key: 'x' });
		await h.json(url, 'POST', { key: 'x' });
		expect(sandbox.ledger.duplicates('items', 'item')).toEqual([]);
		// simulate a buggy emulator / client pair that creates the same key twice
		const items = sandbox.provider<ItemsProvider>('items');
		items.items.clear();
		await h.json(url, 'POST', { key: 'x' });
		expect(sandbox.ledger.duplicates('items', 'item')).toEqual(['x']);
	});
});

describe('sandbox.reset()', () => {
	test('clears faults, ledger, writes, tokens, clock and provider state', async () => {
		const token = await percipioToken(sandbox, h);
		await h.json(`${sandbox.urlFor('items', 'api')}/items`, 'POST', { key: 'a' });
		sandbox.faults.add({ kind: 'latency', latencyMs: 5 });
		sandbox.clock.freeze(0);
		sandbox
			.provider('percipio')
			.seed?.({ clients: [{ clientId: 'extra', clientSecret: 's', scopes: ['api'] }] });

		sandbox.reset();

		expect(sandbox.faults.list()).toEqual([]);
		expect(sandbox.ledger.requests()).toEqual([]);
		expect(sandbox.ledger.lastSeq).toBe(0);
		expect(sandbox.ledger.requestCount()).toBe(0);
		expect(sandbox.ledger.writes('items', 'item').total).toBe(0);
		expect(sandbox.tokens.issued()).toBe(0);
		expect(sandbox.clock.frozen).toBe(false);
		expect(sandbox.provider<ItemsProvider>('items').items.size).toBe(0);
		const old = await h.send(`${sandbox.urlFor('percipio', 'api')}${usersPath}`, {
			headers: { authorization: `Bearer ${token}` },
		});
		expect(old.status).toBe(401);
		const extra = await h.json(
			`${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
			'POST',
			{
				client_id: 'extra',
				client_secret: 's',
				grant_type: 'client_credentials',
			},
		);
		expect(extra.status).toBe(401);
		// the seeded random streams start over
		const first = sandbox.context('percipio').rng.uuid();
		sandbox.reset();
		expect(sandbox.context('percipio').rng.uuid()).toBe(first);
		expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});

describe('ctx.rateLimit', () => {
	test('fixed window: remaining counts down, the window resets after windowMs', () => {
		sandbox.clock.freeze(1_000_000);
		const ctx = sandbox.context('items');
		const o = { perWindow: 3, windowMs: 60_000 };
		expect(ctx.rateLimit('client-a', o)).toEqual({
			allowed: true,
			limit: 3,
			remaining: 2,
			resetAt: 1_060_000,
			retryAfterSeconds: 0,
		});
		expect(ctx.rateLimit('client-a', o).remaining).toBe(1);
		expect(ctx.rateLimit('client-a', o).remaining).toBe(0);
		expect(ctx.rateLimit('client-a', o)).toEqual({
			allowed: false,
			limit: 3,
			remaining: 0,
			resetAt: 1_060_000,
			retryAfterSeconds: 60,
		});
		expect(ctx.rateLimit('client-b', o).remaining).toBe(2); // keys are independent
		sandbox.clock.advance(30_500);
		expect(ctx.rateLimit('client-a', o).retryAfterSeconds).toBe(30);
		sandbox.clock.advance(29_500);
		expect(ctx.rateLimit('client-a', o)).toEqual({
			allowed: true,
			limit: 3,
			remaining: 2,
			resetAt: 1_120_000,
			retryAfterSeconds: 0,
		});
		// the same key of another provider is another counter
		expect(sandbox.context('percipio').rateLimit('client-a', o).remaining).toBe(2);
	});

	test('sliding window: a slot frees when the oldest request leaves the window', () => {
		sandbox.clock.freeze(0);
		const ctx = sandbox.context('items');
		const o = { perWindow: 2, windowMs: 10_000, mode: 'sliding' as const };
		expect(ctx.rateLimit('k', o).remaining).toBe(1);
		sandbox.clock.advance(4_000);
		expect(ctx.rateLimit('k', o)).toMatchObject({ allowed: true, remaining: 0, resetAt: 10_000 });
		sandbox.clock.advance(1_000);
		expect(ctx.rateLimit('k', o)).toEqual({
			allowed: false,
			limit: 2,
			remaining: 0,
			resetAt: 10_000,
			retryAfterSeconds: 5,
		});
		sandbox.clock.advance(5_000);
		expect(ctx.rateLimit('k', o)).toMatchObject({ allowed: true, remaining: 0, resetAt: 14_000 });
	});
});

describe('ctx.sendWebhook', () => {
	test('POSTs the exact body, returns the status, records it; a refused connection gives status 0', async () => {
		const received: Array<{ body: string; sig: string | undefined }> = [];
		const server = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push({ body, sig: req.headers['x-hmac-signature'] as string | undefined });
				res.statusCode = 202;
				res.end('ok');
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const port = (server.address() as AddressInfo).port;
		try {
			const ctx = sandbox.context('items');
			const raw = '{"eventType":"content.completed", "spacing":"kept"}';
			const res = await ctx.sendWebhook(`http://127.0.0.1:${port}/hook`, raw, {
				'x-hmac-signature': 'sha256=abc',
			});
			expect(res).toMatchObject({ status: 202, body: 'ok' });
			expect(received).toEqual([{ body: raw, sig: 'sha256=abc' }]);
		} finally {
			await new Promise((r) => server.close(r));
		}
		const refused = await sandbox
			.context('items')
			.sendWebhook(`http://127.0.0.1:${port}/hook`, '{}');
		expect(refused.status).toBe(0);
		expect(refused.error).toBeTruthy();
		expect(sandbox.ledger.webhooks('items').map((w) => w.status)).toEqual([202, 0]);
	});
});

describe('bodies', () => {
	test('forms are parsed with PHP-style brackets, raw bodies are kept, other types arrive as Buffers', async () => {
		const echo = `${sandbox.urlFor('items', 'api')}/echo`;
		const form =
			'wsfunction=core_user_create_users&users%5B0%5D%5Busername%5D=ann&users%5B1%5D%5Busername%5D=bob';
		const f = await h.send(echo, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form,
		});
		expect(f.json()).toEqual({
			body: {
				wsfunction: 'core_user_create_users',
				users: [{ username: 'ann' }, { username: 'bob' }],
			},
			raw: form,
			query: {},
		});
		const json = '{"a": 1,  "b": [true]}';
		const j = await h.send(echo, {
			method: 'POST',
			headers: { 'content-type': 'application/vnd.api+json' },
			body: json,
		});
		expect(j.json()).toMatchObject({ body: { a: 1, b: [true] }, raw: json });
		const x = await h.send(echo, {
			method: 'POST',
			headers: { 'content-type': 'application/xml' },
			body: '<a/>',
		});
		expect(x.json()).toMatchObject({ body: 'buffer:4', raw: '<a/>' });
		const q = await h.send(`${echo}?field=email&values%5B0%5D=a%40b.c&values[1]=d`);
		expect(q.json().query).toEqual({ field: 'email', values: ['a@b.c', 'd'] });
		const bad = await h.send(echo, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{',
		});
		expect(bad.status).toBe(400);
		expect(bad.json().errors[0].title).toMatch(/not valid JSON/);
	});

	test('providers that ask for multipart get file uploads', async () => {
		const fd = new FormData();
		fd.append('file', new Blob([Buffer.alloc(1234, 1)]), 'course.zip');
		const res = await fetch(`${sandbox.urlFor('items', 'api')}/upload`, {
			method: 'POST',
			body: fd,
		});
		expect(await res.json()).toEqual({ field: 'file', filename: 'course.zip', bytes: 1234 });
	});
});
