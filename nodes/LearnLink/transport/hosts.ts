import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { joinUrl, pathProblem } from '../../shared/urls';

/** The two Learn.link (Thrive) API hosts: the public REST API, and the users/webhooks API. */
export type LearnLinkHost = 'public' | 'users';

export type LearnLinkEnvironment =
	| 'production'
	| 'staging'
	| 'productionMea'
	| 'stagingMea'
	| 'custom';

/** Hosts per environment, as Thrive's "Obtain an OAuth 2.0 access token" reference lists them. */
export const ENVIRONMENT_HOSTS: Record<
	Exclude<LearnLinkEnvironment, 'custom'>,
	Record<LearnLinkHost, string>
> = {
	production: { public: 'https://public.api.learn.link', users: 'https://user.api.learn.link' },
	staging: {
		public: 'https://public.api.learnstaging.link',
		users: 'https://user.api.learnstaging.link',
	},
	productionMea: {
		public: 'https://public.api.mea.learn.tech',
		users: 'https://user.api.mea.learn.tech',
	},
	stagingMea: {
		public: 'https://public.api.meastaging.learn.tech',
		users: 'https://user.api.meastaging.learn.tech',
	},
};

/**
 * Documented tenant id shape: an AWS Cognito user-pool id such as `eu-west-2_AbcdEfghI`
 * (region, underscore, alphanumerics). Users whose tenant id differs can turn the check off.
 */
export const TENANT_ID_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d_[A-Za-z0-9]+$/;

export const DEFAULT_REST_V1_PATH = '/rest/v1';
export const DEFAULT_REST_V2_PATH = '/rest/v2';

export const PUBLIC_SCOPES = ['api/all', 'api/read', 'api/write'] as const;
export const USERS_SCOPES = ['api/all', 'api/webhooks'] as const;

/** The credential's fields, as read from n8n (all optional: n8n applies defaults, tests may not). */
export interface LearnLinkCredentialFields {
	environment?: LearnLinkEnvironment;
	publicApiUrl?: string;
	usersApiUrl?: string;
	allowInsecureHttp?: boolean;
	tenantId?: string;
	validateTenantId?: boolean;
	clientId?: string;
	apiSecret?: string;
	authentication?: 'oauth2' | 'basic';
	scopes?: string[] | string;
	clientAuthentication?: 'basic' | 'body' | 'both';
	grantBodyFormat?: 'form' | 'json';
	restV1Path?: string;
	restV2Path?: string;
	webhookSecret?: string;
	accessToken?: string;
	issuedAt?: number | string;
	expiresAt?: number | string;
	usersAccessToken?: string;
	usersIssuedAt?: number | string;
	usersExpiresAt?: number | string;
}

export const asFields = (credentials: ICredentialDataDecryptedObject): LearnLinkCredentialFields =>
	credentials as unknown as LearnLinkCredentialFields;

export class LearnLinkConfigError extends Error {}

/** Base URL of one host for the credential's environment (custom URLs for a lab or the sandbox). */
export function hostUrl(fields: LearnLinkCredentialFields, host: LearnLinkHost): string {
	const environment = fields.environment ?? 'production';
	if (environment === 'custom') {
		const url = String((host === 'public' ? fields.publicApiUrl : fields.usersApiUrl) ?? '').trim();
		if (!url)
			throw new LearnLinkConfigError(
				`The credential uses custom URLs but its ${host === 'public' ? '"Public API URL"' : '"Users API URL"'} is empty`,
			);
		return url.replace(/\/+$/, '');
	}
	const hosts = ENVIRONMENT_HOSTS[environment];
	if (!hosts) throw new LearnLinkConfigError(`Unknown environment "${environment}"`);
	return hosts[host];
}

/** The tenant id, trimmed and checked against the documented shape unless the check is off. */
export function tenantIdOf(fields: LearnLinkCredentialFields): string {
	const tenantId = String(fields.tenantId ?? '').trim();
	if (!tenantId) throw new LearnLinkConfigError('The credential has no Tenant ID');
	if (fields.validateTenantId !== false && !TENANT_ID_PATTERN.test(tenantId)) {
		throw new LearnLinkConfigError(
			`The Tenant ID "${tenantId}" does not look like a Thrive tenant id (expected the form eu-west-2_AbcdEfghI). If your tenant id really has another form, turn off "Validate Tenant ID Format" in the credential`,
		);
	}
	return tenantId;
}

/** The OAuth client id: the Client ID field, or the tenant id when it is empty (Thrive's reference says they are the same). */
export function clientIdOf(fields: LearnLinkCredentialFields): string {
	return String(fields.clientId ?? '').trim() || tenantIdOf(fields);
}

/** Token endpoint of one host: `{host}/oauth2/token/{tenantId}`, tenant id URL-encoded. */
export function tokenUrl(fields: LearnLinkCredentialFields, host: LearnLinkHost): string {
	return joinUrl(hostUrl(fields, host), `/oauth2/token/${encodeURIComponent(tenantIdOf(fields))}`);
}

/**
 * A path prefix from the credential, judged by the shared path-override check before its slashes
 * are tidied (tidying first would turn `//other-host/x` into a harmless-looking `/other-host/x`).
 */
function normalisePrefix(value: string | undefined, fallback: string, field: string): string {
	const text = String(value ?? '').trim() || fallback;
	const problem = pathProblem(text.startsWith('/') ? text : `/${text}`);
	if (problem)
		throw new LearnLinkConfigError(
			`The credential's "${field}" ${problem} (got "${text.slice(0, 80)}")`,
		);
	return `/${text.replace(/^\/+|\/+$/g, '')}`;
}

/** REST base of the public API for `/rest/v1` resources (prefix overridable in the credential). */
export function restV1Base(fields: LearnLinkCredentialFields): string {
	return joinUrl(
		hostUrl(fields, 'public'),
		normalisePrefix(fields.restV1Path, DEFAULT_REST_V1_PATH, 'REST v1 Path'),
	);
}

/** REST base of the public API for `/rest/v2` (user create/update/suspend). */
export function restV2Base(fields: LearnLinkCredentialFields): string {
	return joinUrl(
		hostUrl(fields, 'public'),
		normalisePrefix(fields.restV2Path, DEFAULT_REST_V2_PATH, 'REST v2 Path'),
	);
}

/** The chosen scopes that mean something on `host` (a users-API token is never asked for api/read). */
export function scopesFor(fields: LearnLinkCredentialFields, host: LearnLinkHost): string[] {
	const raw = Array.isArray(fields.scopes)
		? fields.scopes
		: String(fields.scopes ?? '').split(/[\s,]+/);
	const chosen = raw.map((s) => String(s).trim()).filter(Boolean);
	const allowed: readonly string[] = host === 'public' ? PUBLIC_SCOPES : USERS_SCOPES;
	return [...new Set(chosen.filter((s) => allowed.includes(s)))];
}

/** Which host a URL belongs to (for `authenticate` in n8n's HTTP Request node). */
export function hostOfUrl(fields: LearnLinkCredentialFields, url: string): LearnLinkHost {
	try {
		const users = new URL(hostUrl(fields, 'users'));
		const target = new URL(url);
		if (
			target.origin === users.origin &&
			(target.pathname + '/').startsWith(users.pathname.replace(/\/?$/, '/'))
		)
			return 'users';
	} catch {
		// An unparsable URL is the public API's (the default).
	}
	return 'public';
}
