/**
 * Token functions follow no redirect themselves: the credentials' `preAuthentication` (Test button,
 * n8n's HTTP Request node) calls them with n8n's `httpRequest` directly, outside the transport's
 * `currentToken`. A token endpoint answering 307 to another server: that server receives nothing
 * (no client secret, no Basic header, no body) and the error names where the endpoint pointed.
 */
import { failureOf } from '../../support/tokenResult';
import { fetchDegreedToken } from '../../../nodes/Degreed/transport/token';
import { fetchLearnLinkToken } from '../../../nodes/LearnLink/transport/token';
import { fetchPercipioToken } from '../../../nodes/Percipio/transport/token';
import { fetchScormCloudToken } from '../../../nodes/ScormCloud/transport/token';
import type { HttpRequestFn, TokenResult } from '../../../nodes/shared/types';
import { n8nHttpRequest } from '../../support/n8nContext';
import { json, scriptedServer, SECRET } from './helpers';

const CASES: Array<
	[string, (tokenServerUrl: string, http: HttpRequestFn) => Promise<TokenResult>]
> = [
	[
		'Percipio',
		async (url, http) =>
			await fetchPercipioToken(
				{
					tokenUrl: `${url}/oauth2-provider/token`,
					clientId: 'client-1',
					clientSecret: SECRET,
					scope: 'api',
				},
				http,
			),
	],
	[
		'Degreed',
		async (url, http) =>
			await fetchDegreedToken(
				{ tokenBaseUrl: url, clientId: 'client-1', clientSecret: SECRET, scopes: ['content:read'] },
				http,
			),
	],
	[
		'Learn.link',
		async (url, http) =>
			await fetchLearnLinkToken(
				{
					url: `${url}/oauth2/token/tenant-1`,
					clientId: 'tenant-1',
					clientSecret: SECRET,
					scopes: ['api/all'],
					clientAuthentication: 'both',
					format: 'form',
				},
				http,
			),
	],
	[
		'SCORM Cloud',
		async (url, http) =>
			await fetchScormCloudToken(
				{ baseUrl: `${url}/api/v2`, appId: 'APP1', secretKey: SECRET, scope: 'read' },
				http,
			),
	],
];

describe('token functions follow no redirect', () => {
	it.each(CASES)(
		'%s: a 307 from the token endpoint to another server is a clear error, and that server receives nothing',
		async (_name, fetchToken) => {
			const other = await scriptedServer((_req, res) =>
				json(res, 200, { access_token: 'stolen-token', token_type: 'Bearer', expires_in: 3600 }),
			);
			const token = await scriptedServer((_req, res) => {
				res.writeHead(307, { location: `${other.url}/collect` });
				res.end();
			});
			try {
				const error = await failureOf(fetchToken(token.url, n8nHttpRequest()));
				expect(error!.message).toBe(
					`the token endpoint redirected to ${new URL(other.url).host}: check the token URL`,
				);
				expect(error!.statusCode).toBe(307);
				expect(`${error!.message} ${error!.description ?? ''}`).not.toContain(SECRET);
				expect(token.requests).toHaveLength(1);
				expect(other.requests).toHaveLength(0);
			} finally {
				await token.close();
				await other.close();
			}
		},
	);

	it.each(CASES)(
		'%s: the token request itself asks n8n not to follow redirects',
		async (_name, fetchToken) => {
			const seen: Array<Record<string, unknown>> = [];
			const http: HttpRequestFn = async (options) => {
				seen.push(options as unknown as Record<string, unknown>);
				return { statusCode: 302, headers: {}, body: '' };
			};
			expect((await failureOf(fetchToken('https://token.example.com', http))).message).toBe(
				'the token endpoint redirected to another location: check the token URL',
			);
			expect(seen).toHaveLength(1);
			expect(seen[0]).toMatchObject({
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			});
		},
	);
});
