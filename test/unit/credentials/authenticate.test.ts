import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { DegreedApi } from '../../../credentials/DegreedApi.credentials';
import { LearnLinkApi } from '../../../credentials/LearnLinkApi.credentials';
import { MoodleApi } from '../../../credentials/MoodleApi.credentials';
import { PercipioApi } from '../../../credentials/PercipioApi.credentials';
import { ScormCloudApi } from '../../../credentials/ScormCloudApi.credentials';
import { requestTargetUrl } from '../../../nodes/shared/requestTarget';

type Authenticate = (
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;
const authOf = (credential: { authenticate?: unknown }) => credential.authenticate as Authenticate;

/**
 * The address shapes a request can have: our transport (`url`, or `baseURL` + `url`), and n8n's
 * HTTP Request node, which passes the legacy `uri` (absolute, or relative to `baseUrl`).
 */
function shapes(base: string, path: string): Array<[string, IHttpRequestOptions]> {
	return [
		['url', { url: `${base}${path}`, method: 'GET' }],
		[
			'uri (HTTP Request node)',
			{ uri: `${base}${path}`, method: 'GET' } as unknown as IHttpRequestOptions,
		],
		['baseURL + relative url', { baseURL: base, url: path, method: 'GET' }],
		[
			'baseUrl + relative uri',
			{ baseUrl: base, uri: path, method: 'GET' } as unknown as IHttpRequestOptions,
		],
	];
}
const header = (o: IHttpRequestOptions) =>
	String((o.headers as Record<string, unknown> | undefined)?.Authorization ?? '');
const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('requestTargetUrl', () => {
	it('reads url, uri and a base with a relative address; an absolute address wins over the base', () => {
		expect(requestTargetUrl({ url: 'https://a.example/x' })).toBe('https://a.example/x');
		expect(requestTargetUrl({ uri: 'https://a.example/x' } as never)).toBe('https://a.example/x');
		expect(requestTargetUrl({ baseURL: 'https://a.example/api/', url: '/x' })).toBe(
			'https://a.example/api/x',
		);
		expect(requestTargetUrl({ baseUrl: 'https://a.example/api', uri: 'x' } as never)).toBe(
			'https://a.example/api/x',
		);
		expect(requestTargetUrl({ baseURL: 'https://a.example', url: 'https://b.example/y' })).toBe(
			'https://b.example/y',
		);
		expect(requestTargetUrl({ uri: new URL('https://c.example/z') } as never)).toBe(
			'https://c.example/z',
		);
		expect(requestTargetUrl({ baseURL: 'https://a.example' } as never)).toBe('https://a.example');
	});
});

describe('Learn.link (Thrive): the token of the host the request goes to, in every shape', () => {
	const authenticate = authOf(new LearnLinkApi());
	const oauth = {
		environment: 'production',
		tenantId: 'eu-west-2_AbcdEfghI',
		apiSecret: 'the-api-secret',
		authentication: 'oauth2',
		accessToken: 'public-token',
		usersAccessToken: 'users-token',
	};
	const custom = {
		...oauth,
		environment: 'custom',
		publicApiUrl: 'http://127.0.0.1:4010/learnlink/public',
		usersApiUrl: 'http://127.0.0.1:4010/learnlink/users',
	};
	const cases: Array<[string, ICredentialDataDecryptedObject, string, string, string]> = [
		[
			'production public host',
			oauth,
			'https://public.api.learn.link',
			'/rest/v1/users',
			'Bearer public-token',
		],
		[
			'production users host',
			oauth,
			'https://user.api.learn.link',
			'/webhooks',
			'Bearer users-token',
		],
		[
			'staging users host',
			{ ...oauth, environment: 'staging' },
			'https://user.api.learnstaging.link',
			'/webhooks',
			'Bearer users-token',
		],
		[
			'custom public host (same origin, path prefix)',
			custom,
			'http://127.0.0.1:4010/learnlink/public',
			'/rest/v1/users',
			'Bearer public-token',
		],
		[
			'custom users host (same origin, path prefix)',
			custom,
			'http://127.0.0.1:4010/learnlink/users',
			'/webhooks',
			'Bearer users-token',
		],
	];
	for (const [host, credentials, base, path, expected] of cases) {
		for (const [shape, options] of shapes(base, path)) {
			it(`${host} via ${shape}`, async () => {
				const out = await authenticate(credentials, options);
				expect(header(out)).toBe(expected);
				expect(JSON.stringify(out)).not.toContain('the-api-secret');
			});
		}
	}

	it('falls back to the public token on the users host when the client has no users-API token', async () => {
		expect(
			header(
				await authenticate({ ...oauth, usersAccessToken: '' }, {
					uri: 'https://user.api.learn.link/webhooks',
				} as never),
			),
		).toBe('Bearer public-token');
	});

	it('HTTP Basic (tenant id or client id : secret) on both hosts, in every shape', async () => {
		for (const base of ['https://public.api.learn.link', 'https://user.api.learn.link']) {
			for (const [, options] of shapes(base, '/x')) {
				expect((await authenticate({ ...oauth, authentication: 'basic' }, options)).auth).toEqual({
					username: 'eu-west-2_AbcdEfghI',
					password: 'the-api-secret',
				});
				expect(
					(await authenticate({ ...oauth, authentication: 'basic', clientId: 'cid' }, options))
						.auth,
				).toEqual({ username: 'cid', password: 'the-api-secret' });
			}
		}
	});
});

describe('Skillsoft Percipio: the bearer on the API host in every shape, never the client secret', () => {
	const authenticate = authOf(new PercipioApi());
	const oauth = {
		authMethod: 'oAuth2ClientCredentials',
		region: 'us',
		organizationId: 'org',
		clientId: 'cid',
		clientSecret: 'percipio-secret',
		accessToken: 'minted-token',
	};
	const serviceAccount = {
		...oauth,
		authMethod: 'serviceAccount',
		serviceAccountToken: ' Bearer sa.jwt.token ',
	};
	for (const base of [
		'https://api.percipio.com',
		'https://dew1-api.percipio.com',
		'http://127.0.0.1:4010/percipio/api',
	]) {
		for (const [shape, options] of shapes(base, '/user-management/v1/organizations/org/users')) {
			it(`${base} via ${shape}`, async () => {
				const minted = await authenticate(oauth, options);
				expect(header(minted)).toBe('Bearer minted-token');
				expect(JSON.stringify(minted)).not.toContain('percipio-secret');
				expect(header(await authenticate(serviceAccount, options))).toBe('Bearer sa.jwt.token');
				expect(requestTargetUrl(minted)).toBe(`${base}/user-management/v1/organizations/org/users`);
			});
		}
	}
});

describe('Degreed: one bearer for the API host and the OAuth host (logout), in every shape', () => {
	const authenticate = authOf(new DegreedApi());
	const credentials = {
		environment: 'production',
		dataCenter: 'us',
		clientId: 'cid',
		clientSecret: 'degreed-secret',
		accessToken: 'degreed-token',
	};
	const hosts: Array<[string, string]> = [
		['https://api.degreed.com', '/api/v2/users'],
		['https://api.eu.degreed.com', '/xAPI/statements'],
		['https://degreed.com', '/oauth/logout'],
		['http://127.0.0.1:4010/degreed/api', '/api/v2/content'],
	];
	for (const [base, path] of hosts) {
		for (const [shape, options] of shapes(base, path)) {
			it(`${base}${path} via ${shape}`, async () => {
				const before = JSON.stringify(options);
				const out = await authenticate(credentials, options);
				expect(header(out)).toBe('Bearer degreed-token');
				expect(JSON.stringify(out)).not.toContain('degreed-secret');
				expect(JSON.stringify(options)).toBe(before);
			});
		}
	}
});

describe('SCORM Cloud: Basic (App ID + Secret Key) or the scoped token, in every shape', () => {
	const authenticate = authOf(new ScormCloudApi());
	const basicCredentials = {
		authMethod: 'basic',
		appId: 'APPID',
		secretKey: 'scorm-secret',
		baseUrl: 'https://cloud.scorm.com/api/v2',
	};
	const oauthCredentials = {
		...basicCredentials,
		authMethod: 'oauth',
		accessToken: 'scoped-token',
	};
	for (const base of [
		'https://cloud.scorm.com/api/v2',
		'http://127.0.0.1:4010/scormcloud/cloud/api/v2',
	]) {
		for (const [shape, options] of shapes(base, '/registrations')) {
			it(`${base} via ${shape}`, async () => {
				expect(header(await authenticate(basicCredentials, options))).toBe(
					basic('APPID', 'scorm-secret'),
				);
				const token = await authenticate(oauthCredentials, options);
				expect(header(token)).toBe('Bearer scoped-token');
				expect(JSON.stringify(token)).not.toContain('scorm-secret');
			});
		}
	}

	it('OAuth without a token yet falls back to Basic (the token is minted by preAuthentication)', async () => {
		expect(
			header(
				await authenticate({ ...oauthCredentials, accessToken: '' }, {
					uri: 'https://cloud.scorm.com/api/v2/ping',
				} as never),
			),
		).toBe(basic('APPID', 'scorm-secret'));
	});
});

describe('Moodle: wstoken in the query, in every shape, and the caller’s format kept', () => {
	const authenticate = authOf(new MoodleApi());
	const credentials = { siteUrl: 'https://learn.example.com', token: ' moodle-token ' };
	for (const base of [
		'https://learn.example.com',
		'https://learn.example.com/moodle',
		'http://127.0.0.1:4010/moodle/site',
	]) {
		for (const [shape, options] of shapes(base, '/webservice/rest/server.php')) {
			it(`${base} via ${shape}`, async () => {
				const out = await authenticate(credentials, {
					...options,
					qs: { wsfunction: 'core_webservice_get_site_info' },
				});
				expect(out.qs).toEqual({
					wsfunction: 'core_webservice_get_site_info',
					wstoken: 'moodle-token',
					moodlewsrestformat: 'json',
				});
				expect(requestTargetUrl(out)).toBe(`${base}/webservice/rest/server.php`);
			});
		}
	}

	it('keeps a format the caller named in the query, a JSON/string body, a form body or the URL itself', async () => {
		const url = 'https://learn.example.com/webservice/rest/server.php';
		const given: IHttpRequestOptions[] = [
			{ url, qs: { moodlewsrestformat: 'xml' } },
			{ url, body: { moodlewsrestformat: 'xml' } },
			{ url, body: 'wsfunction=x&moodlewsrestformat=xml' },
			{ uri: url, form: { moodlewsrestformat: 'xml' } } as never,
			{ uri: url, formData: { moodlewsrestformat: 'xml' } } as never,
			{ uri: `${url}?wsfunction=x&moodlewsrestformat=xml` } as never,
		];
		for (const options of given) {
			const out = await authenticate(credentials, options);
			expect(out.qs?.wstoken).toBe('moodle-token');
			expect(out.qs?.moodlewsrestformat ?? 'xml').toBe('xml');
		}
	});
});
