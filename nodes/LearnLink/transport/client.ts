import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApiClient } from '../../shared/apiClient';
import type { RequestSettings } from '../../shared/descriptions';
import type { ProviderClient } from '../../shared/router';
import { inputError } from '../../shared/errors';
import { Redactor } from '../../shared/redact';
import { bearerAuth } from '../../shared/clientCredentials';
import { tokenCacheKey } from '../../shared/tokenManager';
import type { AuthStrategy, TransportContext } from '../../shared/types';
import {
	LearnLinkConfigError,
	asFields,
	clientIdOf,
	hostUrl,
	restV1Base,
	restV2Base,
} from './hosts';
import type { LearnLinkCredentialFields, LearnLinkHost } from './hosts';
import { learnLinkProfile } from './profile';
import { learnLinkGrant, tokenRequestFor } from './token';

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
	const redactor = new Redactor([
		fields.apiSecret,
		fields.webhookSecret,
		fields.accessToken,
		fields.usersAccessToken,
	]);
	if (fields.apiSecret) {
		const user = String(fields.clientId ?? '').trim() || String(fields.tenantId ?? '').trim();
		redactor.addBasic(user, String(fields.apiSecret));
	}
	return redactor;
}

/** How requests to `host` authenticate: a cached bearer token for that host, or Basic on every call. */
export function authFor(fields: LearnLinkCredentialFields, host: LearnLinkHost): AuthStrategy {
	if (fields.authentication === 'basic') {
		const username = clientIdOf(fields);
		const password = String(fields.apiSecret ?? '');
		return { kind: 'static', apply: (request) => void (request.auth = { username, password }) };
	}
	return bearerAuth(learnLinkGrant(tokenRequestFor(fields, host)), {
		persisted: fields as unknown as Record<string, unknown>,
		prefix: host === 'users' ? 'users' : '',
	});
}

/** Builds the public-API and users-API clients from the node's `learnLinkApi` credential. */
export async function createLearnLinkClient(
	ctx: TransportContext,
	settings: RequestSettings,
): Promise<LearnLinkClient> {
	const credentials = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
	const fields = asFields(credentials);
	const redactor = redactorFor(fields);
	try {
		const make = (host: LearnLinkHost) =>
			new ApiClient(ctx, {
				provider: learnLinkProfile,
				auth: authFor(fields, host),
				credentials,
				clientKey: tokenCacheKey({
					provider: 'learnLink',
					tenant: fields.tenantId,
					clientId: fields.clientId,
					environment: fields.environment,
				}),
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
			description:
				error instanceof LearnLinkConfigError
					? 'Fix the Learn.link (Thrive) credential and run the node again.'
					: undefined,
		});
	}
}
