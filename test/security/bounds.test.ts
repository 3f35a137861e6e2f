/**
 * Issue #16, class 3: every wait and every read is bounded. A Retry-After of an hour or a rate
 * limit reset a day away never makes a run (nor the next run of the credential) wait past Max
 * Retry Wait; cancelling the execution ends a wait; a list that repeats itself stops with an error;
 * a token endpoint cannot make the node read without bound.
 */
import type { IDataObject } from 'n8n-workflow';

import { API_PATH, PROVIDERS, TOKEN_PATH, TOKEN_PROVIDERS, credentialsFor, preAuthenticate, resetWorld, run, startWorld, stopWorld } from './harness';
import type { Provider, World } from './harness';
import { READ } from './ops';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

const MAX_RETRY_WAIT_S = 1;
/** Max Retry Wait plus room for a busy machine: what a run may take at most. */
const BOUND_MS = MAX_RETRY_WAIT_S * 1000 + 2000;

const LONG_WAITS: Array<[string, () => Record<string, string>]> = [
	['Retry-After: 3600', () => ({ 'retry-after': '3600' })],
	['Retry-After: an HTTP date an hour away', () => ({ 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() })],
	['X-Rate-Limit-Remaining: 0, reset a day away (epoch seconds)', () => ({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 86_400) })],
	['X-RateLimit-Remaining: 0, reset in 86400 seconds', () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '86400' })],
];

describe('a wait learnt from one response never exceeds Max Retry Wait, in this run or the next', () => {
	const cases = PROVIDERS.flatMap((p) => LONG_WAITS.map(([what, headers]) => [p, what, headers] as const));
	it.each(cases)('%s: 429 with %s', async (provider, _what, headers) => {
		const credentials = credentialsFor(world, provider);
		world.hostile.on({ path: API_PATH[provider], times: 1, answer: () => ({ status: 429, headers: headers(), body: { message: 'slow down' } }) });
		const first = await run(world, provider, READ[provider].params, { credentials, maxRetryWaitSeconds: MAX_RETRY_WAIT_S, deadlineMs: BOUND_MS + 200 });
		expect(first.timedOut).toBe(false);
		expect(first.elapsedMs).toBeLessThan(BOUND_MS);
		// The next run of the same credential: the provider answers normally again.
		const next = await run(world, provider, READ[provider].params, { credentials, maxRetryWaitSeconds: MAX_RETRY_WAIT_S, deadlineMs: BOUND_MS + 200 });
		expect(next.timedOut).toBe(false);
		expect(next.elapsedMs).toBeLessThan(BOUND_MS);
	});
});

describe('cancelling the execution ends a wait', () => {
	const WAITS: Array<[string, () => Record<string, string>]> = [
		['Retry-After: 20', () => ({ 'retry-after': '20' })],
		['X-Rate-Limit-Remaining: 0, reset in 20 s', () => ({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 20) })],
	];
	const cases = PROVIDERS.flatMap((p) => WAITS.map(([what, headers]) => [p, what, headers] as const));
	it.each(cases)('%s: 429 with %s, Max Retry Wait 60 s, cancelled after 300 ms', async (provider, _what, headers) => {
		world.hostile.on({ path: API_PATH[provider], answer: () => ({ status: 429, headers: headers(), body: { message: 'slow down' } }) });
		const r = await run(world, provider, READ[provider].params, { maxRetryWaitSeconds: 60, maxAttempts: 3, cancelAfterMs: 300, deadlineMs: 2500 });
		expect(r.timedOut).toBe(false);
		expect(r.elapsedMs).toBeLessThan(2000);
	});
});

