import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { clipText } from './redact';
import type { Redactor } from './redact';
import type { HttpResponse, ProviderProfile } from './types';

const STATUS_HINTS: Record<number, string> = {
	400: 'The provider rejected the request as invalid. Check the fields of this item.',
	401: 'The provider did not accept the credentials. Check the credential and press its Test button.',
	403: 'The credential is valid but lacks permission (scope) for this operation.',
	404: 'Nothing was found at this path. Check the IDs used by this item.',
	409: 'The record already exists (conflict).',
	422: 'The provider could not process the fields of this item.',
	429: 'The provider kept rate-limiting the requests; the retry budget ran out. Lower the concurrency or raise "Max Retry Wait".',
};

const MAX_BODY_IN_ERROR = 4_000;

/** The body for an error: redacted first, then cut (a secret straddling the cut leaves nothing). */
function truncate(value: unknown, redactor: Redactor): unknown {
	if (typeof value === 'string') return clipText(value, MAX_BODY_IN_ERROR, redactor);
	if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
	try {
		const clean = redactor.value(value);
		const text = JSON.stringify(clean);
		if (text !== undefined && text.length > MAX_BODY_IN_ERROR)
			return clipText(text, MAX_BODY_IN_ERROR, redactor);
		return clean;
	} catch {
		return clipText(String(value), MAX_BODY_IN_ERROR, redactor);
	}
}

export interface ApiErrorInput {
	node: INode;
	provider: string;
	redactor: Redactor;
	response?: HttpResponse;
	message?: string;
	description?: string;
	itemIndex?: number;
	code?: string;
}

/** A provider error as n8n shows it: the provider's own message, the HTTP status, the item, a hint. */
export function apiError(input: ApiErrorInput): NodeApiError {
	const { node, provider, redactor, response, itemIndex } = input;
	const status = response?.statusCode;
	const message = redactor.text(
		`${provider}: ${input.message ?? (status ? `request failed with HTTP ${status}` : 'request failed')}`,
	);
	const hint = status ? STATUS_HINTS[status] : undefined;
	const description =
		redactor.text([input.description, hint].filter(Boolean).join(' ') || '') || undefined;
	const errorResponse: JsonObject = redactor.value({
		message,
		...(description ? { description } : {}),
		...(status ? { httpCode: String(status) } : {}),
		// Not `code`/`errorCode`: NodeApiError would take it for the status and swap our message for a generic one.
		...(input.code ? { connectionError: input.code } : {}),
		...(response ? { body: truncate(response.body, redactor) as JsonObject } : {}),
	});
	const error = new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: status ? String(status) : undefined,
		itemIndex,
	});
	// NodeApiError fills context from the response; keep only the redacted copy.
	error.context = redactor.value(error.context);
	return error;
}

/** Bad input or configuration: names the item and the field, sends nothing. */
export function inputError(
	node: INode,
	message: string,
	options: { itemIndex?: number; description?: string } = {},
) {
	const prefix = options.itemIndex === undefined ? '' : `Item ${options.itemIndex}: `;
	return new NodeOperationError(node, `${prefix}${message}`, {
		itemIndex: options.itemIndex,
		description: options.description,
	});
}

/** The failure a connection-level error represents, with its Node/undici error code. */
export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const e = current as { code?: unknown; cause?: unknown; errno?: unknown };
		if (
			typeof e.code === 'string' &&
			/^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(e.code) &&
			e.code !== 'ERR_BAD_REQUEST'
		)
			return e.code;
		current = e.cause;
	}
	return undefined;
}

/** What every transport error names: the node, the provider, the credential; and what it hides. */
export interface ErrorScope {
	node: INode;
	provider: ProviderProfile;
	redactor: Redactor;
}

const credentialName = (scope: ErrorScope) =>
	scope.node.credentials?.[scope.provider.credentialType]?.name ?? scope.provider.credentialType;

const base = (scope: ErrorScope, itemIndex: number | undefined) => ({
	node: scope.node,
	provider: scope.provider.name,
	redactor: scope.redactor,
	itemIndex,
});

/** A non-2xx answer, in the provider's own words. */
export function statusError(
	scope: ErrorScope,
	response: HttpResponse,
	itemIndex?: number,
	note?: string,
): NodeApiError {
	const parsed = scope.provider.parseError(response);
	return apiError({
		...base(scope, itemIndex),
		response,
		message: parsed.message,
		description: [parsed.description, note].filter(Boolean).join(' ') || undefined,
		code: parsed.code,
	});
}

/**
 * A web page where the API's JSON was expected. The provider's parser may recognise the page
 * (Moodle says what a Moodle URL looks like); its words are used unless they are the page itself.
 */
export function webPageError(
	scope: ErrorScope,
	response: HttpResponse,
	itemIndex?: number,
): NodeApiError {
	const parsed = scope.provider.parseError(response);
	const own = parsed.message && !/[<>]/.test(parsed.message) ? parsed.message : undefined;
	return apiError({
		...base(scope, itemIndex),
		response: { ...response, body: '[web page omitted]' },
		message:
			own ?? `the URL answered a web page (HTTP ${response.statusCode}, HTML) instead of the API`,
		description:
			(own ? parsed.description : undefined) ??
			'Check the base URL in the credential: it points to a web site, a sign-on page or a proxy, not to the API.',
	});
}

