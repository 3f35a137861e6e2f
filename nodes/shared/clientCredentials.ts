import * as n8nWorkflow from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { discardBody, readBounded } from './boundedBody';
import { apiError, networkErrorCode } from './errors';
import { clipText, Redactor } from './redact';
import { RETRYABLE_STATUSES, isRetryableNetworkCode, parseRetryAfter } from './retryPolicy';
import { isTokenFailure, persistedToken, sharedTokenManager, tokenCacheKey } from './tokenManager';
import type { TokenManager } from './tokenManager';
import type {
	AccessToken,
	AuthStrategy,
	HttpRequestFn,
	ProviderProfile,
	TokenFailure,
	TokenResult,
	TransportContext,
} from './types';
import { domainAllowed, isLoopbackHost, isMetadataHost, joinUrl } from './urls';

/**
 * One OAuth 2.0 client-credentials token request, as a provider documents it. A provider's
 * `token.ts` only fills this in (URL, body shape, scopes, its own words); sending, reading,
 * checking and explaining the answer happen here, once, for every provider.
 */
export interface ClientCredentialsGrant {
	/** The token endpoint. */
	url: string;
	/** Appended to `url` as one encoded path segment (Learn.link: `/oauth2/token/{tenantId}`). */
	tenant?: string;
	clientId: string;
	clientSecret: string;
	/** Where the client authenticates: an HTTP Basic header, the body (`client_id`/`client_secret`), or both. */
	clientAuth: 'basic' | 'body' | 'both';
	/** `urlencoded`: id and secret URL-encoded inside Basic, as RFC 6749 §2.3.1 says; `raw`: as typed. */
	basicEncoding?: 'raw' | 'urlencoded';
	format: 'json' | 'form';
	/** The `grant_type` sent; `null` sends none (SCORM Cloud's GetAppToken). Default `client_credentials`. */
	grantType?: string | null;
	/** Sent as `scope`, joined by `scopeJoiner` (default a space); omitted when empty. */
	scopes?: string[];
	scopeJoiner?: ' ' | ',';
	/** Further body fields (SCORM Cloud's `expiration`). */
	extraBody?: Record<string, string>;
	expiry: {
		/** Lifetime assumed when the answer states none. */
		defaultSeconds: number;
		/** Field holding the lifetime in seconds (default `expires_in`). */
		field?: string;
		/** Field holding the expiry as a date (epoch seconds or ms, or ISO 8601), used when present. */
		absoluteField?: string;
	};
	/** Accept an answer without `token_type`: only for a provider that documents none. */
	tokenTypeOptional?: boolean;
	/** Plain http:// to a host other than loopback (the credential's lab option). */
	allowInsecureHttp?: boolean;
	timeoutMs?: number;
	maxResponseBytes?: number;
	/** How the credential names its fields, for messages. */
	names?: { clientId?: string; clientSecret?: string };
	/** A reason not to send at all (a missing scope …): returned as the failure, nothing is sent. */
	problem?: { message: string; description?: string };
	/** Hints per HTTP status of a refused request, and for an answer without a token. */
	hints?: { status?: Partial<Record<number, string>>; noToken?: string; url?: string };
	/** The provider's own message for a refused request (e.g. naming the scope the key lacks). */
	refused?(
		status: number,
		said: string | undefined,
	): { message?: string; description?: string } | undefined;
}

export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;
/** Token answers are a few hundred bytes; anything near this is not a token endpoint. */
export const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

/** The token endpoint, with the tenant segment when the provider puts one in the path. */
export const tokenEndpoint = (grant: ClientCredentialsGrant): string =>
	grant.tenant === undefined ? grant.url : joinUrl(grant.url, encodeURIComponent(grant.tenant));

const scopeOf = (grant: ClientCredentialsGrant): string =>
	(grant.scopes ?? []).filter(Boolean).join(grant.scopeJoiner ?? ' ');

/**
 * The key of a token: a hash of everything the grant sends (endpoint, client, secret, scope, body).
 * The same key names the token in the process-wide cache and, persisted as `issuedFor`, decides
 * whether a token stored on the credential was minted for today's fields. Never the secret in clear.
 */
export function tokenKey(grant: ClientCredentialsGrant): string {
	return tokenCacheKey({
		url: tokenEndpoint(grant),
		clientId: grant.clientId.trim(),
		clientSecret: grant.clientSecret,
		clientAuth: grant.clientAuth,
		basicEncoding: grant.basicEncoding ?? 'raw',
		format: grant.format,
		grantType: grant.grantType === undefined ? 'client_credentials' : grant.grantType,
		scope: scopeOf(grant),
		extra: grant.extraBody ?? {},
	});
}

