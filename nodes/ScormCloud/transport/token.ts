import { requestToken, tokenKey } from '../../shared/clientCredentials';
import type { ClientCredentialsGrant } from '../../shared/clientCredentials';
import type { HttpRequestFn, TokenResult } from '../../shared/types';
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
	allowInsecureHttp?: boolean;
}

export function basicHeader(appId: string, secretKey: string): string {
	return `Basic ${Buffer.from(`${appId}:${secretKey}`).toString('base64')}`;
}

/** Scopes from a list and/or a free text, normalised to SCORM Cloud's space-delimited form. */
export function scopeString(selected: unknown, extra?: unknown): string {
	const list = [
		...(Array.isArray(selected)
			? selected
			: typeof selected === 'string'
				? selected.split(/[\s,]+/)
				: []),
		...(typeof extra === 'string' ? extra.split(/[\s,]+/) : []),
	]
		.map((s) => String(s).trim())
		.filter(Boolean);
	return [...new Set(list)].join(' ');
}

/**
 * GetAppToken (`POST {base}/oauth/authenticate/application/token`): HTTP Basic with the App ID and
 * Secret Key, a form body with `scope` (space-delimited, required) and `expiration` (seconds), no
 * `grant_type`. Honours `expires_in`, else the lifetime asked for.
 */
export function scormCloudGrant(fields: ScormCloudTokenFields): ClientCredentialsGrant {
	const scope = scopeString(fields.scope);
	const raw = fields.expiration as unknown;
	const expiration =
		raw === undefined || raw === null || raw === '' ? DEFAULT_TOKEN_EXPIRATION : Number(raw);
	const problem = !scope
		? { message: 'choose at least one OAuth scope (or switch Authentication to HTTP Basic)' }
		: !Number.isInteger(expiration) || expiration < 1
			? {
					message: `the token expiration must be a whole number of seconds of at least 1 (got ${String(raw)})`,
				}
			: undefined;
	return {
		url: `${normaliseBaseUrl(fields.baseUrl)}${GET_APP_ROUTE}`,
		clientId: String(fields.appId ?? ''),
		clientSecret: String(fields.secretKey ?? ''),
		clientAuth: 'basic',
		format: 'form',
		grantType: null,
		scopes: scope ? [scope] : [],
		extraBody: { expiration: String(expiration) },
		expiry: {
			defaultSeconds:
				Number.isInteger(expiration) && expiration > 0 ? expiration : DEFAULT_TOKEN_EXPIRATION,
		},
		allowInsecureHttp: fields.allowInsecureHttp,
		names: { clientId: 'App ID', clientSecret: 'Secret Key' },
		problem,
		hints: {
			status: {
				400: 'Check the scopes (space-delimited, from the documented list) and the token expiration.',
			},
		},
		refused: (status, said) =>
			status === 401 || status === 403
				? {
						message: `SCORM Cloud refused the App ID / Secret Key (HTTP ${status}${said ? `: ${said}` : ''})`,
						description:
							'Use the App ID and a Secret Key from SCORM Cloud → Apps → (your app) → Details, not your website login. The key must be enabled, and the app must be allowed the scopes you chose.',
					}
				: undefined,
	};
}

/** Cache key of a token and `issuedFor` of a persisted one (never the secret in clear). */
export const scormCloudTokenKey = (fields: ScormCloudTokenFields) =>
	tokenKey(scormCloudGrant(fields));

export async function fetchScormCloudToken(
	fields: ScormCloudTokenFields,
	http: HttpRequestFn,
	now: () => number = Date.now,
): Promise<TokenResult> {
	return await requestToken(scormCloudGrant(fields), http, now);
}
