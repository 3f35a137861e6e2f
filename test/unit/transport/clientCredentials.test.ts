/**
 * The one client-credentials grant, as a table of cases, on the wire through n8n's own HTTP helper
 * against a loopback server that records every raw request.
 */
import type { ServerResponse } from 'node:http';

import {
	MAX_TOKEN_RESPONSE_BYTES,
	bearerAuth,
	currentToken,
	requestCredentialToken,
	requestToken,
	tokenKey,
} from '../../../nodes/shared/clientCredentials';
import type { ClientCredentialsGrant } from '../../../nodes/shared/clientCredentials';
import { Redactor } from '../../../nodes/shared/redact';
import { TokenManager, persistedFields, persistedToken } from '../../../nodes/shared/tokenManager';
import type { HttpRequestFn } from '../../../nodes/shared/types';
import { createExecuteContext, n8nHttpRequest } from '../../support/n8nContext';
import { failureOf, tokenOf } from '../../support/tokenResult';
import { json, scriptedServer, SECRET } from './helpers';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const ID = 'client id/1';
const grantFor = (
	url: string,
	change: Partial<ClientCredentialsGrant> = {},
): ClientCredentialsGrant => ({
	url: `${url}/oauth/token`,
	clientId: ID,
	clientSecret: SECRET,
	clientAuth: 'body',
	format: 'form',
	scopes: ['a:read', 'b:write'],
	expiry: { defaultSeconds: 300 },
	...change,
});

type Answer = (res: ServerResponse) => void;
const ok =
	(body: object = {}, headers: Record<string, string> = {}): Answer =>
	(res) =>
		json(
			res,
			200,
			{ access_token: 'tok-1', token_type: 'Bearer', expires_in: 600, ...body },
			headers,
		);

async function exchange(answer: Answer, change: Partial<ClientCredentialsGrant> = {}) {
	const server = await scriptedServer((_req, res) => answer(res));
	try {
		const result = await requestToken(grantFor(server.url, change), n8nHttpRequest(), () => NOW);
		return { result, requests: server.requests, url: server.url };
	} finally {
		await server.close();
	}
}

describe('requestToken: what goes on the wire', () => {
	it.each([
		['body + form', { clientAuth: 'body', format: 'form' }],
		['basic + form', { clientAuth: 'basic', format: 'form' }],
		['both + json', { clientAuth: 'both', format: 'json' }],
		[
			'basic (urlencoded) + json',
			{ clientAuth: 'basic', basicEncoding: 'urlencoded', format: 'json' },
		],
	] as Array<[string, Partial<ClientCredentialsGrant>]>)('%s', async (_name, change) => {
		const { result, requests } = await exchange(ok(), change);
		expect(await tokenOf(result)).toEqual({
			accessToken: 'tok-1',
			issuedAt: NOW,
			expiresAt: NOW + 600_000,
		});
		const [req] = requests;
		expect(req.method).toBe('POST');
		expect(req.url).toBe('/oauth/token');
		expect(req.headers.accept).toBe('application/json');
		const body =
			change.format === 'json'
				? (JSON.parse(req.body) as Record<string, string>)
				: Object.fromEntries(new URLSearchParams(req.body));
		expect(String(req.headers['content-type'])).toMatch(
			change.format === 'json' ? /^application\/json/ : /^application\/x-www-form-urlencoded/,
		);
		expect(body.grant_type).toBe('client_credentials');
		expect(body.scope).toBe('a:read b:write');
		const inBody = change.clientAuth !== 'basic';
		expect(body.client_id).toBe(inBody ? ID : undefined);
		expect(body.client_secret).toBe(inBody ? SECRET : undefined);
		const encode = change.basicEncoding === 'urlencoded' ? encodeURIComponent : (v: string) => v;
		expect(req.headers.authorization).toBe(
			change.clientAuth === 'body'
				? undefined
				: `Basic ${Buffer.from(`${encode(ID)}:${encode(SECRET)}`).toString('base64')}`,
		);
	});

	it('joins scopes with a comma, omits an empty scope and grant_type when asked, adds extra fields and the tenant segment', async () => {
		const comma = await exchange(ok(), { scopeJoiner: ',' });
		expect(new URLSearchParams(comma.requests[0].body).get('scope')).toBe('a:read,b:write');
		const bare = await exchange(ok(), {
			scopes: [],
			grantType: null,
			extraBody: { expiration: '60' },
			tenant: 'eu-west-2_Ab/../c',
		});
		expect(Object.fromEntries(new URLSearchParams(bare.requests[0].body))).toEqual({
			client_id: ID,
			client_secret: SECRET,
			expiration: '60',
		});
		expect(bare.requests[0].url).toBe('/oauth/token/eu-west-2_Ab%2F..%2Fc');
	});

	it('sends nothing over http to a non-loopback host unless the lab option is on, nor with an empty secret, nor with a stated problem', async () => {
		const calls: unknown[] = [];
		const http: HttpRequestFn = async (o) => {
			calls.push(o);
			return { statusCode: 200, headers: {}, body: { access_token: 'x', token_type: 'bearer' } };
		};
		const lab = grantFor('http://lms.example.test');
		expect((await failureOf(requestToken(lab, http))).message).toBe(
			'refusing to send the client secret over http://lms.example.test',
		);
		expect((await failureOf(requestToken({ ...lab, url: 'not a url' }, http))).message).toMatch(
			/is not a valid URL/,
		);
		expect(
			(await failureOf(requestToken({ ...grantFor('https://x.test'), clientSecret: '' }, http)))
				.message,
		).toBe('the client ID and client secret must both be filled in');
		expect(
			(
				await failureOf(
					requestToken(
						{ ...grantFor('https://x.test'), problem: { message: 'no scope is selected' } },
						http,
					),
				)
			).message,
		).toBe('no scope is selected');
		expect(calls).toHaveLength(0);
		await tokenOf(requestToken({ ...lab, allowInsecureHttp: true }, http));
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			encoding: 'stream',
			timeout: 30_000,
		});
	});
});

