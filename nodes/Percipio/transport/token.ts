import { requestToken, tokenKey } from '../../shared/clientCredentials';
import type { ClientCredentialsGrant } from '../../shared/clientCredentials';
import type { HttpRequestFn, TokenResult } from '../../shared/types';

/** What shapes a Percipio OAuth token: changing any of these must never reuse an old token. */
export interface PercipioTokenFields {
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	/** Sent verbatim; Skillsoft's documented value is "api". */
	scope: string;
	allowInsecureHttp?: boolean;
}

/** Token lifetime assumed when the response carries no `expires_in` (the documented example's value). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Skillsoft Percipio OAuth2 client-credentials grant, exactly as documented: POST to the token
 * endpoint with `Content-Type: application/json`, `Accept: application/json` and the JSON body
 * `{client_id, client_secret, grant_type: "client_credentials", scope}`. (n8n's built-in OAuth2
 * credential cannot do this: it always form-encodes the token request.)
 */
export function percipioGrant(fields: PercipioTokenFields): ClientCredentialsGrant {
	return {
		url: fields.tokenUrl,
		clientId: String(fields.clientId ?? ''),
		clientSecret: String(fields.clientSecret ?? ''),
		clientAuth: 'body',
		format: 'json',
		scopes: [fields.scope?.trim() || 'api'],
		expiry: { defaultSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS },
		allowInsecureHttp: fields.allowInsecureHttp,
		hints: {
			url: 'Pick a region, or type the full token URL (…/oauth2-provider/token) for the Custom region.',
			noToken:
				'Check the token URL: it must be the Percipio OAuth endpoint (…/oauth2-provider/token), not the API base URL.',
			status: {
				400: CHECK_CLIENT,
				401: CHECK_CLIENT,
				403: CHECK_CLIENT,
				404: NOT_A_TOKEN_URL,
				405: NOT_A_TOKEN_URL,
				415: 'The token endpoint refused the body type; Percipio expects JSON.',
			},
		},
	};
}

const CHECK_CLIENT =
	"Check the client ID, client secret and scope, and that the token URL belongs to the region your client was created in (US and EU clients do not work on each other's hosts).";
const NOT_A_TOKEN_URL =
	'The token URL does not look like a Percipio token endpoint. It must end with /oauth2-provider/token.';

/** Cache key of a token and `issuedFor` of a persisted one (never the secret in clear). */
export const percipioTokenKey = (fields: PercipioTokenFields) => tokenKey(percipioGrant(fields));

export async function fetchPercipioToken(
	fields: PercipioTokenFields,
	http: HttpRequestFn,
	now: () => number = Date.now,
): Promise<TokenResult> {
	return await requestToken(percipioGrant(fields), http, now);
}

/** Claims of a service-account JWT that matter here. The signature is Percipio's business, not ours. */
export interface JwtInfo {
	expiresAt?: number;
	issuedAt?: number;
}

function base64UrlJson(segment: string): Record<string, unknown> | undefined {
	try {
		const parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/**
 * Checks that a service-account bearer token looks like the JWT Percipio issues (three base64url
 * segments, a JSON header with `alg`, a JSON payload) and has not expired. Returns a message naming
 * the problem, or the token's claims.
 */
export function inspectServiceAccountToken(
	token: string,
	now: number = Date.now(),
): { ok: true; info: JwtInfo } | { ok: false; problem: string } {
	const value = token.trim().replace(/^bearer\s+/i, '');
	if (!value) return { ok: false, problem: 'the service-account token is empty' };
	const parts = value.split('.');
	if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
		return {
			ok: false,
			problem:
				'the service-account token is not a JWT (expected three dot-separated base64url parts, as Percipio shows it when the token is created)',
		};
	}
	const header = base64UrlJson(parts[0]);
	const payload = base64UrlJson(parts[1]);
	if (!header || typeof header.alg !== 'string' || !payload) {
		return {
			ok: false,
			problem: 'the service-account token is not a JWT (its header or payload is not JSON)',
		};
	}
	const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
	const iat = typeof payload.iat === 'number' ? payload.iat * 1000 : undefined;
	if (exp !== undefined && exp < now - 60_000) {
		return {
			ok: false,
			problem: `the service-account token expired on ${new Date(exp).toISOString()}; a Percipio admin can create a new one`,
		};
	}
	return { ok: true, info: { expiresAt: exp, issuedAt: iat } };
}

/** The bare JWT from what a user pasted (a leading "Bearer " is tolerated). */
export const bareJwt = (token: string) => token.trim().replace(/^bearer\s+/i, '');
