import { tokenRedirectError, TokenRequestError } from '../../shared/apiClient';
import { tokenCacheKey, tokenFromExpiresIn } from '../../shared/tokenManager';
import type { AccessToken, HttpRequestFn } from '../../shared/types';
import { isLoopbackHost } from '../../shared/urls';

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

/** Cache key of a token: a hash of every field that shapes it (never the secret in clear). */
export const percipioTokenKey = (fields: PercipioTokenFields) =>
	tokenCacheKey({ provider: 'percipio', tokenUrl: fields.tokenUrl, clientId: fields.clientId, clientSecret: fields.clientSecret, scope: fields.scope });

function checkTokenUrl(tokenUrl: string, allowInsecureHttp?: boolean): URL {
	if (!URL.canParse(tokenUrl)) {
		throw new TokenRequestError(`the token URL "${tokenUrl}" is not a valid URL`, 0, undefined, 'Pick a region, or type the full token URL (…/oauth2-provider/token) for the Custom region.');
	}
	const url = new URL(tokenUrl);
	if (url.protocol === 'https:') return url;
	if (url.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(url.hostname))) return url;
	throw new TokenRequestError(`refusing to send the client secret over ${url.protocol}//${url.host}`, 0, undefined, 'Use an https:// token URL. For a lab or test host, turn on "Allow Insecure HTTP" in the credential.');
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	if (!text.trim()) return undefined;
	try {
		const parsed = JSON.parse(text) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The token endpoint's own words from an error body (OAuth `error`/`error_description`, or `message`). */
export function tokenErrorText(body: Record<string, unknown> | undefined): string | undefined {
	if (!body) return undefined;
	const code = str(body.error);
	const description = str(body.error_description) ?? str(body.message) ?? str(body.errorMessage);
	if (code && description) return `${code}: ${description}`;
	return code ?? description;
}

function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
	const raw = headers?.['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Skillsoft Percipio OAuth2 client-credentials grant, exactly as documented: POST to the token
 * endpoint with `Content-Type: application/json`, `Accept: application/json` and the JSON body
 * `{client_id, client_secret, grant_type: "client_credentials", scope}`. (n8n's built-in OAuth2
 * credential cannot do this: it always form-encodes the token request.)
 */
export async function fetchPercipioToken(fields: PercipioTokenFields, http: HttpRequestFn, now: () => number = Date.now): Promise<AccessToken> {
	if (!fields.clientId?.trim()) throw new TokenRequestError('the client ID is empty', 0, undefined, 'Enter the client ID Skillsoft gave you at onboarding.');
	if (!fields.clientSecret) throw new TokenRequestError('the client secret is empty', 0, undefined, 'Enter the client secret Skillsoft gave you at onboarding.');
	const url = checkTokenUrl(fields.tokenUrl, fields.allowInsecureHttp);
	const response = (await http({
		method: 'POST',
		url: url.toString(),
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: {
			client_id: fields.clientId.trim(),
			client_secret: fields.clientSecret,
			grant_type: 'client_credentials',
			scope: fields.scope?.trim() || 'api',
		},
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: 30_000,
	})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };

	const status = response.statusCode;
	if (status >= 300 && status < 400) throw tokenRedirectError(status, response.headers, url.toString());
	const body = parseBody(response.body);
	if (status < 200 || status >= 300) {
		const said = tokenErrorText(body);
		const hint =
			status === 400 || status === 401 || status === 403
				? 'Check the client ID, client secret and scope, and that the token URL belongs to the region your client was created in (US and EU clients do not work on each other\'s hosts).'
				: status === 404 || status === 405
					? 'The token URL does not look like a Percipio token endpoint. It must end with /oauth2-provider/token.'
					: status === 415
						? 'The token endpoint refused the body type; Percipio expects JSON.'
						: undefined;
		throw new TokenRequestError(`the token endpoint answered HTTP ${status}${said ? ` (${said})` : ''}`, status, retryAfterMs(response.headers), hint);
	}
	const accessToken = str(body?.access_token);
	if (!body || !accessToken) {
		throw new TokenRequestError(
			'the token endpoint answered without an access_token',
			0,
			undefined,
			'Check the token URL: it must be the Percipio OAuth endpoint (…/oauth2-provider/token), not the API base URL.',
		);
	}
	const tokenType = str(body.token_type);
	if (tokenType && tokenType.toLowerCase() !== 'bearer') {
		throw new TokenRequestError(`the token endpoint issued a "${tokenType}" token; only Bearer tokens are supported`, 0);
	}
	return tokenFromExpiresIn(accessToken, body.expires_in, now(), DEFAULT_TOKEN_LIFETIME_SECONDS);
}

/** Claims of a service-account JWT that matter here. The signature is Percipio's business, not ours. */
export interface JwtInfo {
	expiresAt?: number;
	issuedAt?: number;
}

function base64UrlJson(segment: string): Record<string, unknown> | undefined {
	try {
		const parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Checks that a service-account bearer token looks like the JWT Percipio issues (three base64url
 * segments, a JSON header with `alg`, a JSON payload) and has not expired. Returns a message naming
 * the problem, or the token's claims.
 */
export function inspectServiceAccountToken(token: string, now: number = Date.now()): { ok: true; info: JwtInfo } | { ok: false; problem: string } {
	const value = token.trim().replace(/^bearer\s+/i, '');
	if (!value) return { ok: false, problem: 'the service-account token is empty' };
	const parts = value.split('.');
	if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
		return { ok: false, problem: 'the service-account token is not a JWT (expected three dot-separated base64url parts, as Percipio shows it when the token is created)' };
	}
	const header = base64UrlJson(parts[0]);
	const payload = base64UrlJson(parts[1]);
	if (!header || typeof header.alg !== 'string' || !payload) {
		return { ok: false, problem: 'the service-account token is not a JWT (its header or payload is not JSON)' };
	}
	const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
	const iat = typeof payload.iat === 'number' ? payload.iat * 1000 : undefined;
	if (exp !== undefined && exp < now - 60_000) {
		return { ok: false, problem: `the service-account token expired on ${new Date(exp).toISOString()}; a Percipio admin can create a new one` };
	}
	return { ok: true, info: { expiresAt: exp, issuedAt: iat } };
}

/** The bare JWT from what a user pasted (a leading "Bearer " is tolerated). */
export const bareJwt = (token: string) => token.trim().replace(/^bearer\s+/i, '');
