import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { ScormCloudApi } from '../../../credentials/ScormCloudApi.credentials';
import type { TokenFailure } from '../../../nodes/shared/types';
import { failureOf, tokenOf } from '../../support/tokenResult';
import type { HttpRequestFn } from '../../../nodes/shared/types';
import { DEFAULT_BASE_URL } from '../../../nodes/ScormCloud/transport/hosts';
import { parseScormCloudError } from '../../../nodes/ScormCloud/transport/profile';
import { fetchScormCloudToken, scopeString } from '../../../nodes/ScormCloud/transport/token';
import { applyAuthenticate, n8nHttpRequest, runPreAuthentication } from '../../support/n8nContext';

interface Seen {
	method?: string;
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

async function recordingServer(answer: (seen: Seen) => { status: number; body: unknown }) {
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
			const { status, body } = answer(entry);
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function scripted(statusCode: number, body: unknown) {
	const calls: IHttpRequestOptions[] = [];
	const http: HttpRequestFn = async (options) => {
		calls.push(options);
		return { statusCode, headers: {}, body };
	};
	return { http, calls };
}

const fields = {
	appId: 'E4CXNRBFE0',
	secretKey: 'SecretKeyAaBbCcDdEe',
	scope: 'read:registration write:registration',
};

describe("fetchScormCloudToken: GetAppToken as documented, on the wire through n8n's HTTP helper", () => {
	it('POSTs a form with scope (space-delimited) and expiration, App ID / Secret Key as HTTP Basic, to {base}/oauth/authenticate/application/token', async () => {
		const server = await recordingServer(() => ({
			status: 200,
			body: { access_token: 'tok-1', expires_in: 599, token_type: 'Bearer' },
		}));
		try {
			const before = Date.now();
			const token = await tokenOf(
				fetchScormCloudToken(
					{ ...fields, baseUrl: `${server.url}/api/v2/`, expiration: 600 },
					n8nHttpRequest(),
				),
			);
			expect(server.seen).toHaveLength(1);
			const req = server.seen[0];
			expect(req.method).toBe('POST');
			expect(req.url).toBe('/api/v2/oauth/authenticate/application/token');
			expect(req.headers.authorization).toBe(
				`Basic ${Buffer.from('E4CXNRBFE0:SecretKeyAaBbCcDdEe').toString('base64')}`,
			);
			expect(String(req.headers['content-type'])).toMatch(/^application\/x-www-form-urlencoded/);
			const form = new URLSearchParams(req.body);
			expect(form.get('scope')).toBe('read:registration write:registration');
			expect(form.get('expiration')).toBe('600');
			// nothing beyond the two documented fields (no grant_type, no secret in the body)
			expect([...form.keys()].sort()).toEqual(['expiration', 'scope']);
			expect(req.body).not.toContain('SecretKey');
			expect(token.accessToken).toBe('tok-1');
			expect(token.issuedAt).toBeGreaterThanOrEqual(before);
			expect(token.expiresAt - token.issuedAt).toBe(599_000);
		} finally {
			await server.close();
		}
	});

	it('asks for the documented default lifetime (300 s) when no expiration is set', async () => {
		const { http, calls } = scripted(
			200,
			JSON.stringify({ access_token: 'tok', expires_in: 299, token_type: 'Bearer' }),
		);
		const token = await tokenOf(fetchScormCloudToken(fields, http));
		expect(calls[0].url).toBe(`${DEFAULT_BASE_URL}/oauth/authenticate/application/token`);
		expect(new URLSearchParams(String(calls[0].body)).get('expiration')).toBe('300');
		expect(token.expiresAt - token.issuedAt).toBe(299_000);
	});

	it('turns a 401 into a TokenRequestError that says which values to check, without the secret', async () => {
		const { http } = scripted(401, { error: 'Authorization Required.' });
		const error = await failureOf(fetchScormCloudToken(fields, http));
		expect(error).toMatchObject({ kind: 'tokenFailure' });
		const e = error as TokenFailure;
		expect(e.statusCode).toBe(401);
		expect(e.message).toContain('App ID / Secret Key');
		expect(e.message).toContain('Authorization Required.');
		expect(e.description).toContain('not your website login');
		expect(`${e.message} ${e.description}`).not.toContain(fields.secretKey);
	});

	it("passes SCORM Cloud's own message on for a 400 (bad scope)", async () => {
		const { http } = scripted(400, { message: 'Unknown scope(s): read:nothing' });
		const error = await failureOf(fetchScormCloudToken(fields, http));
		expect(error.statusCode).toBe(400);
		expect(error.message).toContain('Unknown scope(s): read:nothing');
	});

	it('refuses a missing scope, a bad expiration or a missing secret before sending anything', async () => {
		for (const bad of [
			{ ...fields, scope: ' ' },
			{ ...fields, expiration: 0 },
			{ ...fields, expiration: 1.5 },
			{ ...fields, secretKey: '' },
		]) {
			const { http, calls } = scripted(200, {});
			expect(await fetchScormCloudToken(bad, http)).toMatchObject({ kind: 'tokenFailure' });
			expect(calls).toHaveLength(0);
		}
	});

	it('names the host when it cannot be reached (a closed port), instead of a bare error code', async () => {
		const server = await recordingServer(() => ({ status: 200, body: {} }));
		await server.close();
		const error = await failureOf(
			fetchScormCloudToken({ ...fields, baseUrl: `${server.url}/api/v2` }, n8nHttpRequest()),
		);
		expect(error).toMatchObject({ kind: 'tokenFailure' });
		// One wording for every provider, without the code (n8n swaps a message naming ECONNREFUSED for a generic one).
		expect(error.message).toBe(
			`could not reach ${new URL(server.url).host}: the connection was refused`,
		);
		expect(error.code).toBe('ECONNREFUSED');
		// ECONNREFUSED is retryable: no status, so the transport may try again
		expect(error.statusCode).toBeUndefined();
		expect(error.retryable).toBe(true);
	});

	it('rejects a 200 without an access_token', async () => {
		const { http } = scripted(200, { token_type: 'Bearer' });
		expect((await failureOf(fetchScormCloudToken(fields, http))).message).toMatch(
			'without an access_token',
		);
	});
});

describe('scopeString', () => {
	it('joins the chosen scopes and the extra ones with spaces, once each, whatever the separator typed', () => {
		expect(
			scopeString(['read:registration', 'read:ping'], 'write:course, read:ping  read:course'),
		).toBe('read:registration read:ping write:course read:course');
		expect(scopeString(undefined, '')).toBe('');
	});
});

describe('ScormCloudApi credential', () => {
	const credential = new ScormCloudApi();

	it('declares the hidden, expirable token fields n8n needs to call preAuthentication', () => {
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.accessToken.type).toBe('hidden');
		expect(byName.accessToken.typeOptions).toEqual({ expirable: true, password: true });
		expect(byName.issuedAt.type).toBe('hidden');
		expect(byName.expiresAt.type).toBe('hidden');
		expect(byName.secretKey.typeOptions?.password).toBe(true);
		expect(byName.allowInsecureHttp.default).toBe(false);
		expect(byName.baseUrl.default).toBe('https://cloud.scorm.com/api/v2');
		expect(credential.name).toBe('scormCloudApi');
		expect(credential.documentationUrl).toMatch(/docs\/scormcloud\.md$/);
		expect(credential.test.request.url).toBe('/ping');
	});

	it('with HTTP Basic: preAuthentication sends nothing, authenticate adds App ID : Secret Key', async () => {
		const out = await runPreAuthentication(ScormCloudApi, {
			authMethod: 'basic',
			appId: 'APP',
			secretKey: 'sek-ret-1',
		});
		expect(out).toEqual({});
		const request = await applyAuthenticate(
			ScormCloudApi,
			{ authMethod: 'basic', appId: 'APP', secretKey: 'sek-ret-1', accessToken: 'stale' },
			{ url: 'https://x/ping', headers: { Accept: 'application/json' } },
		);
		expect(request.headers).toEqual({
			Accept: 'application/json',
			Authorization: `Basic ${Buffer.from('APP:sek-ret-1').toString('base64')}`,
		});
	});

	it('with OAuth: preAuthentication fetches a token (returned for n8n to persist) and authenticate sends it as Bearer', async () => {
		const server = await recordingServer(() => ({
			status: 200,
			body: { access_token: 'tok-oauth', expires_in: 120, token_type: 'Bearer' },
		}));
		try {
			const data = {
				authMethod: 'oauth',
				appId: 'APP',
				secretKey: 'sek-ret-1',
				baseUrl: `${server.url}/api/v2`,
				scopes: ['read:ping'],
				extraScopes: 'read:course',
				expirationSeconds: 120,
			};
			const out = await runPreAuthentication(ScormCloudApi, data);
			expect(out.accessToken).toBe('tok-oauth');
			expect(Number(out.expiresAt) - Number(out.issuedAt)).toBe(120_000);
			expect(new URLSearchParams(server.seen[0].body).get('scope')).toBe('read:ping read:course');
			const request = await applyAuthenticate(
				ScormCloudApi,
				{ ...data, ...out },
				{ url: 'https://x/ping' },
			);
			expect((request.headers as Record<string, string>).Authorization).toBe('Bearer tok-oauth');
		} finally {
			await server.close();
		}
	});
});

describe('parseScormCloudError: 401 and 404 say different things', () => {
	it('401: the credential was refused, with where to find the right values', () => {
		const e = parseScormCloudError({
			statusCode: 401,
			headers: {},
			body: { error: 'Authorization Required.' },
		});
		expect(e.message).toBe('not authorised (HTTP 401): Authorization Required.');
		expect(e.description).toContain('App ID and Secret Key');
	});
	it('404: the credential was accepted, the ID does not exist in this application', () => {
		const e = parseScormCloudError({
			statusCode: 404,
			headers: {},
			body: { message: "Registration 'x' was not found" },
		});
		expect(e.message).toBe("not found (HTTP 404): Registration 'x' was not found");
		expect(e.description).toContain('The credential was accepted');
	});
	it("other statuses: SCORM Cloud's own message", () => {
		expect(
			parseScormCloudError({
				statusCode: 400,
				headers: {},
				body: '{"message":"expiry must be between 10 and 300"}',
			}).message,
		).toBe('expiry must be between 10 and 300 (HTTP 400)');
	});
});