/** Registers every form of the grant's secrets (raw, Basic, bare Base64, URL-encoded, JSON-escaped). */
export function registerGrantSecrets(redactor: Redactor, grant: ClientCredentialsGrant): Redactor {
	return redactor.add(grant.clientSecret).addBasic(grant.clientId.trim(), grant.clientSecret);
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const OAUTH_CODE = /^[a-z][a-z0-9_]*$/;

/**
 * The token endpoint's own words: OAuth (`error: error_description`), the common `message` /
 * `errorMessage` / `detail`, a nested `error.message`, JSON:API `errors[]` (`title: detail`), or a
 * short text body; a web page says nothing.
 */
export function providerWords(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		return text && !/^<|<html/i.test(text) ? clipText(text, 300) : undefined;
	}
	if (!body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body))
		return undefined;
	const b = body as Record<string, unknown>;
	const nested =
		b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
	const code = str(b.error);
	const detail =
		str(b.error_description) ??
		str(b.message) ??
		str(b.errorMessage) ??
		str(b.detail) ??
		str(nested?.message) ??
		str(nested?.description);
	const parts: string[] = [];
	if (code && detail) parts.push(OAUTH_CODE.test(code) ? `${code}: ${detail}` : detail);
	else if (code ?? detail) parts.push((code ?? detail) as string);
	if (Array.isArray(b.errors)) {
		for (const e of b.errors as Array<Record<string, unknown>>) {
			const text = [str(e?.title), str(e?.detail)].filter(Boolean).join(': ');
			if (text) parts.push(text);
		}
	}
	return parts.length ? clipText(parts.join('; '), 300) : undefined;
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	ETIMEDOUT: 'the connection timed out',
	ESOCKETTIMEDOUT: 'the connection timed out',
	UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
	ECONNABORTED: 'the connection was aborted',
	ECONNRESET: 'the connection was closed',
	EPIPE: 'the connection was closed',
	UND_ERR_SOCKET: 'the connection was closed',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
};

/**
 * A connection failure, worded once for the node and the Test button alike. The error code stays
 * out of the words: n8n swaps a message naming ECONNREFUSED & co. for a generic sentence that loses
 * the host.
 */
export function networkFailure(error: unknown, host: string): TokenFailure {
	const code = networkErrorCode(error);
	if (!code) {
		// n8n's own refusal (a blocked domain, an SSRF rule) already says what happened.
		return failure({ message: String((error as Error)?.message ?? error) });
	}
	const words =
		NETWORK_WORDS[code] ??
		(/CERT|TLS|SSL/.test(code) ? 'its TLS certificate was not accepted' : 'the connection failed');
	return failure({
		message: `could not reach ${host}: ${words}`,
		description: `Check the URL in the credential and that n8n can reach ${host}.`,
		code,
		retryable: isRetryableNetworkCode(code),
	});
}

function failure(
	input: Omit<TokenFailure, 'kind' | 'retryable'> & { retryable?: boolean },
): TokenFailure {
	const out: TokenFailure = { kind: 'tokenFailure', retryable: false, ...input };
	if (out.description === undefined) delete out.description;
	return out;
}

function parseJson(raw: unknown): { json?: unknown; text?: string } {
	if (raw === undefined || raw === null) return {};
	if (typeof raw === 'object' && !Buffer.isBuffer(raw)) return { json: raw };
	const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
	try {
		return { json: JSON.parse(text) as unknown, text };
	} catch {
		return { text };
	}
}

/** Epoch ms of an absolute expiry: epoch seconds, epoch ms, or a date string. */
function absoluteMs(value: unknown): number | undefined {
	const n =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
				? Number(value)
				: undefined;
	if (n !== undefined) return n > 1e12 ? n : n * 1000;
	if (typeof value !== 'string') return undefined;
	const t = Date.parse(value);
	return Number.isNaN(t) ? undefined : t;
}

function expiryOf(
	grant: ClientCredentialsGrant,
	body: Record<string, unknown>,
	issuedAt: number,
): number {
	const absolute = grant.expiry.absoluteField
		? absoluteMs(body[grant.expiry.absoluteField])
		: undefined;
	if (absolute !== undefined && absolute > issuedAt) return absolute;
	const seconds = Number(body[grant.expiry.field ?? 'expires_in']);
	const life = Number.isFinite(seconds) && seconds > 0 ? seconds : grant.expiry.defaultSeconds;
	return issuedAt + life * 1000;
}

