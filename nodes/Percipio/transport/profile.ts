import type { HttpResponse, ProviderProfile } from '../../shared/types';
import { CREDENTIAL_TYPE } from './config';
import { clipText } from '../../shared/redact';

const str = (v: unknown) =>
	typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined;

/**
 * Percipio's error bodies are not documented. Seen or likely shapes: `{message}`, `{code, message}`,
 * `{errors: [{message}]}`, OAuth-style `{error, error_description}`, or plain text from a gateway.
 * Whatever the shape, the user gets the provider's own words.
 */
export function parsePercipioError(response: HttpResponse): {
	message?: string;
	description?: string;
	code?: string;
} {
	const body = response.body;
	if (typeof body === 'string') {
		const text = body.trim();
		return { message: text && !/^\s*</.test(text) ? clipText(text, 500) : undefined };
	}
	if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) return {};
	const b = body as Record<string, unknown>;
	const errors = Array.isArray(b.errors) ? b.errors : undefined;
	const fromErrors = errors
		?.map((e) =>
			typeof e === 'string'
				? e
				: (str((e as Record<string, unknown>)?.message) ??
					str((e as Record<string, unknown>)?.msg)),
		)
		.filter(Boolean)
		.join('; ');
	const oauth = str(b.error_description)
		? `${str(b.error) ? `${str(b.error)}: ` : ''}${str(b.error_description)}`
		: undefined;
	const message =
		str(b.message) ??
		str(b.errorMessage) ??
		oauth ??
		(fromErrors || undefined) ??
		str(b.error) ??
		str(b.detail) ??
		str(b.title);
	const description = str(b.message) && fromErrors ? fromErrors : (str(b.details) ?? undefined);
	return {
		message,
		description,
		code: str(b.code) ?? str(b.errorCode) ?? (str(b.error) !== message ? str(b.error) : undefined),
	};
}

export const percipioProfile: ProviderProfile = {
	name: 'Skillsoft Percipio',
	credentialType: CREDENTIAL_TYPE,
	parseError: parsePercipioError,
	// Skillsoft publishes no rate limit: no client-side pacing by default; 429 + Retry-After and any
	// X-Rate-Limit-* headers still slow the client down (shared rate limiter).
	rateLimit: undefined,
};
