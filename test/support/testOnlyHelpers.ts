/**
 * Helpers only the tests need. They used to be exported from shipped code (nodes/), which must
 * carry nothing the nodes themselves do not use.
 */
import { createHmac } from 'node:crypto';

import { Redactor } from '../../nodes/shared/redact';

/** `sha256=<hex>` for `rawBody`: HMAC-SHA256 with the subscription's secret, as Thrive signs a webhook. */
export function signThriveBody(rawBody: Buffer | string, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Moodle form pairs as a form body string (`application/x-www-form-urlencoded`). */
export function toFormBody(pairs: Array<[string, string]>): string {
	return new URLSearchParams(pairs).toString();
}

/** Pattern-only redaction (no specific secret known). */
export const redactText = (value: string): string => new Redactor().text(value);