/** The absolute target of a redirect, if it names one. */
export function locationOf(response: HttpResponse, from: URL): URL | undefined {
	const raw = response.headers.location;
	const location = Array.isArray(raw) ? raw[0] : raw;
	if (!location || !URL.canParse(location, from.href)) return undefined;
	return new URL(location, from);
}

export function redirectError(
	scope: ErrorScope,
	response: HttpResponse,
	url: URL,
	itemIndex?: number,
	why?: string,
): NodeApiError {
	const to = locationOf(response, url);
	const target = to ? `${to.protocol}//${to.host}${to.pathname}` : 'another address';
	return apiError({
		...base(scope, itemIndex),
		message: `the request was redirected (HTTP ${response.statusCode}) to ${target}`,
		description: `${why ?? 'A request that carries data or credentials is not sent on to another address.'} Nothing was done by this redirect. Check the base URL in the credential (https, host, path).`,
	});
}

export function authError(
	scope: ErrorScope,
	response: HttpResponse,
	itemIndex?: number,
): NodeApiError {
	const credential = credentialName(scope);
	const parsed = scope.provider.parseError(response);
	return apiError({
		...base(scope, itemIndex),
		response,
		message: `the credential "${credential}" was refused twice (HTTP ${response.statusCode}), once with a brand-new access token`,
		description: `${parsed.message ? `${scope.provider.name} said: ${parsed.message}. ` : ''}Check the client ID, secret, scopes and environment of the credential "${credential}", then press its Test button.`,
	});
}

export function networkError(
	scope: ErrorScope,
	code: string,
	host: string,
	itemIndex: number | undefined,
	note: string,
): NodeApiError {
	return apiError({
		...base(scope, itemIndex),
		code,
		// The code goes in the description: n8n replaces a message that contains one with a
		// generic sentence that would lose the provider and host.
		message: `the connection to ${host} failed`,
		description: `${code}. ${note}`,
	});
}

/** Anything else a send can throw. n8n's own errors (a blocked domain, an aborted execution) already say what happened. */
export function unexpectedError(scope: ErrorScope, error: unknown, itemIndex?: number): Error {
	if (error instanceof Error && 'node' in error) return error;
	return apiError({
		...base(scope, itemIndex),
		message: (error as Error)?.message ?? String(error),
	});
}

export function tooLargeError(scope: ErrorScope, limit: number, itemIndex?: number): NodeApiError {
	return apiError({
		...base(scope, itemIndex),
		message: `the response is too large (response larger than ${limit} bytes)`,
		description: 'Narrow the request (filters, a smaller page size).',
	});
}

/** A success status whose body is not what the API documents: never handed on as data. */
export function unexpectedBodyError(
	scope: ErrorScope,
	response: HttpResponse,
	what: string,
	itemIndex?: number,
	operation?: string,
): NodeApiError {
	return apiError({
		...base(scope, itemIndex),
		response,
		message: `${operation ? `${operation}: ` : ''}the response (HTTP ${response.statusCode}) ${what}`,
		description:
			'The provider answered success but not with what its API documents, so nothing was taken from it. Check the base URL in the credential; if it is right, the provider may be having trouble: try again later.',
	});
}

/** A 2xx that carries the provider's error envelope (`{"error": …}`, `{"errors": […]}`, `{"exception": …}`). */
export function envelopeError(
	scope: ErrorScope,
	response: HttpResponse,
	parsed: { message?: string; description?: string; code?: string },
	itemIndex?: number,
	operation?: string,
): NodeApiError {
	return apiError({
		...base(scope, itemIndex),
		response,
		message: `${operation ? `${operation}: ` : ''}${parsed.message ?? `the response (HTTP ${response.statusCode}) carries an error`}`,
		description: [
			parsed.description,
			'The provider answered success with an error in the body, so nothing was taken from it.',
		]
			.filter(Boolean)
			.join(' '),
		code: parsed.code,
	});
}

/** A wait the request would have to make, longer than its "Max Retry Wait". */
export function waitTooLongError(
	scope: ErrorScope,
	host: string,
	waitMs: number,
	maxMs: number,
	itemIndex?: number,
): NodeApiError {
	return apiError({
		...base(scope, itemIndex),
		message: `${host} asked to wait ${Math.ceil(waitMs / 1000)} s before the next request, longer than "Max Retry Wait" (${Math.round(maxMs / 1000)} s)`,
		description:
			'The provider rate-limited this credential (Retry-After or X-Rate-Limit-Remaining: 0). Nothing was sent. Run again later, or raise "Max Retry Wait" in Request Options.',
	});
}

/** Paging that left the API's origin or went in circles: stopped, never followed. */
export function pagingError(
	scope: ErrorScope,
	message: string,
	description: string,
	itemIndex?: number,
): NodeApiError {
	return apiError({ ...base(scope, itemIndex), message, description });
}