describe('a list that repeats itself stops with a clear error', () => {
	const api = (p: Provider, path: string) => `${world.hostile.origin}${path}`;
	const LOOPS: Array<{ provider: Provider; what: string; params: IDataObject; path: RegExp; page: (req: { url: string; path: string }, n: number) => { body: unknown; headers?: Record<string, string> } }> = [
		{ provider: 'degreed', what: 'user.getAll: links.next points to itself', params: { resource: 'user', operation: 'getAll', returnAll: true, filters: {}, options: {} }, path: /\/api\/v2\/users$/, page: (req) => ({ body: { data: [{ id: 'u1', type: 'users', attributes: {} }], links: { next: api('degreed', req.url) } } }) },
		{ provider: 'degreed', what: 'user.getAll: two next links alternate', params: { resource: 'user', operation: 'getAll', returnAll: true, filters: {}, options: {} }, path: /\/api\/v2\/users$/, page: (req, n) => ({ body: { data: [{ id: `u${n % 2}`, type: 'users', attributes: {} }], links: { next: api('degreed', `${req.path}?cursor=${n % 2 ? 'A' : 'B'}`) } } }) },
		{ provider: 'degreed', what: 'xapiStatement.getAll: more points to itself', params: { resource: 'xapiStatement', operation: 'getAll', returnAll: true, options: {} }, path: /\/xAPI\/statements$/, page: (req) => ({ body: { statements: [{ id: '0b4f6d1e-6a0a-4c5e-9f1e-1a2b3c4d5e6f' }], more: req.url } }) },
		{ provider: 'scormcloud', what: 'registration.getMany: the same more token again', params: { resource: 'registration', operation: 'getMany', returnAll: true, filters: {} }, path: /\/registrations$/, page: () => ({ body: { registrations: [{ id: 'r1' }], more: 'same-token' } }) },
		{ provider: 'scormcloud', what: 'registration.getMany: two more tokens alternate', params: { resource: 'registration', operation: 'getMany', returnAll: true, filters: {} }, path: /\/registrations$/, page: (_r, n) => ({ body: { registrations: [{ id: `r${n % 2}` }], more: n % 2 ? 'token-A' : 'token-B' } }) },
		{ provider: 'scormcloud', what: 'getXapiStatements: more points to itself', params: { resource: 'registration', operation: 'getXapiStatements', registrationId: 'reg-1', returnAll: true, filters: {} }, path: /\/xAPIStatements$/, page: (req) => ({ body: { statements: [{ id: 's1' }], more: api('scormcloud', req.url) } }) },
		{ provider: 'percipio', what: 'catalogContent.getAll: a total never reached (same page each time)', params: { resource: 'catalogContent', operation: 'getAll', returnAll: true, options: { pageSize: 2 } }, path: /\/content-discovery\/.*\/catalog-content$/, page: () => ({ body: [{ id: 'c1' }, { id: 'c2' }], headers: { 'x-total-count': '100000000', 'x-paging-request-id': 'snap-1' } }) },
		{ provider: 'learnlink', what: 'user.getAll: totalPages never reached (same page each time)', params: { resource: 'user', operation: 'getAll', returnAll: true }, path: /\/rest\/v1\/users$/, page: () => ({ body: { results: [{ id: 'u1', ref: 'emp-1' }], totalPages: 100000000 } }) },
		{ provider: 'learnlink', what: 'user.getAll: full pages forever, no total', params: { resource: 'user', operation: 'getAll', returnAll: true }, path: /\/rest\/v1\/users$/, page: () => ({ body: { results: Array.from({ length: 1000 }, (_, i) => ({ id: `u${i}`, ref: `emp-${i}` })) } }) },
	];
	it.each(LOOPS.map((l) => [`${l.provider} ${l.what}`, l] as const))('%s', async (_l, loop) => {
		let n = 0;
		world.hostile.on({ path: loop.path, answer: (req) => ({ status: 200, ...loop.page(req, n++) }) });
		const r = await run(world, loop.provider, loop.params, { deadlineMs: 4000 });
		expect(r.timedOut).toBe(false);
		expect(n).toBeLessThanOrEqual(50);
		expect(r.error !== undefined || r.output.some((o) => o.json.error !== undefined)).toBe(true);
	});
});

describe('a token endpoint answer is read with a bound', () => {
	it.each(TOKEN_PROVIDERS.map((p) => [p] as const))('%s: a 200 of 100 MiB is cut off, not read whole', async (provider) => {
		world.hostile.on({ path: TOKEN_PATH[provider], answer: () => ({ status: 200, hugeBytes: 100 * 1024 * 1024 }) });
		const r = await preAuthenticate(provider, credentialsFor(world, provider, {}, true));
		expect(r.error).toBeDefined();
		expect(world.hostile.streamed).toBeLessThan(90 * 1024 * 1024);
	});
});
