import { tokenRedirectError, TokenRequestError } from '../../shared/apiClient';
import { Redactor } from '../../shared/redact';
import { parseRetryAfter } from '../../shared/retryPolicy';
import { tokenFromExpiresIn } from '../../shared/tokenManager';
import type { AccessToken, HttpRequestFn } from '../../shared/types';
import { isLoopbackHost, joinUrl } from '../../shared/urls';
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

type Body = Record<string, unknown> | string | undefined;

function parseBody(raw: unknown): Body {
	if (raw === undefined || raw === null) return undefined;
	if (Buffer.isBuffer(raw)) raw = raw.toString('utf8');
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (!text) return undefined;
		try {
			return JSON.parse(text) as Record<string, unknown>;
		} catch {
			return text;
		}
	}
	return raw as Record<string, unknown>;
}

/** The provider's own words from an error body: OAuth (`error_description`), JSON:API (`errors[]`) or `message`. */
export function tokenErrorText(body: Body): string | undefined {
	if (!body) return undefined;
	if (typeof body === 'string') return body.length > 300 ? `${body.slice(0, 300)}…` : body;
	const parts: string[] = [];
	if (typeof body.error_description === 'string') parts.push(body.error_description);
	else if (typeof body.error === 'string') parts.push(body.error);
	if (Array.isArray(body.errors)) {
		for (const e of body.errors as Array<Record<string, unknown>>) {
			const text = [e?.title, e?.detail].filter((v) => typeof v === 'string' && v).join(': ');
			if (text) parts.push(text);
		}
	}
	if (typeof body.message === 'string') parts.push(body.message);
	return parts.length ? parts.join('; ') : undefined;
}

/** Which of the requested scopes the 403 names (Degreed refuses a token for a scope the key lacks). */
export function missingScopes(requested: string[], text: string | undefined): string[] {
	if (!text) return [];
	return requested.filter((scope) => new RegExp(`(^|[^\\w:])${scope.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w:])`, 'i').test(text));
}

function checkUrl(url: string, allowInsecureHttp?: boolean): void {
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (!parsed) {
		throw new TokenRequestError(`"${url}" is not a valid OAuth base URL`, 0, undefined, 'Check the environment, data center or custom OAuth Base URL of the credential.');
	}
	if (parsed.protocol === 'https:') return;
	if (parsed.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(parsed.hostname))) return;
	throw new TokenRequestError(
		`refusing to send the client secret over ${parsed.protocol}//${parsed.host}`,
		0,
		undefined,
		'Use an https:// OAuth Base URL. For a lab or test host, turn on "Allow Insecure HTTP" in the credential.',
	);
}

/**
 * Degreed's client-credentials token request, as its authentication guide documents it:
 * `POST {oauthBase}/oauth/token`, form-encoded `grant_type=client_credentials`, `client_id`,
 * `client_secret`, `scope` (comma-delimited). Honours `expires_in` (Degreed's default is 300 s).
 * Pure: the HTTP function is n8n's `helpers.httpRequest` (credential) or the transport's.
 */
export async function fetchDegreedToken(fields: DegreedTokenFields, http: HttpRequestFn, now: () => number = Date.now): Promise<AccessToken> {
	const clientId = String(fields.clientId ?? '').trim();
	const clientSecret = String(fields.clientSecret ?? '');
	if (!clientId || !clientSecret) {
		throw new TokenRequestError('the client ID and client secret must both be filled in', 0, undefined, 'Copy both values from Degreed (Settings → API keys) into the credential.');
	}
	const scopes = scopeList(fields.scopes, fields.extraScopes);
	if (!scopes.length) {
		throw new TokenRequestError('no scope is selected', 0, undefined, 'Select the scopes your Degreed API key was given (for example content:read, completions:write).');
	}
	const url = joinUrl(fields.tokenBaseUrl, '/oauth/token');
	checkUrl(url, fields.allowInsecureHttp);

	const form = new URLSearchParams({ grant_type: 'client_credentials' });
	const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
	if (fields.clientAuthentication === 'basic') {
		headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
	} else {
		form.set('client_id', clientId);
		form.set('client_secret', clientSecret);
	}
	form.set('scope', scopes.join(','));

	const started = now();
	const response = (await http({
		method: 'POST',
		url,
		headers,
		body: form.toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: false,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: 30_000,
	})) as { statusCode: number; headers?: Record<string, string | string[] | undefined>; body: unknown };

	const status = Number(response.statusCode);
	if (status >= 300 && status < 400) throw tokenRedirectError(status, response.headers, url);
	const body = parseBody(response.body);
	// A provider may echo what it was sent: never let the secret into a message.
	const rawSaid = tokenErrorText(body);
	const said = rawSaid === undefined ? undefined : new Redactor([clientSecret]).text(rawSaid);

	if (status >= 200 && status < 300) {
		const token = typeof body === 'object' ? body.access_token : undefined;
		if (typeof token !== 'string' || !token) {
			throw new TokenRequestError('the token endpoint answered without an access_token', status, undefined, 'Check that the OAuth Base URL points at Degreed\'s OAuth host (for example https://degreed.com), not the API host.');
		}
		return tokenFromExpiresIn(token, (body as Record<string, unknown>).expires_in, started, DEFAULT_TOKEN_LIFETIME_SECONDS);
	}

	const retryAfterMs = parseRetryAfter(response.headers?.['retry-after'], now());
	const suffix = said ? ` (Degreed said: ${said})` : '';
	if (status === 403) {
		const missing = missingScopes(scopes, said);
		const message = missing.length
			? `the API key lacks scope ${missing.join(', ')}${suffix}`
			: `the API key is not allowed the requested scopes ${scopes.join(',')}${suffix}`;
		throw new TokenRequestError(
			message,
			status,
			undefined,
			'Degreed refuses a token when any requested scope is not assigned to the API key. Untick the scopes the key does not have, or ask your Degreed administrator to add them to the key.',
		);
	}
	if (status === 400 || status === 401) {
		throw new TokenRequestError(
			`Degreed refused the client ID or secret (HTTP ${status})${suffix}`,
			status,
			undefined,
			'Check the client ID and secret, and that the environment (production or betatest) and data center match where the key was created.',
		);
	}
	if (status === 404) {
		throw new TokenRequestError(`no token endpoint at ${url} (HTTP 404)`, status, undefined, 'Check the environment/data center or the custom OAuth Base URL: it is the OAuth host (e.g. https://degreed.com), not the API host.');
	}
	throw new TokenRequestError(`the token endpoint answered HTTP ${status}${suffix}`, status, retryAfterMs);
}
