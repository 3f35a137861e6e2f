import { createHash } from 'node:crypto';

/** The xAPI version this package speaks (the `X-Experience-API-Version` header). */
export const XAPI_VERSION = '1.0.3';

/** An absolute IRI as xAPI requires for verb, activity, type and extension ids: a scheme, then no spaces. */
export const IRI_PATTERN = /^[a-z][a-z0-9+.-]*:\S+$/i;

export const isIri = (value: string): boolean => IRI_PATTERN.test(value);

/**
 * A name-based (RFC 4122 §4.3 version 5, SHA-1) UUID: the same name in the same namespace always
 * gives the same id, so a statement re-sent after any failure is recognised by the LRS instead of
 * stored twice. Each provider keeps its own namespace: ids already sent must never change.
 */
export function uuidV5(name: string, namespace: string): string {
	const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
	const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
	const bytes = Buffer.from(hash.subarray(0, 16));
	bytes[6] = (bytes[6] & 0x0f) | 0x50;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