function redirectTarget(headers: Record<string, unknown>, requestUrl: string): string {
	const raw = headers.location;
	const location = String((Array.isArray(raw) ? raw[0] : raw) ?? '');
	return location && URL.canParse(location, requestUrl)
		? new URL(location, requestUrl).host
		: 'another location';
}

function checkedUrl(grant: ClientCredentialsGrant, secretName: string): URL | TokenFailure {
	const url = tokenEndpoint(grant);
	if (!URL.canParse(url))
		return failure({
			message: `the token URL "${clipText(url, 200)}" is not a valid URL`,
			description: grant.hints?.url,
		});
	const parsed = new URL(url);
	// The same rule as the transport's assertSecureUrl: such addresses answer with the server's own cloud credentials.
	if (!grant.allowInsecureHttp && isMetadataHost(parsed.hostname)) {
		return failure({
			message: `refusing to send the ${secretName} to ${parsed.host}: a link-local or cloud metadata address`,
			description:
				'Check the token or base URL in the credential; for a lab host on such an address, turn on "Allow Insecure HTTP" in the credential.',
		});
	}
	if (parsed.protocol === 'https:') return parsed;
	if (parsed.protocol === 'http:' && (grant.allowInsecureHttp || isLoopbackHost(parsed.hostname)))
		return parsed;
	return failure({
		message: `refusing to send the ${secretName} over ${parsed.protocol}//${parsed.host}`,
		description:
			'Use an https:// URL. For a lab or test host, turn on "Allow Insecure HTTP" in the credential.',
	});
}

function requestOptions(
	grant: ClientCredentialsGrant,
	url: string,
	signal: AbortSignal,
): IHttpRequestOptions {
	const clientId = grant.clientId.trim();
	const body: Record<string, string> = {};
	if (grant.grantType !== null) body.grant_type = grant.grantType ?? 'client_credentials';
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (grant.clientAuth !== 'body') {
		const encode = grant.basicEncoding === 'urlencoded' ? encodeURIComponent : (v: string) => v;
		headers.Authorization = `Basic ${Buffer.from(`${encode(clientId)}:${encode(grant.clientSecret)}`).toString('base64')}`;
	}
	if (grant.clientAuth !== 'basic') {
		body.client_id = clientId;
		body.client_secret = grant.clientSecret;
	}
	const scope = scopeOf(grant);
	if (scope) body.scope = scope;
	Object.assign(body, grant.extraBody);
	headers['Content-Type'] =
		grant.format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
	return {
		method: 'POST',
		url,
		headers,
		body: grant.format === 'json' ? body : new URLSearchParams(body).toString(),
		json: grant.format === 'json',
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// The request carries the secret (header or body): it goes to the typed URL and nowhere else.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: grant.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
		abortSignal: signal,
	};
}

/**
 * Requests a token with `grant` through `http` (n8n's `helpers.httpRequest`). Never throws: a token
 * or a `TokenFailure` whose words carry no form of the secret. Policy, for every provider: https
 * only (loopback or the lab option excepted), no redirect followed (a 3xx names the host), at most
 * 1 MiB read, a deadline on the whole exchange, JSON only, a Bearer `token_type`, the expiry
 * (`expires_in`, a custom field or an absolute date), the endpoint's own words, `Retry-After` in
 * both forms, and one wording for connection failures.
 */
export async function requestToken(
	grant: ClientCredentialsGrant,
	http: HttpRequestFn,
	now: () => number = Date.now,
): Promise<TokenResult> {
	const redactor = registerGrantSecrets(new Redactor(), grant);
	const result = await exchange(grant, http, now, redactor);
	if (!isTokenFailure(result)) return result;
	result.message = redactor.text(result.message);
	if (result.description !== undefined) result.description = redactor.text(result.description);
	return result;
}

/**
 * The credential's Allowed Domains for a request it makes itself (its token exchange): only an
 * explicit "Specific Domains" list applies, never widened by the host requested, as n8n does.
 */
function ownAllowedDomains(credentials: ICredentialDataDecryptedObject): string | undefined {
	// Present from n8n 2.1; the fallback reads the same two fields for older versions.
	const resolve = (n8nWorkflow as Partial<typeof n8nWorkflow>)
		.getCredentialOwnRequestAllowedDomains;
	if (resolve) return resolve(credentials);
	if (credentials.allowedHttpRequestDomains !== 'domains') return undefined;
	const list =
		typeof credentials.allowedDomains === 'string' ? credentials.allowedDomains.trim() : '';
	// Empty: the caller refuses, as n8n's own resolver does.
	return list;
}