describe("requestCredentialToken: the credential's own token request (its Test button)", () => {
	const recording = () => {
		const calls: Array<Record<string, unknown>> = [];
		const http: HttpRequestFn = async (o) => {
			calls.push(o as unknown as Record<string, unknown>);
			return { statusCode: 200, headers: {}, body: { access_token: 'x', token_type: 'Bearer' } };
		};
		return { calls, http };
	};

	it('sends nothing outside the Allowed Domains, nor with the list empty, and hands the list to n8n otherwise', async () => {
		const { calls, http } = recording();
		const grant = grantFor('https://auth.lms.example.test');
		const outside = await failureOf(
			requestCredentialToken(grant, http, {
				allowedHttpRequestDomains: 'domains',
				allowedDomains: 'example.com',
			}),
		);
		expect(outside.message).toBe(
			'Domain not allowed: this credential is restricted from accessing auth.lms.example.test',
		);
		expect(outside.description).toMatch(/Allowed Domains/);
		expect(
			(
				await failureOf(
					requestCredentialToken(grant, http, {
						allowedHttpRequestDomains: 'domains',
						allowedDomains: ' ',
					}),
				)
			).message,
		).toBe('no Allowed Domains are specified');
		expect(calls).toHaveLength(0);
		await tokenOf(
			requestCredentialToken(grant, http, {
				allowedHttpRequestDomains: 'domains',
				allowedDomains: '*.example.test',
			}),
		);
		expect(calls[0]).toMatchObject({
			url: 'https://auth.lms.example.test/oauth/token',
			allowedDomains: '*.example.test',
		});
		// 'all' (and n8n's default 'none' for a credential's own request) restricts nothing.
		await tokenOf(requestCredentialToken(grant, http, { allowedHttpRequestDomains: 'none' }));
		await tokenOf(requestCredentialToken(grant, http, {}));
		expect(calls).toHaveLength(3);
		expect(calls[2].allowedDomains).toBeUndefined();
	});

	it('refuses link-local and metadata token hosts unless the lab option is on', async () => {
		const { calls, http } = recording();
		for (const host of [
			'https://169.254.169.254',
			'https://[fd00:ec2::254]',
			'https://metadata.google.internal',
		]) {
			expect((await failureOf(requestCredentialToken(grantFor(host), http, {}))).message).toMatch(
				/^refusing to send the client secret to .*: a link-local or cloud metadata address$/,
			);
		}
		expect(calls).toHaveLength(0);
		await tokenOf(
			requestCredentialToken(
				grantFor('https://169.254.169.254', { allowInsecureHttp: true }),
				http,
				{},
			),
		);
		expect(calls).toHaveLength(1);
	});
});

