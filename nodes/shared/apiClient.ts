import * as n8nWorkflow from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

import {
	authError,
	envelopeError,
	locationOf,
	networkError,
	networkErrorCode,
	pagingError,
	redirectError,
	statusError,
	tooLargeError,
	unexpectedBodyError,
	unexpectedError,
	waitTooLongError,
	webPageError,
} from './errors';
import type { ErrorScope } from './errors';
import { rateLimiterFor, systemClock } from './rateLimiter';
import type { Clock, RateLimiter } from './rateLimiter';
import type { Redactor } from './redact';
import { bodyProblem, defaultErrorEnvelope, expectedBody, isWebPage } from './responseShape';
import { DEFAULT_RETRY, decide, parseRetryAfter } from './retryPolicy';
import type { AttemptState, GiveUpReason, Outcome } from './retryPolicy';
import { currentToken, tokenError } from './clientCredentials';
import { isTokenFailure, sharedTokenManager } from './tokenManager';
import type { TokenManager } from './tokenManager';
import { TransportLog } from './transportLog';
import type { LogFields } from './transportLog';
import type {
	AccessToken,
	TokenFailure,
	AuthStrategy,
	HttpRequestFn,
	HttpResponse,
	ProviderProfile,
	RateLimitOptions,
	RequestSpec,
	RetryOptions,
	TransportContext,
	TransportStats,
} from './types';
import { assertSecureUrl, domainAllowed, domainError } from './urls';

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

/** Token requests carry the secret (header or body): never followed to another address. */
const noRedirects = (options: IHttpRequestOptions): IHttpRequestOptions => ({
	...options,
	disableFollowRedirect: true,
	sendCredentialsOnCrossOriginRedirect: false,
});
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** What a response body stream offers beyond async iteration (Node's IncomingMessage has all of it). */
interface EventStream extends AsyncIterable<Buffer> {
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy?: () => void;
	readableEnded?: boolean;
}

const canListen = (stream: AsyncIterable<Buffer>): stream is EventStream =>
	typeof (stream as Partial<EventStream>).on === 'function' &&
	typeof (stream as Partial<EventStream>).removeListener === 'function';

/** Node's own wording and code for a stream that closed before its end (as `for await` reports it). */
const prematureClose = () =>
	Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

/**
 * The body read whole, or undefined once it passed `limit` bytes (the stream is then dropped).
 * Read with plain 'data' listeners (flowing mode), not `for await`: an async iterator costs a
 * promise, a 'readable' round and end-of-stream bookkeeping per chunk, which on small JSON answers
 * was a measurable share of every request (bench/FINDINGS.md §8). The bound is the same either way.
 */
function readStream(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer | undefined> {
	if (!canListen(stream)) return readIterable(stream, limit);
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const done = () => {
			stream.removeListener('data', onData);
			stream.removeListener('end', onEnd);
			stream.removeListener('error', onError);
			stream.removeListener('close', onClose);
		};
		const onData = (chunk: unknown) => {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
			size += buffer.length;
			if (size > limit) {
				done();
				stream.destroy?.();
				resolve(undefined);
				return;
			}
			chunks.push(buffer);
		};
		const onEnd = () => {
			done();
			resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
		};
		const onError = (error: unknown) => {
			done();
			reject(error);
		};
		// Closed without 'end' or 'error' (destroyed quietly): a cut body, never a complete one.
		const onClose = () => {
			if (stream.readableEnded) return onEnd();
			done();
			reject(prematureClose());
		};
		stream.on('data', onData);
		stream.on('end', onEnd);
		stream.on('error', onError);
		stream.on('close', onClose);
	});
}

