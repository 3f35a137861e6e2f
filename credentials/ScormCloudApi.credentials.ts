import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_BASE_URL,
	DEFAULT_TOKEN_EXPIRATION,
	SCOPES,
} from '../nodes/ScormCloud/transport/hosts';
import { UserError } from 'n8n-workflow';

import {
	credentialFailureMessage,
	requestCredentialToken,
	tokenKey,
} from '../nodes/shared/clientCredentials';
import { isTokenFailure, persistedFields } from '../nodes/shared/tokenManager';
import { basicHeader, scopeString, scormCloudGrant } from '../nodes/ScormCloud/transport/token';

const oauthOnly = { show: { authMethod: ['oauth'] } };

export class ScormCloudApi implements ICredentialType {
	name = 'scormCloudApi';

	displayName = 'SCORM Cloud API';

	icon: Icon = {
		light: 'file:../nodes/ScormCloud/scormcloud.svg',
		dark: 'file:../nodes/ScormCloud/scormcloud.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-learning-platforms/n8n-nodes-learning-platforms/blob/main/docs/scormcloud.md';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The App ID of your SCORM Cloud application (SCORM Cloud → Apps → your app → Details)',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An enabled Secret Key of the same application (Apps → your app → Details → Secret Keys). Your website login does not work here.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'The SCORM Cloud API v2 root. Change it only for a private SCORM Cloud or a test server.',
		},
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'HTTP Basic (App ID + Secret Key)',
					value: 'basic',
					description:
						'Every request carries the App ID and Secret Key. What SCORM Cloud recommends for most integrations.',
				},
				{
					name: 'OAuth Token (Scoped, Expiring)',
					value: 'oauth',
					description:
						'A token limited to the chosen scopes is fetched with the App ID and Secret Key, and renewed before it expires',
				},
			],
			default: 'basic',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'multiOptions',
			options: SCOPES.map((scope) => ({ name: scope, value: scope })),
			default: ['read', 'write'],
			description:
				'What the token may do. The node needs read:registration / write:registration / delete:registration / read:course / write:course / delete:course / read:ping for its operations (or the broad read / write / delete).',
			displayOptions: oauthOnly,
		},
		{
			displayName: 'Extra Scopes',
			name: 'extraScopes',
			type: 'string',
			default: '',
			placeholder: 'read:something write:something',
			description: 'Further scopes not in the list above, space-delimited',
			displayOptions: oauthOnly,
		},
		{
			displayName: 'Token Expiration (Seconds)',
			name: 'expirationSeconds',
			type: 'number',
			default: DEFAULT_TOKEN_EXPIRATION,
			typeOptions: { minValue: 1 },
			description:
				"Lifetime requested for each token. SCORM Cloud's default is 300 seconds; the node renews tokens ahead of expiry.",
			displayOptions: oauthOnly,
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow a plain http:// Base URL. For lab or test hosts only: the App ID and Secret Key would travel unencrypted.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{ displayName: 'Issued At', name: 'issuedAt', type: 'hidden', default: '' },
		{ displayName: 'Expires At', name: 'expiresAt', type: 'hidden', default: '' },
		// Key of the fields the token was minted for: never reused after the key, scopes or lifetime changed.
		{ displayName: 'Issued For', name: 'issuedFor', type: 'hidden', default: '' },
	];

	/** With OAuth: fetches a token (GetAppToken). With HTTP Basic there is nothing to fetch. */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		if (credentials.authMethod !== 'oauth') return {};
		const grant = scormCloudGrant({
			baseUrl: credentials.baseUrl as string,
			appId: credentials.appId as string,
			secretKey: credentials.secretKey as string,
			scope: scopeString(credentials.scopes, credentials.extraScopes),
			expiration: credentials.expirationSeconds as number,
			allowInsecureHttp: credentials.allowInsecureHttp === true,
		});
		const token = await requestCredentialToken(grant, this.helpers.httpRequest, credentials);
		if (isTokenFailure(token)) throw new UserError(credentialFailureMessage('SCORM Cloud', token));
		return persistedFields(token, tokenKey(grant));
	}

	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const authorization =
			credentials.authMethod === 'oauth' &&
			typeof credentials.accessToken === 'string' &&
			credentials.accessToken
				? `Bearer ${credentials.accessToken}`
				: basicHeader(String(credentials.appId ?? ''), String(credentials.secretKey ?? ''));
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), Authorization: authorization },
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/ping',
			method: 'GET',
		},
	};
}
