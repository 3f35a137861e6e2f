import type { HttpResponse, ProviderProfile } from '../../shared/types';

function bodyObject(body: unknown): Record<string, unknown> | undefined {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body))
		return body as Record<string, unknown>;
	if (typeof body === 'string' && body.trim().startsWith('{')) {
		try {
			return JSON.parse(body) as Record<string, unknown>;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/**
 * SCORM Cloud's error bodies: `{"error":"Authorization Required."}` on 401, `{"message": "…"}`
 * (MessageSchema / ResponseError) otherwise.
 */
export function parseScormCloudError(response: HttpResponse): {
	message?: string;
	description?: string;
} {
	const body = bodyObject(response.body);
	const said =
		typeof body?.message === 'string'
			? body.message
			: typeof body?.error === 'string'
				? body.error
				: typeof response.body === 'string' && response.body.length < 300
					? response.body
					: undefined;
	switch (response.statusCode) {
		case 401:
			return {
				message: `not authorised (HTTP 401)${said ? `: ${said}` : ''}`,
				description:
					'SCORM Cloud did not accept the credential. Check the App ID and Secret Key (SCORM Cloud → Apps → your app → Details; your website login does not work here), that the key is enabled, and — with OAuth — that the chosen scopes cover this operation.',
			};
		case 403:
			return {
				message: `forbidden (HTTP 403)${said ? `: ${said}` : ''}`,
				description:
					'The credential is valid but not allowed to do this. With OAuth, add the scope this operation needs (e.g. write:registration).',
			};
		case 404:
			return {
				message: `not found (HTTP 404)${said ? `: ${said}` : ''}`,
				description:
					'The credential was accepted, but the ID in the request does not exist in this SCORM Cloud application. IDs belong to one application: check the ID and that the credential is for the right app.',
			};
		default:
			return { message: said ? `${said} (HTTP ${response.statusCode})` : undefined };
	}
}

export const scormCloudProfile: ProviderProfile = {
	name: 'SCORM Cloud',
	credentialType: 'scormCloudApi',
	parseError: parseScormCloudError,
	// SCORM Cloud publishes no REST rate limit (only for its xAPI endpoints); the limiter still
	// learns from Retry-After on a 429.
};
