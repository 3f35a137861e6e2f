import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { clipText } from './redact';
import type { Redactor } from './redact';
import type { HttpResponse } from './types';

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
		if (text !== undefined && text.length > MAX_BODY_IN_ERROR) return clipText(text, MAX_BODY_IN_ERROR, redactor);
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
	const description = redactor.text([input.description, hint].filter(Boolean).join(' ') || '') || undefined;
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
export function inputError(node: INode, message: string, options: { itemIndex?: number; description?: string } = {}) {
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
		if (typeof e.code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(e.code) && e.code !== 'ERR_BAD_REQUEST') return e.code;
		current = e.cause;
	}
	return undefined;
}
