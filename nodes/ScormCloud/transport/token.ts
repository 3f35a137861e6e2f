import { tokenRedirectError, TokenRequestError } from '../../shared/apiClient';
import { networkErrorCode } from '../../shared/errors';
import { isRetryableNetworkCode } from '../../shared/retryPolicy';
import type { AccessToken, HttpRequestFn } from '../../shared/types';
import { DEFAULT_TOKEN_EXPIRATION, GET_APP_ROUTE, normaliseBaseUrl } from './hosts';

/** The credential fields that shape a SCORM Cloud OAuth token. */
export interface ScormCloudTokenFields {
	baseUrl?: string;
	appId: string;
	secretKey: string;
	/** Space-delimited scopes, e.g. "read:registration write:registration". */
	scope: string;
	/** Token lifetime in seconds (default 300). */
	expiration?: number;
}

export function basicHeader(appId: string, secretKey: string): string {
	return `Basic ${Buffer.from(`${appId}:${secretKey}`).toString('base64')}`;
}

/** Scopes from a list and/or a free text, normalised to SCORM Cloud's space-delimited form. */
export function scopeString(selected: unknown, extra?: unknown): string {
	const list = [
		...(Array.isArray(selected) ? selected : typeof selected === 'string' ? selected.split(/[\s,]+/) : []),
		...(typeof extra === 'string' ? extra.split(/[\s,]+/) : []),
	]
		.map((s) => String(s).trim())
		.filter(Boolean);
	return [...new Set(list)].join(' ');
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	if (!text) return undefined;
	try {
		const parsed = JSON.parse(text) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
	const raw = headers?.['retry-after'];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

async function send(http: HttpRequestFn, url: string, appId: string, secretKey: string, scope: string, expiration: number) {
	return (await http({
		method: 'POST',
		url,
		headers: {
			Authorization: basicHeader(appId, secretKey),
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: new URLSearchParams({ scope, expiration: String(expiration) }).toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: false,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
}

/**
 * GetAppToken (`POST {base}/oauth/authenticate/application/token`): HTTP Basic with the App ID and
 * Secret Key, a form body with `scope` (space-delimited, required) and `expiration` (seconds).
 * Returns the bearer token with its expiry. Pure: the HTTP function is n8n's `httpRequest`.
 */
export async function fetchScormCloudToken(fields: ScormCloudTokenFields, http: HttpRequestFn, now: () => number = Date.now): Promise<AccessToken> {
	const appId = String(fields.appId ?? '').trim();
	const secretKey = String(fields.secretKey ?? '');
	if (!appId || !secretKey) throw new TokenRequestError('the App ID and the Secret Key are both required', 0);
	const scope = scopeString(fields.scope);
	if (!scope) throw new TokenRequestError('choose at least one OAuth scope (or use HTTP Basic authentication)', 0);
	const expiration = fields.expiration === undefined || fields.expiration === null || (fields.expiration as unknown) === '' ? DEFAULT_TOKEN_EXPIRATION : Number(fields.expiration);
	if (!Number.isInteger(expiration) || expiration < 1) throw new TokenRequestError(`the token expiration must be a whole number of seconds of at least 1 (got ${String(fields.expiration)})`, 0);

	const issuedAt = now();
	const url = `${normaliseBaseUrl(fields.baseUrl)}${GET_APP_ROUTE}`;
	let response: { statusCode: number; headers?: Record<string, unknown>; body: unknown };
	try {
		response = await send(http, url, appId, secretKey, scope, expiration);
	} catch (error) {
		const code = networkErrorCode(error);
		// Not a connection failure: n8n's own error (a blocked domain…) already says what happened.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		if (!code) throw error;
		// A connection failure: retryable ones keep no status (the transport retries them). The
		// transport turns TokenRequestError into a NodeApiError; the credential's Test shows its message.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw new TokenRequestError(
			`could not reach ${new URL(url).host} (${code})`,
			isRetryableNetworkCode(code) ? undefined : 0,
			undefined,
			'Check the Base URL in the credential and that n8n can reach it.',
		);
	}

	if (response.statusCode >= 300 && response.statusCode < 400) throw tokenRedirectError(response.statusCode, response.headers, url);
	const body = parseBody(response.body);
	if (response.statusCode >= 200 && response.statusCode < 300) {
		const accessToken = typeof body?.access_token === 'string' ? body.access_token : '';
		if (!accessToken) throw new TokenRequestError('the token endpoint answered without an access_token', response.statusCode);
		const seconds = Number(body?.expires_in);
		const life = Number.isFinite(seconds) && seconds > 0 ? seconds : expiration;
		return { accessToken, issuedAt, expiresAt: issuedAt + life * 1000 };
	}

	const said = typeof body?.error === 'string' ? body.error : typeof body?.message === 'string' ? body.message : undefined;
	if (response.statusCode === 401 || response.statusCode === 403) {
		throw new TokenRequestError(
			`SCORM Cloud refused the App ID / Secret Key (HTTP ${response.statusCode}${said ? `: ${said}` : ''})`,
			response.statusCode,
			undefined,
			'Use the App ID and a Secret Key from SCORM Cloud → Apps → (your app) → Details, not your website login. The key must be enabled, and the app must be allowed the scopes you chose.',
		);
	}
	throw new TokenRequestError(
		`the token request failed with HTTP ${response.statusCode}${said ? `: ${said}` : ''}`,
		response.statusCode,
		retryAfterMs(response.headers),
		response.statusCode === 400 ? 'Check the scopes (space-delimited, from the documented list) and the token expiration.' : undefined,
	);
}
