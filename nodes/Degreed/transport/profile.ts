import type { HttpResponse, ProviderProfile } from '../../shared/types';
import { clipText } from '../../shared/redact';

/** Degreed's published limit: 70 requests per minute per API client (a raise to 200 is reported, unconfirmed). */
export const DEGREED_REQUESTS_PER_MINUTE = 70;

interface JsonApiError {
	id?: string;
	code?: string;
	status?: number | string;
	title?: string;
	detail?: string;
	source?: unknown;
}

function bodyObject(body: unknown): Record<string, unknown> | undefined {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	return body && typeof body === 'object' && !Array.isArray(body)
		? (body as Record<string, unknown>)
		: undefined;
}

/**
 * Degreed errors are JSON:API `errors[]` ({ code, status, title, detail, source }); the token host
 * answers OAuth-style `error`/`error_description`. Both are read; the first error's title and
 * detail become the message, the others the description.
 */
export function parseDegreedError(response: HttpResponse): {
	message?: string;
	description?: string;
	code?: string;
} {
	const body = bodyObject(response.body);
	if (!body) {
		const text = typeof response.body === 'string' ? response.body.trim() : '';
		return text ? { message: clipText(text, 300) } : {};
	}
	if (Array.isArray(body.errors) && body.errors.length) {
		const errors = body.errors as JsonApiError[];
		const describe = (e: JsonApiError) => {
			const title = e.title?.trim();
			const detail = e.detail?.trim();
			const where =
				typeof e.source === 'string'
					? e.source
					: e.source && typeof e.source === 'object'
						? Object.values(e.source as object).join(' ')
						: '';
			const text =
				title && detail && !detail.startsWith(title)
					? `${title} ${detail}`
					: (detail ?? title ?? e.code ?? '');
			return where ? `${text} (${where})` : text;
		};
		const [first, ...rest] = errors;
		return {
			message: describe(first) || undefined,
			description: rest.length ? rest.map(describe).join('; ') : undefined,
			code: first.code,
		};
	}
	if (typeof body.error_description === 'string' || typeof body.error === 'string') {
		return {
			message: String(body.error_description ?? body.error),
			code: typeof body.error === 'string' ? body.error : undefined,
		};
	}
	if (typeof body.message === 'string') return { message: body.message };
	return {};
}

export const degreedProfile: ProviderProfile = {
	name: 'Degreed',
	credentialType: 'degreedApi',
	parseError: parseDegreedError,
	rateLimit: { requestsPerMinute: DEGREED_REQUESTS_PER_MINUTE, burst: 7 },
};
