import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { DegreedApi } from '../../../credentials/DegreedApi.credentials';
import type { TokenFailure } from '../../../nodes/shared/types';
import { failureOf, tokenOf } from '../../support/tokenResult';
import { fetchDegreedToken, missingScopes } from '../../../nodes/Degreed/transport/token';
import type { HttpRequestFn } from '../../../nodes/shared/types';
import { applyAuthenticate, n8nHttpRequest, runPreAuthentication } from '../../support/n8nContext';

interface Seen {
	method?: string;
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** A token endpoint that records the raw request and answers what the test says. */
async function tokenServer(
	answer: (seen: Seen) => { status: number; body: unknown; headers?: Record<string, string> },
) {
	const seen: Seen[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const entry: Seen = {
				method: req.method,
				url: req.url,
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			seen.push(entry);
			const { status, body, headers } = answer(entry);
			res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A scripted HTTP function for the edge cases. */
function scripted(statusCode: number, body: unknown, headers: Record<string, string> = {}) {
	const calls: IHttpRequestOptions[] = [];
	const http: HttpRequestFn = async (options) => {
		calls.push(options);
		return { statusCode, headers, body };
	};
	return { http, calls };
}

const base = {
	tokenBaseUrl: 'https://betatest.degreed.com',
	clientId: 'abcd',
	clientSecret: 'efgh-secret',
	scopes: ['content:read'],
};

describe("fetchDegreedToken: the documented request, on the wire (through n8n's own HTTP helper)", () => {
	it('POSTs a form to {oauthBase}/oauth/token with grant_type, client_id, client_secret and comma-delimited scopes', async () => {
		const server = await tokenServer(() => ({
			status: 200,
			body: { access_token: 'tok-1', token_type: 'bearer', expires_in: 300, refresh_token: 'r' },
		}));
		try {
			const before = Date.now();
			const token = await tokenOf(
				fetchDegreedToken(
					{
						...base,
						tokenBaseUrl: `${server.url}/`,
						scopes: ['content:read', 'completions:write'],
						extraScopes: 'xapi:write, users:read content:read',
					},
					n8nHttpRequest(),
				),
			);
			expect(server.seen).toHaveLength(1);
			const req = server.seen[0];
			expect(req.method).toBe('POST');
			expect(req.url).toBe('/oauth/token');
			expect(String(req.headers['content-type'])).toMatch(/^application\/x-www-form-urlencoded/);
			expect(req.headers.authorization).toBeUndefined();
			const form = new URLSearchParams(req.body);
			expect(form.get('grant_type')).toBe('client_credentials');
			expect(form.get('client_id')).toBe('abcd');
			expect(form.get('client_secret')).toBe('efgh-secret');
			// Degreed's rule: comma-delimited, no spaces; duplicates dropped, order kept.
			expect(form.get('scope')).toBe('content:read,completions:write,xapi:write,users:read');
			expect(req.body).toContain('scope=content%3Aread%2Ccompletions%3Awrite');
			expect(token.accessToken).toBe('tok-1');
			expect(token.expiresAt - token.issuedAt).toBe(300_000);
			expect(token.issuedAt).toBeGreaterThanOrEqual(before);
		} finally {
			await server.close();
		}
	});

	it('sends HTTP Basic instead of body fields when the credential asks for it', async () => {
		const server = await tokenServer(() => ({
			status: 200,
			body: { access_token: 'tok-b', token_type: 'bearer', expires_in: 60 },
		}));
		try {
			await fetchDegreedToken(
				{ ...base, tokenBaseUrl: server.url, clientAuthentication: 'basic' },
				n8nHttpRequest(),
			);
			const req = server.seen[0];
			expect(req.headers.authorization).toBe(
				`Basic ${Buffer.from('abcd:efgh-secret').toString('base64')}`,
			);
			const form = new URLSearchParams(req.body);
			expect(form.has('client_secret')).toBe(false);
			expect(form.has('client_id')).toBe(false);
			expect(form.get('scope')).toBe('content:read');
		} finally {
			await server.close();
		}
	});

	it('reports a 403 as "the API key lacks scope X", naming the scope from the response', async () => {
		const server = await tokenServer((seen) => {
			const asked = new URLSearchParams(seen.body).get('scope') ?? '';
			return {
				status: 403,
				body: {
					error: 'invalid_scope',
					error_description: `The API key is not permitted scope(s): ${asked
						.split(',')
						.filter((s) => s.startsWith('users'))
						.join(',')}`,
				},
			};
		});
		try {
			const error = await failureOf(
				fetchDegreedToken(
					{ ...base, tokenBaseUrl: server.url, scopes: ['content:read', 'users:write'] },
					n8nHttpRequest(),
				),
			);
			expect(error).toMatchObject({ kind: 'tokenFailure' });
			expect((error as TokenFailure).message).toMatch(
				/^the API key lacks scope users:write \(Degreed said: .*users:write\)$/,
			);
			expect((error as TokenFailure).statusCode).toBe(403);
			expect((error as TokenFailure).description).toMatch(/Untick the scopes/);
			expect((error as TokenFailure).message).not.toContain('efgh-secret');
		} finally {
			await server.close();
		}
	});
});

describe('fetchDegreedToken: responses', () => {
	it("honours expires_in; falls back to Degreed's documented 300 s default when it is missing", async () => {
		const long = scripted(
			200,
			JSON.stringify({ access_token: 'legacy', token_type: 'bearer', expires_in: 5183999 }),
		);
		const t1 = await tokenOf(fetchDegreedToken(base, long.http, () => 1_000_000));
		expect(t1).toEqual({
			accessToken: 'legacy',
			issuedAt: 1_000_000,
			expiresAt: 1_000_000 + 5_183_999_000,
		});
		const none = scripted(200, { access_token: 'short', token_type: 'bearer' });
		const t2 = await tokenOf(fetchDegreedToken(base, none.http, () => 5_000));
		expect(t2.expiresAt - t2.issuedAt).toBe(300_000);
		// The request asked for a raw body (the token function parses it itself) and full response.
		expect(long.calls[0]).toMatchObject({
			method: 'POST',
			url: 'https://betatest.degreed.com/oauth/token',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	});

	it('names the scope when a JSON:API error body mentions it, and lists the requested scopes when it does not', async () => {
		const jsonApi = scripted(403, {
			errors: [
				{
					status: 403,
					code: 'forbidden',
					title: 'Forbidden',
					detail: 'Scope xapi:write is not assigned to this client.',
				},
			],
		});
		expect(
			(
				await failureOf(
					fetchDegreedToken({ ...base, scopes: ['xapi:write', 'xapi:read'] }, jsonApi.http),
				)
			).message,
		).toMatch(/^the API key lacks scope xapi:write \(Degreed said: Forbidden: Scope xapi:write/);
		const bare = scripted(403, '');
		expect(
			(
				await failureOf(
					fetchDegreedToken({ ...base, scopes: ['content:read', 'content:write'] }, bare.http),
				)
			).message,
		).toMatch('the API key is not allowed the requested scopes content:read,content:write');
	});

	it('does not mistake a scope that merely contains another for it', () => {
		expect(
			missingScopes(['users:read', 'provider_users:read'], 'denied: provider_users:read'),
		).toEqual(['provider_users:read']);
		expect(missingScopes(['xapi:all'], 'scope xapi:allx')).toEqual([]);
	});

	it('explains a refused client (401/400) and a wrong host (404) without echoing the secret', async () => {
		const refused = scripted(401, {
			error: 'invalid_client',
			error_description: 'Client authentication failed for efgh-secret',
		});
		const e401 = await failureOf(fetchDegreedToken(base, refused.http));
		expect(e401.message).toMatch(/^Degreed refused the client ID or secret \(HTTP 401\)/);
		expect(e401.statusCode).toBe(401);
		expect(e401.message).toContain('Client authentication failed for [redacted]');
		expect(e401.message).not.toContain('efgh-secret');
		const wrongHost = scripted(404, '<html>Not found</html>');
		const e404 = await failureOf(fetchDegreedToken(base, wrongHost.http));
		expect(e404.message).toBe(
			'no token endpoint at https://betatest.degreed.com/oauth/token (HTTP 404)',
		);
		expect(e404.description).toMatch(/not the API host/);
	});

	it('passes Retry-After of a 429/503 to the transport so it can retry', async () => {
		const limited = scripted(
			429,
			{
				errors: [
					{
						code: 'quota-exceeded',
						status: 429,
						title: 'API calls quota exceeded.',
						detail: 'Maximum 70 requests allowed per 1m.',
					},
				],
			},
			{ 'retry-after': '7' },
		);
		const e = await failureOf(fetchDegreedToken(base, limited.http));
		expect(e.statusCode).toBe(429);
		expect(e.retryAfterMs).toBe(7000);
		expect(e.message).toContain('Maximum 70 requests allowed per 1m.');
	});

	it('rejects a 200 without an access_token (e.g. the API host typed as OAuth host)', async () => {
		const odd = scripted(200, { data: [] });
		expect((await failureOf(fetchDegreedToken(base, odd.http))).message).toMatch(
			'the token endpoint answered without an access_token',
		);
	});

	it('sends nothing when the secret, the scopes or TLS are missing', async () => {
		const never = scripted(200, { access_token: 'x', token_type: 'bearer' });
		expect(
			(await failureOf(fetchDegreedToken({ ...base, clientSecret: '' }, never.http))).message,
		).toMatch('the client ID and client secret must both be filled in');
		expect(
			(await failureOf(fetchDegreedToken({ ...base, scopes: [] }, never.http))).message,
		).toMatch('no scope is selected');
		expect(
			(
				await failureOf(
					fetchDegreedToken({ ...base, tokenBaseUrl: 'http://degreed.example.com' }, never.http),
				)
			).message,
		).toMatch(/refusing to send the client secret over http:\/\/degreed\.example\.com/);
		expect(never.calls).toHaveLength(0);
		// Allowed: loopback, or a lab host with the option on.
		await fetchDegreedToken({ ...base, tokenBaseUrl: 'http://127.0.0.1:9' }, never.http);
		await fetchDegreedToken(
			{ ...base, tokenBaseUrl: 'http://lab.example.com', allowInsecureHttp: true },
			never.http,
		);
		expect(never.calls.map((c) => c.url)).toEqual([
			'http://127.0.0.1:9/oauth/token',
			'http://lab.example.com/oauth/token',
		]);
	});
});

describe('DegreedApi credential', () => {
	it('preAuthentication returns the token and its times as n8n persists them; authenticate adds the Bearer header', async () => {
		const server = await tokenServer(() => ({
			status: 200,
			body: { access_token: 'tok-cred', token_type: 'bearer', expires_in: 300 },
		}));
		try {
			const data = {
				environment: 'custom',
				tokenBaseUrl: server.url,
				apiBaseUrl: 'http://127.0.0.1:1',
				clientId: 'abcd',
				clientSecret: 'efgh-secret',
				scopes: ['users:read'],
				extraScopes: '',
				clientAuthentication: 'body',
			};
			const out = await runPreAuthentication(DegreedApi, data);
			expect(out.accessToken).toBe('tok-cred');
			expect(Number(out.expiresAt) - Number(out.issuedAt)).toBe(300_000);
			const request = await applyAuthenticate(
				DegreedApi,
				{ ...data, ...out },
				{ url: 'http://127.0.0.1:1/api/v2/users', headers: { Accept: 'application/json' } },
			);
			expect(request.headers).toEqual({
				Accept: 'application/json',
				Authorization: 'Bearer tok-cred',
			});
			expect(new URLSearchParams(server.seen[0].body).get('scope')).toBe('users:read');
		} finally {
			await server.close();
		}
	});

	it("preAuthentication failures carry Degreed's words, not an HTTP status n8n would replace with a generic message", async () => {
		const server = await tokenServer(() => ({
			status: 403,
			body: {
				error: 'invalid_scope',
				error_description: 'The API key is not permitted scope(s): users:write',
			},
		}));
		try {
			const data = {
				environment: 'custom',
				tokenBaseUrl: server.url,
				apiBaseUrl: 'http://127.0.0.1:1',
				clientId: 'abcd',
				clientSecret: 'efgh-secret',
				scopes: ['users:read', 'users:write'],
			};
			const error = (await runPreAuthentication(DegreedApi, data).catch(
				(e: unknown) => e,
			)) as Error & { statusCode?: number; httpCode?: string };
			expect(error.message).toMatch(
				/^Degreed: the API key lacks scope users:write \(Degreed said: .*\)\. Degreed refuses a token/,
			);
			expect(error.statusCode).toBeUndefined();
			expect(error.httpCode).toBeUndefined();
		} finally {
			await server.close();
		}
	});

	it('declares the expirable hidden token (or n8n would never call preAuthentication) and a secret field', () => {
		const cred = new DegreedApi();
		const byName = Object.fromEntries(cred.properties.map((p) => [p.name, p]));
		expect(byName.accessToken).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
		});
		expect(byName.issuedAt.type).toBe('hidden');
		expect(byName.expiresAt.type).toBe('hidden');
		expect(byName.clientSecret.typeOptions).toEqual({ password: true });
		expect(byName.scopes.type).toBe('multiOptions');
		expect(cred.name).toBe('degreedApi');
		expect(typeof cred.authenticate).toBe('function');
	});
});
