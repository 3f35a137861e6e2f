import { requestToken, tokenKey } from '../../shared/clientCredentials';
import type { ClientCredentialsGrant } from '../../shared/clientCredentials';
import type { HttpRequestFn, TokenResult } from '../../shared/types';
import { joinUrl } from '../../shared/urls';
import { clientIdOf, hostUrl, scopesFor, tenantIdOf } from './hosts';
import type { LearnLinkCredentialFields, LearnLinkHost } from './hosts';

/** Everything that shapes one Learn.link token request. */
export interface LearnLinkTokenRequest {
	/** `https://{public|user host}/oauth2/token`, or the whole URL when `tenant` is not given */
	url: string;
	/** The Tenant ID, sent as the last path segment of the token URL. */
	tenant?: string;
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

/** The token request for one host, from the credential's fields (`{host}/oauth2/token/{tenantId}`). */
export function tokenRequestFor(
	fields: LearnLinkCredentialFields,
	host: LearnLinkHost,
): LearnLinkTokenRequest {
	return {
		url: joinUrl(hostUrl(fields, host), '/oauth2/token'),
		tenant: tenantIdOf(fields),
		clientId: clientIdOf(fields),
		clientSecret: String(fields.apiSecret ?? ''),
		scopes: scopesFor(fields, host),
		clientAuthentication: fields.clientAuthentication ?? 'basic',
		format: fields.grantBodyFormat ?? 'form',
		allowInsecureHttp: fields.allowInsecureHttp === true,
	};
}

const HINTS: Record<number, string> = {
	400: 'Thrive rejected the token request. Check the Tenant ID and the scopes (public API: api/all, api/read, api/write; users API: api/webhooks or api/all).',
	401: 'Thrive did not accept the client. Check the Tenant ID, Client ID (leave it empty to use the Tenant ID) and API secret, and that the environment matches where the secret was issued (staging and production have different secrets).',
	403: 'The client is not allowed these scopes on this API.',
	404: 'No token endpoint at this URL. Check the environment and the Tenant ID.',
};

/** Thrive's client-credentials grant: Basic `clientId:secret` (documented), scopes space-delimited. */
export function learnLinkGrant(request: LearnLinkTokenRequest): ClientCredentialsGrant {
	return {
		url: request.url,
		tenant: request.tenant,
		clientId: request.clientId,
		clientSecret: request.clientSecret,
		clientAuth: request.clientAuthentication,
		format: request.format,
		scopes: request.scopes,
		scopeJoiner: ' ',
		expiry: { defaultSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS },
		allowInsecureHttp: request.allowInsecureHttp,
		names: { clientId: 'Client ID (Tenant ID)', clientSecret: 'API secret' },
		hints: {
			status: HINTS,
			noToken: 'Check that the environment points at a Learn.link token endpoint.',
		},
	};
}

/** Cache key of a host's token and `issuedFor` of a persisted one (never the secret in clear). */
export const learnLinkTokenKey = (request: LearnLinkTokenRequest) =>
	tokenKey(learnLinkGrant(request));

/** Requests a client-credentials token from one Learn.link host. */
export async function fetchLearnLinkToken(
	request: LearnLinkTokenRequest,
	http: HttpRequestFn,
	now: () => number = Date.now,
): Promise<TokenResult> {
	return await requestToken(learnLinkGrant(request), http, now);
}
