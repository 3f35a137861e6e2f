import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import {
	DEFAULT_REST_V1_PATH,
	DEFAULT_REST_V2_PATH,
	ENVIRONMENT_HOSTS,
	asFields,
	clientIdOf,
	hostOfUrl,
} from '../nodes/LearnLink/transport/hosts';
import { learnLinkGrant, tokenRequestFor } from '../nodes/LearnLink/transport/token';
import {
	credentialFailureMessage,
	requestCredentialToken,
	tokenKey,
} from '../nodes/shared/clientCredentials';
import { isTokenFailure, persistedFields } from '../nodes/shared/tokenManager';
import type { HttpRequestFn } from '../nodes/shared/types';
import { requestTargetUrl } from '../nodes/shared/requestTarget';

const publicHostExpression = `{{ $credentials.environment === 'custom' ? $credentials.publicApiUrl.replace(/\\/+$/, '') : (${JSON.stringify(
	Object.fromEntries(Object.entries(ENVIRONMENT_HOSTS).map(([env, hosts]) => [env, hosts.public])),
)})[$credentials.environment] }}`;

/**
 * Learn.link (Thrive Learning) API credential: one Tenant ID + API secret, used either for OAuth 2.0
 * client-credentials tokens (one token per host: public API and users/webhooks API, each minted at
 * `/oauth2/token/{tenantId}` on its own host) or as HTTP Basic on every call.
 */
export class LearnLinkApi implements ICredentialType {
	name = 'learnLinkApi';

	displayName = 'Learn.link (Thrive) API';

