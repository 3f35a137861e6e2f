import type { IDataObject } from 'n8n-workflow';

import type { HttpResponse, ProviderProfile } from '../../shared/types';
import { clipText } from '../../shared/redact';

/** Reads Thrive's documented error body `{status, error, message}` (message may be a list or object). */
export function parseLearnLinkError(response: HttpResponse): {
	message?: string;
	description?: string;
	code?: string;
} {
	const body = response.body;
	if (typeof body === 'string') return body.trim() ? { message: clipText(body.trim(), 500) } : {};
	if (!body || typeof body !== 'object') return {};
	const b = body as IDataObject;
	let message: string | undefined;
	if (typeof b.message === 'string') message = b.message;
	else if (Array.isArray(b.message))
		message = b.message.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('; ');
	else if (b.message && typeof b.message === 'object') message = JSON.stringify(b.message);
	else if (typeof b.error_description === 'string') message = b.error_description;
	const error = typeof b.error === 'string' ? b.error : undefined;
	return {
		message: message ?? error,
		description: message && error ? `(${error})` : undefined,
		code: error,
	};
}

export const learnLinkProfile: ProviderProfile = {
	name: 'Learn.link (Thrive)',
	credentialType: 'learnLinkApi',
	parseError: parseLearnLinkError,
	// Thrive publishes no numeric limit: no client-side pacing by default; 429 + Retry-After are honoured.
	rateLimit: undefined,
};
