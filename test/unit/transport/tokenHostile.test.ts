/**
 * A hostile token endpoint against every provider's token function and every credential's Test
 * button (its `preAuthentication`, which n8n runs first on Test): the answer is read at most 1 MiB
 * deep, a token that is not Bearer is refused, a 3xx is not followed, a dropped connection is
 * worded once, and no form of the secret is ever shown.
 */
import type { ServerResponse } from 'node:http';
import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { DegreedApi } from '../../../credentials/DegreedApi.credentials';
import { LearnLinkApi } from '../../../credentials/LearnLinkApi.credentials';
import { PercipioApi } from '../../../credentials/PercipioApi.credentials';
import { ScormCloudApi } from '../../../credentials/ScormCloudApi.credentials';
import { fetchDegreedToken } from '../../../nodes/Degreed/transport/token';
import { fetchLearnLinkToken } from '../../../nodes/LearnLink/transport/token';
import { fetchPercipioToken } from '../../../nodes/Percipio/transport/token';
import { fetchScormCloudToken } from '../../../nodes/ScormCloud/transport/token';
import { MAX_TOKEN_RESPONSE_BYTES } from '../../../nodes/shared/clientCredentials';
import type { HttpRequestFn, TokenResult } from '../../../nodes/shared/types';
import { n8nHttpRequest, runPreAuthentication } from '../../support/n8nContext';
import { failureOf, tokenOf } from '../../support/tokenResult';
import { json, scriptedServer, SECRET } from './helpers';

const ORG = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const TENANT = 'eu-west-2_AbcdEfghI';

interface Provider {
	name: string;
	fetch: (url: string, http: HttpRequestFn) => Promise<TokenResult>;
	credential: new () => ICredentialType;
	data: (url: string) => ICredentialDataDecryptedObject;
	prefix: string;
}

const PROVIDERS: Provider[] = [
	{
		name: 'Percipio',
		fetch: async (url, http) =>
			await fetchPercipioToken(
				{
					tokenUrl: `${url}/oauth2-provider/token`,
					clientId: 'client-1',
					clientSecret: SECRET,
					scope: 'api',
				},
				http,
			),
		credential: PercipioApi,
		data: (url) => ({
			authMethod: 'oAuth2ClientCredentials',
			region: 'custom',
			apiBaseUrl: url,
			tokenUrl: `${url}/oauth2-provider/token`,
			organizationId: ORG,
			clientId: 'client-1',
			clientSecret: SECRET,
			scope: 'api',
		}),
		prefix: 'Skillsoft Percipio: ',
	},
	{
		name: 'Degreed',
		fetch: async (url, http) =>
			await fetchDegreedToken(
				{
					tokenBaseUrl: url,
					clientId: 'client-1',
					clientSecret: SECRET,
					scopes: ['content:read'],
					clientAuthentication: 'basic',
				},
				http,
			),
		credential: DegreedApi,
		data: (url) => ({
			environment: 'custom',
			tokenBaseUrl: url,
			apiBaseUrl: url,
			clientId: 'client-1',
			clientSecret: SECRET,
			scopes: ['users:read'],
			clientAuthentication: 'basic',
		}),
		prefix: 'Degreed: ',
	},
	{
		name: 'Learn.link',
		fetch: async (url, http) =>
			await fetchLearnLinkToken(
				{
					url: `${url}/oauth2/token`,
					tenant: TENANT,
					clientId: TENANT,
					clientSecret: SECRET,
					scopes: ['api/all'],
					clientAuthentication: 'basic',
					format: 'form',
				},
				http,
			),
		credential: LearnLinkApi,
		data: (url) => ({
			environment: 'custom',
			publicApiUrl: url,
			usersApiUrl: url,
			tenantId: TENANT,
			apiSecret: SECRET,
			authentication: 'oauth2',
			scopes: ['api/all'],
			clientAuthentication: 'basic',
			grantBodyFormat: 'form',
		}),
		prefix: 'Learn.link (Thrive): ',
	},
	{
		name: 'SCORM Cloud',
		fetch: async (url, http) =>
			await fetchScormCloudToken(
				{ baseUrl: `${url}/api/v2`, appId: 'client-1', secretKey: SECRET, scope: 'read' },
				http,
			),
		credential: ScormCloudApi,
		data: (url) => ({
			authMethod: 'oauth',
			appId: 'client-1',
			secretKey: SECRET,
			baseUrl: `${url}/api/v2`,
			scopes: ['read'],
			extraScopes: '',
			expirationSeconds: 300,
		}),
		prefix: 'SCORM Cloud: ',
	},
];

