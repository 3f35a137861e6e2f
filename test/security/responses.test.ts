/**
 * Issue #16, class 4: a 200 that is not what the API documents is an error, never data. One input
 * item gives one output item: the data, or one clear error naming the provider. A token response
 * whose token_type is not Bearer (or that carries no usable token) is refused, and its token is
 * never sent.
 */
import { CANARY } from '../support/canaries';
import {
	API_PATH,
	NODE,
	PROVIDERS,
	TOKEN_PATH,
	TOKEN_PROVIDERS,
	credentialsFor,
	leaksOf,
	preAuthenticate,
	resetWorld,
	run,
	shown,
	startWorld,
	stopWorld,
} from './harness';
import type { Answer } from './hostileServer';
import type { World } from './harness';
import { LIST, READ } from './ops';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

const UNDOCUMENTED: Array<[string, Answer]> = [
	['invalid JSON', { status: 200, raw: '{"data": [1, 2' }],
	['an empty body', { status: 200, headers: { 'content-type': 'application/json' } }],
	['a JSON string', { status: 200, raw: '"everything is fine"' }],
	['a JSON number', { status: 200, raw: '42' }],
	['JSON null', { status: 200, raw: 'null' }],
	['JSON true', { status: 200, raw: 'true' }],
	[
		'an error envelope {error, error_description}',
		{ status: 200, body: { error: 'server_error', error_description: 'backend unavailable' } },
	],
	[
		'an error envelope {errors: [...]}',
		{
			status: 200,
			body: { errors: [{ status: '500', title: 'Internal error', detail: 'backend unavailable' }] },
		},
	],
];

describe('one input, one output: the data or one clear error', () => {
	const cases = PROVIDERS.flatMap((p) =>
		[READ[p], LIST[p]].flatMap((op) =>
			UNDOCUMENTED.map(
				([what, answer]) => [`${p} ${op.name}`, what, p, op.params, answer] as const,
			),
		),
	);
	it.each(cases)('%s answered 200 with %s', async (_l, _what, provider, params, answer) => {
		world.hostile.on({ path: API_PATH[provider], answer: () => answer });
		const r = await run(world, provider, params, { maxAttempts: 1 });
		expect(r.error).toBeUndefined();
		expect(r.output).toHaveLength(1);
		const error = r.output[0].json.error;
		expect(typeof error === 'string' ? error : JSON.stringify(error ?? '')).toMatch(/\S/);
		expect(`${String(error)} ${JSON.stringify(r.output[0].json)}`).toMatch(NODE[provider].label);
		expect(leaksOf(world, provider, shown(r))).toEqual([]);
	});
});

const BAD_TOKENS: Array<[string, Answer]> = [
	[
		'token_type mac',
		{ status: 200, body: { access_token: CANARY.token, token_type: 'mac', expires_in: 3600 } },
	],
	[
		'token_type MAC',
		{ status: 200, body: { access_token: CANARY.token, token_type: 'MAC', expires_in: 3600 } },
	],
	[
		'token_type pop',
		{ status: 200, body: { access_token: CANARY.token, token_type: 'pop', expires_in: 3600 } },
	],
	[
		'token_type N_A',
		{ status: 200, body: { access_token: CANARY.token, token_type: 'N_A', expires_in: 3600 } },
	],
	[
		'token_type Basic',
		{ status: 200, body: { access_token: CANARY.token, token_type: 'Basic', expires_in: 3600 } },
	],
	['no access_token', { status: 200, body: { token_type: 'Bearer', expires_in: 3600 } }],
	[
		'a numeric access_token',
		{ status: 200, body: { access_token: 12345678901, token_type: 'Bearer', expires_in: 3600 } },
	],
	['a JSON string', { status: 200, raw: `"${CANARY.token}"` }],
	['invalid JSON', { status: 200, raw: `{"access_token":"${CANARY.token}"` }],
	['an empty body', { status: 200, headers: { 'content-type': 'application/json' } }],
	['JSON null', { status: 200, raw: 'null' }],
];

describe('a token response that is not a Bearer token is refused', () => {
	const cases = TOKEN_PROVIDERS.flatMap((p) =>
		BAD_TOKENS.map(([what, answer]) => [p, what, answer] as const),
	);
	it.each(cases)('%s credential Test: %s', async (provider, _what, answer) => {
		world.hostile.on({ path: TOKEN_PATH[provider], answer: () => answer });
		const r = await preAuthenticate(provider, credentialsFor(world, provider, {}, true));
		expect(r.error).toBeDefined();
		expect(r.error?.message).toMatch(NODE[provider].label);
		expect(leaksOf(world, provider, shown(r), [CANARY.token])).toEqual([]);
	});

	const nodeCases = TOKEN_PROVIDERS.flatMap((p) =>
		BAD_TOKENS.slice(0, 3).map(([what, answer]) => [p, what, answer] as const),
	);
	it.each(nodeCases)(
		'%s node: %s is never sent as a Bearer token',
		async (provider, _what, answer) => {
			world.hostile.on({ path: TOKEN_PATH[provider], answer: () => answer });
			const r = await run(world, provider, READ[provider].params, {
				credentials: credentialsFor(world, provider, {}, true),
				maxAttempts: 1,
			});
			expect(
				world.hostile.seen
					.filter((s) => String(s.headers.authorization ?? '').includes(CANARY.token))
					.map((s) => s.url),
			).toEqual([]);
			expect(r.error !== undefined || r.output.some((o) => o.json.error !== undefined)).toBe(true);
		},
	);
});
