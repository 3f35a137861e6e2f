import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApiClient } from '../../shared/apiClient';
import type { RequestSettings } from '../../shared/descriptions';
import type { ProviderClient } from '../../shared/router';
import { inputError } from '../../shared/errors';
import { Redactor } from '../../shared/redact';
import { persistedToken, tokenCacheKey } from '../../shared/tokenManager';
import type { AuthStrategy, TransportContext } from '../../shared/types';
import { LearnLinkConfigError, asFields, clientIdOf, hostUrl, restV1Base, restV2Base } from './hosts';
import type { LearnLinkCredentialFields, LearnLinkHost } from './hosts';
import { learnLinkProfile } from './profile';
import { fetchLearnLinkToken, tokenRequestFor } from './token';

export const CREDENTIAL_TYPE = 'learnLinkApi';

/**
 * The Learn.link client of a node run. Thrive has two hosts: `api` talks to the public API host,
 * `usersApi` to the users/webhooks host; each has its own token.
 */
export interface LearnLinkClient extends ProviderClient {
	usersApi: ApiClient;
	/** `{public host}/rest/v1` (overridable prefix) */
	v1: string;
	/** `{public host}/rest/v2` (overridable prefix) */
	v2: string;
	/** `{users host}` */
	usersBase: string;
	fields: LearnLinkCredentialFields;
}

/** The credential's secrets, for redaction everywhere. */
function redactorFor(fields: LearnLinkCredentialFields): Redactor {
	const redactor = new Redactor([fields.apiSecret, fields.webhookSecret, fields.accessToken, fields.usersAccessToken]);
	if (fields.apiSecret) {
		const user = String(fields.clientId ?? '').trim() || String(fields.tenantId ?? '').trim();
		redactor.addBasic(user, String(fields.apiSecret));
	}
	return redactor;
}

/** How requests to `host` authenticate: a cached bearer token for that host, or Basic on every call. */
function authFor(fields: LearnLinkCredentialFields, host: LearnLinkHost): AuthStrategy {
	if (fields.authentication === 'basic') {
		const username = clientIdOf(fields);
		const password = String(fields.apiSecret ?? '');
		return { kind: 'static', apply: (request) => void (request.auth = { username, password }) };
	}
	const request = tokenRequestFor(fields, host);
	const seed = host === 'public' ? persistedToken(fields.accessToken, fields.issuedAt, fields.expiresAt) : persistedToken(fields.usersAccessToken, fields.usersIssuedAt, fields.usersExpiresAt);
	return {
		kind: 'bearer',
		// One token per host: the token URL (host + tenant) is part of the key.
		cacheKey: tokenCacheKey({ provider: 'learnLink', host, url: request.url, clientId: request.clientId, secret: request.clientSecret, scopes: request.scopes.join(' '), clientAuthentication: request.clientAuthentication, format: request.format }),
		fetchToken: (http) => fetchLearnLinkToken(request, http),
		seed,
	};
}

/** Builds the public-API and users-API clients from the node's `learnLinkApi` credential. */
export async function createLearnLinkClient(ctx: TransportContext, settings: RequestSettings): Promise<LearnLinkClient> {
	const credentials = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
	const fields = asFields(credentials);
	const redactor = redactorFor(fields);
	try {
		const make = (host: LearnLinkHost) =>
			new ApiClient(ctx, {
				provider: learnLinkProfile,
				auth: authFor(fields, host),
				credentials,
				clientKey: tokenCacheKey({ provider: 'learnLink', tenant: fields.tenantId, clientId: fields.clientId, environment: fields.environment }),
				redactor,
				retry: settings.retry,
				rateLimit: settings.rateLimit,
				timeoutMs: settings.timeoutMs,
				allowInsecureHttp: fields.allowInsecureHttp === true,
			});
		return {
			api: make('public'),
			usersApi: make('users'),
			settings,
			v1: restV1Base(fields),
			v2: restV2Base(fields),
			usersBase: hostUrl(fields, 'users'),
			fields,
		};
	} catch (error) {
		throw inputError(ctx.getNode(), (error as Error).message, {
			description: error instanceof LearnLinkConfigError ? 'Fix the Learn.link (Thrive) credential and run the node again.' : undefined,
		});
	}
}