const basic = Buffer.from(`client-1:${SECRET}`).toString('base64');
const tenantBasic = Buffer.from(`${TENANT}:${SECRET}`).toString('base64');
const noSecret = (text: string) => {
	for (const form of [
		SECRET,
		encodeURIComponent(SECRET),
		basic,
		tenantBasic,
		SECRET.slice(0, 8),
		SECRET.slice(-8),
	])
		expect(text).not.toContain(form);
};

type Case = [string, (res: ServerResponse) => void, RegExp];
const CASES: Case[] = [
	[
		'a 2 MiB answer, streamed',
		(res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			const chunk = 'x'.repeat(65_536);
			res.write('{"access_token":"');
			for (let i = 0; i < 32; i++) res.write(chunk);
			res.end('","token_type":"Bearer"}');
		},
		new RegExp(`the token endpoint answered more than ${MAX_TOKEN_RESPONSE_BYTES} bytes`),
	],
	[
		'a "mac" token',
		(res) =>
			json(res, 200, { access_token: 'hostile-mac-token', token_type: 'mac', expires_in: 3600 }),
		/issued a "mac" token, not a Bearer one/,
	],
	[
		'a token without token_type',
		(res) => json(res, 200, { access_token: 'hostile-untyped-token', expires_in: 3600 }),
		/without a token_type, so not a Bearer one/,
	],
	[
		'an error echoing every form of the secret',
		(res) =>
			json(res, 400, {
				error: 'invalid_request',
				error_description: `got ${SECRET} ${encodeURIComponent(SECRET)} ${basic} ${tenantBasic}`,
			}),
		/invalid_request: got \[redacted\]/,
	],
	[
		'a redirect to another host',
		(res) => {
			res.writeHead(302, { location: 'https://collector.example.net/steal' });
			res.end();
		},
		/redirected to collector\.example\.net: check the token URL/,
	],
];

describe.each(PROVIDERS)('$name', (provider) => {
	it.each(CASES)('token function: %s', async (_name, answer, message) => {
		const server = await scriptedServer((_req, res) => answer(res));
		try {
			const failed = await failureOf(provider.fetch(server.url, n8nHttpRequest()));
			expect(failed.message).toMatch(message);
			noSecret(JSON.stringify(failed));
			expect(JSON.stringify(failed)).not.toMatch(/hostile-(mac|untyped)-token/);
		} finally {
			await server.close();
		}
	});

	it.each(CASES)(
		"credential's Test button (preAuthentication): %s",
		async (_name, answer, message) => {
			const server = await scriptedServer((_req, res) => answer(res));
			try {
				const error = (await runPreAuthentication(
					provider.credential,
					provider.data(server.url),
				).then(
					() => undefined,
					(e: unknown) => e,
				)) as (Error & { httpCode?: unknown }) | undefined;
				expect(error).toBeInstanceOf(Error);
				expect(error!.message.startsWith(provider.prefix)).toBe(true);
				expect(error!.message).toMatch(message);
				// No status on the error: n8n shows these words on Test instead of a generic sentence.
				expect(error!.httpCode).toBeUndefined();
				noSecret(error!.message);
			} finally {
				await server.close();
			}
		},
	);

	it("a dropped connection: the same words from the token function and the credential's Test button", async () => {
		const server = await scriptedServer((_req, res) => json(res, 200, {}));
		await server.close();
		const host = new URL(server.url).host;
		const failed = await failureOf(provider.fetch(server.url, n8nHttpRequest()));
		expect(failed.message).toBe(`could not reach ${host}: the connection was refused`);
		const error = (await runPreAuthentication(provider.credential, provider.data(server.url)).catch(
			(e: unknown) => e,
		)) as Error;
		expect(error.message).toBe(
			`${provider.prefix}could not reach ${host}: the connection was refused. ${failed.description}`,
		);
		expect(error.message).not.toMatch(/ECONN/);
	});

	it('a Bearer token (any case) is accepted and persisted in the one format, with issuedFor', async () => {
		const server = await scriptedServer((_req, res) =>
			json(res, 200, { access_token: 'good-token', token_type: 'BEARER', expires_in: 600 }),
		);
		try {
			expect((await tokenOf(provider.fetch(server.url, n8nHttpRequest()))).accessToken).toBe(
				'good-token',
			);
			const out = await runPreAuthentication(provider.credential, provider.data(server.url));
			expect(out).toMatchObject({
				accessToken: 'good-token',
				issuedAt: expect.stringMatching(/^\d+$/),
				expiresAt: expect.stringMatching(/^\d+$/),
				issuedFor: expect.stringMatching(/^[0-9a-f]{64}$/),
			});
			expect(Number(out.expiresAt) - Number(out.issuedAt)).toBe(600_000);
			const declared = new provider.credential().properties
				.filter((p) => p.type === 'hidden')
				.map((p) => p.name);
			for (const field of Object.keys(out)) expect(declared).toContain(field);
		} finally {
			await server.close();
		}
	});
});