	icon: Icon = {
		light: 'file:../nodes/LearnLink/learnlink.svg',
		dark: 'file:../nodes/LearnLink/learnlink.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-learning-platforms/n8n-nodes-learning-platforms/blob/main/docs/learnlink.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			description:
				'Where your Thrive tenant lives. Staging and production use different hosts and usually different secrets.',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'public.api.learn.link and user.api.learn.link',
				},
				{
					name: 'Staging',
					value: 'staging',
					description: 'public.api.learnstaging.link and user.api.learnstaging.link',
				},
				{
					name: 'Production MEA',
					value: 'productionMea',
					description: 'public.api.mea.learn.tech and user.api.mea.learn.tech',
				},
				{
					name: 'Staging MEA',
					value: 'stagingMea',
					description: 'public.api.meastaging.learn.tech and user.api.meastaging.learn.tech',
				},
				{
					name: 'Custom URLs',
					value: 'custom',
					description: 'Your own base URLs (a proxy, a lab host or the test sandbox)',
				},
			],
		},
		{
			displayName: 'Public API URL',
			name: 'publicApiUrl',
			type: 'string',
			default: '',
			placeholder: 'https://public.api.learn.link',
			description:
				'Base URL of the public REST API (the token endpoint is {URL}/oauth2/token/{tenantId})',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Users API URL',
			name: 'usersApiUrl',
			type: 'string',
			default: '',
			placeholder: 'https://user.api.learn.link',
			description:
				'Base URL of the users/webhooks API (user lifecycle events; it has its own token endpoint)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow plain http:// custom URLs. For lab and test hosts only: the secret and tokens would travel unencrypted.',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'eu-west-2_AbcdEfghI',
			description:
				'Your Thrive Tenant ID, as Thrive gave it to you with the API secret (Thrive admin → API credentials, or your Thrive implementation contact)',
		},
		{
			displayName: 'Validate Tenant ID Format',
			name: 'validateTenantId',
			type: 'boolean',
			default: true,
			description:
				'Whether to check that the Tenant ID has the documented form (e.g. eu-west-2_AbcdEfghI) before anything is sent. Turn off only if Thrive gave you an ID of another form.',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API secret Thrive issued for this tenant and environment',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			placeholder: 'Leave empty to use the Tenant ID',
			description:
				"OAuth client ID. Thrive's API reference says it is the Tenant ID; fill it in only if Thrive gave you a separate Client ID.",
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'oauth2',
			options: [
				{
					name: 'OAuth2 Client Credentials',
					value: 'oauth2',
					description: 'Bearer tokens (1 hour) minted per API host and reused',
				},
				{
					name: 'HTTP Basic',
					value: 'basic',
					description: 'Client ID (Tenant ID) and API secret on every request',
				},
			],
			description: 'Thrive accepts both on every endpoint',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'api/all (Full Access, Both APIs)', value: 'api/all' },
				{ name: 'api/read (Public API, Read)', value: 'api/read' },
				{ name: 'api/webhooks (Users API: Lifecycle Events)', value: 'api/webhooks' },
				{ name: 'api/write (Public API, Write)', value: 'api/write' },
			],
			description:
				"Scopes to request. Each host is only asked for the scopes it knows. Leave empty to get the client's default scopes.",
			displayOptions: { show: { authentication: ['oauth2'] } },
		},
		{
			displayName: 'Client Authentication',
			name: 'clientAuthentication',
			type: 'options',
			default: 'basic',
			options: [
				{ name: 'HTTP Basic Header (Documented)', value: 'basic' },
				{ name: 'Form Body (client_id, client_secret)', value: 'body' },
				{ name: 'Both', value: 'both' },
			],
			description: 'How the token request identifies the client',
			displayOptions: { show: { authentication: ['oauth2'] } },
		},
		{
			displayName: 'Token Request Format',
			name: 'grantBodyFormat',
			type: 'options',
			default: 'form',
			options: [
				{ name: 'Form URL-Encoded (OAuth 2.0 Standard)', value: 'form' },
				{ name: 'JSON', value: 'json' },
			],
			description:
				"Encoding of the token request body. Thrive's reference does not state it; form is the OAuth 2.0 default.",
			displayOptions: { show: { authentication: ['oauth2'] } },
		},
		{
			displayName: 'REST v1 Path',
			name: 'restV1Path',
			type: 'string',
			default: DEFAULT_REST_V1_PATH,
			description:
				'Path prefix of the public REST API for most resources. Change only if Thrive tells you so.',
		},
		{
			displayName: 'REST v2 Path',
			name: 'restV2Path',
			type: 'string',
			default: DEFAULT_REST_V2_PATH,
			description:
				'Path prefix used for user create, update and suspend. Change only if Thrive tells you so.',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. The secret you gave Thrive support for signing outgoing webhooks (x-hmac-signature), used by the Learn.link (Thrive) Trigger when it reads the secret from the credential.',
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
		// Key of the fields each token was minted for: never reused after the tenant, secret or scopes changed.
		{ displayName: 'Issued For', name: 'issuedFor', type: 'hidden', default: '' },
		{
			displayName: 'Users API Access Token',
			name: 'usersAccessToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Users API Issued At', name: 'usersIssuedAt', type: 'hidden', default: '' },
		{ displayName: 'Users API Expires At', name: 'usersExpiresAt', type: 'hidden', default: '' },
		{ displayName: 'Users API Issued For', name: 'usersIssuedFor', type: 'hidden', default: '' },
	];

	/**
	 * Mints the public-API token (required) and the users-API token (best effort: a client without
	 * webhook access still works for the public API). With HTTP Basic nothing is fetched.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const fields = asFields(credentials);
		const noUsersToken = {
			usersAccessToken: '',
			usersIssuedAt: '',
			usersExpiresAt: '',
			usersIssuedFor: '',
		};
		if (fields.authentication === 'basic')
			return {
				accessToken: 'http-basic',
				issuedAt: '',
				expiresAt: '',
				issuedFor: '',
				...noUsersToken,
			};
		const http = this.helpers.httpRequest as HttpRequestFn;
		const mint = async (host: 'public' | 'users') => {
			let grant;
			try {
				grant = learnLinkGrant(tokenRequestFor(fields, host));
			} catch (error) {
				// A field that cannot work (Tenant ID, custom URL), named before anything is sent.
				throw new UserError(`Learn.link (Thrive): ${(error as Error).message}`);
			}
			return { grant, token: await requestCredentialToken(grant, http, credentials) };
		};
		const main = await mint('public');
		// Without a status code on the error, n8n's Test button shows Thrive's own words instead of a
		// generic "Authorization failed"; the hint says what to check.
		if (isTokenFailure(main.token))
			throw new UserError(credentialFailureMessage('Learn.link (Thrive)', main.token));
		// Best effort: a client without webhook access still works for the public API.
		const users = await mint('users').catch(() => undefined);
		return {
			...persistedFields(main.token, tokenKey(main.grant)),
			...(users && !isTokenFailure(users.token)
				? persistedFields(users.token, tokenKey(users.grant), 'users')
				: noUsersToken),
		};
	}

	/** Basic, or the bearer token of the host the request goes to (so it also works in the HTTP Request node). */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const fields = asFields(credentials);
		if (fields.authentication === 'basic') {
			return {
				...requestOptions,
				auth: { username: clientIdOf(fields), password: String(fields.apiSecret ?? '') },
			};
		}
		// The HTTP Request node addresses the request as `uri`, the nodes as `url` (or `baseURL` + `url`).
		const token =
			hostOfUrl(fields, requestTargetUrl(requestOptions)) === 'users' && fields.usersAccessToken
				? fields.usersAccessToken
				: fields.accessToken;
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${token ?? ''}` },
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `=${publicHostExpression}`,
			url: `={{ '/' + String($credentials.restV1Path || '${DEFAULT_REST_V1_PATH}').replace(/^\\/+|\\/+$/g, '') + '/users' }}`,
			qs: { page: 1, perPage: 1 },
			method: 'GET',
		},
	};
}