describe('requestToken: the answer', () => {
	it.each([
		['Bearer', 'Bearer', true],
		['bearer (any case)', 'bEaReR', true],
		['mac', 'mac', false],
		['N_A', 'N_A', false],
		['absent', undefined, false],
		['empty', '', false],
	])('token_type %s', async (_name, tokenType, accepted) => {
		const { result } = await exchange((res) =>
			json(res, 200, {
				access_token: 'tok-mac',
				expires_in: 60,
				...(tokenType === undefined ? {} : { token_type: tokenType }),
			}),
		);
		if (accepted) expect((await tokenOf(result)).accessToken).toBe('tok-mac');
		else {
			const failed = await failureOf(result);
			expect(failed.message).toMatch(/not a Bearer one$/);
			expect(failed.retryable).toBe(false);
			expect(JSON.stringify(failed)).not.toContain('tok-mac');
		}
	});

	it('an absent token_type is accepted only where the provider documents none', async () => {
		const { result } = await exchange(
			(res) => json(res, 200, { access_token: 't', expires_in: 60 }),
			{ tokenTypeOptional: true },
		);
		expect((await tokenOf(result)).accessToken).toBe('t');
	});

	it.each([
		['expires_in (number)', { expires_in: 120 }, {}, 120_000],
		['expires_in (string)', { expires_in: '90' }, {}, 90_000],
		['no expiry: the default', {}, {}, 300_000],
		['a non-positive expires_in: the default', { expires_in: -5 }, {}, 300_000],
		['a custom field', { validFor: 45 }, { field: 'validFor' }, 45_000],
		[
			'absolute, epoch seconds',
			{ expires_at: NOW / 1000 + 1800 },
			{ absoluteField: 'expires_at' },
			1_800_000,
		],
		[
			'absolute, epoch ms',
			{ expires_at: NOW + 1200_000 },
			{ absoluteField: 'expires_at' },
			1_200_000,
		],
		[
			'absolute, ISO date',
			{ expires_at: new Date(NOW + 600_000).toISOString() },
			{ absoluteField: 'expires_at' },
			600_000,
		],
		[
			'absolute in the past: expires_in',
			{ expires_at: NOW / 1000 - 10, expires_in: 30 },
			{ absoluteField: 'expires_at' },
			30_000,
		],
	])('expiry from %s', async (_name, body, expiry, life) => {
		const { result } = await exchange(
			(res) => json(res, 200, { access_token: 't', token_type: 'Bearer', ...body }),
			{ expiry: { defaultSeconds: 300, ...expiry } },
		);
		const token = await tokenOf(result);
		expect(token.expiresAt - token.issuedAt).toBe(life);
	});

	it.each([
		[
			'OAuth error + description',
			401,
			{ error: 'invalid_client', error_description: 'unknown client' },
			'the token endpoint answered HTTP 401: invalid_client: unknown client',
		],
		[
			'a message with a prose error',
			401,
			{ status: 401, error: 'Unauthorized', message: 'Invalid client credentials' },
			'the token endpoint answered HTTP 401: Invalid client credentials',
		],
		[
			'JSON:API errors',
			403,
			{ errors: [{ title: 'Forbidden', detail: 'Scope x is not assigned' }] },
			'the token endpoint answered HTTP 403: Forbidden: Scope x is not assigned',
		],
		[
			'a nested error object',
			400,
			{ error: { message: 'bad scope' } },
			'the token endpoint answered HTTP 400: bad scope',
		],
		['plain text', 400, 'scope missing', 'the token endpoint answered HTTP 400: scope missing'],
		[
			'a web page',
			404,
			'<html><body>Not found</body></html>',
			'the token endpoint answered HTTP 404',
		],
	])("the provider's words: %s", async (_name, status, body, message) => {
		const { result } = await exchange((res) => {
			res.writeHead(status, {
				'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
			});
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		});
		const failed = await failureOf(result);
		expect(failed.message).toBe(message);
		expect(failed.statusCode).toBe(status);
		expect(failed.retryable).toBe(false);
	});

	it.each([
		['seconds', '7', 7000],
		['an HTTP date', new Date(NOW + 12_000).toUTCString(), 12_000],
		['a date in the past', new Date(NOW - 60_000).toUTCString(), 0],
		['nonsense', 'soon', undefined],
	])('Retry-After as %s', async (_name, value, ms) => {
		const { result } = await exchange((res) =>
			json(res, 429, { message: 'slow down' }, { 'retry-after': value }),
		);
		const failed = await failureOf(result);
		expect(failed).toMatchObject({
			statusCode: 429,
			retryable: true,
			message: 'the token endpoint answered HTTP 429: slow down',
		});
		expect(failed.retryAfterMs).toBe(ms);
	});

	it.each([502, 503, 504])('HTTP %i may be tried again; 500 may not', async (status) => {
		expect(
			(await failureOf((await exchange((res) => json(res, status, {}))).result)).retryable,
		).toBe(true);
		expect((await failureOf((await exchange((res) => json(res, 500, {}))).result)).retryable).toBe(
			false,
		);
	});

	it.each([301, 302, 303, 307, 308])(
		'a %i is an error naming the host, and is not followed',
		async (status) => {
			const other = await scriptedServer((_req, res) =>
				json(res, 200, { access_token: 'stolen', token_type: 'Bearer' }),
			);
			try {
				const { result } = await exchange((res) => {
					res.writeHead(status, { location: `${other.url}/collect` });
					res.end();
				});
				const failed = await failureOf(result);
				expect(failed.message).toBe(
					`the token endpoint redirected to ${new URL(other.url).host}: check the token URL`,
				);
				expect(failed.statusCode).toBe(status);
				expect(other.requests).toHaveLength(0);
			} finally {
				await other.close();
			}
		},
	);

	it.each([
		['declared with Content-Length', false],
		['streamed in chunks', true],
	])('an oversized answer (%s) is refused after at most 1 MiB', async (_name, chunked) => {
		const big = JSON.stringify({
			access_token: 'x'.repeat(MAX_TOKEN_RESPONSE_BYTES + 10),
			token_type: 'Bearer',
		});
		const { result } = await exchange((res) => {
			res.writeHead(200, {
				'content-type': 'application/json',
				...(chunked ? {} : { 'content-length': String(Buffer.byteLength(big)) }),
			});
			if (!chunked) return res.end(big);
			for (let i = 0; i < big.length; i += 65_536) res.write(big.slice(i, i + 65_536));
			res.end();
		});
		const failed = await failureOf(result);
		expect(failed.message).toBe(
			`the token endpoint answered more than ${MAX_TOKEN_RESPONSE_BYTES} bytes (HTTP 200)`,
		);
		expect(failed.retryable).toBe(false);
	});

	it('a smaller bound can be set per grant', async () => {
		const { result } = await exchange(ok({ padding: 'p'.repeat(2000) }), {
			maxResponseBytes: 1000,
		});
		expect((await failureOf(result)).message).toMatch(/answered more than 1000 bytes/);
	});

	it.each([
		['invalid JSON', '{"access_token": "tok', /not JSON/],
		['an empty body', '', /empty/],
		['a JSON string', '"tok-1"', /Check the token URL/],
		['a JSON array', '[{"access_token":"tok-1"}]', /Check the token URL/],
		['null', 'null', /Check the token URL/],
	])('a 200 with %s is an error, never a token', async (_name, raw, description) => {
		const { result } = await exchange((res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(raw);
		});
		const failed = await failureOf(result);
		expect(failed.message).toBe('the token endpoint answered without an access_token');
		expect(failed.description).toMatch(description);
	});

	it('a closed port: one wording without the code (n8n would replace it), retryable', async () => {
		const server = await scriptedServer((_req, res) => json(res, 200, {}));
		await server.close();
		const failed = await failureOf(requestToken(grantFor(server.url), n8nHttpRequest()));
		expect(failed).toMatchObject({
			message: `could not reach ${new URL(server.url).host}: the connection was refused`,
			code: 'ECONNREFUSED',
			retryable: true,
		});
		expect(failed.message).not.toMatch(/ECONN/);
	});

	it('an endpoint that never answers, or drips its body, is given up at the deadline', async () => {
		const silent = await exchange(() => undefined, { timeoutMs: 300 });
		expect(await failureOf(silent.result)).toMatchObject({
			message: `the token endpoint at ${new URL(silent.url).host} did not answer within 300 ms`,
			retryable: true,
		});
		const started = Date.now();
		const drip = await exchange(
			(res) => {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.write('{"access_token":"');
			},
			{ timeoutMs: 400 },
		);
		expect((await failureOf(drip.result)).message).toMatch(/did not answer within/);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('never shows a form of the secret the endpoint echoes back', async () => {
		const basic = Buffer.from(`${ID}:${SECRET}`).toString('base64');
		const echo = `secret ${SECRET} / ${encodeURIComponent(SECRET)} / Basic ${basic} / bare ${basic} / ${JSON.stringify(SECRET).slice(1, -1)}`;
		const { result } = await exchange(
			(res) => json(res, 401, { error: 'invalid_client', error_description: echo }),
			{ clientAuth: 'basic' },
		);
		const failed = await failureOf(result);
		expect(failed.message).toContain('invalid_client');
		for (const form of [SECRET, encodeURIComponent(SECRET), basic])
			expect(JSON.stringify(failed)).not.toContain(form);
	});
});

describe('tokenKey, persisted tokens and bearerAuth', () => {
	const grant = grantFor('https://lms.example.com');

	it('the key changes with every field that shapes the token, never with the lab option, and never holds the secret', () => {
		const key = tokenKey(grant);
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(key).not.toContain(SECRET);
		expect(tokenKey({ ...grant, allowInsecureHttp: true, timeoutMs: 5 })).toBe(key);
		for (const change of [
			{ url: 'https://other.example.com/oauth/token' },
			{ clientId: 'other' },
			{ clientSecret: 'other-secret' },
			{ scopes: ['a:read'] },
			{ scopeJoiner: ',' as const },
			{ tenant: 't' },
			{ extraBody: { expiration: '60' } },
			{ clientAuth: 'basic' as const },
			{ format: 'json' as const },
		]) {
			expect(tokenKey({ ...grant, ...change })).not.toBe(key);
		}
	});

	it('one persisted format: the token, ms times as strings, and issuedFor; read back only for the same key', () => {
		const token = { accessToken: 'persisted-tok', issuedAt: NOW, expiresAt: NOW + 3_600_000 };
		const fields = persistedFields(token, tokenKey(grant));
		expect(fields).toEqual({
			accessToken: 'persisted-tok',
			issuedAt: String(NOW),
			expiresAt: String(NOW + 3_600_000),
			issuedFor: tokenKey(grant),
		});
		expect(persistedToken(fields, tokenKey(grant))).toEqual(token);
		expect(persistedToken(fields, tokenKey({ ...grant, clientSecret: 'rotated' }))).toBeUndefined();
		expect(persistedToken({ ...fields, issuedFor: '' }, tokenKey(grant))).toBeUndefined();
		expect(persistedToken({ ...fields, expiresAt: '' }, tokenKey(grant))).toBeUndefined();
		// A second host's token lives beside the first under a prefix.
		const users = persistedFields(token, 'k2', 'users');
		expect(Object.keys(users)).toEqual([
			'usersAccessToken',
			'usersIssuedAt',
			'usersExpiresAt',
			'usersIssuedFor',
		]);
		expect(persistedToken(users, 'k2', 'users')).toEqual(token);
		// Credentials saved by earlier versions (ISO dates, numbers) still read.
		expect(
			persistedToken(
				{ ...fields, issuedAt: new Date(NOW).toISOString(), expiresAt: NOW + 3_600_000 },
				tokenKey(grant),
			),
		).toEqual(token);
	});

	it('bearerAuth seeds with the persisted token only when it was minted for these fields, and registers every secret form', () => {
		const redactor = new Redactor();
		const stored = persistedFields(
			{ accessToken: 'persisted-tok', issuedAt: NOW, expiresAt: NOW + 3_600_000 },
			tokenKey(grant),
		);
		const auth = bearerAuth(grant, { persisted: stored, redactor });
		expect(auth).toMatchObject({
			kind: 'bearer',
			cacheKey: tokenKey(grant),
			seed: { accessToken: 'persisted-tok' },
		});
		const rotated = bearerAuth({ ...grant, clientSecret: 'rotated-secret' }, { persisted: stored });
		expect(rotated.kind === 'bearer' && rotated.seed).toBeUndefined();
		const basic = Buffer.from(`${ID}:${SECRET}`).toString('base64');
		expect(redactor.text(`${SECRET} ${basic} ${encodeURIComponent(SECRET)} persisted-tok`)).toBe(
			'[redacted] [redacted] [redacted] [redacted]',
		);
	});

	it('currentToken: one token request for concurrent callers, a failure returned (not thrown) and not cached', async () => {
		let answer: 'fail' | 'ok' = 'fail';
		const server = await scriptedServer((_req, res) =>
			answer === 'fail'
				? json(res, 503, { message: 'busy' }, { 'retry-after': '1' })
				: json(res, 200, { access_token: 'tok-cur', token_type: 'Bearer', expires_in: 3600 }),
		);
		try {
			const { ctx } = createExecuteContext({ parameters: {} });
			const auth = bearerAuth(grantFor(server.url));
			const tokens = new TokenManager();
			const redactor = new Redactor();
			let requests = 0;
			const options = { redactor, tokens, onRequest: () => requests++ };
			const failed = await Promise.all([
				currentToken(ctx, auth, options),
				currentToken(ctx, auth, options),
			]);
			expect(failed[0]).toMatchObject({
				kind: 'tokenFailure',
				statusCode: 503,
				retryable: true,
				retryAfterMs: 1000,
			});
			expect(requests).toBe(1);
			answer = 'ok';
			const [a, b] = await Promise.all([
				currentToken(ctx, auth, options),
				currentToken(ctx, auth, options),
			]);
			expect(a).toMatchObject({ accessToken: 'tok-cur' });
			expect(b).toBe(a);
			expect(requests).toBe(2);
			expect(redactor.text('echo tok-cur')).toBe('echo [redacted]');
			expect(
				await currentToken(ctx, { kind: 'static', apply: () => undefined }, options),
			).toBeUndefined();
		} finally {
			await server.close();
		}
	});
});

describe('persisted-token reuse across a credential with a token per host (Learn.link)', () => {
	it("each host's client is seeded only with the token minted for that host's grant", async () => {
		const { authFor } = await import('../../../nodes/LearnLink/transport/client');
		const { learnLinkTokenKey, tokenRequestFor } = await import(
			'../../../nodes/LearnLink/transport/token'
		);
		const fields = {
			environment: 'production' as const,
			tenantId: 'eu-west-2_AbcdEfghI',
			apiSecret: SECRET,
			authentication: 'oauth2' as const,
			scopes: ['api/all'],
		};
		const pub = { accessToken: 'pub-tok', issuedAt: NOW, expiresAt: NOW + 3_600_000 };
		const usr = { accessToken: 'usr-tok', issuedAt: NOW, expiresAt: NOW + 3_600_000 };
		const stored = {
			...fields,
			...persistedFields(pub, learnLinkTokenKey(tokenRequestFor(fields, 'public'))),
			...persistedFields(usr, learnLinkTokenKey(tokenRequestFor(fields, 'users')), 'users'),
		};
		const seedOf = (data: typeof stored, host: 'public' | 'users') => {
			const auth = authFor(data as never, host);
			return auth.kind === 'bearer' ? auth.seed?.accessToken : 'static';
		};
		expect(seedOf(stored, 'public')).toBe('pub-tok');
		expect(seedOf(stored, 'users')).toBe('usr-tok');
		// The users token persisted under the public key (or after a secret change) is not reused.
		expect(
			seedOf(
				{
					...stored,
					usersIssuedFor: (stored as Record<string, unknown>).issuedFor,
				} as typeof stored,
				'users',
			),
		).toBeUndefined();
		expect(seedOf({ ...stored, apiSecret: 'rotated-secret-1' }, 'public')).toBeUndefined();
	});
});
