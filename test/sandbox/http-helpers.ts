// Small helpers emulators tend to need. Nothing here is required; use what fits.
import type { FastifyRequest } from 'fastify';
export { bearerToken } from './tokens';

/** The media type of a request, lowercase, without parameters: 'application/json'; '' when absent. */
export function mediaType(request: FastifyRequest): string {
	const ct = request.headers['content-type'];
	if (!ct) return '';
	const semi = ct.indexOf(';');
	return (semi === -1 ? ct : ct.slice(0, semi)).trim().toLowerCase();
}

/** True for application/json and application/*+json (JSON:API's application/vnd.api+json...). */
export function isJson(request: FastifyRequest): boolean {
	const t = mediaType(request);
	return t === 'application/json' || (t.startsWith('application/') && t.endsWith('+json'));
}

/** user and password of an `Authorization: Basic ...` header; null when absent or malformed. */
export function basicAuth(
	header: string | string[] | undefined,
): { user: string; password: string } | null {
	if (Array.isArray(header)) header = header[0];
	if (!header) return null;
	const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
	if (!m) return null;
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon === -1) return null;
	return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
