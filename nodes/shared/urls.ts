import type { INode } from 'n8n-workflow';

import { inputError } from './errors';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export const isLoopbackHost = (hostname: string) => LOOPBACK.test(hostname);

/**
 * Credentials only travel over TLS. Plain `http://` is accepted for loopback hosts (the sandbox,
 * a local proxy) and, when the credential's lab option is on, for any host.
 */
export function assertSecureUrl(url: string, node: INode, allowInsecureHttp = false): URL {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw inputError(node, `"${url}" is not a valid URL`, { description: 'Check the base URL in the credential.' });
	}
	if (parsed.protocol === 'https:') return parsed;
	if (parsed.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(parsed.hostname))) return parsed;
	throw inputError(node, `Refusing to send credentials over ${parsed.protocol}//${parsed.host}`, {
		description: 'Use an https:// URL in the credential. For a lab or test host, turn on "Allow Insecure HTTP" in the credential.',
	});
}

/** Base URL + path, without doubled or missing slashes. */
export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** One URL path segment from a user value: encoded, and never `.`/`..` or empty. */
export function segment(value: unknown, field = 'value'): string {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!text) throw new PathSegmentError(field, 'must not be empty');
	if (text === '.' || text === '..') throw new PathSegmentError(field, 'must not be "." or ".."');
	return encodeURIComponent(text);
}

export class PathSegmentError extends Error {
	constructor(
		readonly field: string,
		reason: string,
	) {
		super(`"${field}" ${reason}`);
	}
}

/**
 * Tagged template for API paths: every interpolated value becomes one encoded path segment, so an
 * ID such as `a/../b?x=1` can never change which route is called.
 *   apiPath`/users/${userId}/completions`
 */
export function apiPath(strings: TemplateStringsArray, ...values: unknown[]): string {
	return strings.reduce((out, part, i) => out + part + (i < values.length ? segment(values[i], `path value ${i + 1}`) : ''), '');
}

/**
 * Fills `{name}` placeholders with encoded segments; an invalid value is reported by its name.
 *   buildPath('/organizations/{orgId}/users/{userId}', { orgId, userId })
 */
export function buildPath(template: string, values: Record<string, unknown>): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		if (!(name in values)) throw new Error(`buildPath: no value for {${name}} in ${template}`);
		return segment(values[name], name);
	});
}
