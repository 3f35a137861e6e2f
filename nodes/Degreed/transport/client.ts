import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { ApiClient } from '../../shared/apiClient';
import type { RequestSettings } from '../../shared/descriptions';
import type { ProviderClient } from '../../shared/router';
import { Redactor } from '../../shared/redact';
import { bearerAuth } from '../../shared/clientCredentials';
import { tokenCacheKey } from '../../shared/tokenManager';
import { inputError } from '../../shared/errors';
import { degreedHosts } from './hosts';
import type { DegreedHosts } from './hosts';
import { degreedProfile } from './profile';
import { scopeString } from './scopes';
import { degreedGrant } from './token';
import type { DegreedTokenFields } from './token';

const DEGREED_CREDENTIAL = 'degreedApi';

export interface DegreedClient extends ProviderClient {
	hosts: DegreedHosts;
	scopes: string;
}

/** The token function's fields from a stored credential. */
export function tokenFields(credentials: ICredentialDataDecryptedObject): DegreedTokenFields {
	return {
		tokenBaseUrl: degreedHosts(credentials).tokenBaseUrl,
		clientId: String(credentials.clientId ?? ''),
		clientSecret: String(credentials.clientSecret ?? ''),
		scopes: credentials.scopes,
		extraScopes: credentials.extraScopes,
		clientAuthentication: credentials.clientAuthentication === 'basic' ? 'basic' : 'body',
		allowInsecureHttp: credentials.allowInsecureHttp === true,
	};
}

/** The shared transport configured for Degreed, with the node's Request Options. */
export async function createDegreedClient(
	ctx: IExecuteFunctions,
	settings: RequestSettings,
): Promise<DegreedClient> {
	const credentials = await ctx.getCredentials<ICredentialDataDecryptedObject>(DEGREED_CREDENTIAL);
	let hosts: DegreedHosts;
	try {
		hosts = degreedHosts(credentials);
	} catch (error) {
		throw inputError(ctx.getNode(), (error as Error).message, {
			description: 'Check the environment and hosts of the Degreed credential.',
		});
	}
	const fields = tokenFields(credentials);
	const scopes = scopeString(fields.scopes, fields.extraScopes);
	const redactor = new Redactor([fields.clientSecret, credentials.accessToken]);
	const api = new ApiClient(ctx, {
		provider: degreedProfile,
		auth: bearerAuth(degreedGrant(fields), { persisted: credentials, redactor }),
		credentials,
		clientKey: tokenCacheKey({
			provider: 'degreed',
			tokenBaseUrl: fields.tokenBaseUrl,
			clientId: fields.clientId,
		}),
		redactor,
		retry: settings.retry,
		rateLimit: settings.rateLimit,
		allowInsecureHttp: fields.allowInsecureHttp,
		timeoutMs: settings.timeoutMs,
	});
	return { api, hosts, settings, scopes };
}
