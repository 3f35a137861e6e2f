/**
 * Issue #16, class 2: no secret, nor a recognisable fragment of one, is ever shown. The hostile
 * provider echoes the credential's secrets in every form (raw, Basic, bare Base64, Base64,
 * JSON-escaped, the access token) placed across each truncation cut (300, 500, 4,000 characters),
 * in an API error and in a token endpoint error; node output, error message/description/context,
 * logs and the credential Test's message are searched for the secret and for every 6-character
 * fragment of it.
 */
import { CANARY } from '../support/canaries';
import {
	API_PATH,
	OWN_SECRETS,
	PROVIDERS,
	TOKEN_PATH,
	TOKEN_PROVIDERS,
	USER_OF,
	credentialsFor,
	leaksOf,
	preAuthenticate,
	resetWorld,
	run,
	shown,
	startWorld,
	stopWorld,
} from './harness';
import type { Provider, World } from './harness';
import { READ } from './ops';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

const b64 = (s: string) => Buffer.from(s).toString('base64');
const jsonEscaped = (s: string) =>
	[...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/** How a secret is written into the hostile JSON text (already JSON-encoded). */
const FORMS: Record<string, (secret: string, user: string) => string> = {
	raw: (s) => s,
	'Basic header': (s, u) => `Basic ${b64(`${u}:${s}`)}`,
	'bare Base64 of user:secret': (s, u) => b64(`${u}:${s}`),
	'Base64 of the secret': (s) => b64(s),
	'JSON-escaped': (s) => jsonEscaped(s),
	'URL-encoded in a form body': (s, u) =>
		`client_id=${encodeURIComponent(u)}&client_secret=${encodeURIComponent(s)}`,
};
const CUTS = [300, 500, 4000];
/** Where the secret starts relative to a cut: straddling it by 10 and by 3 characters. */
const OFFSETS = [10, 3];

/** A JSON error body whose `message` puts `form` across `cut`. */
function echo(form: string, cut: number, before: number): string {
	const pad = 'x'.repeat(Math.max(0, cut - before));
	return `{"message":"${pad}${form} end","error":"invalid_request","error_description":"${pad}${form}"}`;
}

const secretOf = (p: Provider) => OWN_SECRETS[p][0];
const formsFor = (p: Provider) =>
	Object.keys(FORMS).filter((f) => p !== 'moodle' || !/Basic|user:secret|form body/.test(f));

describe('an API error that echoes a secret across a truncation cut', () => {
	const cases = PROVIDERS.flatMap((p) =>
		formsFor(p).flatMap((f) => CUTS.flatMap((cut) => OFFSETS.map((o) => [p, f, cut, o] as const))),
	);
	it.each(cases)('%s: %s at %i (straddling by %i)', async (provider, form, cut, offset) => {
		world.hostile.on({
			path: API_PATH[provider],
			answer: () => ({
				status: 400,
				raw: echo(FORMS[form](secretOf(provider), USER_OF[provider]), cut, offset),
			}),
		});
		for (const continueOnFail of [true, false]) {
			const r = await run(world, provider, READ[provider].params, {
				continueOnFail,
				maxAttempts: 1,
			});
			expect(r.error !== undefined || r.output.some((o) => o.json.error !== undefined)).toBe(true);
			expect(leaksOf(world, provider, shown(r))).toEqual([]);
		}
	});

	const tokenCases = TOKEN_PROVIDERS.flatMap((p) =>
		CUTS.flatMap((cut) => OFFSETS.map((o) => [p, cut, o] as const)),
	);
	it.each(tokenCases)(
		'%s: the access token the node sent, echoed at %i (straddling by %i)',
		async (provider, cut, offset) => {
			world.hostile.on({
				path: TOKEN_PATH[provider],
				answer: () => ({
					status: 200,
					body: { access_token: CANARY.token, token_type: 'Bearer', expires_in: 3600 },
				}),
			});
			world.hostile.on({
				path: API_PATH[provider],
				answer: () => ({ status: 400, raw: echo(CANARY.token, cut, offset) }),
			});
			const r = await run(world, provider, READ[provider].params, {
				credentials: credentialsFor(world, provider, {}, true),
				maxAttempts: 1,
			});
			expect(leaksOf(world, provider, shown(r), [CANARY.token])).toEqual([]);
		},
	);
});

describe("a token endpoint error that echoes the secret: the credential Test's message", () => {
	const cases = TOKEN_PROVIDERS.flatMap((p) =>
		formsFor(p).flatMap((f) => CUTS.map((cut) => [p, f, cut] as const)),
	);
	it.each(cases)('%s: %s at %i', async (provider, form, cut) => {
		world.hostile.on({
			path: TOKEN_PATH[provider],
			answer: () => ({
				status: 401,
				raw: echo(FORMS[form](secretOf(provider), USER_OF[provider]), cut, 10),
			}),
		});
		const r = await preAuthenticate(provider, credentialsFor(world, provider, {}, true));
		expect(r.error).toBeDefined();
		expect(leaksOf(world, provider, shown(r))).toEqual([]);
	});
});
