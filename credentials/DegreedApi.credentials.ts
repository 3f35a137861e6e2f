import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import {
	credentialFailureMessage,
	requestCredentialToken,
	tokenKey,
} from '../nodes/shared/clientCredentials';
import { isTokenFailure, persistedFields } from '../nodes/shared/tokenManager';
import { tokenFields } from '../nodes/Degreed/transport/client';
import { API_BASE_URL_EXPRESSION } from '../nodes/Degreed/transport/hosts';
import { DEGREED_SCOPES } from '../nodes/Degreed/transport/scopes';
import { degreedGrant } from '../nodes/Degreed/transport/token';

/**
 * The cheapest authenticated route the key's scopes allow, for the Test button (n8n resolves this
 * expression itself; `degreedTestPath` in the node's transport is the same rule, kept equal by a test).
 */
const TEST_PATH_EXPRESSION =
	'={{ ((s) => s.includes("users:read") ? "/api/v2/users" : s.includes("content:read") ? "/api/v2/content" : s.includes("completions:read") ? "/api/v2/completions" : "/xAPI/statements")([].concat($credentials.scopes || [], String($credentials.extraScopes || "").split(/[\\s,]+/))) }}';

export class DegreedApi implements ICredentialType {
	name = 'degreedApi';

	displayName = 'Degreed API';

	icon: Icon = {
		light: 'file:../nodes/Degreed/degreed.svg',
		dark: 'file:../nodes/Degreed/degreed.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-learning-platforms/n8n-nodes-learning-platforms/blob/main/docs/degreed.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'degreed.com and api.degreed.com (or the EU/CA equivalents)',
				},
				{
					name: 'Betatest',
					value: 'betatest',
					description:
						"Degreed's test environment: betatest.degreed.com and api.betatest.degreed.com",
				},
				{
					name: 'Custom Hosts',
					value: 'custom',
					description: 'Type the OAuth and API base URLs yourself (a proxy, a lab or test host)',
				},
			],
			default: 'production',
			description:
				'Where the API key was created. A key from betatest does not work on production, and the other way round.',
		},
		{
			displayName: 'Data Center',
			name: 'dataCenter',
			type: 'options',
			options: [
				{ name: 'US', value: 'us' },
				{ name: 'EU', value: 'eu' },
				{ name: 'Canada', value: 'ca' },
			],
			default: 'us',
			description:
				'The data center of your Degreed organization (the host you log in to: degreed.com, eu.degreed.com or ca.degreed.com)',
			displayOptions: { hide: { environment: ['custom'] } },
		},
		{
			displayName: 'OAuth Base URL',
			name: 'tokenBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://betatest.degreed.com',
			description:
				'Host that issues access tokens (the token is requested at <this URL>/oauth/token). This is not the API host.',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.betatest.degreed.com',
			description:
				'Host of the API (requests go to <this URL>/api/v2/… and <this URL>/xAPI/statements)',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The client_id of the API key (Degreed: Settings → API keys; created by a Technical Admin with the "Manage API Keys" permission)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The client_secret shown once when the API key was created',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'multiOptions',
			options: DEGREED_SCOPES.map((scope) => ({ name: scope, value: scope })),
			default: ['users:read', 'content:read', 'completions:read'],
			description:
				'Tick exactly the scopes assigned to the API key that your workflows need. Degreed refuses the token when a scope is not on the key. Sent comma-delimited, as Degreed requires.',
			hint: 'Users: users:read. Content: content:read/content:write. Completions: completions:read/completions:write. xAPI: xapi:read/xapi:write.',
		},
		{
			displayName: 'Additional Scopes',
			name: 'extraScopes',
			type: 'string',
			default: '',
			placeholder: 'new_feature:read',
			description:
				'Scopes not in the list above, separated by commas. Added to the selected scopes.',
		},
		{
			displayName: 'Client Authentication',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{ name: 'In the Form Body (Documented)', value: 'body' },
				{ name: 'HTTP Basic Header', value: 'basic' },
			],
			default: 'body',
			description:
				'How the client ID and secret are sent to the token endpoint. Degreed documents the form body; the Basic header is for proxies that expect it.',
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow plain http:// custom hosts. For lab and test hosts only: the client secret and tokens would travel unencrypted. Loopback hosts (127.0.0.1) are always allowed.',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Issued At',
			name: 'issuedAt',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Expires At',
			name: 'expiresAt',
			type: 'hidden',
			default: '',
		},
		{
			// Key of the fields the token was minted for: a token is never reused after the client,
			// secret, scopes or host changed.
			displayName: 'Issued For',
			name: 'issuedFor',
			type: 'hidden',
			default: '',
		},
	];

	/** Fetches a token when the stored one is empty, after a 401, and on every Test. */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const grant = degreedGrant(tokenFields(credentials));
		const token = await requestCredentialToken(grant, this.helpers.httpRequest, credentials);
		// A UserError without a status code: n8n's Test button shows Degreed's own words (e.g. the
		// scope the key lacks) instead of a generic "Forbidden - perhaps check your credentials?".
		if (isTokenFailure(token)) throw new UserError(credentialFailureMessage('Degreed', token));
		return persistedFields(token, tokenKey(grant));
	}

	/**
	 * One token for both hosts: the API host (/api/v2, /xAPI) and the OAuth host (/oauth/logout takes
	 * the bearer too). It does not depend on the address, so `url`, `uri` (HTTP Request node) and
	 * `baseURL` + `url` all work; the caller's options are not modified.
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		return {
			...requestOptions,
			headers: {
				...(requestOptions.headers ?? {}),
				Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
			},
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: API_BASE_URL_EXPRESSION,
			url: TEST_PATH_EXPRESSION,
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The token was issued, but the API refused it for this route: check the scopes of the API key (users:read, content:read, completions:read or xapi:read).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The API host answered 404: check the environment and data center (or the custom API Base URL, which is not the OAuth host).',
				},
			},
		],
	};
}
