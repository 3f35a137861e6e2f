/**
 * Issue #16, class 3 (waits): a Retry-After of an hour or a rate limit reset a day away never makes
 * a run (nor the next run of the credential) wait past Max Retry Wait; cancelling the execution
 * ends a wait.
 */
import {
	API_PATH,
	PROVIDERS,
	credentialsFor,
	resetWorld,
	run,
	startWorld,
	stopWorld,
} from './harness';
import type { World } from './harness';
import { READ } from './ops';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

const MAX_RETRY_WAIT_S = 1;
/**
 * Max Retry Wait plus room for a busy machine (a 2-core CI machine running four jest projects has
 * taken 2.7 s for a token request, a 429, the 1 s wait and the retry): what a run may take at most.
 * Still far below every wait it guards against: the hostile waits (an hour, a day) and the default
 * cap (300 s) that Max Retry Wait replaces.
 */
const BOUND_MS = MAX_RETRY_WAIT_S * 1000 + 5000;

const LONG_WAITS: Array<[string, () => Record<string, string>]> = [
	['Retry-After: 3600', () => ({ 'retry-after': '3600' })],
	[
		'Retry-After: an HTTP date an hour away',
		() => ({ 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }),
	],
	[
		'X-Rate-Limit-Remaining: 0, reset a day away (epoch seconds)',
		() => ({
			'x-rate-limit-remaining': '0',
			'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 86_400),
		}),
	],
	[
		'X-RateLimit-Remaining: 0, reset in 86400 seconds',
		() => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '86400' }),
	],
];

describe('a wait learnt from one response never exceeds Max Retry Wait, in this run or the next', () => {
	const cases = PROVIDERS.flatMap((p) =>
		LONG_WAITS.map(([what, headers]) => [p, what, headers] as const),
	);
	it.each(cases)(
		'%s: 429 with %s',
		async (provider, _what, headers) => {
			const credentials = credentialsFor(world, provider);
			world.hostile.on({
				path: API_PATH[provider],
				times: 1,
				answer: () => ({ status: 429, headers: headers(), body: { message: 'slow down' } }),
			});
			// The run that meets the 429, then the next run of the same credential (the provider
			// answers normally again): each ends within the bound.
			for (let turn = 0; turn < 2; turn++) {
				const result = await run(world, provider, READ[provider].params, {
					credentials,
					maxRetryWaitSeconds: MAX_RETRY_WAIT_S,
					deadlineMs: BOUND_MS + 200,
				});
				expect(result.timedOut).toBe(false);
				expect(result.elapsedMs).toBeLessThan(BOUND_MS);
			}
		},
		3 * BOUND_MS,
	);
});

describe('cancelling the execution ends a wait', () => {
	const WAITS: Array<[string, () => Record<string, string>]> = [
		['Retry-After: 20', () => ({ 'retry-after': '20' })],
		[
			'X-Rate-Limit-Remaining: 0, reset in 20 s',
			() => ({
				'x-rate-limit-remaining': '0',
				'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 20),
			}),
		],
	];
	const cases = PROVIDERS.flatMap((p) =>
		WAITS.map(([what, headers]) => [p, what, headers] as const),
	);
	it.each(cases)(
		'%s: 429 with %s, Max Retry Wait 60 s, cancelled after 300 ms',
		async (provider, _what, headers) => {
			world.hostile.on({
				path: API_PATH[provider],
				answer: () => ({ status: 429, headers: headers(), body: { message: 'slow down' } }),
			});
			const r = await run(world, provider, READ[provider].params, {
				maxRetryWaitSeconds: 60,
				maxAttempts: 3,
				cancelAfterMs: 300,
				deadlineMs: 6000,
			});
			// Far below the 20 s the provider asked for; the room is for a busy machine.
			expect(r.timedOut).toBe(false);
			expect(r.elapsedMs).toBeLessThan(5000);
		},
		10_000,
	);
});