/**
 * `requestToken` for a credential's own `preAuthentication` (its Test button): the token URL must
 * also lie inside the credential's Allowed Domains, and n8n gets the list to enforce it too. The
 * node's requests take the same check in the transport (`ApiClient.tokenHttp`).
 */
export async function requestCredentialToken(
	grant: ClientCredentialsGrant,
	http: HttpRequestFn,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenResult> {
	let allowed: string | undefined;
	try {
		allowed = ownAllowedDomains(credentials);
	} catch {
		allowed = '';
	}
	if (allowed === '') {
		return failure({
			message: 'no Allowed Domains are specified',
			description:
				'Fill in "Allowed Domains" in the credential, or set "Allowed HTTP Request Domains" to All.',
		});
	}
	if (allowed !== undefined) {
		const url = tokenEndpoint(grant);
		if (URL.canParse(url) && !domainAllowed(url, allowed)) {
			return failure({
				message: `Domain not allowed: this credential is restricted from accessing ${new URL(url).host}`,
				description: `The credential's Allowed Domains are: ${allowed}. Nothing was sent. Add the token host to "Allowed Domains" in the credential, or check the token URL.`,
			});
		}
		const restricted = allowed;
		return await requestToken(
			grant,
			async (options) => await http({ ...options, allowedDomains: restricted }),
		);
	}
	return await requestToken(grant, http);
}

async function exchange(
	grant: ClientCredentialsGrant,
	http: HttpRequestFn,
	now: () => number,
	redactor: Redactor,
): Promise<TokenResult> {
	if (grant.problem) return failure(grant.problem);
	const idName = grant.names?.clientId ?? 'client ID';
	const secretName = grant.names?.clientSecret ?? 'client secret';
	if (!grant.clientId.trim() || !grant.clientSecret)
		return failure({ message: `the ${idName} and ${secretName} must both be filled in` });
	const url = checkedUrl(grant, secretName);
	if (isTokenFailure(url)) return url;

	const timeoutMs = grant.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;
	const deadline = AbortSignal.timeout(timeoutMs);
	const tooSlow = () =>
		failure({
			message: `the token endpoint at ${url.host} did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`,
			retryable: true,
		});
	const issuedAt = now();
	let response: { statusCode: number; headers?: Record<string, unknown>; body: unknown };
	try {
		response = (await http(requestOptions(grant, url.toString(), deadline))) as typeof response;
	} catch (error) {
		return deadline.aborted ? tooSlow() : networkFailure(error, url.host);
	}

	const status = Number(response.statusCode);
	const headers = response.headers ?? {};
	if (status >= 300 && status < 400) {
		discardBody(response.body);
		return failure({
			message: `the token endpoint redirected to ${redirectTarget(headers, url.toString())}: check the token URL`,
			description: `The token request was not sent on (HTTP ${status}). Enter the token endpoint's final URL in the credential.`,
			statusCode: status,
		});
	}
	const limit = grant.maxResponseBytes ?? MAX_TOKEN_RESPONSE_BYTES;
	const read = await readBounded(response.body, limit, deadline);
	if (!read.ok) {
		if (read.reason === 'tooLarge') {
			return failure({
				message: `the token endpoint answered more than ${limit} bytes (HTTP ${status})`,
				description: 'A token answer is a few hundred bytes: check the token URL.',
				statusCode: status,
			});
		}
		return deadline.aborted
			? tooSlow()
			: failure({
					message: `the connection to ${url.host} broke while reading the token`,
					retryable: true,
				});
	}
	const { json, text } = parseJson(read.body);

	if (status < 200 || status >= 300) {
		const said = providerWords(json ?? text);
		const own = grant.refused?.(status, said);
		return failure({
			message:
				own?.message ?? `the token endpoint answered HTTP ${status}${said ? `: ${said}` : ''}`,
			description: own?.description ?? grant.hints?.status?.[status],
			statusCode: status,
			retryable: RETRYABLE_STATUSES.has(status),
			retryAfterMs: parseRetryAfter(headers['retry-after'], now()),
		});
	}

	const body =
		json && typeof json === 'object' && !Array.isArray(json)
			? (json as Record<string, unknown>)
			: undefined;
	const accessToken = str(body?.access_token);
	if (!body || !accessToken) {
		const what =
			json !== undefined
				? undefined
				: text?.trim()
					? 'It answered something that is not JSON.'
					: 'Its answer was empty.';
		return failure({
			message: 'the token endpoint answered without an access_token',
			description: [
				what,
				grant.hints?.noToken ??
					"Check the token URL: it must be the provider's token endpoint, not its API or web site.",
			]
				.filter(Boolean)
				.join(' '),
		});
	}
	redactor.add(accessToken);
	const tokenType = body.token_type;
	if (tokenType === undefined || tokenType === null || tokenType === '') {
		if (!grant.tokenTypeOptional)
			return failure({
				message: 'the token endpoint issued a token without a token_type, so not a Bearer one',
				description: ONLY_BEARER,
			});
	} else if (String(tokenType).trim().toLowerCase() !== 'bearer') {
		return failure({
			message: `the token endpoint issued a "${clipText(String(tokenType), 40)}" token, not a Bearer one`,
			description: ONLY_BEARER,
		});
	}
	return { accessToken, issuedAt, expiresAt: expiryOf(grant, body, issuedAt) };
}

// Worded so that no word follows "Bearer": the redactor takes `Bearer <word>` for a credential.
const ONLY_BEARER = 'Only tokens of type Bearer are sent on to the API; check the token URL.';

/** The failure as a credential's `preAuthentication` reports it (n8n shows the message on Test). */
export const credentialFailureMessage = (provider: string, failed: TokenFailure): string =>
	`${provider}: ${failed.message}${failed.description ? `. ${failed.description}` : ''}`;

/**
 * The `auth` of a client whose requests carry a bearer token from `grant`: keyed by `tokenKey`,
 * seeded with the token persisted on the credential when it was minted for these very fields, and
 * with every form of the grant's secrets registered on the client's redactor. (`seed`: a persisted
 * token the caller already checked with `persistedToken(data, tokenKey(grant))`.)
 */
export function bearerAuth(
	grant: ClientCredentialsGrant,
	options: {
		persisted?: Record<string, unknown>;
		prefix?: string;
		seed?: AccessToken;
		redactor?: Redactor;
	} = {},
): AuthStrategy {
	const key = tokenKey(grant);
	if (options.redactor) registerGrantSecrets(options.redactor, grant);
	const seed =
		options.seed ??
		(options.persisted ? persistedToken(options.persisted, key, options.prefix) : undefined);
	if (seed) options.redactor?.add(seed.accessToken);
	return {
		kind: 'bearer',
		cacheKey: key,
		seed,
		fetchToken: async (http) => await requestToken(grant, http),
	};
}

/**
 * The token for the next request of a client: cached, persisted or new (one request per key at a
 * time). Undefined for static auth. A failure is returned, never thrown; `tokenError` makes it a
 * NodeApiError. The token request carries the execution's cancel signal and follows no redirect.
 */
export async function currentToken(
	ctx: TransportContext,
	auth: AuthStrategy,
	options: {
		redactor: Redactor;
		tokens?: TokenManager;
		onRequest?: () => void;
		http?: HttpRequestFn;
	},
): Promise<AccessToken | TokenFailure | undefined> {
	if (auth.kind !== 'bearer') return undefined;
	const cancel = ctx.getExecutionCancelSignal?.();
	// The transport hands its own (Allowed Domains, metadata hosts, logging); this is the bare fallback.
	const http: HttpRequestFn =
		options.http ??
		(async (request) =>
			await ctx.helpers.httpRequest({
				...request,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				abortSignal:
					cancel && request.abortSignal
						? AbortSignal.any([cancel, request.abortSignal as AbortSignal])
						: (cancel ?? request.abortSignal),
			}));
	const result = await (options.tokens ?? sharedTokenManager).get(
		auth.cacheKey,
		async (): Promise<TokenResult> => {
			options.onRequest?.();
			try {
				return await auth.fetchToken(http);
			} catch (error) {
				// A token function that is not the shared grant's (tests, a future provider) may throw.
				return networkFailure(error, 'the token endpoint');
			}
		},
		auth.seed,
	);
	// A provider could echo the token back in an error body: hide it like the other secrets.
	if (!isTokenFailure(result)) options.redactor.add(result.accessToken);
	return result;
}

/** A token failure as the node shows it: naming the credential, with the provider's words, redacted. */
export function tokenError(
	ctx: TransportContext,
	provider: ProviderProfile,
	redactor: Redactor,
	failed: TokenFailure,
	itemIndex?: number,
) {
	const node = ctx.getNode();
	const credential = node.credentials?.[provider.credentialType]?.name ?? provider.credentialType;
	return apiError({
		node,
		provider: provider.name,
		redactor,
		itemIndex,
		message: `could not get an access token with the credential "${credential}": ${failed.message}`,
		description:
			failed.description ??
			'Check the credential (client ID, secret, scopes, region or environment) and press its Test button.',
		response: failed.statusCode
			? { statusCode: failed.statusCode, headers: {}, body: undefined }
			: undefined,
		code: failed.code,
	});
}
