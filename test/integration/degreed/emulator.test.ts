// The Degreed emulator's contract, spoken to directly (no node): what the real API documents.
import { DEGREED_DEMO } from '../../sandbox/providers/degreed';
import { resetDegreed, startDegreed } from './helpers';
import type { DegreedSandbox } from './helpers';

let env: DegreedSandbox;
beforeAll(async () => {
	env = await startDegreed({ requestsPerMinute: 3, windowMs: 60_000 });
});
afterAll(async () => await env.sandbox.close());
beforeEach(() => resetDegreed(env));

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const demo = {
	grant_type: 'client_credentials',
	client_id: DEGREED_DEMO.clientId,
	client_secret: DEGREED_DEMO.clientSecret,
};

async function token(
	host = 'oauth',
	body: string = form({ ...demo, scope: 'users:read,content:read' }),
	contentType = 'application/x-www-form-urlencoded',
) {
	const res = await fetch(`${env.sandbox.urlFor('degreed', host)}/oauth/token`, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body,
	});
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Degreed emulator: token endpoint', () => {
	it('issues a 300 s bearer token for a form request with comma-delimited scopes', async () => {
		const t = await token();
		expect(t.status).toBe(200);
		expect(t.body).toMatchObject({
			token_type: 'bearer',
			expires_in: 300,
			access_token: expect.any(String),
			refresh_token: expect.any(String),
		});
	});

	it('rejects what the real one would: JSON bodies, other grants, bad secrets, missing or space-separated or unassigned scopes', async () => {
		expect(
			(await token('oauth', JSON.stringify({ ...demo, scope: 'users:read' }), 'application/json'))
				.status,
		).toBe(400);
		expect(
			(await token('oauth', form({ ...demo, grant_type: 'password', scope: 'users:read' }))).body
				.error,
		).toBe('unsupported_grant_type');
		expect(
			(await token('oauth', form({ ...demo, client_secret: 'wrong', scope: 'users:read' }))).status,
		).toBe(401);
		expect((await token('oauth', form(demo))).body.error).toBe('invalid_scope');
		const spaced = await token('oauth', form({ ...demo, scope: 'users:read content:read' }));
		expect(spaced.status).toBe(403);
		expect(spaced.body.error_description).toBe(
			'The API key is not permitted scope(s): users:read content:read',
		);
		const lacking = await token(
			'oauth',
			form({
				grant_type: 'client_credentials',
				client_id: DEGREED_DEMO.limitedClientId,
				client_secret: DEGREED_DEMO.limitedClientSecret,
				scope: 'content:read,content:write',
			}),
		);
		expect(lacking).toEqual({
			status: 403,
			body: {
				error: 'invalid_scope',
				error_description: 'The API key is not permitted scope(s): content:write',
			},
		});
	});

	it("a token works only on its data center's API host, and /oauth/logout expires it at once", async () => {
		const eu = (await token('eu-oauth')).body.access_token as string;
		const get = (host: string, t: string) =>
			fetch(`${env.sandbox.urlFor('degreed', host)}/api/v2/users/U1`, {
				headers: { authorization: `Bearer ${t}` },
			});
		expect((await get('eu-api', eu)).status).toBe(200);
		expect((await get('api', eu)).status).toBe(401);
		const logout = await fetch(`${env.sandbox.urlFor('degreed', 'eu-oauth')}/oauth/logout`, {
			method: 'POST',
			headers: { authorization: `Bearer ${eu}`, 'content-type': 'application/json' },
		});
		expect(logout.status).toBe(200);
		const after = await get('eu-api', eu);
		expect(after.status).toBe(401);
		expect(((await after.json()) as { errors: Array<{ detail: string }> }).errors[0].detail).toBe(
			'The access token is revoked.',
		);
	});
});

describe('Degreed emulator: rate limit and errors', () => {
	it('sends X-Rate-Limit-* on every answer and the documented 429 body with Retry-After', async () => {
		const t = (await token()).body.access_token as string;
		const statuses: number[] = [];
		let last: Response | undefined;
		for (let i = 0; i < 4; i++) {
			last = await fetch(`${env.sandbox.urlFor('degreed', 'api')}/api/v2/users?limit=1`, {
				headers: { authorization: `Bearer ${t}` },
			});
			statuses.push(last.status);
			expect(last.headers.get('x-rate-limit-limit')).toBe('1m');
			expect(last.headers.get('x-rate-limit-reset')).toMatch(
				/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
			);
			if (i < 3) await last.arrayBuffer();
		}
		expect(statuses).toEqual([200, 200, 200, 429]);
		expect(last!.headers.get('x-rate-limit-remaining')).toBe('0');
		expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		const body = (await last!.json()) as { errors: Array<Record<string, unknown>> };
		expect(body.errors[0]).toMatchObject({
			code: 'quota-exceeded',
			status: 429,
			title: 'Too Many Requests',
			detail: 'Maximum 3 requests allowed per 1m.',
		});
		expect(body.errors[0].id).toEqual(expect.any(String));
	});

	it("answers 403 for a route outside the token's scopes and 400 for a bad limit", async () => {
		env.emulator.configure({ requestsPerMinute: 0 });
		const t = (await token()).body.access_token as string;
		const completions = await fetch(`${env.sandbox.urlFor('degreed', 'api')}/api/v2/completions`, {
			headers: { authorization: `Bearer ${t}` },
		});
		expect(completions.status).toBe(403);
		const bad = await fetch(`${env.sandbox.urlFor('degreed', 'api')}/api/v2/users?limit=5000`, {
			headers: { authorization: `Bearer ${t}` },
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { errors: Array<{ detail: string }> }).errors[0].detail).toBe(
			'limit must be an integer from 1 to 1000.',
		);
	});
});
