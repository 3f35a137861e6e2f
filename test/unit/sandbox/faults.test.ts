import { FaultPlanError } from '../../sandbox/faults';
import type { FaultPlan } from '../../sandbox/faults';
import { percipioProvider } from '../../sandbox/providers/percipio';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { http, ItemsProvider, percipioToken, usersPath } from './helpers';
import type { Http } from './helpers';

let sandbox: Sandbox;
let h: Http;
let itemsUrl: string;
let usersUrl: string;
let token: string;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 42, providers: [percipioProvider(), new ItemsProvider()] });
	h = http();
	itemsUrl = `${sandbox.urlFor('items', 'api')}/items`;
	usersUrl = `${sandbox.urlFor('percipio', 'api')}${usersPath}`;
});
afterAll(async () => {
	await h.close();
	await sandbox.close();
});
beforeEach(async () => {
	sandbox.reset();
	token = await percipioToken(sandbox, h);
});

const getUsers = () => h.send(usersUrl, { headers: { authorization: `Bearer ${token}` } });

describe('fault plans', () => {
	test('count applies to exactly the next N matching requests, and only to matching ones', async () => {
		const [plan] = sandbox.faults.add({
			kind: 'status',
			status: 503,
			count: 2,
			match: { provider: 'percipio', host: 'api' },
		});
		expect(plan.id).toBe('f1');
		await percipioToken(sandbox, h); // oauth host: not matched, not counted
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await getUsers()).status);
		expect(statuses).toEqual([503, 503, 200, 200]);
		expect(sandbox.faults.list()[0]).toMatchObject({
			id: 'f1',
			matched: 2,
			fired: 2,
			remaining: 0,
			active: false,
		});
		expect(sandbox.ledger.faults('status')).toBe(2);
		expect(
			sandbox.ledger.requests({ provider: 'percipio', host: 'api' }).map((e) => e.fault),
		).toEqual(['status', 'status', undefined, undefined]);
	});

	test('skip lets the first matching requests through; method and path narrow the match', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 500,
			skip: 1,
			count: 1,
			match: { method: 'post', path: '^/items$' },
		});
		const codes = [];
		for (const key of ['a', 'b', 'c']) codes.push((await h.json(itemsUrl, 'POST', { key })).status);
		expect((await h.send(`${sandbox.urlFor('items', 'api')}/echo`)).status).toBe(200);
		expect(codes).toEqual([201, 500, 201]);
		expect(sandbox.ledger.writes('items', 'item').keys).toEqual(['a', 'c']);
	});

	test('status faults use the provider error body; a 429 carries Retry-After', async () => {
		sandbox.faults.add([
			{ kind: 'status', status: 429, count: 1, match: { provider: 'items' } },
			{
				kind: 'status',
				status: 429,
				count: 1,
				retryAfter: 30,
				match: { provider: 'percipio', host: 'api' },
			},
			{
				kind: 'status',
				status: 503,
				count: 1,
				retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT',
				match: { provider: 'percipio', host: 'api' },
			},
			{ kind: 'status', status: 429, count: 1, match: { provider: 'percipio', host: 'oauth' } },
		]);
		const a = await h.json(itemsUrl, 'POST', { key: 'k' });
		expect(a.status).toBe(429);
		expect(a.headers['retry-after']).toBe('1');
		expect(a.json()).toEqual({ errors: [{ status: 429, title: 'Too Many Requests' }] });
		const b = await getUsers();
		expect(b.status).toBe(429);
		expect(b.headers['retry-after']).toBe('30');
		expect(b.json()).toEqual({ message: 'Too Many Requests' });
		const c = await getUsers();
		expect(c.status).toBe(503);
		expect(c.headers['retry-after']).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
		const t = await h.json(
			`${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
			'POST',
			{},
		);
		expect(t.status).toBe(429);
		expect(t.json()).toMatchObject({ error: 'too_many_requests' });
		expect(sandbox.ledger.writeCount('items', 'item', 'k')).toBe(0); // the route never ran
	});

	test('share decisions are deterministic for the same seed and differ for another', async () => {
		const plan: FaultPlan = {
			kind: 'status',
			status: 503,
			share: 0.5,
			match: { provider: 'percipio', host: 'api' },
		};
		const run = async (sb: Sandbox) => {
			const url = `${sb.urlFor('percipio', 'api')}${usersPath}`;
			const t = await percipioToken(sb, h);
			sb.faults.add(plan);
			let pattern = '';
			for (let i = 0; i < 40; i++)
				pattern +=
					(await h.send(url, { headers: { authorization: `Bearer ${t}` } })).status === 503
						? 'x'
						: '.';
			return pattern;
		};
		const first = await run(sandbox);
		const same = await startSandbox({ seed: 42, providers: [percipioProvider()] });
		const other = await startSandbox({ seed: 7, providers: [percipioProvider()] });
		try {
			const second = await run(same);
			const third = await run(other);
			expect(first).toMatch(/x/);
			expect(first).toMatch(/\./);
			expect(second).toBe(first);
			expect(third).not.toBe(first);
			// after reset() the same sandbox replays the same decisions
			sandbox.reset();
			expect(await run(sandbox)).toBe(first);
		} finally {
			await same.close();
			await other.close();
		}
	});

	test('reset destroys the connection before the route runs: nothing is written', async () => {
		sandbox.faults.add({ kind: 'reset', count: 1, match: { provider: 'items', path: '/items' } });
		await expect(h.json(itemsUrl, 'POST', { key: 'lost' })).rejects.toThrow();
		expect(sandbox.ledger.writeCount('items', 'item', 'lost')).toBe(0);
		expect(sandbox.ledger.requests({ provider: 'items' })).toEqual([
			expect.objectContaining({ status: 0, fault: 'reset', faultId: 'f1' }),
		]);
		// the retry goes through and writes once
		expect((await h.json(itemsUrl, 'POST', { key: 'lost' })).status).toBe(201);
		expect(sandbox.ledger.writes('items', 'item')).toMatchObject({
			total: 1,
			unique: 1,
			duplicates: [],
		});
	});

	test('reset-after lets the write happen, then the client sees a socket error', async () => {
		sandbox.faults.add({ kind: 'reset-after', count: 1, match: { provider: 'items' } });
		await expect(h.json(itemsUrl, 'POST', { key: 'ghost' })).rejects.toThrow(
			/ECONNRESET|socket|other side closed/i,
		);
		expect(sandbox.ledger.writeCount('items', 'item', 'ghost')).toBe(1);
		expect(sandbox.ledger.requests({ provider: 'items' })).toEqual([
			expect.objectContaining({ status: 201, fault: 'reset-after' }),
		]);
		// an idempotent retry finds the record: an update, not a duplicate
		const retry = await h.json(itemsUrl, 'POST', { key: 'ghost' });
		expect(retry.status).toBe(200);
		expect(sandbox.ledger.writes('items', 'item')).toMatchObject({
			total: 1,
			unique: 1,
			updates: 1,
			duplicates: [],
		});
	});

	test('latency delays the matching request, not the others', async () => {
		sandbox.faults.add({
			kind: 'latency',
			latencyMs: 250,
			count: 1,
			match: { provider: 'percipio', host: 'api' },
		});
		let t0 = performance.now();
		expect((await getUsers()).status).toBe(200);
		const slow = performance.now() - t0;
		t0 = performance.now();
		expect((await getUsers()).status).toBe(200);
		const fast = performance.now() - t0;
		expect(slow).toBeGreaterThanOrEqual(240);
		expect(fast).toBeLessThan(200);
		expect(sandbox.ledger.requests({ provider: 'percipio', host: 'api' })[0]).toMatchObject({
			fault: 'latency',
			status: 200,
		});
		expect(sandbox.ledger.faults('latency')).toBe(1);
	});

	test('forMs / untilMs bound a plan in time on the sandbox clock', async () => {
		sandbox.clock.freeze();
		sandbox.faults.add({
			kind: 'status',
			status: 502,
			forMs: 1000,
			match: { provider: 'percipio', host: 'api' },
		});
		expect((await getUsers()).status).toBe(502);
		sandbox.clock.advance(1000);
		expect((await getUsers()).status).toBe(200);
		expect(sandbox.faults.list()[0].active).toBe(false);
	});

	test('invalid plans are refused with a message saying what to fix', () => {
		expect(() => sandbox.faults.add({ kind: 'status' })).toThrow(/status/);
		expect(() => sandbox.faults.add({ kind: 'latency' })).toThrow(/latencyMs/);
		expect(() => sandbox.faults.add({ kind: 'reset', counts: 1 } as unknown as FaultPlan)).toThrow(
			FaultPlanError,
		);
		expect(() => sandbox.faults.add({ kind: 'reset', match: { path: '(' } })).toThrow(
			/regular expression/,
		);
		sandbox.faults.add({ id: 'x', kind: 'reset' });
		expect(() => sandbox.faults.add({ id: 'x', kind: 'reset' })).toThrow(/already exists/);
		expect(sandbox.faults.list().map((f) => f.id)).toEqual(['x']);
	});
});
