import { createHash, timingSafeEqual } from 'node:crypto';

import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * The guards both webhook triggers run before a delivery may start a workflow. Each one fails
 * closed: a missing secret, an unreadable limit or a body that cannot be read is a refusal, never
 * "no check".
 */

/** Default and ceiling of a trigger's "Max Body Size (KB)" option. */
export const DEFAULT_MAX_BODY_KB = 1024;
export const MAX_BODY_KB_CEILING = 64 * 1024;

/**
 * The body limit in bytes. A value that is not a positive finite number (text, NaN, negative, 0,
 * Infinity) means the default: an option typed wrongly must never turn the limit off.
 */
export function maxBodyBytes(options: IDataObject): number {
	const raw = options.maxBodyKb;
	const kb =
		typeof raw === 'number' || (typeof raw === 'string' && raw.trim() !== '') ? Number(raw) : NaN;
	const usable =
		Number.isFinite(kb) && kb > 0 ? Math.min(kb, MAX_BODY_KB_CEILING) : DEFAULT_MAX_BODY_KB;
	return Math.ceil(usable * 1024);
}

/** A secret or user name that is missing or only whitespace: the trigger must refuse every delivery. */
export function isBlank(value: unknown): boolean {
	return typeof value !== 'string' || value.trim() === '';
}

/** Constant-time comparison of two strings (hashed first, so lengths do not leak either). */
export function safeEqual(a: string, b: string): boolean {
	const ha = createHash('sha256').update(a, 'utf8').digest();
	const hb = createHash('sha256').update(b, 'utf8').digest();
	return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** Answers a refused delivery; no workflow starts. The message never carries a secret. */
export function refuse(
	ctx: IWebhookFunctions,
	status: number,
	message: string,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	const res = ctx.getResponseObject();
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	res.status(status).json({ message });
	return { noWebhookResponse: true };
}

/** Acknowledges a delivery that is accepted but starts nothing (filtered out by the trigger's options). */
export function acknowledge(ctx: IWebhookFunctions, message: string): IWebhookResponseData {
	ctx.getResponseObject().status(200).json({ message });
	return { noWebhookResponse: true };
}

export type RawBody = { ok: true; raw: Buffer } | { ok: false; status: number; message: string };

/**
 * The delivery's bytes as received, bounded by `maxBytes` (declared length first, so an oversize
 * body is refused before any work). `parsedFallback` re-serialises n8n's parsed body when the raw
 * bytes are absent — only for a trigger whose check does not depend on the exact bytes.
 */
export function readRawBody(
	ctx: IWebhookFunctions,
	maxBytes: number,
	what: string,
	parsedFallback = false,
): RawBody {
	const req = ctx.getRequestObject();
	const tooLarge = {
		ok: false as const,
		status: 413,
		message: `The ${what} is larger than ${maxBytes} bytes`,
	};
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
	const rawBody = (req as unknown as { rawBody?: unknown }).rawBody;
	let raw: Buffer;
	if (Buffer.isBuffer(rawBody)) raw = rawBody;
	else if (parsedFallback) {
		const body = ctx.getBodyData();
		raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? {}), 'utf8');
	} else {
		return {
			ok: false,
			status: 401,
			message: 'Signature cannot be verified: the raw request body is not available',
		};
	}
	if (raw.length > maxBytes) return tooLarge;
	return { ok: true, raw };
}
