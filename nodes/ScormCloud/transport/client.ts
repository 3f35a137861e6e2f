import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	NodeApiError,
} from 'n8n-workflow';

import { ApiClient } from '../../shared/apiClient';
import type { RequestSettings } from '../../shared/descriptions';
import type { ProviderClient } from '../../shared/router';
import { apiError } from '../../shared/errors';
import { Redactor } from '../../shared/redact';
import { bearerAuth } from '../../shared/clientCredentials';
import { persistedToken, tokenCacheKey } from '../../shared/tokenManager';
import type { AccessToken, AuthStrategy, HttpResponse, TransportContext } from '../../shared/types';
import { buildPath, joinUrl } from '../../shared/urls';
import { DEFAULT_TOKEN_EXPIRATION, normaliseBaseUrl } from './hosts';
import { parseScormCloudError, scormCloudProfile } from './profile';
import { basicHeader, scopeString, scormCloudGrant, scormCloudTokenKey } from './token';

export const CREDENTIAL_TYPE = 'scormCloudApi';

/** The credential as the node reads it. */
export interface ScormCloudCredential {
	baseUrl: string;
	appId: string;
	secretKey: string;
	authMethod: 'basic' | 'oauth';
	scope: string;
	expiration: number;
	allowInsecureHttp: boolean;
	persisted?: AccessToken;
}

export function readCredential(data: ICredentialDataDecryptedObject): ScormCloudCredential {
	const expiration = Number(data.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION);
	const credential: ScormCloudCredential = {
		baseUrl: normaliseBaseUrl(data.baseUrl),
		appId: String(data.appId ?? '').trim(),
		secretKey: String(data.secretKey ?? ''),
		authMethod: data.authMethod === 'oauth' ? 'oauth' : 'basic',
		scope: scopeString(data.scopes, data.extraScopes),
		expiration:
			Number.isFinite(expiration) && expiration > 0 ? expiration : DEFAULT_TOKEN_EXPIRATION,
		allowInsecureHttp: data.allowInsecureHttp === true,
	};
	// Only a token minted for exactly these fields is reused.
	credential.persisted = persistedToken(data, scormCloudTokenKey(tokenFieldsOf(credential)));
	return credential;
}

const tokenFieldsOf = (c: ScormCloudCredential) => ({
	baseUrl: c.baseUrl,
	appId: c.appId,
	secretKey: c.secretKey,
	scope: c.scope,
	expiration: c.expiration,
	allowInsecureHttp: c.allowInsecureHttp,
});

export function authStrategy(credential: ScormCloudCredential): AuthStrategy {
	if (credential.authMethod === 'oauth')
		return bearerAuth(scormCloudGrant(tokenFieldsOf(credential)), { seed: credential.persisted });
	const header = basicHeader(credential.appId, credential.secretKey);
	return {
		kind: 'static',
		apply(request) {
			request.headers = { ...(request.headers as IDataObject), Authorization: header };
		},
	};
}

/** The SCORM Cloud client of a node run: the shared transport, the API base URL and URL building. */
export interface ScormCloudClient extends ProviderClient {
	baseUrl: string;
	/** Absolute URL of a v2 route; `{name}` placeholders are filled with encoded path segments. */
	url(template: string, values?: Record<string, unknown>): string;
}

export async function createScormCloudClient(
	ctx: TransportContext,
	settings: RequestSettings,
): Promise<ScormCloudClient> {
	const data = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
	const credential = readCredential(data);
	const redactor = new Redactor([credential.secretKey, credential.persisted?.accessToken]).addBasic(
		credential.appId,
		credential.secretKey,
	);
	const api = new ApiClient(ctx, {
		provider: scormCloudProfile,
		auth: authStrategy(credential),
		credentials: data,
		clientKey: tokenCacheKey({
			provider: 'scormcloud',
			baseUrl: credential.baseUrl,
			appId: credential.appId,
		}),
		redactor,
		retry: settings.retry,
		rateLimit: settings.rateLimit,
		timeoutMs: settings.timeoutMs,
		allowInsecureHttp: credential.allowInsecureHttp,
	});
	const baseUrl = credential.baseUrl;
	return {
		api,
		settings,
		baseUrl,
		url: (template, values = {}) => joinUrl(baseUrl, buildPath(template, values)),
	};
}

/** A NodeApiError for a response the caller accepted (acceptStatuses) but cannot use. */
export function responseError(
	client: ScormCloudClient,
	node: INode,
	response: HttpResponse,
	itemIndex?: number,
	extra?: { message?: string; description?: string },
): NodeApiError {
	const parsed = parseScormCloudError(response);
	return apiError({
		node,
		provider: scormCloudProfile.name,
		redactor: client.api.redactor,
		response,
		itemIndex,
		message: extra?.message ?? parsed.message,
		description: [extra?.description, parsed.description].filter(Boolean).join(' ') || undefined,
	});
}

/** A failure that is not an HTTP error (a failed import job, a timeout), redacted like the rest. */
export function scormCloudError(
	client: ScormCloudClient,
	node: INode,
	message: string,
	itemIndex?: number,
	description?: string,
): NodeApiError {
	return apiError({
		node,
		provider: scormCloudProfile.name,
		redactor: client.api.redactor,
		itemIndex,
		message,
		description,
	});
}
