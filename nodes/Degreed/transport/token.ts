import { requestToken, tokenKey } from '../../shared/clientCredentials';
import type { ClientCredentialsGrant } from '../../shared/clientCredentials';
import type { HttpRequestFn, TokenResult } from '../../shared/types';
import { joinUrl } from '../../shared/urls';
import { scopeList } from './scopes';

/** Degreed's documented default token lifetime, used when a response carries no `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

export interface DegreedTokenFields {
	/** OAuth base URL, e.g. https://degreed.com (not the API host). */
	tokenBaseUrl: string;
	clientId: string;
	clientSecret: string;
	/** Selected scopes (array) and/or free text; sent comma-delimited. */
	scopes?: unknown;
	extraScopes?: unknown;
	/** 'body' (documented: client_id/client_secret in the form) or 'basic' (HTTP Basic header). */
	clientAuthentication?: 'body' | 'basic';
	allowInsecureHttp?: boolean;
}

/** Which of the requested scopes the 403 names (Degreed refuses a token for a scope the key lacks). */
export function missingScopes(requested: string[], text: string | undefined): string[] {
	if (!text) return [];
	return requested.filter((scope) =>
		new RegExp(`(^|[^\\w:])${scope.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w:])`, 'i').test(
			text,
		),
	);
}

/**
 * Degreed's client-credentials token request, as its authentication guide documents it:
 * `POST {oauthBase}/oauth/token`, form-encoded `grant_type=client_credentials`, `client_id`,
 * `client_secret`, `scope` (comma-delimited). Honours `expires_in` (Degreed's default is 300 s).
 */
export function degreedGrant(fields: DegreedTokenFields): ClientCredentialsGrant {
	const scopes = scopeList(fields.scopes, fields.extraScopes);
	const url = joinUrl(String(fields.tokenBaseUrl ?? ''), '/oauth/token');
	const suffix = (said: string | undefined) => (said ? ` (Degreed said: ${said})` : '');
	return {
		url,
		clientId: String(fields.clientId ?? ''),
		clientSecret: String(fields.clientSecret ?? ''),
		clientAuth: fields.clientAuthentication === 'basic' ? 'basic' : 'body',
		basicEncoding: 'urlencoded',
		format: 'form',
		scopes,
		scopeJoiner: ',',
		expiry: { defaultSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS },
		allowInsecureHttp: fields.allowInsecureHttp,
		problem: scopes.length
			? undefined
			: {
					message: 'no scope is selected',
					description:
						'Select the scopes your Degreed API key was given (for example content:read, completions:write).',
				},
		hints: {
			url: 'Check the environment, data center or custom OAuth Base URL of the credential.',
			noToken:
				"Check that the OAuth Base URL points at Degreed's OAuth host (for example https://degreed.com), not the API host.",
		},
		refused(status, said) {
			if (status === 403) {
				const missing = missingScopes(scopes, said);
				return {
					message: missing.length
						? `the API key lacks scope ${missing.join(', ')}${suffix(said)}`
						: `the API key is not allowed the requested scopes ${scopes.join(',')}${suffix(said)}`,
					description:
						'Degreed refuses a token when any requested scope is not assigned to the API key. Untick the scopes the key does not have, or ask your Degreed administrator to add them to the key.',
				};
			}
			if (status === 400 || status === 401) {
				return {
					message: `Degreed refused the client ID or secret (HTTP ${status})${suffix(said)}`,
					description:
						'Check the client ID and secret, and that the environment (production or betatest) and data center match where the key was created.',
				};
			}
			if (status === 404) {
				return {
					message: `no token endpoint at ${url} (HTTP 404)`,
					description:
						'Check the environment/data center or the custom OAuth Base URL: it is the OAuth host (e.g. https://degreed.com), not the API host.',
				};
			}
			return undefined;
		},
	};
}

/** Cache key of a token and `issuedFor` of a persisted one (never the secret in clear). */
export const degreedTokenKey = (fields: DegreedTokenFields) => tokenKey(degreedGrant(fields));

export async function fetchDegreedToken(
	fields: DegreedTokenFields,
	http: HttpRequestFn,
	now: () => number = Date.now,
): Promise<TokenResult> {
	return await requestToken(degreedGrant(fields), http, now);
}
