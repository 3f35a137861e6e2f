import type { IDataObject } from 'n8n-workflow';

import { tokenRedirectError, TokenRequestError } from '../../shared/apiClient';
import { parseRetryAfter } from '../../shared/retryPolicy';
import { tokenFromExpiresIn } from '../../shared/tokenManager';
import type { AccessToken, HttpRequestFn } from '../../shared/types';
import { isLoopbackHost } from '../../shared/urls';
import { clientIdOf, scopesFor, tokenUrl } from './hosts';
import type { LearnLinkCredentialFields, LearnLinkHost } from './hosts';

/** Everything that shapes one Learn.link token request. */
export interface LearnLinkTokenRequest {
	/** `https://{public|user host}/oauth2/token/{tenantId}` */
	url: string;
	clientId: string;
	clientSecret: string;
	/** Space-delimited on the wire; empty = let Thrive grant the client's default scopes. */
	scopes: string[];
	/** `basic` (documented: HTTP Basic client id : API secret), `body` (client_id/client_secret form fields), or both. */
	clientAuthentication: 'basic' | 'body' | 'both';
	/** Body encoding; form-urlencoded is the OAuth 2.0 norm (Thrive's page does not say). */
	format: 'form' | 'json';
	allowInsecureHttp?: boolean;
}

/** Token lifetime Thrive documents (1 hour), used when a response has no usable `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

/** The token request for one host, from the credential's fields. */
export function tokenRequestFor(fields: LearnLinkCredentialFields, host: LearnLinkHost): LearnLinkTokenRequest {
	return {
		url: tokenUrl(fields, host),
		clientId: clientIdOf(fields),
		clientSecret: String(fields.apiSecret ?? ''),
		scopes: scopesFor(fields, host),
		clientAuthentication: fields.clientAuthentication ?? 'basic',
		format: fields.grantBodyFormat ?? 'form',
		allowInsecureHttp: fields.allowInsecureHttp === true,
	};
}

function providerMessage(body: unknown): { message?: string; description?: string } {
	if (!body || typeof body !== 'object') return typeof body === 'string' && body.trim() ? { message: body.trim().slice(0, 300) } : {};
	const b = body as IDataObject;
	// Thrive's documented shape: {status, error, message}; OAuth's: {error, error_description}.
	const message = typeof b.message === 'string' ? b.message : b.message !== undefined ? JSON.stringify(b.message) : undefined;
	const oauth = typeof b.error_description === 'string' ? b.error_description : undefined;
	const error = typeof b.error === 'string' ? b.error : undefined;
	return { message: message ?? oauth ?? error, description: message || oauth ? error : undefined };
}

const HINTS: Record<number, string> = {
	400: 'Thrive rejected the token request. Check the Tenant ID and the scopes (public API: api/all, api/read, api/write; users API: api/webhooks or api/all).',
	401: 'Thrive did not accept the client. Check the Tenant ID, Client ID (leave it empty to use the Tenant ID) and API secret, and that the environment matches where the secret was issued (staging and production have different secrets).',
	403: 'The client is not allowed these scopes on this API.',
	404: 'No token endpoint at this URL. Check the environment and the Tenant ID.',
};

/**
 * Requests a client-credentials token from one Learn.link host. Pure: all it needs is the
 * request description and an HTTP function (n8n's `helpers.httpRequest`).
 */
export async function fetchLearnLinkToken(request: LearnLinkTokenRequest, http: HttpRequestFn, now: () => number = Date.now): Promise<AccessToken> {
	const url = new URL(request.url);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (request.allowInsecureHttp || isLoopbackHost(url.hostname)))) {
		throw new TokenRequestError(`refusing to send the API secret over ${url.protocol}//${url.host}`, 0, undefined, 'Use an https:// URL, or turn on "Allow Insecure HTTP" in the credential for a lab host.');
	}
	if (!request.clientSecret) throw new TokenRequestError('the credential has no API secret', 0);

	const body: Record<string, string> = { grant_type: 'client_credentials' };
	if (request.scopes.length) body.scope = request.scopes.join(' ');
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.clientAuthentication !== 'body') {
		headers.Authorization = `Basic ${Buffer.from(`${request.clientId}:${request.clientSecret}`).toString('base64')}`;
	}
	if (request.clientAuthentication !== 'basic') {
		body.client_id = request.clientId;
		body.client_secret = request.clientSecret;
	}
	let payload: string | IDataObject;
	if (request.format === 'json') {
		headers['Content-Type'] = 'application/json';
		payload = body;
	} else {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		payload = new URLSearchParams(body).toString();
	}

	const response = (await http({
		method: 'POST',
		url: request.url,
		headers,
		body: payload,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };

	const status = response.statusCode;
	if (status >= 300 && status < 400) throw tokenRedirectError(status, response.headers, request.url);
	let data = response.body;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			// Not JSON: reported below.
		}
	}
	if (status < 200 || status >= 300) {
		const { message, description } = providerMessage(data);
		throw new TokenRequestError(
			`the token endpoint answered HTTP ${status}${message ? `: ${message}` : ''}`,
			status,
			parseRetryAfter(response.headers?.['retry-after'], now()),
			HINTS[status] ?? description,
		);
	}
	const token = data && typeof data === 'object' ? (data as IDataObject) : {};
	if (typeof token.access_token !== 'string' || !token.access_token) {
		throw new TokenRequestError('the token endpoint answered without an access_token', status, undefined, 'Check that the environment points at a Learn.link token endpoint.');
	}
	if (token.token_type !== undefined && String(token.token_type).toLowerCase() !== 'bearer') {
		throw new TokenRequestError(`the token endpoint issued a "${String(token.token_type)}" token, not a Bearer token`, status);
	}
	return tokenFromExpiresIn(token.access_token, token.expires_in, now(), DEFAULT_TOKEN_LIFETIME_SECONDS);
}
