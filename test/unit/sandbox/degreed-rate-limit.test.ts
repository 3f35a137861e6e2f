// Degreed's emulated rate limit as a benchmark uses it: thousands of requests, exact budgets per API
// client, X-Rate-Limit-* and 429 + Retry-After right at the window edges, and the counters snapshot
// (requests, 429s, token requests, tokens per client, writes) a bench diffs before/after a run.
import { Agent, request } from 'undici';
import { diffCounters } from '../../sandbox/ledger';
import { DEGREED_DEMO, degreedProvider } from '../../sandbox/providers/degreed';
import type { DegreedEmulator } from '../../sandbox/providers/degreed';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';

let sandbox: Sandbox;
let emulator: DegreedEmulator;
const agent = new Agent({ connections: 10 });
const SECOND_CLIENT = {
	clientId: 'bench-client-2',
	clientSecret: 'bench-secret-2',
	scopes: ['completions:write'],
};

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [degreedProvider()], ledger: 'off' });
	emulator = sandbox.provider<DegreedEmulator>('degreed');
});
afterAll(async () => {
	await agent.close();
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	emulator.seed({ clients: [SECOND_CLIENT] });
});

async function token(clientId: string, clientSecret: string): Promise<string> {
	const res = await request(`${sandbox.urlFor('degreed', 'oauth')}/oauth/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: clientSecret,
			scope: 'completions:write',
		}).toString(),
		dispatcher: agent,
	});
	const body = (await res.body.json()) as { access_token: string };
	expect(res.statusCode).toBe(200);
	return body.access_token;
}

let seq = 0;
async function complete(accessToken: string) {
	const body = {
		data: {
			type: 'completions',
			attributes: {
				'user-id': 'jane.doe@acme.example',
				'content-id': 'course-privacy-101',
				'completed-at': new Date(Date.UTC(2026, 0, 1) + seq++ * 1000).toISOString(),
			},
		},
	};
	const res = await request(`${sandbox.urlFor('degreed', 'api')}/api/v2/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
		dispatcher: agent,
	});
	const text = await res.body.text();
	return {
		status: res.statusCode,
		headers: res.headers,
		body: JSON.parse(text) as { errors?: Array<{ code: string; status: number }> },
	};
}

async function burst(
	accessToken: string,
	n: number,
	concurrency = 10,
): Promise<Record<number, number>> {
	const statuses: Record<number, number> = {};
	let left = n;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (left-- > 0) {
				const { status } = await complete(accessToken);
				statuses[status] = (statuses[status] ?? 0) + 1;
			}
		}),
	);
	return statuses;
}

test('headers and 429 + Retry-After at the exact window edges (frozen clock)', async () => {
	emulator.configure({ rateLimit: { requestsPerMinute: 5, windowMs: 60_000 } });
	const t0 = Date.UTC(2026, 10, 23, 12, 0, 0);
	sandbox.clock.freeze(t0);
	const t = await token(DEGREED_DEMO.clientId, DEGREED_DEMO.clientSecret);
	const remaining = [];
	for (let i = 0; i < 5; i++) {
		const r = await complete(t);
		expect(r.status).toBe(201);
		expect(r.headers['x-rate-limit-limit']).toBe('1m');
		expect(r.headers['x-rate-limit-reset']).toBe('2026-11-23T12:01:00.000Z');
		expect(r.headers['retry-after']).toBeUndefined();
		remaining.push(r.headers['x-rate-limit-remaining']);
	}
	expect(remaining).toEqual(['4', '3', '2', '1', '0']);

	const over = await complete(t);
	expect(over.status).toBe(429);
	expect(over.headers['retry-after']).toBe('60');
	expect(over.headers['x-rate-limit-remaining']).toBe('0');
	expect(over.body.errors?.[0]).toMatchObject({ status: 429, code: 'quota-exceeded' });

	sandbox.clock.advance(58_500);
	expect((await complete(t)).headers['retry-after']).toBe('2'); // 1.5 s left: rounded up
	sandbox.clock.advance(1_499);
	const last = await complete(t); // 1 ms before the edge: still refused, never "Retry-After: 0"
	expect([last.status, last.headers['retry-after']]).toEqual([429, '1']);
	sandbox.clock.advance(1); // exactly at the edge: a new window
	const fresh = await complete(t);
	expect(fresh.status).toBe(201);
	expect(fresh.headers['x-rate-limit-remaining']).toBe('4');
	expect(fresh.headers['x-rate-limit-reset']).toBe('2026-11-23T12:02:00.000Z');
	// rejected requests did not use the budget; the emulator's count and the ledger's 429s agree
	expect(emulator.rateLimited).toBe(3);
	expect(sandbox.counters().byProvider.degreed.rateLimited).toBe(3);

	emulator.configure({ rateLimit: { requestsPerMinute: 10, windowMs: 1_500 } });
	sandbox.clock.advance(60_000);
	expect((await complete(t)).headers['x-rate-limit-limit']).toBe('2s'); // sub-minute windows in seconds
});

