import type { IHttpRequestOptions } from 'n8n-workflow';

import { failureOf, tokenOf } from '../../support/tokenResult';
import {
	LearnLinkConfigError,
	TENANT_ID_PATTERN,
	hostOfUrl,
	hostUrl,
	restV1Base,
	restV2Base,
	scopesFor,
	tenantIdOf,
	tokenUrl,
} from '../../../nodes/LearnLink/transport/hosts';
import type { LearnLinkCredentialFields } from '../../../nodes/LearnLink/transport/hosts';
import { fetchLearnLinkToken, tokenRequestFor } from '../../../nodes/LearnLink/transport/token';

const TENANT = 'eu-west-2_AbcdEfghI';
const base: LearnLinkCredentialFields = {
	environment: 'production',
	tenantId: TENANT,
	apiSecret: 's3cr3t-value',
	authentication: 'oauth2',
};

type Reply = { statusCode: number; body: unknown; headers?: Record<string, string> };
function fakeHttp(reply: Reply | ((req: IHttpRequestOptions) => Reply)) {
	const calls: IHttpRequestOptions[] = [];
	const http = async (req: IHttpRequestOptions) => {
		calls.push(req);
		const r = typeof reply === 'function' ? reply(req) : reply;
		return { statusCode: r.statusCode, headers: r.headers ?? {}, body: r.body };
	};
	return { http, calls };
}
const ok = {
	statusCode: 200,
	body: { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600, scope: 'api/read' },
};
const basicOf = (req: IHttpRequestOptions) =>
	Buffer.from(
		String((req.headers as Record<string, string>).Authorization).replace(/^Basic /, ''),
		'base64',
	).toString();

describe('Learn.link hosts', () => {
	it('maps each environment to its two documented hosts, with the tenant id in the token path', () => {
		expect(tokenUrl(base, 'public')).toBe(`https://public.api.learn.link/oauth2/token/${TENANT}`);
		expect(tokenUrl(base, 'users')).toBe(`https://user.api.learn.link/oauth2/token/${TENANT}`);
		expect(tokenUrl({ ...base, environment: 'staging' }, 'users')).toBe(
			`https://user.api.learnstaging.link/oauth2/token/${TENANT}`,
		);
		expect(tokenUrl({ ...base, environment: 'productionMea' }, 'public')).toBe(
			`https://public.api.mea.learn.tech/oauth2/token/${TENANT}`,
		);
		expect(tokenUrl({ ...base, environment: 'stagingMea' }, 'public')).toBe(
			`https://public.api.meastaging.learn.tech/oauth2/token/${TENANT}`,
		);
	});

	it('validates the tenant id against the Cognito pool-id shape, and allows turning that off', () => {
		expect(TENANT_ID_PATTERN.test('eu-west-2_AbcdEfghI')).toBe(true);
		expect(TENANT_ID_PATTERN.test('us-gov-west-1_Abc123')).toBe(true);
		expect(() => tenantIdOf({ ...base, tenantId: 'acme' })).toThrow(LearnLinkConfigError);
		expect(() => tenantIdOf({ ...base, tenantId: '../admin' })).toThrow(
			/Validate Tenant ID Format/,
		);
		expect(() => tenantIdOf({ ...base, tenantId: '' })).toThrow(/no Tenant ID/);
		// With the check off, an odd tenant id is still URL-encoded into one path segment.
		expect(tokenUrl({ ...base, tenantId: 'odd/../id?x', validateTenantId: false }, 'public')).toBe(
			'https://public.api.learn.link/oauth2/token/odd%2F..%2Fid%3Fx',
		);
	});

	it('uses custom URLs and overridable REST prefixes', () => {
		const custom: LearnLinkCredentialFields = {
			...base,
			environment: 'custom',
			publicApiUrl: 'http://127.0.0.1:9/learnlink/public/',
			usersApiUrl: 'http://127.0.0.1:9/learnlink/users',
		};
		expect(hostUrl(custom, 'public')).toBe('http://127.0.0.1:9/learnlink/public');
		expect(restV1Base(custom)).toBe('http://127.0.0.1:9/learnlink/public/rest/v1');
		expect(restV2Base({ ...custom, restV2Path: 'api/v3/' })).toBe(
			'http://127.0.0.1:9/learnlink/public/api/v3',
		);
		expect(hostOfUrl(custom, 'http://127.0.0.1:9/learnlink/users/webhooks')).toBe('users');
		expect(hostOfUrl(custom, 'http://127.0.0.1:9/learnlink/public/rest/v1/users')).toBe('public');
		expect(hostOfUrl(base, 'https://user.api.learn.link/webhooks')).toBe('users');
		expect(() => hostUrl({ ...base, environment: 'custom' }, 'users')).toThrow(/Users API URL/);
	});

	it('refuses a REST path override that would leave its route, naming the field', () => {
		for (const bad of [
			'//127.0.0.1:1/rest/v1',
			'http://127.0.0.1:1/rest/v1',
			'/rest/../admin',
			'/%2e%2e/admin',
			'/rest/v1?debug=1',
			'/rest\\v1',
		]) {
			expect(() => restV1Base({ ...base, restV1Path: bad })).toThrow(LearnLinkConfigError);
			expect(() => restV2Base({ ...base, restV2Path: bad })).toThrow(/"REST v2 Path"/);
		}
		expect(restV1Base({ ...base, restV1Path: '/rest/v1/' })).toBe(
			'https://public.api.learn.link/rest/v1',
		);
	});

	it('asks each host only for the scopes it knows', () => {
		const fields = { ...base, scopes: ['api/read', 'api/write', 'api/webhooks'] };
		expect(scopesFor(fields, 'public')).toEqual(['api/read', 'api/write']);
		expect(scopesFor(fields, 'users')).toEqual(['api/webhooks']);
		expect(scopesFor({ ...base, scopes: ['api/all'] }, 'users')).toEqual(['api/all']);
	});
});

