import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

/** n8n's `this.helpers.httpRequest`: every byte this package sends goes through it (design.md, decision 1). */
export type HttpRequestFn = (options: IHttpRequestOptions) => Promise<unknown>;

/**
 * The part of n8n's function contexts (execute, hook, webhook, load-options) the transport needs.
 * Kept this narrow so the same transport serves every kind of node and can be driven by tests.
 */
export interface TransportContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(
		type: string,
		itemIndex?: number,
	): Promise<T>;
	helpers: { httpRequest: HttpRequestFn };
	getExecutionCancelSignal?(): AbortSignal | undefined;
	logger?: {
		debug(message: string, meta?: object): void;
		warn(message: string, meta?: object): void;
	};
}

/** A token as every provider's token function returns it. Times are epoch milliseconds. */
export interface AccessToken {
	accessToken: string;
	issuedAt: number;
	expiresAt: number;
}

/**
 * Why no token could be had, in words fit for the user (secrets already redacted). Token functions
 * return it instead of throwing: the transport turns it into a NodeApiError with the node, the
 * credential's `preAuthentication` into the message its Test button shows.
 */
export interface TokenFailure {
	kind: 'tokenFailure';
	message: string;
	description?: string;
	/** The token endpoint's HTTP status, when it answered. */
	statusCode?: number;
	/** The connection error code (ECONNREFUSED …), kept out of the message: n8n replaces messages that name one. */
	code?: string;
	/** Another attempt may succeed (429/502/503/504, a dropped connection, a timeout). */
	retryable: boolean;
	/** From the endpoint's `Retry-After`, in ms. */
	retryAfterMs?: number;
}

export type TokenResult = AccessToken | TokenFailure;

export type TokenFunction = (http: HttpRequestFn) => Promise<TokenResult>;

/** How one API host authenticates requests. */
export type AuthStrategy =
	| {
			kind: 'bearer';
			/** Hash of every field that shapes the token (URL, client id, secret, scope, tenant). */
			cacheKey: string;
			fetchToken: TokenFunction;
			/** A token persisted on the credential by `preAuthentication`, reused while still fresh. */
			seed?: AccessToken;
	  }
	| {
			kind: 'static';
			/** Adds static credentials (Basic, an API token in the query …) to an outgoing request. */
			apply(request: IHttpRequestOptions): void;
	  };

export interface HttpResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
}

/** What a provider tells the transport about itself. Lives in the provider's folder. */
export interface ProviderProfile {
	/** Display name used in messages, e.g. "Degreed". */
	name: string;
	/** The credential type name, e.g. "degreedApi". */
	credentialType: string;
	/** Extracts the provider's own error message from an error response. */
	parseError(response: HttpResponse): { message?: string; description?: string; code?: string };
	/** Decides whether a response means the access token is no longer accepted (default: HTTP 401). */
	isAuthFailure?(response: HttpResponse): boolean;
	/** Client-side rate limit defaults, from the provider's published limits. */
	rateLimit?: RateLimitOptions;
	/**
	 * The provider's error inside a 2xx body (its words), or undefined when the body is data.
	 * Default: `{"error": …}` or `{"errors": [ … ]}` without `data` (responseShape.defaultErrorEnvelope).
	 */
	errorEnvelope?(
		response: HttpResponse,
	): { message?: string; description?: string; code?: string } | undefined;
}

/**
 * What a 2xx body must be: an object, an array, either of them (`json`), any JSON value or nothing
 * (`any`), or not looked at (`none`). Anything else is an error naming the provider and operation.
 */
export type ExpectedBody = 'object' | 'array' | 'json' | 'any' | 'none';

export interface RateLimitOptions {
	/** Sustained rate. 0 or undefined = unlimited (the provider publishes none). */
	requestsPerMinute?: number;
	/** Requests that may go out back to back before pacing starts. */
	burst?: number;
}

export interface RetryOptions {
	/** Attempts in total, the first one included. */
	maxAttempts: number;
	/** Upper bound on the time spent waiting between attempts of one request, in ms. */
	maxTotalWaitMs: number;
	/** First backoff step in ms (full jitter: the wait is random in [0, base·2^n], capped). */
	baseDelayMs: number;
	/** Largest single backoff wait in ms. */
	maxDelayMs: number;
}

export interface RequestSpec {
	method: IHttpRequestMethods;
	/** Absolute URL; build it with `joinUrl`/`apiPath` so path segments are encoded. */
	url: string;
	qs?: IDataObject;
	body?: unknown;
	headers?: IDataObject;
	/** Form-encode the body instead of sending JSON. */
	form?: boolean;
	/**
	 * May this request be sent again after an ambiguous failure (a 5xx or a connection dropped
	 * mid-request)? Defaults to true for GET/HEAD/PUT/DELETE/OPTIONS and false for POST/PATCH.
	 * Set it for writes that carry an idempotency key.
	 */
	idempotent?: boolean;
	/**
	 * For a non-idempotent write after an ambiguous failure: checks whether the write landed.
	 * Returns the stored record (the write is then a success) or undefined (safe to resend).
	 */
	recover?: (budget: Partial<RetryOptions>) => Promise<HttpResponse | undefined>;
	/** Statuses handed back to the caller instead of raising an error (e.g. 404 for "exists?", 409). */
	acceptStatuses?: number[];
	/** Item the request works for, carried into errors. */
	itemIndex?: number;
	/** Response body handling: parsed JSON (default), text, or raw bytes. */
	responseType?: 'json' | 'text' | 'buffer';
	timeoutMs?: number;
	/** Do not attach credentials (public routes, cross-origin follow-ups). */
	anonymous?: boolean;
	/**
	 * What the 2xx body must be (see {@link ExpectedBody}). Default for JSON: `json` (object or
	 * array) for GET, `any` for writes; 204/205 and HEAD are never looked at.
	 */
	expect?: ExpectedBody;
	/** The operation, named in errors about the response (e.g. "Get Many Users"). */
	operation?: string;
	/**
	 * This request's share of a larger budget: `recover()` receives what is left of the failed
	 * request's attempts and "Max Retry Wait"; pass it on to the requests it makes.
	 */
	retry?: Partial<RetryOptions>;
	/**
	 * Set by `paginate` on follow-up pages: the request must stay on `origin` (the first page's), and
	 * a `problem` (a loop, a page cap) is thrown as this provider's error, nothing sent.
	 */
	paging?: { origin: string; problem?: PagingProblem };
}

export interface PagingProblem {
	message: string;
	description: string;
}

export interface TransportStats {
	requests: number;
	retries: number;
	tokenRequests: number;
	rateLimitWaits: number;
	status429: number;
	authRetries: number;
}

export type { ICredentialDataDecryptedObject };
