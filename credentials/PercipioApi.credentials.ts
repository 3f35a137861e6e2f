import type {
	IAuthenticate,
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

import { Redactor } from '../nodes/shared/redact';
import {
	credentialFailureMessage,
	requestCredentialToken,
	tokenKey,
} from '../nodes/shared/clientCredentials';
import { isTokenFailure, persistedFields } from '../nodes/shared/tokenManager';
import { PERCIPIO_REGIONS } from '../nodes/Percipio/transport/hosts';
import { readPercipioConfig } from '../nodes/Percipio/transport/config';
import { percipioGrant } from '../nodes/Percipio/transport/token';

/** API base URL for the credential test, resolved from the region like the node does. */
const API_BASE_EXPRESSION = `={{ $credentials.region === 'eu' ? '${PERCIPIO_REGIONS.eu.apiBaseUrl}' : $credentials.region === 'custom' ? $credentials.apiBaseUrl : '${PERCIPIO_REGIONS.us.apiBaseUrl}' }}`;

const TEST_PATH_EXPRESSION =
	"={{ ($credentials.testRoute === 'catalog' ? '/content-discovery/v2/organizations/{orgId}/catalog-content' : $credentials.testRoute === 'custom' ? $credentials.testPath : '/user-management/v1/organizations/{orgId}/users').replace('{orgId}', encodeURIComponent($credentials.organizationId.trim())) }}";

export class PercipioApi implements ICredentialType {
	name = 'percipioApi';

	displayName = 'Skillsoft Percipio API';

	icon: Icon = {
		light: 'file:../nodes/Percipio/percipio.svg',
		dark: 'file:../nodes/Percipio/percipio.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-learning-platforms/n8n-nodes-learning-platforms/blob/main/docs/percipio.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'OAuth2 Client Credentials',
					value: 'oAuth2ClientCredentials',
					description:
						'Client ID and secret issued by Skillsoft at onboarding (iX Studio partner APIs: Content Import, Track, Statements)',
				},
				{
					name: 'Service Account Token',
					value: 'serviceAccount',
					description:
						'A bearer token (JWT) a Percipio admin created for a service account (standard APIs: users, catalog, reports)',
				},
			],
			default: 'oAuth2ClientCredentials',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'US (api.percipio.com)', value: 'us' },
				{ name: 'EU (dew1-api.percipio.com)', value: 'eu' },
				{
					name: 'Custom',
					value: 'custom',
					description:
						'Type the API base URL and token URL Skillsoft gave you (development hosts, other regions)',
				},
			],
			default: 'us',
			description:
				'Where your Percipio site is hosted. A client created in one region does not work in another.',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.percipio.com',
			description: 'The Percipio API host, without a path',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://oauth2-provider.percipio.com/oauth2-provider/token',
			description: 'The full OAuth2 token endpoint URL, ending in /oauth2-provider/token',
			displayOptions: { show: { region: ['custom'], authMethod: ['oAuth2ClientCredentials'] } },
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether plain http:// URLs may be used. For lab and test hosts only: credentials and tokens would travel unencrypted.',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
			description:
				'Your Percipio organization UUID, provided by Skillsoft at onboarding (or by your Percipio admin)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['oAuth2ClientCredentials'] } },
			description: 'Issued by Skillsoft during integration onboarding',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['oAuth2ClientCredentials'] } },
			description: 'Issued by Skillsoft together with the client ID',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'api',
			displayOptions: { show: { authMethod: ['oAuth2ClientCredentials'] } },
			description:
				'Sent as is in the token request. Skillsoft documents "api"; permissions (CONTENT_IMPORT, CONTENT_AGGREGATION) are attached to the client by Skillsoft.',
		},
		{
			displayName: 'Service Account Token',
			name: 'serviceAccountToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['serviceAccount'] } },
			description:
				'The bearer token (a JWT) shown once when a Percipio admin creates the service account token',
		},
		{
			displayName: 'Partner Name',
			name: 'partnerName',
			type: 'string',
			default: '',
			placeholder: 'acme-learning',
			description:
				'Your iX Studio partner name, as Skillsoft set it up at onboarding. Used in the Content Import, Track and Statements paths (/v1/partners/{partnerName}/…).',
		},
		{
			displayName: 'Test Route',
			name: 'testRoute',
			type: 'options',
			options: [
				{ name: 'Users (User Management API)', value: 'users' },
				{ name: 'Catalog Content (Content Discovery API)', value: 'catalog' },
				{ name: 'Custom Path', value: 'custom' },
			],
			default: 'users',
			description:
				'The cheap authenticated GET the Test button calls with the token (asks for one record). Pick one your token is permitted for.',
		},
		{
			displayName: 'Test Path',
			name: 'testPath',
			type: 'string',
			default: '/user-management/v1/organizations/{orgId}/users',
			description:
				'Path of a GET route your token may call; {orgId} is replaced by the organization ID',
			displayOptions: { show: { testRoute: ['custom'] } },
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
		{
			// Hash of the fields the access token was issued for: a token is never reused after the
			// client, secret, scope or token URL changed.
			displayName: 'Issued For',
			name: 'issuedFor',
			type: 'hidden',
			default: '',
		},
	];

	/**
	 * Gets an access token (OAuth2 client credentials, JSON body) when the stored one is empty, after
	 * a 401, and on every credential test. For a service-account token nothing is fetched: the JWT is
	 * only checked, so the Test button reports a malformed or expired token by name.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		let config: ReturnType<typeof readPercipioConfig>;
		try {
			config = readPercipioConfig(credentials);
		} catch (error) {
			// The field that cannot work, named before anything is sent; no status, so n8n shows these words.
			const redactor = new Redactor([
				credentials.clientSecret,
				credentials.serviceAccountToken,
				credentials.accessToken,
			]);
			throw new UserError(redactor.text(`Skillsoft Percipio: ${(error as Error).message}.`));
		}
		if (!config.token) return {};
		const grant = percipioGrant(config.token);
		const token = await requestCredentialToken(grant, this.helpers.httpRequest, credentials);
		if (isTokenFailure(token))
			throw new UserError(credentialFailureMessage('Skillsoft Percipio', token));
		return persistedFields(token, tokenKey(grant));
	}

	/** Function style, so the credential also works in n8n's HTTP Request node. */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	) => {
		const token =
			credentials.authMethod === 'serviceAccount'
				? String(credentials.serviceAccountToken ?? '')
						.trim()
						.replace(/^bearer\s+/i, '')
				: String(credentials.accessToken ?? '');
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` },
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: API_BASE_EXPRESSION,
			url: TEST_PATH_EXPRESSION,
			method: 'GET',
			qs: { max: 1 },
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The token is valid but not permitted for the test route. Pick another "Test Route" the token may call, or ask your Percipio admin / Skillsoft contact for that API permission.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The test route was not found. Check the region / API base URL and the organization ID.',
				},
			},
		],
	};
}
