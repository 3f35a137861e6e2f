import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { PercipioHosts } from './hosts';
import { resolveHosts } from './hosts';
import type { PercipioTokenFields } from './token';
import { UUID_PATTERN, bareJwt, inspectServiceAccountToken } from './token';

export const CREDENTIAL_TYPE = 'percipioApi';

export type PercipioAuthMethod = 'oAuth2ClientCredentials' | 'serviceAccount';

/** A Percipio credential, checked and normalised. */
export interface PercipioConfig {
	authMethod: PercipioAuthMethod;
	hosts: PercipioHosts;
	organizationId: string;
	partnerName: string;
	allowInsecureHttp: boolean;
	/** OAuth2 client credentials (authMethod oAuth2ClientCredentials). */
	token?: PercipioTokenFields;
	/** The static JWT (authMethod serviceAccount). */
	serviceAccountToken?: string;
}

/** A credential value that cannot work; the message names the field. */
export class PercipioConfigError extends Error {}

const text = (v: unknown) =>
	typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v).trim();

export function isUuid(value: string): boolean {
	return UUID_PATTERN.test(value);
}

/**
 * Reads and checks the credential's fields. Throws PercipioConfigError naming the first field that
 * cannot work, so the Test button and the node say what to fix before any request is made.
 */
export function readPercipioConfig(
	data: ICredentialDataDecryptedObject,
	now: number = Date.now(),
): PercipioConfig {
	const authMethod: PercipioAuthMethod =
		data.authMethod === 'serviceAccount' ? 'serviceAccount' : 'oAuth2ClientCredentials';
	const region = text(data.region) || 'us';
	const hosts = resolveHosts(region, { apiBaseUrl: data.apiBaseUrl, tokenUrl: data.tokenUrl });
	const allowInsecureHttp = region === 'custom' && data.allowInsecureHttp === true;
	if (region === 'custom') {
		if (!/^https?:\/\//i.test(hosts.apiBaseUrl))
			throw new PercipioConfigError(
				'"API Base URL" must be a full URL such as https://api.percipio.com',
			);
		if (authMethod === 'oAuth2ClientCredentials' && !/^https?:\/\//i.test(hosts.tokenUrl)) {
			throw new PercipioConfigError(
				'"Token URL" must be a full URL ending in /oauth2-provider/token',
			);
		}
	}
	const organizationId = text(data.organizationId);
	if (!organizationId)
		throw new PercipioConfigError(
			'"Organization ID" is empty: enter your Percipio organization UUID',
		);
	if (!isUuid(organizationId))
		throw new PercipioConfigError(
			`"Organization ID" must be a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 (got "${organizationId.slice(0, 60)}")`,
		);
	const config: PercipioConfig = {
		authMethod,
		hosts,
		organizationId,
		partnerName: text(data.partnerName),
		allowInsecureHttp,
	};
	if (authMethod === 'serviceAccount') {
		const jwt = bareJwt(text(data.serviceAccountToken));
		const check = inspectServiceAccountToken(jwt, now);
		if (!check.ok) throw new PercipioConfigError(`"Service Account Token": ${check.problem}`);
		config.serviceAccountToken = jwt;
	} else {
		const clientId = text(data.clientId);
		const clientSecret = typeof data.clientSecret === 'string' ? data.clientSecret : '';
		if (!clientId) throw new PercipioConfigError('"Client ID" is empty');
		if (!clientSecret) throw new PercipioConfigError('"Client Secret" is empty');
		config.token = {
			tokenUrl: hosts.tokenUrl,
			clientId,
			clientSecret,
			scope: text(data.scope) || 'api',
			allowInsecureHttp,
		};
	}
	return config;
}
