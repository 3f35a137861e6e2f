import { PERCIPIO_DEMO } from '../../sandbox/fixtures';
import { percipioProvider } from '../../sandbox/providers/percipio';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { http, ItemsProvider, percipioToken, percipioTokenBody, usersPath } from './helpers';
import type { Http } from './helpers';

let sandbox: Sandbox;
let h: Http;
let tokenUrl: string;
let usersUrl: string;

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [percipioProvider(), new ItemsProvider()] });
	h = http();
	tokenUrl = `${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`;
	usersUrl = `${sandbox.urlFor('percipio', 'api')}${usersPath}`;
});
afterAll(async () => {
	await h.close();
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

describe('Percipio token endpoint', () => {
	test('a JSON client-credentials request gets a bearer token', async () => {
		const res = await h.json(tokenUrl, 'POST', percipioTokenBody);
		expect(res.status).toBe(200);
		expect(res.headers['cache-control']).toBe('no-store');
		const body = res.json();
		expect(body).toEqual({
			access_token: expect.any(String),
			token_type: 'Bearer',
			expires_in: 3600,
			scope: 'api',
		});
		expect(body.access_token.length).toBeGreaterThan(20);
		expect(sandbox.tokens('percipio').issued).toBe(1);
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(1);
	});

	test('a form-urlencoded request is rejected with 400 invalid_request and issues no token', async () => {
		const form = new URLSearchParams(percipioTokenBody).toString();
		const res = await h.send(tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form,
		});
		expect(res.status).toBe(400);
		expect(res.json()).toMatchObject({
			error: 'invalid_request',
			error_description: expect.stringContaining('JSON'),
		});
		const text = await h.send(tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: JSON.stringify(percipioTokenBody),
		});
		expect(text.status).toBe(400);
		expect(text.json().error).toBe('invalid_request');
		expect(sandbox.tokens('percipio').issued).toBe(0);
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(2); // failed token requests count too
	});

	test('a wrong secret or an unknown client gets 401 invalid_client', async () => {
		const wrong = await h.json(tokenUrl, 'POST', { ...percipioTokenBody, client_secret: 'nope' });
		expect(wrong.status).toBe(401);
		expect(wrong.json().error).toBe('invalid_client');
		const unknown = await h.json(tokenUrl, 'POST', {
			...percipioTokenBody,
			client_id: 'someone-else',
		});
		expect(unknown.status).toBe(401);
		expect(unknown.json().error).toBe('invalid_client');
	});

	test('a grant other than client_credentials gets 400 unsupported_grant_type', async () => {
		const res = await h.json(tokenUrl, 'POST', { ...percipioTokenBody, grant_type: 'password' });
		expect(res.status).toBe(400);
		expect(res.json().error).toBe('unsupported_grant_type');
	});

	test('missing fields, a non-object body and bad JSON get 400 invalid_request', async () => {
		const { client_secret: _omit, ...noSecret } = percipioTokenBody;
		const missing = await h.json(tokenUrl, 'POST', noSecret);
		expect(missing.status).toBe(400);
		expect(missing.json()).toEqual({
			error: 'invalid_request',
			error_description: 'Missing required parameter: client_secret',
		});
		const array = await h.json(tokenUrl, 'POST', [percipioTokenBody]);
		expect(array.json().error).toBe('invalid_request');
		const broken = await h.send(tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"client_id":',
		});
		expect(broken.status).toBe(400);
		expect(broken.json().error).toBe('invalid_request');
	});

	test('a scope the client does not have gets 400 invalid_scope', async () => {
		const res = await h.json(tokenUrl, 'POST', { ...percipioTokenBody, scope: 'api admin' });
		expect(res.status).toBe(400);
		expect(res.json()).toMatchObject({
			error: 'invalid_scope',
			error_description: expect.stringContaining('admin'),
		});
	});

	test('the token opens the API route; no token, a foreign token, a revoked or expired token get 401', async () => {
		const token = await percipioToken(sandbox, h);
		const ok = await h.send(usersUrl, { headers: { authorization: `Bearer ${token}` } });
		expect(ok.status).toBe(200);
		expect(ok.json()).toEqual([]);
		expect(ok.headers['x-total-count']).toBe('0');

		const none = await h.send(usersUrl);
		expect(none.status).toBe(401);
		expect(none.json()).toEqual({ message: 'Missing bearer token' });

		// tokens are scoped per provider: another provider's issuer does not know this one
		const items = sandbox.provider<ItemsProvider>('items');
		expect(items.ctx.tokens.verify(`Bearer ${token}`)).toEqual({ ok: false, reason: 'unknown' });

		expect(sandbox.tokens.revokeAll('percipio')).toBe(1);
		const revoked = await h.send(usersUrl, { headers: { authorization: `Bearer ${token}` } });
		expect(revoked.status).toBe(401);
		expect(revoked.json().message).toMatch(/revoked/);

		const second = await percipioToken(sandbox, h);
		expect(
			(await h.send(usersUrl, { headers: { authorization: `Bearer ${second}` } })).status,
		).toBe(200);
		sandbox.tokens.expireAll('percipio');
		const expired = await h.send(usersUrl, { headers: { authorization: `Bearer ${second}` } });
		expect(expired.status).toBe(401);
		expect(expired.json().message).toMatch(/expired/);
	});

	test('tokens expire after their lifetime on the sandbox clock', async () => {
		const token = await percipioToken(sandbox, h);
		sandbox.clock.advance(3599_000);
		expect((await h.send(usersUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
			200,
		);
		sandbox.clock.advance(1_000);
		const res = await h.send(usersUrl, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(401);
		expect(res.json().message).toMatch(/expired/);
	});

	test('the lifetime is configurable per sandbox and by seed', async () => {
		const other = await startSandbox({
			providers: [percipioProvider({ tokenLifetimeSeconds: 60 })],
		});
		try {
			const res = await h.json(
				`${other.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
				'POST',
				percipioTokenBody,
			);
			expect(res.json().expires_in).toBe(60);
		} finally {
			await other.close();
		}
		sandbox.provider('percipio').seed?.({
			tokenLifetimeSeconds: 300,
			clients: [{ clientId: 'c2', clientSecret: 's2', scopes: ['api'] }],
		});
		const res = await h.json(tokenUrl, 'POST', {
			...percipioTokenBody,
			client_id: 'c2',
			client_secret: 's2',
		});
		expect(res.status).toBe(200);
		expect(res.json().expires_in).toBe(300);
		expect(PERCIPIO_DEMO.tokenLifetimeSeconds).toBe(3600);
	});
});