test('thousands of requests: exactly the budget per client and window, every 429 counted', async () => {
	emulator.configure({ rateLimit: { requestsPerMinute: 1_000, windowMs: 60_000 } });
	sandbox.clock.freeze(Date.UTC(2026, 10, 23, 12, 0, 0));
	const before = sandbox.counters();
	const a = await token(DEGREED_DEMO.clientId, DEGREED_DEMO.clientSecret);
	const b = await token(SECOND_CLIENT.clientId, SECOND_CLIENT.clientSecret);
	await token(SECOND_CLIENT.clientId, SECOND_CLIENT.clientSecret); // a second token: same client, same budget

	const started = performance.now();
	expect(await burst(a, 2_500)).toEqual({ 201: 1_000, 429: 1_500 });
	expect(await burst(b, 1_200)).toEqual({ 201: 1_000, 429: 200 }); // its own budget
	sandbox.clock.advance(60_000);
	expect(await burst(a, 1_000)).toEqual({ 201: 1_000 });
	const ms = performance.now() - started;
	console.log(`4,700 Degreed requests (1,700 answered 429) in ${Math.round(ms)} ms`);

	const run = diffCounters(before, sandbox.counters());
	expect(run).toEqual({
		requests: 4_703,
		byProvider: {
			degreed: {
				requests: 4_703,
				rateLimited: 1_700,
				byHost: { oauth: 3, api: 4_700 },
				byStatus: { 200: 3, 201: 3_000, 429: 1_700 },
			},
		},
		tokenRequests: { degreed: 3 },
		writes: { 'degreed/completion': { created: 3_000 } },
		tokensIssued: { degreed: { [DEGREED_DEMO.clientId]: 1, [SECOND_CLIENT.clientId]: 2 } },
	});
	expect(emulator.rateLimited).toBe(1_700);
});

test('counters are there in ledger mode off and over the control API; failed token requests count too', async () => {
	const before = sandbox.counters();
	const bad = await request(`${sandbox.urlFor('degreed', 'oauth')}/oauth/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: DEGREED_DEMO.clientId,
			client_secret: 'wrong',
			scope: 'completions:write',
		}).toString(),
		dispatcher: agent,
	});
	expect(bad.statusCode).toBe(401);
	await bad.body.text();
	await complete(await token(DEGREED_DEMO.clientId, DEGREED_DEMO.clientSecret));
	const res = await request(`${sandbox.controlUrl}/counters`, { dispatcher: agent });
	const overHttp = await res.body.json();
	expect(overHttp).toEqual(sandbox.counters());
	expect(diffCounters(before, sandbox.counters())).toEqual({
		requests: 3,
		byProvider: {
			degreed: { requests: 3, byHost: { oauth: 2, api: 1 }, byStatus: { 200: 1, 201: 1, 401: 1 } },
		},
		tokenRequests: { degreed: 2 },
		writes: { 'degreed/completion': { created: 1 } },
		tokensIssued: { degreed: { [DEGREED_DEMO.clientId]: 1 } },
	});
	expect(sandbox.ledger.requests()).toEqual([]); // mode 'off': no entries, counters only
});
