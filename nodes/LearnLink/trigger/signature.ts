import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck =
	| { ok: true }
	| { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'noSecret' };

export const SIGNATURE_HEADER = 'x-hmac-signature';

/**
 * Verifies Thrive's `x-hmac-signature: sha256=<hex>` over the raw request body, exactly as received
 * (never a re-serialised copy: a different key order or spacing would change the bytes).
 * The comparison is constant-time over two 32-byte digests.
 */
export function verifyThriveSignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secret: string,
): SignatureCheck {
	if (typeof secret !== 'string' || secret.trim() === '') return { ok: false, reason: 'noSecret' };
	const value = (Array.isArray(header) ? header[0] : header)?.trim();
	if (!value) return { ok: false, reason: 'missing' };
	// Documented form `sha256=<hex>`; a bare hex digest is tolerated.
	const match = /^(?:sha256=)?([0-9a-f]{64})$/i.exec(value);
	if (!match) return { ok: false, reason: 'malformed' };
	const given = Buffer.from(match[1], 'hex');
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	if (given.length !== expected.length) return { ok: false, reason: 'malformed' };
	return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/**
 * Identity of an event for replay detection: its `id` when it has one, else a hash of the event
 * without `dispatchedAt` (a redelivery of the same event may carry a new dispatch time).
 */
export function eventIdentity(event: Record<string, unknown>): string {
	if (typeof event.id === 'string' && event.id) return `id:${event.id}`;
	const { dispatchedAt: _dispatchedAt, ...rest } = event;
	void _dispatchedAt;
	return `sha256:${createHash('sha256').update(JSON.stringify(rest)).digest('hex')}`;
}
