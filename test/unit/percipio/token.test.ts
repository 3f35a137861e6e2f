import { PercipioApi } from '../../../credentials/PercipioApi.credentials';
import { readPercipioConfig, PercipioConfigError } from '../../../nodes/Percipio/transport/config';
import { PERCIPIO_REGIONS, resolveHosts } from '../../../nodes/Percipio/transport/hosts';
import {
	fetchPercipioToken,
	inspectServiceAccountToken,
	percipioTokenKey,
} from '../../../nodes/Percipio/transport/token';
import { failureOf, tokenOf } from '../../support/tokenResult';
import { applyAuthenticate, n8nHttpRequest, runPreAuthentication } from '../../support/n8nContext';
import { json, scriptedServer } from '../transport/helpers';

const ORG = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const SECRET = 'percipio-canary-secret-91c2';
const NOW = Date.parse('2026-11-23T12:00:00Z');

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
export const jwt = (
	payload: object = { sub: 'svc', iat: NOW / 1000 - 60, exp: NOW / 1000 + 86_400 },
) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.c2lnbmF0dXJl`;

describe('fetchPercipioToken: the documented JSON client-credentials contract', () => {
	test('POSTs JSON {client_id, client_secret, grant_type, scope} with JSON Content-Type and Accept, and honours expires_in', async () => {
		const server = await scriptedServer((_req, res) =>
			json(res, 200, {
				access_token: 'tok-1',
				token_type: 'Bearer',
				expires_in: 1800,
				scope: 'api',
			}),
		);
		try {
			const token = await tokenOf(
				fetchPercipioToken(
					{
						tokenUrl: `${server.url}/oauth2-provider/token`,
						clientId: ' client-1 ',
						clientSecret: SECRET,
						scope: 'api',
					},
					n8nHttpRequest(),
					() => NOW,
				),
			);
			expect(token).toEqual({ accessToken: 'tok-1', issuedAt: NOW, expiresAt: NOW + 1800 * 1000 });
			expect(server.requests).toHaveLength(1);
			const [req] = server.requests;
			expect(req.method).toBe('POST');
			expect(req.url).toBe('/oauth2-provider/token');
			expect(req.headers['content-type']).toMatch(/^application\/json/);
			expect(req.headers.accept).toBe('application/json');
			expect(req.headers.authorization).toBeUndefined();
			expect(JSON.parse(req.body)).toEqual({
				client_id: 'client-1',
				client_secret: SECRET,
				grant_type: 'client_credentials',
				scope: 'api',
			});
		} finally {
			await server.close();
		}
	});

	test('sends a custom scope verbatim, defaults an empty scope to "api", and assumes 3600 s without expires_in', async () => {
		const server = await scriptedServer((_req, res) =>
			json(res, 200, { access_token: 'tok-2', token_type: 'bearer' }),
		);
		try {
			const http = n8nHttpRequest();
			await fetchPercipioToken(
				{
					tokenUrl: `${server.url}/oauth2-provider/token`,
					clientId: 'c',
					clientSecret: SECRET,
					scope: 'api content:write',
				},
				http,
				() => NOW,
			);
			const token = await tokenOf(
				fetchPercipioToken(
					{
						tokenUrl: `${server.url}/oauth2-provider/token`,
						clientId: 'c',
						clientSecret: SECRET,
						scope: '  ',
					},
					http,
					() => NOW,
				),
			);
			expect(JSON.parse(server.requests[0].body).scope).toBe('api content:write');
			expect(JSON.parse(server.requests[1].body).scope).toBe('api');
			expect(token.expiresAt - token.issuedAt).toBe(3600 * 1000);
		} finally {
			await server.close();
		}
	});

	test("a refused client becomes a TokenRequestError with the endpoint's own words and a hint, never the secret", async () => {
		const server = await scriptedServer((_req, res) =>
			json(res, 401, { error: 'invalid_client', error_description: `bad secret ${SECRET}` }),
		);
		try {
			const error = await failureOf(
				fetchPercipioToken(
					{
						tokenUrl: `${server.url}/oauth2-provider/token`,
						clientId: 'c',
						clientSecret: SECRET,
						scope: 'api',
					},
					n8nHttpRequest(),
				),
			);
			expect(error).toMatchObject({ kind: 'tokenFailure' });
			expect(error.statusCode).toBe(401);
			expect(error.message).toContain('HTTP 401');
			expect(error.message).toContain('invalid_client');
			expect(error.description).toMatch(/client ID, client secret and scope/);
		} finally {
			await server.close();
		}
	});

	test('429 carries Retry-After for the transport; a 200 without access_token (wrong URL) is explained', async () => {
		let n = 0;
		const server = await scriptedServer((_req, res) => {
			n++;
			if (n === 1) return json(res, 429, { message: 'slow down' }, { 'retry-after': '7' });
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<html>Percipio</html>');
		});
		try {
			const fields = {
				tokenUrl: `${server.url}/oauth2-provider/token`,
				clientId: 'c',
				clientSecret: SECRET,
				scope: 'api',
			};
			const limited = await failureOf(fetchPercipioToken(fields, n8nHttpRequest()));
			expect(limited.statusCode).toBe(429);
			expect(limited.retryAfterMs).toBe(7000);
			expect(limited.message).toContain('slow down');
			const html = await failureOf(fetchPercipioToken(fields, n8nHttpRequest()));
			expect(html.message).toBe('the token endpoint answered without an access_token');
			expect(html.description).toMatch(/oauth2-provider\/token/);
		} finally {
			await server.close();
		}
	});

	test('refuses to send the secret over plain http to a non-loopback host, unless the lab option is on', async () => {
		const calls: unknown[] = [];
		const http = async (o: unknown) => {
			calls.push(o);
			return { statusCode: 200, headers: {}, body: { access_token: 'x', token_type: 'Bearer' } };
		};
		const fields = {
			tokenUrl: 'http://percipio.lab.example/oauth2-provider/token',
			clientId: 'c',
			clientSecret: SECRET,
			scope: 'api',
		};
		expect((await failureOf(fetchPercipioToken(fields, http))).message).toMatch(
			/refusing to send the client secret over http:/,
		);
		expect(calls).toHaveLength(0);
		await expect(
			fetchPercipioToken({ ...fields, allowInsecureHttp: true }, http),
		).resolves.toMatchObject({ accessToken: 'x' });
		expect(calls).toHaveLength(1);
	});

	test('the cache key changes with every field that shapes the token and never contains the secret', () => {
		const base = {
			tokenUrl: 'https://a/oauth2-provider/token',
			clientId: 'c',
			clientSecret: SECRET,
			scope: 'api',
		};
		const key = percipioTokenKey(base);
		expect(key).not.toContain(SECRET);
		for (const change of [
			{ tokenUrl: 'https://b/oauth2-provider/token' },
			{ clientId: 'd' },
			{ clientSecret: 'other-secret' },
			{ scope: 'api2' },
		]) {
			expect(percipioTokenKey({ ...base, ...change })).not.toBe(key);
		}
	});
});

describe('service-account token (JWT) checks', () => {
	test('accepts a JWT (also pasted with "Bearer "), and reports expiry', () => {
		expect(inspectServiceAccountToken(jwt(), NOW)).toEqual({
			ok: true,
			info: { issuedAt: NOW - 60_000, expiresAt: NOW + 86_400_000 },
		});
		expect(inspectServiceAccountToken(`Bearer ${jwt()}`, NOW).ok).toBe(true);
		const expired = inspectServiceAccountToken(jwt({ exp: NOW / 1000 - 3600 }), NOW);
		expect(expired).toEqual({
			ok: false,
			problem: expect.stringContaining('expired on 2026-11-23T11:00:00.000Z'),
		});
	});

	test.each([
		['', /empty/],
		['not-a-jwt', /not a JWT/],
		['a.b', /not a JWT/],
		[`${b64({ typ: 'JWT' })}.${b64({})}.sig`, /header or payload is not JSON/],
		['abc.def.g!h', /not a JWT/],
	])('rejects %j', (value, problem) => {
		const result = inspectServiceAccountToken(value, NOW);
		expect(result.ok).toBe(false);
		expect((result as { problem: string }).problem).toMatch(problem);
	});
});

describe('credential fields', () => {
	const oauth = {
		authMethod: 'oAuth2ClientCredentials',
		region: 'us',
		organizationId: ORG,
		clientId: 'c',
		clientSecret: SECRET,
		scope: '',
	};

	test('regions resolve to the documented hosts; custom URLs are typed', () => {
		expect(readPercipioConfig({ ...oauth }).hosts).toEqual(PERCIPIO_REGIONS.us);
		expect(readPercipioConfig({ ...oauth, region: 'eu' }).hosts).toEqual({
			apiBaseUrl: 'https://dew1-api.percipio.com',
			tokenUrl: 'https://euc1-prod-oauth2-provider.percipio.com/oauth2-provider/token',
		});
		expect(
			resolveHosts('custom', {
				apiBaseUrl: 'http://127.0.0.1:9/percipio/api//',
				tokenUrl: ' http://127.0.0.1:9/t ',
			}),
		).toEqual({ apiBaseUrl: 'http://127.0.0.1:9/percipio/api', tokenUrl: 'http://127.0.0.1:9/t' });
		expect(readPercipioConfig({ ...oauth }).token?.scope).toBe('api');
	});

	test.each([
		[{ organizationId: '' }, /"Organization ID" is empty/],
		[{ organizationId: 'acme' }, /"Organization ID" must be a UUID/],
		[{ organizationId: `${ORG}/../x` }, /must be a UUID/],
		[{ clientId: '' }, /"Client ID" is empty/],
		[{ clientSecret: '' }, /"Client Secret" is empty/],
		[
			{ region: 'custom', apiBaseUrl: '', tokenUrl: 'https://x/t' },
			/"API Base URL" must be a full URL/,
		],
		[{ region: 'custom', apiBaseUrl: 'https://x', tokenUrl: '' }, /"Token URL" must be a full URL/],
		[
			{ authMethod: 'serviceAccount', serviceAccountToken: 'abc' },
			/"Service Account Token": the service-account token is not a JWT/,
		],
	])('rejects %j by field name', (change, message) => {
		expect(() => readPercipioConfig({ ...oauth, ...change } as never)).toThrow(PercipioConfigError);
		expect(() => readPercipioConfig({ ...oauth, ...change } as never)).toThrow(message);
	});
});

describe('PercipioApi credential', () => {
	test('preAuthentication fetches a token with the JSON contract and returns the hidden fields n8n persists', async () => {
		const server = await scriptedServer((_req, res) =>
			json(res, 200, { access_token: 'tok-pre', token_type: 'Bearer', expires_in: 3600 }),
		);
		try {
			const data = {
				...{
					authMethod: 'oAuth2ClientCredentials',
					region: 'custom',
					apiBaseUrl: server.url,
					tokenUrl: `${server.url}/oauth2-provider/token`,
					organizationId: ORG,
					clientId: 'c',
					clientSecret: SECRET,
					scope: 'api',
				},
			};
			const before = Date.now();
			const out = await runPreAuthentication(PercipioApi, data);
			expect(out).toEqual({
				accessToken: 'tok-pre',
				issuedAt: expect.any(String),
				expiresAt: expect.any(String),
				issuedFor: percipioTokenKey({
					tokenUrl: data.tokenUrl,
					clientId: 'c',
					clientSecret: SECRET,
					scope: 'api',
				}),
			});
			expect(Number(out.expiresAt) - Number(out.issuedAt)).toBe(3600_000);
			expect(Number(out.issuedAt)).toBeGreaterThanOrEqual(before);
			expect(JSON.parse(server.requests[0].body)).toEqual({
				client_id: 'c',
				client_secret: SECRET,
				grant_type: 'client_credentials',
				scope: 'api',
			});
		} finally {
			await server.close();
		}
	});

	test('preAuthentication errors name the problem and never show the secret', async () => {
		const server = await scriptedServer((_req, res) =>
			json(res, 401, { error: 'invalid_client', error_description: `unknown secret ${SECRET}` }),
		);
		try {
			const data = {
				authMethod: 'oAuth2ClientCredentials',
				region: 'custom',
				apiBaseUrl: server.url,
				tokenUrl: `${server.url}/oauth2-provider/token`,
				organizationId: ORG,
				clientId: 'c',
				clientSecret: SECRET,
				scope: 'api',
			};
			const error = (await runPreAuthentication(PercipioApi, data).catch((e) => e)) as Error;
			expect(error.message).toMatch(
				/^Skillsoft Percipio: the token endpoint answered HTTP 401: invalid_client: unknown secret \[redacted\]\. Check the client ID/,
			);
			expect(error.message).not.toContain(SECRET);
			const bad = (await runPreAuthentication(PercipioApi, {
				...data,
				organizationId: 'nope',
			}).catch((e) => e)) as Error;
			expect(bad.message).toMatch(/"Organization ID" must be a UUID/);
			expect(server.requests).toHaveLength(1); // the bad organization ID sent nothing
		} finally {
			await server.close();
		}
	});

	test('service-account mode fetches nothing, returns nothing to persist, and rejects a non-JWT on Test', async () => {
		const data = {
			authMethod: 'serviceAccount',
			region: 'us',
			organizationId: ORG,
			serviceAccountToken: jwt({ sub: 'svc' }),
		};
		await expect(runPreAuthentication(PercipioApi, data)).resolves.toEqual({});
		await expect(
			runPreAuthentication(PercipioApi, { ...data, serviceAccountToken: 'secret-but-not-a-jwt' }),
		).rejects.toThrow(/"Service Account Token": the service-account token is not a JWT/);
	});

	test('authenticate puts the right bearer on the request in both modes (function style, for the HTTP Request node)', async () => {
		const sa = jwt({ sub: 'svc' });
		const a = await applyAuthenticate(
			PercipioApi,
			{ authMethod: 'oAuth2ClientCredentials', accessToken: 'tok-9', serviceAccountToken: sa },
			{ url: 'https://x', headers: { Accept: 'application/json' } },
		);
		expect(a.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok-9' });
		const b = await applyAuthenticate(
			PercipioApi,
			{ authMethod: 'serviceAccount', accessToken: 'stale', serviceAccountToken: `Bearer ${sa}` },
			{ url: 'https://x' },
		);
		expect(b.headers).toEqual({ Authorization: `Bearer ${sa}` });
	});

	test('declares the hidden expirable token field and a test request against an authenticated GET', () => {
		const cred = new PercipioApi();
		expect(cred.name).toBe('percipioApi');
		const hidden = cred.properties.filter((p) => p.type === 'hidden').map((p) => p.name);
		expect(hidden).toEqual(['accessToken', 'issuedAt', 'expiresAt', 'issuedFor']);
		expect(cred.properties.find((p) => p.name === 'accessToken')?.typeOptions).toEqual({
			expirable: true,
			password: true,
		});
		for (const secret of ['clientSecret', 'serviceAccountToken'])
			expect(cred.properties.find((p) => p.name === secret)?.typeOptions?.password).toBe(true);
		expect(cred.test.request.method).toBe('GET');
		expect(cred.test.request.url).toContain('/user-management/v1/organizations/{orgId}/users');
	});
});
