import * as n8nWorkflow from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { inputError } from './errors';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export const isLoopbackHost = (hostname: string) => LOOPBACK.test(hostname);

const METADATA_NAMES = new Set([
	'metadata.google.internal',
	'metadata.goog',
	'metadata',
	'instance-data',
	'instance-data.ec2.internal',
]);

/** Dotted IPv4 from an IPv4-mapped/compatible IPv6 literal as the URL parser writes it (`::ffff:a9fe:a9fe`). */
function mappedIpv4(host: string): string | undefined {
	const m =
		/^(?:0{0,4}:){0,5}(?:ffff:)?(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(
			host.replace(/^::/, ''),
		);
	if (!m || !/^::/.test(host)) return undefined;
	if (m[1]) return m[1];
	const hi = parseInt(m[2], 16);
	const lo = parseInt(m[3], 16);
	return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * Link-local and cloud metadata addresses: 169.254.0.0/16, fe80::/10, AWS's fd00:ec2::254, Alibaba's
 * 100.100.100.200, metadata.google.internal. `hostname` comes from WHATWG `URL`, which already writes
 * decimal, hex and octal IPv4 spellings (`2852039166`, `0xa9fea9fe`) as dotted quads.
 */
export function isMetadataHost(hostname: string): boolean {
	const host = hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (METADATA_NAMES.has(host)) return true;
	const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(host)
		? host
		: host.includes(':')
			? mappedIpv4(host)
			: undefined;
	if (v4) return v4.startsWith('169.254.') || v4 === '100.100.100.200';
	if (!host.includes(':')) return false;
	if (/^fe[89ab][0-9a-f]?:/.test(host)) return true;
	return /^fd00:0{0,4}:?ec2:/.test(host) || /^fd00:ec2::254$/.test(host);
}

/**
 * Credentials only travel over TLS. Plain `http://` is accepted for loopback hosts (the sandbox,
 * a local proxy) and, when the credential's lab option is on, for any host.
 */
export function assertSecureUrl(url: string, node: INode, allowInsecureHttp = false): URL {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw inputError(node, `"${url}" is not a valid URL`, {
			description: 'Check the base URL in the credential.',
		});
	}
	if (!allowInsecureHttp && isMetadataHost(parsed.hostname)) {
		throw inputError(
			node,
			`Refusing to send credentials to ${parsed.host}: a link-local or cloud metadata address`,
			{
				description:
					'Such addresses answer with the server\'s own cloud credentials. Check the base URL in the credential; for a lab host on such an address, turn on "Allow Insecure HTTP" in the credential.',
			},
		);
	}
	if (parsed.protocol === 'https:') return parsed;
	if (parsed.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(parsed.hostname)))
		return parsed;
	throw inputError(node, `Refusing to send credentials over ${parsed.protocol}//${parsed.host}`, {
		description:
			'Use an https:// URL in the credential. For a lab or test host, turn on "Allow Insecure HTTP" in the credential.',
	});
}

/**
 * Is the URL's host in the credential's Allowed Domains? n8n's own matcher where present (exact
 * host, or `*.example.com` for subdomains only), so the package and n8n never disagree.
 */
export function domainAllowed(url: string, allowedDomains: string): boolean {
	const n8nMatch = (n8nWorkflow as Partial<typeof n8nWorkflow>).isDomainAllowed;
	if (n8nMatch) return n8nMatch({ url, allowedDomains });
	const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
	return allowedDomains
		.split(',')
		.map((d) => d.trim().toLowerCase().replace(/\.$/, ''))
		.filter(Boolean)
		.some((d) => (d.startsWith('*.') ? d.length > 2 && host.endsWith(d.slice(1)) : host === d));
}

export function domainError(node: INode, url: URL, allowedDomains: string) {
	return inputError(
		node,
		`Domain not allowed: this credential is restricted from accessing ${url.host}`,
		{
			description: `The credential's Allowed Domains are: ${allowedDomains}. Nothing was sent. Add the host to the credential's Allowed Domains, or check the base URL.`,
		},
	);
}

/** Base URL + path, without doubled or missing slashes. */
export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** One URL path segment from a user value: encoded, and never `.`/`..` or empty. */
export function segment(value: unknown, field = 'value'): string {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
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
	return strings.reduce(
		(out, part, i) =>
			out + part + (i < values.length ? segment(values[i], `path value ${i + 1}`) : ''),
		'',
	);
}

/** Percent-decoding, once; undefined when the text holds a broken escape. */
function decodeOnce(text: string): string | undefined {
	try {
		return decodeURIComponent(text);
	} catch {
		return undefined;
	}
}

/**
 * Why a path typed by a user (the advanced path overrides for unconfirmed routes) cannot be used,
 * or undefined when it can. It is judged after percent-decoding (repeatedly: `%252e` is `%2e` to a
 * server that decodes twice) and after `\` is read as `/` (as some servers do): it must stay a
 * path on the configured host, so no dot segments, no empty segments, no query or fragment, no
 * scheme or host, no encoded slash or backslash, no control characters.
 */
export function pathProblem(path: string): string | undefined {
	if (!path.startsWith('/')) return 'must start with /';
	let text = path;
	for (let round = 0; round < 4; round++) {
		if (/%(2f|5c)/i.test(text)) return 'must not contain an encoded / or \\';
		const next = decodeOnce(text);
		if (next === undefined) return 'contains an invalid %-escape';
		if (next === text) break;
		text = next;
	}
	if (/%[0-9a-f]{2}/i.test(text)) return 'is encoded too many times';
	if ([...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
		return 'must not contain control characters';
	if (text.includes('\\')) return 'must not contain a backslash';
	if (/[?#]/.test(text)) return 'must not contain a query (?) or a fragment (#)';
	if (text.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(text.slice(1)))
		return 'must be a path only, without a scheme or host';
	const segments = text.slice(1).split('/');
	if (segments.some((s, i) => s === '' && i < segments.length - 1))
		return 'must not contain an empty segment (//)';
	// `..;x` is `..` to servlet containers (path parameters), `.. ` to some trimming proxies.
	if (segments.some((s) => /^\s*\.+\s*(;.*)?$/.test(s))) return 'must not contain . or .. segments';
	return undefined;
}

/** Paths already found safe: the same few API paths are checked for every request (bounded). */
const safePaths = new Set<string>();

/** The shared check for every path override: the path as given, or an error naming the field. */
export function safePath(path: string, field = 'Path'): string {
	if (safePaths.has(path)) return path;
	const problem = pathProblem(path);
	if (problem) throw new PathSegmentError(field, `${problem} (got "${path.slice(0, 80)}")`);
	if (safePaths.size < 1000) safePaths.add(path);
	return path;
}

/**
 * Fills `{name}` placeholders with encoded segments; an invalid value is reported by its name.
 * The template itself passes {@link safePath}: templates may come from a user's path override.
 *   buildPath('/organizations/{orgId}/users/{userId}', { orgId, userId })
 */
export function buildPath(template: string, values: Record<string, unknown>): string {
	safePath(template, 'path template');
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		if (!(name in values)) throw new Error(`buildPath: no value for {${name}} in ${template}`);
		return segment(values[name], name);
	});
}
