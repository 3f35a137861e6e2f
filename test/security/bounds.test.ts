/**
 * Issue #16, class 3 (reads): a list that repeats itself (a next link to itself, a repeated cursor,
 * a total never reached) stops with an error; a token endpoint cannot make the node read without
 * bound. The waits are in waits.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	TOKEN_PATH,
	TOKEN_PROVIDERS,
	credentialsFor,
	preAuthenticate,
	resetWorld,
	run,
	startWorld,
	stopWorld,
} from './harness';
import type { Provider, World } from './harness';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

describe('a list that repeats itself stops with a clear error', () => {
	const api = (p: Provider, path: string) => `${world.hostile.origin}${path}`;
	const LOOPS: Array<{
		provider: Provider;
		what: string;
		params: IDataObject;
		path: RegExp;
		page: (
			req: { url: string; path: string },
			n: number,
		) => { body: unknown; headers?: Record<string, string> };
	}> = [
		{
			provider: 'degreed',
			what: 'user.getAll: links.next points to itself',
			params: { resource: 'user', operation: 'getAll', returnAll: true, filters: {}, options: {} },
			path: /\/api\/v2\/users$/,
			page: (req) => ({
				body: {
					data: [{ id: 'u1', type: 'users', attributes: {} }],
					links: { next: api('degreed', req.url) },
				},
			}),
		},
		{
			provider: 'degreed',
			what: 'user.getAll: two next links alternate',
			params: { resource: 'user', operation: 'getAll', returnAll: true, filters: {}, options: {} },
			path: /\/api\/v2\/users$/,
			page: (req, n) => ({
				body: {
					data: [{ id: `u${n % 2}`, type: 'users', attributes: {} }],
					links: { next: api('degreed', `${req.path}?cursor=${n % 2 ? 'A' : 'B'}`) },
				},
			}),
		},
		{
			provider: 'degreed',
			what: 'xapiStatement.getAll: more points to itself',
			params: { resource: 'xapiStatement', operation: 'getAll', returnAll: true, options: {} },
			path: /\/xAPI\/statements$/,
			page: (req) => ({
				body: { statements: [{ id: '0b4f6d1e-6a0a-4c5e-9f1e-1a2b3c4d5e6f' }], more: req.url },
			}),
		},
		{
			provider: 'scormcloud',
			what: 'registration.getAll: the same more token again',
			params: { resource: 'registration', operation: 'getAll', returnAll: true, filters: {} },
			path: /\/registrations$/,
			page: () => ({ body: { registrations: [{ id: 'r1' }], more: 'same-token' } }),
		},
		{
			provider: 'scormcloud',
			what: 'registration.getAll: two more tokens alternate',
			params: { resource: 'registration', operation: 'getAll', returnAll: true, filters: {} },
			path: /\/registrations$/,
			page: (_r, n) => ({
				body: { registrations: [{ id: `r${n % 2}` }], more: n % 2 ? 'token-A' : 'token-B' },
			}),
		},
		{
			provider: 'scormcloud',
			what: 'getXapiStatements: more points to itself',
			params: {
				resource: 'registration',
				operation: 'getXapiStatements',
				registrationId: 'reg-1',
				returnAll: true,
				filters: {},
			},
			path: /\/xAPIStatements$/,
			page: (req) => ({ body: { statements: [{ id: 's1' }], more: api('scormcloud', req.url) } }),
		},
		{
			provider: 'percipio',
			what: 'catalogContent.getAll: a total never reached (same page each time)',
			params: {
				resource: 'catalogContent',
				operation: 'getAll',
				returnAll: true,
				options: { pageSize: 2 },
			},
			path: /\/content-discovery\/.*\/catalog-content$/,
			page: () => ({
				body: [{ id: 'c1' }, { id: 'c2' }],
				headers: { 'x-total-count': '100000000', 'x-paging-request-id': 'snap-1' },
			}),
		},
		{
			provider: 'learnlink',
			what: 'user.getAll: totalPages never reached (same page each time)',
			params: { resource: 'user', operation: 'getAll', returnAll: true },
			path: /\/rest\/v1\/users$/,
			page: () => ({ body: { results: [{ id: 'u1', ref: 'emp-1' }], totalPages: 100000000 } }),
		},
		{
			provider: 'learnlink',
			what: 'user.getAll: full pages forever, no total',
			params: { resource: 'user', operation: 'getAll', returnAll: true },
			path: /\/rest\/v1\/users$/,
			page: () => ({
				body: {
					results: Array.from({ length: 1000 }, (_, i) => ({ id: `u${i}`, ref: `emp-${i}` })),
				},
			}),
		},
	];
	it.each(LOOPS.map((l) => [`${l.provider} ${l.what}`, l] as const))('%s', async (_l, loop) => {
		let n = 0;
		world.hostile.on({
			path: loop.path,
			answer: (req) => ({ status: 200, ...loop.page(req, n++) }),
		});
		const r = await run(world, loop.provider, loop.params, { deadlineMs: 3000 });
		expect(r.timedOut).toBe(false);
		expect(n).toBeLessThanOrEqual(50);
		expect(r.error !== undefined || r.output.some((o) => o.json.error !== undefined)).toBe(true);
	});
});

describe('a token endpoint answer is read with a bound', () => {
	it.each(TOKEN_PROVIDERS.map((p) => [p] as const))(
		'%s: a 200 of 88 MiB is cut off, not read whole',
		async (provider) => {
			world.hostile.on({
				path: TOKEN_PATH[provider],
				answer: () => ({ status: 200, hugeBytes: 88 * 1024 * 1024 }),
			});
			const r = await preAuthenticate(provider, credentialsFor(world, provider, {}, true), 20_000);
			expect(r.error).toBeDefined();
			// Refused for its size, not cut short by this test's own deadline.
			expect(r.error?.message).not.toMatch(/test deadline/);
			expect(world.hostile.streamed).toBeLessThan(78 * 1024 * 1024);
		},
	);
});