describe('fetchLearnLinkToken', () => {
	it('sends grant_type=client_credentials form-encoded, Basic tenantId:secret, space-delimited scopes', async () => {
		const { http, calls } = fakeHttp(ok);
		const token = await tokenOf(
			fetchLearnLinkToken(
				tokenRequestFor({ ...base, scopes: ['api/read', 'api/write'] }, 'public'),
				http,
				() => 1_000_000,
			),
		);
		expect(calls).toHaveLength(1);
		const req = calls[0];
		expect(req.method).toBe('POST');
		expect(req.url).toBe(`https://public.api.learn.link/oauth2/token/${TENANT}`);
		expect((req.headers as Record<string, string>)['Content-Type']).toBe(
			'application/x-www-form-urlencoded',
		);
		expect(basicOf(req)).toBe(`${TENANT}:s3cr3t-value`);
		const form = new URLSearchParams(String(req.body));
		expect(form.get('grant_type')).toBe('client_credentials');
		expect(form.get('scope')).toBe('api/read api/write');
		expect(form.has('client_secret')).toBe(false);
		expect(token).toEqual({
			accessToken: 'tok-1',
			issuedAt: 1_000_000,
			expiresAt: 1_000_000 + 3_600_000,
		});
	});

	it('uses a separate Client ID when given, and can put the client in the body or send JSON', async () => {
		const { http, calls } = fakeHttp(ok);
		await fetchLearnLinkToken(
			tokenRequestFor(
				{ ...base, clientId: 'client-9', clientAuthentication: 'body', grantBodyFormat: 'json' },
				'users',
			),
			http,
		);
		const req = calls[0];
		expect(req.url).toBe(`https://user.api.learn.link/oauth2/token/${TENANT}`);
		expect((req.headers as Record<string, string>).Authorization).toBeUndefined();
		expect((req.headers as Record<string, string>)['Content-Type']).toBe('application/json');
		expect(req.body).toEqual({
			grant_type: 'client_credentials',
			client_id: 'client-9',
			client_secret: 's3cr3t-value',
		});
	});

	it('omits scope when none is chosen and defaults to Thrive’s 1-hour life without expires_in', async () => {
		const { http, calls } = fakeHttp({
			statusCode: 200,
			body: { access_token: 'x', token_type: 'Bearer' },
		});
		const token = await tokenOf(
			fetchLearnLinkToken(tokenRequestFor(base, 'public'), http, () => 0),
		);
		expect(new URLSearchParams(String(calls[0].body)).has('scope')).toBe(false);
		expect(token.expiresAt).toBe(3_600_000);
	});

	it("reports Thrive's {status, error, message} body, with a hint, as a TokenRequestError", async () => {
		const { http } = fakeHttp({
			statusCode: 401,
			body: { status: 401, error: 'Unauthorized', message: 'Invalid client credentials' },
		});
		const error = await failureOf(fetchLearnLinkToken(tokenRequestFor(base, 'public'), http));
		expect(error).toMatchObject({ kind: 'tokenFailure' });
		expect(error.statusCode).toBe(401);
		expect(error.message).toBe('the token endpoint answered HTTP 401: Invalid client credentials');
		expect(error.description).toMatch(/Tenant ID/);
		expect(JSON.stringify(error)).not.toContain('s3cr3t-value');
	});

	it('carries Retry-After of a 429 so the transport can wait', async () => {
		const { http } = fakeHttp({
			statusCode: 429,
			body: { status: 429, error: 'Too Many Requests', message: 'slow down' },
			headers: { 'retry-after': '2' },
		});
		const error = await failureOf(fetchLearnLinkToken(tokenRequestFor(base, 'public'), http));
		expect(error.statusCode).toBe(429);
		expect(error.retryAfterMs).toBe(2000);
	});

	it('rejects a 200 without access_token, and a non-Bearer token', async () => {
		expect(
			(
				await failureOf(
					fetchLearnLinkToken(
						tokenRequestFor(base, 'public'),
						fakeHttp({ statusCode: 200, body: '<html>' }).http,
					),
				)
			).message,
		).toMatch(/without an access_token/);
		expect(
			(
				await failureOf(
					fetchLearnLinkToken(
						tokenRequestFor(base, 'public'),
						fakeHttp({ statusCode: 200, body: { access_token: 'a', token_type: 'mac' } }).http,
					),
				)
			).message,
		).toMatch(/not a Bearer/);
	});

	it('never sends the secret over plain http to a non-loopback host unless allowed', async () => {
		const { http, calls } = fakeHttp(ok);
		const fields: LearnLinkCredentialFields = {
			...base,
			environment: 'custom',
			publicApiUrl: 'http://lab.example.test',
			usersApiUrl: 'http://lab.example.test',
		};
		expect(
			(await failureOf(fetchLearnLinkToken(tokenRequestFor(fields, 'public'), http))).message,
		).toMatch(/refusing/);
		expect(calls).toHaveLength(0);
		await fetchLearnLinkToken(
			tokenRequestFor({ ...fields, allowInsecureHttp: true }, 'public'),
			http,
		);
		expect(calls).toHaveLength(1);
	});
});
