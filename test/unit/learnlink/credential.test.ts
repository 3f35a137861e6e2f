import type { IHttpRequestOptions } from 'n8n-workflow';

import { LearnLinkApi } from '../../../credentials/LearnLinkApi.credentials';

const TENANT = 'eu-west-2_AbcdEfghI';
const creds = {
	environment: 'production',
	tenantId: TENANT,
	apiSecret: 'the-secret',
	authentication: 'oauth2',
	scopes: ['api/all'],
	clientAuthentication: 'basic',
	grantBodyFormat: 'form',
};

function helper(users: 'ok' | 'fail') {
	const calls: IHttpRequestOptions[] = [];
	const httpRequest = async (req: IHttpRequestOptions) => {
		calls.push(req);
		const isUsers = req.url.includes('user.api');
		if (isUsers && users === 'fail')
			return {
				statusCode: 403,
				headers: {},
				body: { status: 403, error: 'Forbidden', message: 'no webhooks' },
			};
		return {
			statusCode: 200,
			headers: {},
			body: {
				access_token: isUsers ? 'users-token' : 'public-token',
				token_type: 'Bearer',
				expires_in: 3600,
			},
		};
	};
	return { ctx: { helpers: { httpRequest } } as never, calls };
}

describe('LearnLinkApi credential', () => {
	const credential = new LearnLinkApi();

	it('declares the expirable hidden token and issuedAt/expiresAt', () => {
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.accessToken.type).toBe('hidden');
		expect(byName.accessToken.typeOptions).toEqual({ expirable: true, password: true });
		expect(byName.issuedAt.type).toBe('hidden');
		expect(byName.expiresAt.type).toBe('hidden');
		expect(byName.apiSecret.typeOptions?.password).toBe(true);
		expect(byName.webhookSecret.typeOptions?.password).toBe(true);
		expect(byName.allowInsecureHttp.default).toBe(false);
		expect(credential.properties.filter((p) => p.typeOptions?.expirable)).toHaveLength(1);
	});

	it('preAuthentication mints one token per host, each at its own token endpoint', async () => {
		const { ctx, calls } = helper('ok');
		const out = await credential.preAuthentication!.call(ctx, creds);
		expect(calls.map((c) => c.url)).toEqual([
			`https://public.api.learn.link/oauth2/token/${TENANT}`,
			`https://user.api.learn.link/oauth2/token/${TENANT}`,
		]);
		expect(out.accessToken).toBe('public-token');
		expect(out.usersAccessToken).toBe('users-token');
		expect(Number(out.expiresAt) - Number(out.issuedAt)).toBe(3_600_000);
	});

	it('preAuthentication still succeeds when the client has no users-API access', async () => {
		const { ctx } = helper('fail');
		const out = await credential.preAuthentication!.call(ctx, creds);
		expect(out.accessToken).toBe('public-token');
		expect(out.usersAccessToken).toBe('');
	});

	it('preAuthentication fails with the provider message when the public token is refused', async () => {
		const ctx = {
			helpers: {
				httpRequest: async () => ({
					statusCode: 401,
					headers: {},
					body: { status: 401, error: 'Unauthorized', message: 'bad secret' },
				}),
			},
		} as never;
		await expect(credential.preAuthentication!.call(ctx, creds)).rejects.toThrow(
			'the token endpoint answered HTTP 401: bad secret',
		);
	});

	it('preAuthentication fetches nothing with HTTP Basic', async () => {
		const { ctx, calls } = helper('ok');
		const out = await credential.preAuthentication!.call(ctx, {
			...creds,
			authentication: 'basic',
		});
		expect(calls).toHaveLength(0);
		expect(out.accessToken).toBe('http-basic');
	});

	it("authenticate sends each host's own token (one token per host)", async () => {
		const authenticate = credential.authenticate as (
			c: object,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const stored = { ...creds, accessToken: 'public-token', usersAccessToken: 'users-token' };
		const pub = await authenticate(stored, { url: 'https://public.api.learn.link/rest/v1/users' });
		const usr = await authenticate(stored, {
			url: '/webhooks',
			baseURL: 'https://user.api.learn.link',
		});
		expect(pub.headers?.Authorization).toBe('Bearer public-token');
		expect(usr.headers?.Authorization).toBe('Bearer users-token');
	});

	it('authenticate uses Basic tenantId:secret (or the Client ID) in Basic mode', async () => {
		const authenticate = credential.authenticate as (
			c: object,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		expect(
			(await authenticate({ ...creds, authentication: 'basic' }, { url: 'https://x' })).auth,
		).toEqual({ username: TENANT, password: 'the-secret' });
		expect(
			(
				await authenticate(
					{ ...creds, authentication: 'basic', clientId: 'cid' },
					{ url: 'https://x' },
				)
			).auth,
		).toEqual({ username: 'cid', password: 'the-secret' });
	});

	it('tests against GET {public host}/rest/v1/users, following environment and path overrides', () => {
		const request = credential.test.request;
		expect(request.method).toBe('GET');
		expect(request.baseURL).toContain("$credentials.environment === 'custom'");
		expect(request.baseURL).toContain('https://public.api.learn.link');
		expect(request.baseURL).toContain('https://public.api.mea.learn.tech');
		expect(request.url).toContain('$credentials.restV1Path');
		// The expressions are plain JS over $credentials: evaluate them as n8n would.
		const evaluate = (expr: string, $credentials: object) =>
			new Function('$credentials', `return (${expr.replace(/^=\{\{|\}\}$/g, '')});`)($credentials);
		expect(evaluate(String(request.baseURL), { environment: 'stagingMea' })).toBe(
			'https://public.api.meastaging.learn.tech',
		);
		expect(
			evaluate(String(request.baseURL), {
				environment: 'custom',
				publicApiUrl: 'http://127.0.0.1:5/learnlink/public/',
			}),
		).toBe('http://127.0.0.1:5/learnlink/public');
		expect(evaluate(String(request.url), { restV1Path: '/rest/v1/' })).toBe('/rest/v1/users');
		expect(evaluate(String(request.url), { restV1Path: '' })).toBe('/rest/v1/users');
	});
});
