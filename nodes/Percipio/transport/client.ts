import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ApiClient } from '../../shared/apiClient';
import type { RequestSettings } from '../../shared/descriptions';
import type { ProviderClient } from '../../shared/router';
import { inputError } from '../../shared/errors';
import { Redactor } from '../../shared/redact';
import { bearerAuth } from '../../shared/clientCredentials';
import { tokenCacheKey } from '../../shared/tokenManager';
import type { AuthStrategy } from '../../shared/types';
import { buildPath, joinUrl } from '../../shared/urls';
import { CREDENTIAL_TYPE, PercipioConfigError, readPercipioConfig } from './config';
import type { PercipioConfig } from './config';
import { percipioProfile } from './profile';
import { percipioGrant, percipioTokenKey } from './token';

export interface PercipioClient extends ProviderClient {
	config: PercipioConfig;
	/** Absolute URL of an API path template; `{placeholders}` are filled with encoded segments. */
	url(template: string, values?: Record<string, unknown>): string;
}

/** The one Percipio API client of an execution: credential checked, auth, retries, pacing, redaction. */
export async function createPercipioClient(
	ctx: IExecuteFunctions,
	settings: RequestSettings,
): Promise<PercipioClient> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	let config: PercipioConfig;
	try {
		config = readPercipioConfig(data);
	} catch (error) {
		if (error instanceof PercipioConfigError) {
			throw inputError(ctx.getNode(), `Skillsoft Percipio credential: ${error.message}`, {
				description: 'Fix the credential and press its Test button. Nothing was sent.',
			});
		}
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
	const redactor = new Redactor([
		data.clientSecret,
		data.serviceAccountToken,
		data.accessToken,
		config.serviceAccountToken,
	]);
	let auth: AuthStrategy;
	if (config.token) {
		auth = bearerAuth(percipioGrant(config.token), { persisted: data, redactor });
	} else {
		const bearer = `Bearer ${config.serviceAccountToken}`;
		auth = {
			kind: 'static',
			apply: (request) => {
				request.headers = { ...request.headers, Authorization: bearer };
			},
		};
	}
	const api = new ApiClient(ctx, {
		provider: percipioProfile,
		auth,
		credentials: data,
		clientKey: tokenCacheKey({
			provider: 'percipio',
			api: config.hosts.apiBaseUrl,
			org: config.organizationId,
			auth: config.token ? percipioTokenKey(config.token) : config.serviceAccountToken,
		}),
		redactor,
		retry: settings.retry,
		rateLimit: settings.rateLimit,
		timeoutMs: settings.timeoutMs,
		allowInsecureHttp: config.allowInsecureHttp,
	});
	return {
		api,
		config,
		settings,
		url: (template, values = {}) => joinUrl(config.hosts.apiBaseUrl, buildPath(template, values)),
	};
}
