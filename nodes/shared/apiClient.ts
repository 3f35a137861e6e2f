import * as n8nWorkflow from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { apiError, networkErrorCode } from './errors';
import { rateLimiterFor, systemClock } from './rateLimiter';
import type { Clock, RateLimiter } from './rateLimiter';
import type { Redactor } from './redact';
import {
	DEFAULT_RETRY,
	RETRYABLE_STATUSES,
	backoffDelay,
	isRetryableNetworkCode,
	parseRetryAfter,
	provesNotSent,
	statusProvesNotProcessed,
} from './retryPolicy';
import { currentToken, tokenError } from './clientCredentials';
import { isTokenFailure, sharedTokenManager } from './tokenManager';
import type { TokenManager } from './tokenManager';
import type {
	AccessToken,
	AuthStrategy,
	HttpResponse,
	ProviderProfile,
	RateLimitOptions,
	RequestSpec,
	RetryOptions,
	TransportContext,
	TransportStats,
} from './types';
import { assertSecureUrl } from './urls';

export interface ApiClientOptions {
	provider: ProviderProfile;
	auth: AuthStrategy;
	/** The decrypted credential: its domain restriction applies to every request. */
	credentials: ICredentialDataDecryptedObject;
	/** Identifies the API client (credential) for rate limiting across executions. */
	clientKey: string;
	redactor: Redactor;
	retry?: Partial<RetryOptions>;
	/** Overrides the provider's default; `false` turns client-side pacing off. */
	rateLimit?: RateLimitOptions | false;
	allowInsecureHttp?: boolean;
	maxResponseBytes?: number;
	timeoutMs?: number;
	clock?: Clock;
	random?: () => number;
	tokenManager?: TokenManager;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Redirects are followed only for requests without a body. A 307/308 re-sends the body to the new
 * address, and a body may carry credentials n8n cannot strip (Moodle's `wstoken`, a client secret in
 * a token request); `sendCredentialsOnCrossOriginRedirect: false` only removes headers.
 */
const followsNoRedirect = (spec: Pick<RequestSpec, 'body'>) => spec.body !== undefined;

/**
 * A web page where the API's JSON was expected: a wrong base URL (the web site, a sign-on portal, a
 * proxy's login page). Never handed on as data: such pages can print session tokens or form values.
 */
function isWebPage(response: HttpResponse, spec: Pick<RequestSpec, 'responseType'>): boolean {
	if ((spec.responseType ?? 'json') !== 'json' || typeof response.body !== 'string') return false;
	const type = String(response.headers['content-type'] ?? '');
	return /html/i.test(type) || /^\s*<(!doctype html|html)\b/i.test(response.body);
}

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

class ResponseTooLargeError extends Error {}

async function readStream(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += chunk.length;
		if (size > limit) {
			(stream as unknown as { destroy?: () => void }).destroy?.();
			throw new ResponseTooLargeError(`response larger than ${limit} bytes`);
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

function isStream(value: unknown): value is AsyncIterable<Buffer> {
	return !!value && typeof value === 'object' && typeof (value as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function' && !Buffer.isBuffer(value);
}

function decodeBody(raw: Buffer, contentType: string, responseType: RequestSpec['responseType']): unknown {
	if (responseType === 'buffer') return raw;
	const text = raw.toString('utf8');
	if (responseType === 'text') return text;
	if (text.length === 0) return undefined;
	const looksJson = /json/i.test(contentType) || /^\s*[[{"]/.test(text);
	if (!looksJson) return text;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * The one authenticated request sender every node of this package uses. It owns, once: the token
 * (cached, single-flight, refreshed ahead of expiry, renewed once on 401), retries (429/502/503/504
 * and dropped connections, Retry-After first, else exponential backoff with full jitter, bounded
 * in attempts and total wait, writes only when safe), client-side rate limiting, TLS policy,
 * response size bound and error normalisation with secrets redacted. Bytes go out through n8n's
 * own `helpers.httpRequest`, so the instance's SSRF policy, proxy and allowed domains apply.
 */
export class ApiClient {
	readonly stats: TransportStats = { requests: 0, retries: 0, tokenRequests: 0, rateLimitWaits: 0, status429: 0, authRetries: 0 };
	private readonly retry: RetryOptions;
	private readonly clock: Clock;
	private readonly random: () => number;
	private readonly tokens: TokenManager;
	private readonly limiters = new Map<string, RateLimiter | null>();

	constructor(
		private readonly ctx: TransportContext,
		private readonly options: ApiClientOptions,
	) {
		this.retry = { ...DEFAULT_RETRY, ...options.retry };
		this.clock = options.clock ?? systemClock;
		this.random = options.random ?? Math.random;
		this.tokens = options.tokenManager ?? sharedTokenManager;
	}

	get provider(): ProviderProfile {
		return this.options.provider;
	}

	get redactor(): Redactor {
		return this.options.redactor;
	}

	/** Sends `spec`, returning the response body parsed; errors are `NodeApiError`s. */
	async json<T = unknown>(spec: RequestSpec): Promise<T> {
		return (await this.request<T>(spec)).body;
	}

	async request<T = unknown>(spec: RequestSpec): Promise<HttpResponse<T>> {
		const node = this.ctx.getNode();
		const url = assertSecureUrl(spec.url, node, this.options.allowInsecureHttp);
		const limiter = this.limiterFor(url.host);
		const idempotent = spec.idempotent ?? IDEMPOTENT_METHODS.has(spec.method);
		let retries = 0;
		let waited = 0;
		let authRenewed = false;

		const giveUpOrWait = async (delayMs: number): Promise<boolean> => {
			if (retries + 1 >= this.retry.maxAttempts || waited + delayMs > this.retry.maxTotalWaitMs) return false;
			retries++;
			this.stats.retries++;
			waited += delayMs;
			if (delayMs > 0) await this.clock.sleep(delayMs);
			return true;
		};

		/**
		 * For a write that may have landed: ask the provider before sending it again — after every
		 * ambiguous failure, not only the first (a resend can fail ambiguously too; the attempts stay
		 * bounded by `maxAttempts`).
		 */
		const landed = async (): Promise<HttpResponse | undefined | false> => {
			if (idempotent) return undefined;
			if (!spec.recover) return false;
			return await spec.recover();
		};

		for (;;) {
			if (limiter) {
				const before = limiter.waits;
				await limiter.acquire();
				if (limiter.waits > before) this.stats.rateLimitWaits++;
			}

			let response: HttpResponse;
			const got = spec.anonymous ? undefined : await currentToken(this.ctx, this.options.auth, { redactor: this.redactor, tokens: this.tokens, onRequest: () => this.stats.tokenRequests++ });
			if (isTokenFailure(got)) {
				if (got.retryable && (await giveUpOrWait(got.retryAfterMs ?? backoffDelay(retries, this.retry, this.random)))) continue;
				throw tokenError(this.ctx, this.provider, this.redactor, got, spec.itemIndex);
			}
			const token: AccessToken | undefined = got;

			try {
				response = await this.send(spec, token);
			} catch (error) {
				if (error instanceof ResponseTooLargeError) {
					throw apiError({ node, provider: this.provider.name, redactor: this.redactor, itemIndex: spec.itemIndex, message: `the response is too large (${error.message})`, description: 'Narrow the request (filters, a smaller page size).' });
				}
				const code = networkErrorCode(error);
				if (!code || !isRetryableNetworkCode(code)) throw this.unexpectedError(error, spec.itemIndex);
				if (!provesNotSent(code)) {
					const check = await landed();
					if (check) return check as HttpResponse<T>;
					if (check === false) throw this.networkError(code, url, spec.itemIndex, 'The request may have reached the provider, so it was not sent again (it carries no idempotency key).');
				}
				if (await giveUpOrWait(backoffDelay(retries, this.retry, this.random))) continue;
				throw this.networkError(code, url, spec.itemIndex);
			}

			const status = response.statusCode;
			const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.clock.now());
			if (status === 429) this.stats.status429++;
			limiter?.observe(status, response.headers, retryAfterMs);

			if (token && (this.provider.isAuthFailure?.(response) ?? status === 401)) {
				this.tokens.invalidate((this.options.auth as { cacheKey: string }).cacheKey, token.accessToken);
				if (!authRenewed) {
					authRenewed = true;
					this.stats.authRetries++;
					continue;
				}
				throw this.authError(response, spec.itemIndex);
			}

			if (RETRYABLE_STATUSES.has(status)) {
				let resend = statusProvesNotProcessed(status);
				if (!resend) {
					const check = await landed();
					if (check) return check as HttpResponse<T>;
					resend = check !== false;
				}
				if (resend && (await giveUpOrWait(retryAfterMs ?? backoffDelay(retries, this.retry, this.random)))) continue;
				throw this.statusError(response, spec.itemIndex, resend ? undefined : 'Not sent again: the provider may have processed it and the request carries no idempotency key.');
			}

			if (status >= 200 && status < 300 && isWebPage(response, spec)) throw this.webPageError(response, spec.itemIndex);
			if ((status >= 200 && status < 300) || spec.acceptStatuses?.includes(status)) return response as HttpResponse<T>;
			if (status >= 300 && status < 400 && followsNoRedirect(spec)) throw this.redirectError(response, url, spec.itemIndex);
			throw this.statusError(response, spec.itemIndex);
		}
	}

	private limiterFor(host: string): RateLimiter | null {
		let limiter = this.limiters.get(host);
		if (limiter !== undefined) return limiter;
		const settings = this.options.rateLimit === false ? undefined : (this.options.rateLimit ?? this.provider.rateLimit);
		// Even without a published rate, a limiter learns from Retry-After and X-Rate-Limit-* headers.
		limiter = rateLimiterFor(`${this.options.clientKey}|${host}`, settings ?? {}, this.clock);
		this.limiters.set(host, limiter);
		return limiter;
	}

	/** The credential's domain restriction, resolved the way n8n does for a node's own credential. */
	private allowedDomains(url: string): string | undefined {
		// Present from n8n 2.1; older n8n versions have no domain restriction to honour.
		const resolve = (n8nWorkflow as Partial<typeof n8nWorkflow>).getCredentialAllowedDomains;
		return resolve?.({
			node: this.ctx.getNode(),
			credentialData: this.options.credentials,
			credentialOwnedSurface: true,
			nodeEndpointUrl: url,
		});
	}

	private async send(spec: RequestSpec, token: AccessToken | undefined): Promise<HttpResponse> {
		const headers: IDataObject = { ...spec.headers };
		const options: IHttpRequestOptions = {
			method: spec.method,
			url: spec.url,
			qs: spec.qs,
			headers,
			json: true,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: spec.timeoutMs ?? this.options.timeoutMs ?? 60_000,
			sendCredentialsOnCrossOriginRedirect: false,
			arrayFormat: 'repeat',
		};
		if (followsNoRedirect(spec)) options.disableFollowRedirect = true;
		if (spec.body !== undefined) {
			if (spec.form) {
				headers['Content-Type'] = 'application/x-www-form-urlencoded';
				options.body = new URLSearchParams(spec.body as Record<string, string>).toString();
			} else options.body = spec.body as IHttpRequestOptions['body'];
		}
		if (!spec.anonymous) {
			const allowed = this.allowedDomains(spec.url);
			if (allowed) options.allowedDomains = allowed;
			if (token) headers.Authorization = `Bearer ${token.accessToken}`;
			else if (this.options.auth.kind === 'static') this.options.auth.apply(options);
		}
		const signal = this.ctx.getExecutionCancelSignal?.();
		if (signal) options.abortSignal = signal;

		this.stats.requests++;
		const raw = (await this.ctx.helpers.httpRequest(options)) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
		const contentType = String(raw.headers?.['content-type'] ?? '');
		const body = isStream(raw.body)
			? decodeBody(await readStream(raw.body, this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES), contentType, spec.responseType)
			: raw.body;
		return { statusCode: raw.statusCode, headers: raw.headers ?? {}, body };
	}

	private statusError(response: HttpResponse, itemIndex?: number, note?: string) {
		const parsed = this.provider.parseError(response);
		return apiError({
			node: this.ctx.getNode(),
			provider: this.provider.name,
			redactor: this.redactor,
			response,
			itemIndex,
			message: parsed.message,
			description: [parsed.description, note].filter(Boolean).join(' ') || undefined,
			code: parsed.code,
		});
	}

	private webPageError(response: HttpResponse, itemIndex?: number) {
		// The provider's parser may recognise the page (Moodle says what a Moodle URL looks like);
		// its words are used unless they are the page itself.
		const parsed = this.provider.parseError(response);
		const own = parsed.message && !/[<>]/.test(parsed.message) ? parsed.message : undefined;
		return apiError({
			node: this.ctx.getNode(),
			provider: this.provider.name,
			redactor: this.redactor,
			itemIndex,
			response: { ...response, body: '[web page omitted]' },
			message: own ?? `the URL answered a web page (HTTP ${response.statusCode}, HTML) instead of the API`,
			description: (own ? parsed.description : undefined) ?? 'Check the base URL in the credential: it points to a web site, a sign-on page or a proxy, not to the API.',
		});
	}

	private redirectError(response: HttpResponse, url: URL, itemIndex?: number) {
		const location = response.headers.location;
		let target = 'another address';
		try {
			const to = new URL(String(Array.isArray(location) ? location[0] : location), url);
			target = `${to.protocol}//${to.host}${to.pathname}`;
		} catch {
			// no usable Location: keep the generic words
		}
		return apiError({
			node: this.ctx.getNode(),
			provider: this.provider.name,
			redactor: this.redactor,
			itemIndex,
			message: `the request was redirected (HTTP ${response.statusCode}) to ${target}`,
			description: 'A request that carries data or credentials is not sent on to another address. Check the base URL in the credential (https, host, path).',
		});
	}

	private authError(response: HttpResponse, itemIndex?: number) {
		const credential = this.ctx.getNode().credentials?.[this.provider.credentialType]?.name ?? this.provider.credentialType;
		const parsed = this.provider.parseError(response);
		return apiError({
			node: this.ctx.getNode(),
			provider: this.provider.name,
			redactor: this.redactor,
			response,
			itemIndex,
			message: `the credential "${credential}" was refused twice (HTTP ${response.statusCode}), once with a brand-new access token`,
			description: `${parsed.message ? `${this.provider.name} said: ${parsed.message}. ` : ''}Check the client ID, secret, scopes and environment of the credential "${credential}", then press its Test button.`,
		});
	}

	private networkError(code: string, url: URL, itemIndex?: number, note?: string) {
		return apiError({
			node: this.ctx.getNode(),
			provider: this.provider.name,
			redactor: this.redactor,
			itemIndex,
			code,
			// The code goes in the description: n8n replaces a message that contains one with a
			// generic sentence that would lose the provider and host.
			message: `the connection to ${url.host} failed`,
			description: `${code}. ${note ?? `Gave up after ${this.retry.maxAttempts} attempts. Check the base URL in the credential and the network between n8n and ${url.host}.`}`,
		});
	}

	private unexpectedError(error: unknown, itemIndex?: number) {
		// n8n's own errors (a blocked domain, an aborted execution) already say what happened.
		if (error instanceof Error && 'node' in error) return error;
		return apiError({
			node: this.ctx.getNode(),
			provider: this.provider.name,
			redactor: this.redactor,
			itemIndex,
			message: (error as Error)?.message ?? String(error),
		});
	}
}