/** The same bound over any async iterable (a stream without listeners). */
async function readIterable(
	stream: AsyncIterable<Buffer>,
	limit: number,
): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += chunk.length;
		if (size > limit) {
			(stream as unknown as { destroy?: () => void }).destroy?.();
			return undefined;
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

function isStream(value: unknown): value is AsyncIterable<Buffer> {
	return (
		!!value &&
		typeof value === 'object' &&
		typeof (value as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function' &&
		!Buffer.isBuffer(value)
	);
}

/** The body as the caller asked for it; `invalidJson` when it claims or looks like JSON but does not parse. */
function decodeBody(
	raw: Buffer,
	contentType: string,
	responseType: RequestSpec['responseType'],
): { body: unknown; invalidJson?: boolean } {
	if (responseType === 'buffer') return { body: raw };
	const text = raw.toString('utf8');
	if (responseType === 'text') return { body: text };
	// The first non-blank character decides, without trimming (copying) the whole body.
	const first = text.search(/\S/);
	if (first < 0) return { body: undefined };
	const lead = text[first];
	const looksJson = lead === '{' || lead === '[' || lead === '"' || /json/i.test(contentType);
	if (!looksJson) return { body: text };
	try {
		return { body: JSON.parse(text) };
	} catch {
		return { body: text, invalidJson: true };
	}
}

/** A response past the size bound: reported by request(), never read further. */
const TOO_LARGE = Symbol('response too large');

/** Redirect hops a GET/HEAD may take on its own origin. */
const MAX_REDIRECTS = 5;

/** What one send produced: a response, or the error the connection failed with. */
type Sent =
	| { response: HttpResponse & { invalidJson?: boolean }; token?: AccessToken }
	| { error: unknown; token?: AccessToken };

/**
 * The one authenticated request sender every node of this package uses. It owns, once: the token
 * (cached, single-flight, refreshed ahead of expiry, renewed once on 401), retries (as
 * `retryPolicy.decide` says: 429/502/503/504 and dropped connections, Retry-After first, else
 * exponential backoff with full jitter, bounded in attempts and total wait, writes only when safe),
 * client-side rate limiting, TLS, origin and redirect policy, response size bound, the shape of a
 * success body, and error normalisation with secrets redacted. Bytes go out through n8n's own
 * `helpers.httpRequest`, so the instance's SSRF policy, proxy and allowed domains apply.
 */
export class ApiClient {
	readonly stats: TransportStats = {
		requests: 0,
		retries: 0,
		tokenRequests: 0,
		rateLimitWaits: 0,
		status429: 0,
		authRetries: 0,
	};
	private readonly retry: RetryOptions;
	private readonly clock: Clock;
	private readonly random: () => number;
	private readonly tokens: TokenManager;
	private readonly limiters = new Map<string, RateLimiter | null>();
	private readonly log: TransportLog;
	private allowed: { value: string | undefined } | undefined;

	constructor(
		private readonly ctx: TransportContext,
		private readonly options: ApiClientOptions,
	) {
		this.retry = { ...DEFAULT_RETRY, ...options.retry };
		this.clock = options.clock ?? systemClock;
		this.random = options.random ?? Math.random;
		this.tokens = options.tokenManager ?? sharedTokenManager;
		this.log = new TransportLog(ctx, options.redactor);
	}

	get provider(): ProviderProfile {
		return this.options.provider;
	}

	get redactor(): Redactor {
		return this.options.redactor;
	}

	private get scope(): ErrorScope {
		return { node: this.ctx.getNode(), provider: this.provider, redactor: this.redactor };
	}

	/** Sends `spec`, returning the response body parsed; errors are `NodeApiError`s. */
	async json<T = unknown>(spec: RequestSpec): Promise<T> {
		return (await this.request<T>(spec)).body;
	}

	/**
	 * Sends `spec` and carries out what the retry policy decides after each attempt. Same-origin
	 * redirects of GET/HEAD are followed here (n8n is told never to follow one), at most
	 * {@link MAX_REDIRECTS} hops, each hop checked like the first URL.
	 */
	async request<T = unknown>(spec: RequestSpec): Promise<HttpResponse<T>> {
		const retry: RetryOptions = { ...this.retry, ...spec.retry };
		if (spec.paging?.problem)
			throw pagingError(
				this.scope,
				spec.paging.problem.message,
				spec.paging.problem.description,
				spec.itemIndex,
			);
		const origin = this.checkedUrl(spec.url, spec);
		if (spec.paging && origin.origin !== spec.paging.origin) {
			throw pagingError(
				this.scope,
				`the next-page link points to ${origin.origin}, outside the API origin ${spec.paging.origin}`,
				'Links handed back by the provider are followed only on the API origin configured in the credential. Nothing was sent there.',
				spec.itemIndex,
			);
		}
		const signal = this.ctx.getExecutionCancelSignal?.();
		const state: AttemptState = {
			attempt: 0,
			waitedMs: 0,
			idempotent: spec.idempotent ?? IDEMPOTENT_METHODS.has(spec.method),
			canRecover: !!spec.recover,
			canRenewToken: true,
		};
		let current: RequestSpec = spec;
		let url = origin;
		let hops = 0;

		for (;;) {
			const fields: LogFields = {
				provider: this.provider.name,
				host: url.host,
				method: spec.method,
			};
			const ticket = await this.paced(url, retry, state, fields, spec.itemIndex, signal);
			state.attempt++;
			state.recovered = false;
			let sent: Sent | undefined;
			try {
				sent = await this.attempt(current, fields);
			} finally {
				// No response to learn from: the request no longer counts as in flight for the limiter.
				if (!sent || 'error' in sent) this.limiterFor(url.host)?.release(ticket);
			}

			let outcome: Outcome;
			let response: (HttpResponse & { invalidJson?: boolean }) | undefined;
			if ('error' in sent) {
				if (isTokenFailure(sent.error))
					outcome = {
						kind: 'token',
						status: sent.error.retryable ? sent.error.statusCode : (sent.error.statusCode ?? 0),
						retryAfterMs: sent.error.retryAfterMs,
					};
				else if (sent.error === TOO_LARGE)
					throw tooLargeError(this.scope, this.maxResponseBytes, spec.itemIndex);
				else outcome = { kind: 'network', code: networkErrorCode(sent.error) };
			} else {
				response = sent.response;
				const status = response.statusCode;
				const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.clock.now());
				if (status === 429) this.stats.status429++;
				this.limiterFor(url.host)?.observe(
					status,
					response.headers,
					retryAfterMs,
					retry.maxTotalWaitMs,
					ticket,
				);
				if ((status >= 200 && status < 300) || spec.acceptStatuses?.includes(status))
					return this.checkedBody(response, current) as HttpResponse<T>;
				if (status >= 300 && status < 400) {
					const next = this.redirectTarget(response, url, current, hops);
					hops++;
					state.attempt--;
					url = next;
					current = { ...current, url: next.href, qs: undefined };
					continue;
				}
				const authFailure =
					!!sent.token && (this.provider.isAuthFailure?.(response) ?? status === 401);
				if (authFailure)
					this.tokens.invalidate(
						(this.options.auth as { cacheKey: string }).cacheKey,
						sent.token!.accessToken,
					);
				outcome = { kind: 'status', status, retryAfterMs, authFailure };
			}

			let decision = decide(outcome, state, retry, this.random);
			if (decision.action === 'recover') {
				// Time spent asking counts against the same "Max Retry Wait" as the waits themselves.
				const started = this.clock.now();
				this.log.debug('asking whether a write landed', {
					...fields,
					status: response?.statusCode,
					attempt: state.attempt,
				});
				const found = await spec.recover!({
					maxAttempts: Math.max(1, retry.maxAttempts - state.attempt),
					maxTotalWaitMs: Math.max(0, retry.maxTotalWaitMs - state.waitedMs),
				});
				state.waitedMs += Math.max(0, this.clock.now() - started);
				if (found) return found as HttpResponse<T>;
				state.recovered = true;
				decision = decide(outcome, state, retry, this.random);
			}
			if (decision.action === 'give-up') {
				this.log.warn('request gave up', {
					...fields,
					status: response?.statusCode,
					attempt: state.attempt,
					reason: decision.reason,
				});
				throw this.giveUpError(
					decision.reason,
					outcome,
					'error' in sent ? sent.error : undefined,
					response,
					url,
					state,
					retry,
					spec.itemIndex,
				);
			}
			if (decision.action === 'resend') {
				if (decision.renewToken) {
					state.canRenewToken = false;
					this.stats.authRetries++;
					this.log.debug('access token refused: renewing it and resending once', {
						...fields,
						status: response?.statusCode,
						attempt: state.attempt,
					});
					continue;
				}
				this.stats.retries++;
				state.waitedMs += decision.waitMs;
				this.log.debug(
					decision.waitSource === 'retry-after'
						? 'retrying after the Retry-After wait'
						: 'retrying after a backoff wait',
					{
						...fields,
						status: response?.statusCode ?? (outcome.kind === 'token' ? outcome.status : undefined),
						attempt: state.attempt,
						waitMs: decision.waitMs,
						reason:
							outcome.kind === 'network'
								? outcome.code
								: outcome.kind === 'token'
									? 'token endpoint'
									: undefined,
					},
				);
				if (decision.waitMs > 0) await this.clock.sleep(decision.waitMs, signal);
			}
		}
	}

	/**
	 * Waits for the rate limiter of this host; a wait the server imposed past "Max Retry Wait" fails
	 * at once. The ticket names the request to the limiter until its response is observed.
	 */
	private async paced(
		url: URL,
		retry: RetryOptions,
		state: AttemptState,
		fields: LogFields,
		itemIndex: number | undefined,
		signal: AbortSignal | undefined,
	): Promise<number | undefined> {
		const limiter = this.limiterFor(url.host);
		if (!limiter) return undefined;
		const before = limiter.waits;
		const result = await limiter.acquire({
			maxWaitMs: Math.max(0, retry.maxTotalWaitMs - state.waitedMs),
			signal,
		});
		if (!result.ok) {
			this.log.warn('request gave up: rate-limit wait too long', {
				...fields,
				attempt: state.attempt,
				waitMs: result.waitMs,
			});
			throw waitTooLongError(this.scope, url.host, result.waitMs, retry.maxTotalWaitMs, itemIndex);
		}
		if (limiter.waits > before) {
			this.stats.rateLimitWaits++;
			this.log.debug('rate-limit pause', {
				...fields,
				attempt: state.attempt + 1,
				waitMs: result.waitedMs,
			});
		}
		return result.ticket;
	}

	/** One attempt: token, then send. Failures come back as values for the retry policy to judge. */
	private async attempt(spec: RequestSpec, fields: LogFields): Promise<Sent> {
		const got = spec.anonymous
			? undefined
			: await currentToken(this.ctx, this.options.auth, {
					redactor: this.redactor,
					tokens: this.tokens,
					http: this.tokenHttp(fields),
					onRequest: () => this.stats.tokenRequests++,
				});
		if (isTokenFailure(got)) return { error: got };
		const token: AccessToken | undefined = got;
		try {
			const response = await this.send(spec, token);
			return response === TOO_LARGE ? { error: TOO_LARGE, token } : { response, token };
		} catch (error) {
			return { error, token };
		}
	}

	/** The URL, if it may carry this credential: https (or a lab/loopback host), no metadata address, inside Allowed Domains. */
	private checkedUrl(raw: string, spec: Pick<RequestSpec, 'anonymous'>): URL {
		const url = assertSecureUrl(raw, this.ctx.getNode(), this.options.allowInsecureHttp);
		if (!spec.anonymous) {
			const allowed = this.allowedDomains();
			if (allowed && !domainAllowed(url.href, allowed))
				throw domainError(this.ctx.getNode(), url, allowed);
		}
		return url;
	}

	/**
	 * Where a 3xx may lead: only a GET/HEAD, only on the same origin (scheme, host, port) unless the
	 * request carries no credentials, at most {@link MAX_REDIRECTS} hops. Anything else is an error:
	 * never a success (a DELETE answered 303 did not delete anything).
	 */
	private redirectTarget(response: HttpResponse, url: URL, spec: RequestSpec, hops: number): URL {
		const scope = this.scope;
		if (spec.method !== 'GET' && spec.method !== 'HEAD') {
			throw redirectError(
				scope,
				response,
				url,
				spec.itemIndex,
				`A ${spec.method} request is never redirected: it was not sent on.`,
			);
		}
		const to = locationOf(response, url);
		if (!to)
			throw redirectError(
				scope,
				response,
				url,
				spec.itemIndex,
				'The redirect names no usable address.',
			);
		if (to.origin !== url.origin && !spec.anonymous) {
			throw redirectError(
				scope,
				response,
				url,
				spec.itemIndex,
				'A request with credentials is not sent on to another origin.',
			);
		}
		if (hops >= MAX_REDIRECTS)
			throw redirectError(
				scope,
				response,
				url,
				spec.itemIndex,
				`More than ${MAX_REDIRECTS} redirects in a row.`,
			);
		return this.checkedUrl(to.href, spec);
	}

	/** A 2xx body the caller can use: JSON of the documented shape, not a web page, not an error envelope. */
	private checkedBody(
		response: HttpResponse & { invalidJson?: boolean },
		spec: RequestSpec,
	): HttpResponse {
		const { invalidJson, ...clean } = response;
		if (response.statusCode < 200 || response.statusCode >= 300) return clean;
		if (isWebPage(response, spec)) throw webPageError(this.scope, response, spec.itemIndex);
		const expect = expectedBody(spec, response.statusCode);
		if (expect === 'none') return clean;
		const problem = invalidJson ? 'is not valid JSON' : bodyProblem(response.body, expect);
		if (problem) {
			// The provider may recognise what came back (Moodle knows its XML and login pages).
			const own = this.provider.parseError(response);
			// Its words stand as they are (as for a web page): they already say what went wrong.
			if (own.message && !/[<>]/.test(own.message))
				throw envelopeError(this.scope, response, own, spec.itemIndex, spec.operation);
			throw unexpectedBodyError(
				this.scope,
				{
					...response,
					body: typeof response.body === 'string' ? response.body.slice(0, 200) : response.body,
				},
				problem,
				spec.itemIndex,
				this.operationName(spec),
			);
		}
		const envelope = (this.provider.errorEnvelope ?? defaultErrorEnvelope)(response);
		if (envelope)
			throw envelopeError(this.scope, response, envelope, spec.itemIndex, this.operationName(spec));
		return clean;
	}

	/** `spec.operation`, else the node's resource and operation as the workflow names them ("user getAll"). */
	private operationName(spec: RequestSpec): string | undefined {
		if (spec.operation) return spec.operation;
		const parameters = this.ctx.getNode().parameters ?? {};
		const words = [parameters.resource, parameters.operation].filter(
			(w): w is string => typeof w === 'string' && /^[\w.-]{1,60}$/.test(w),
		);
		return words.length ? words.join(' ') : undefined;
	}

	private giveUpError(
		reason: GiveUpReason,
		outcome: Outcome,
		error: unknown,
		response: HttpResponse | undefined,
		url: URL,
		state: AttemptState,
		retry: RetryOptions,
		itemIndex?: number,
	): Error {
		const scope = this.scope;
		if (outcome.kind === 'token')
			return tokenError(this.ctx, this.provider, this.redactor, error as TokenFailure, itemIndex);
		if (outcome.kind === 'network') {
			if (reason === 'not-retryable' || !outcome.code)
				return unexpectedError(scope, error, itemIndex);
			const note =
				reason === 'may-have-landed'
					? 'The request may have reached the provider, so it was not sent again (it carries no idempotency key).'
					: `Gave up after ${state.attempt} attempts${reason === 'wait-budget' ? ` and ${Math.round(state.waitedMs / 1000)} s of waiting ("Max Retry Wait")` : ''}. Check the base URL in the credential and the network between n8n and ${url.host}.`;
			return networkError(scope, outcome.code, url.host, itemIndex, note);
		}
		if (reason === 'auth') return authError(scope, response!, itemIndex);
		if (reason === 'may-have-landed')
			return statusError(
				scope,
				response!,
				itemIndex,
				'Not sent again: the provider may have processed it and the request carries no idempotency key.',
			);
		if (reason === 'retry-after-too-long') {
			return statusError(
				scope,
				response!,
				itemIndex,
				`The provider asked to wait ${Math.ceil((outcome.retryAfterMs ?? 0) / 1000)} s, more than is left of "Max Retry Wait" (${Math.round(retry.maxTotalWaitMs / 1000)} s).`,
			);
		}
		return statusError(scope, response!, itemIndex);
	}

	/**
	 * The HTTP function handed to token fetchers: never redirected, checked like every other request
	 * (https, no metadata address, the credential's Allowed Domains, also passed on to n8n), logged.
	 */
	tokenHttp(fields?: LogFields): HttpRequestFn {
		return async (options) => {
			const target = String(options.url ?? '');
			const url = this.checkedUrl(target, {});
			const allowed = this.allowedDomains();
			const request = noRedirects(options);
			if (allowed) request.allowedDomains = allowed;
			const signal = this.ctx.getExecutionCancelSignal?.();
			if (signal)
				request.abortSignal = request.abortSignal
					? AbortSignal.any([signal, request.abortSignal as AbortSignal])
					: signal;
			const response: unknown = await this.ctx.helpers.httpRequest(request);
			const status = (response as { statusCode?: unknown } | undefined)?.statusCode;
			this.log.debug('token request', {
				provider: this.provider.name,
				host: url.host,
				method: String(options.method ?? 'GET'),
				status: typeof status === 'number' ? status : undefined,
				reason: fields ? `for ${fields.method} ${fields.host}` : undefined,
			});
			return response;
		};
	}

	private limiterFor(host: string): RateLimiter | null {
		let limiter = this.limiters.get(host);
		if (limiter !== undefined) return limiter;
		const settings =
			this.options.rateLimit === false
				? undefined
				: (this.options.rateLimit ?? this.provider.rateLimit);
		// Even without a published rate, a limiter learns from Retry-After and X-Rate-Limit-* headers.
		limiter = rateLimiterFor(`${this.options.clientKey}|${host}`, settings ?? {}, this.clock);
		this.limiters.set(host, limiter);
		return limiter;
	}

	/**
	 * The credential's Allowed Domains, as the admin wrote them. n8n widens the list with the host
	 * passed as `nodeEndpointUrl`; none is passed, because every URL here can come from a credential
	 * field or a provider's response, and the admin's list must restrict all of them.
	 */
	private allowedDomains(): string | undefined {
		// The credential and the node are fixed for the client's life: resolved once, not per request.
		if (this.allowed === undefined) {
			// Present from n8n 2.1; older n8n versions have no domain restriction to honour.
			const resolve = (n8nWorkflow as Partial<typeof n8nWorkflow>).getCredentialAllowedDomains;
			this.allowed = {
				value: resolve?.({
					node: this.ctx.getNode(),
					credentialData: this.options.credentials,
					credentialOwnedSurface: true,
				}),
			};
		}
		return this.allowed.value;
	}

	private get maxResponseBytes(): number {
		return this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
	}

	private async send(
		spec: RequestSpec,
		token: AccessToken | undefined,
	): Promise<(HttpResponse & { invalidJson?: boolean }) | typeof TOO_LARGE> {
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
			// Redirects are judged by request() itself: n8n would turn a 303 into a GET, and only
			// strips headers on another origin (a body, Moodle's wstoken, a query would go along).
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			arrayFormat: 'repeat',
		};
		if (spec.body !== undefined) {
			if (spec.form) {
				headers['Content-Type'] = 'application/x-www-form-urlencoded';
				options.body = new URLSearchParams(spec.body as Record<string, string>).toString();
			} else options.body = spec.body as IHttpRequestOptions['body'];
		}
		if (!spec.anonymous) {
			const allowed = this.allowedDomains();
			if (allowed) options.allowedDomains = allowed;
			if (token) headers.Authorization = `Bearer ${token.accessToken}`;
			else if (this.options.auth.kind === 'static') this.options.auth.apply(options);
		}
		const signal = this.ctx.getExecutionCancelSignal?.();
		if (signal) options.abortSignal = signal;

		this.stats.requests++;
		const raw = (await this.ctx.helpers.httpRequest(options)) as {
			statusCode: number;
			headers: HttpResponse['headers'];
			body: unknown;
		};
		const contentType = String(raw.headers?.['content-type'] ?? '');
		if (!isStream(raw.body))
			return { statusCode: raw.statusCode, headers: raw.headers ?? {}, body: raw.body };
		const bytes = await readStream(raw.body, this.maxResponseBytes);
		if (!bytes) return TOO_LARGE;
		const decoded = decodeBody(bytes, contentType, spec.responseType);
		return {
			statusCode: raw.statusCode,
			headers: raw.headers ?? {},
			body: decoded.body,
			invalidJson: decoded.invalidJson,
		};
	}
}
