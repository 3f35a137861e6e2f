/** SCORM Cloud API v2 base URL (public cloud). Every route of the node is relative to it. */
export const DEFAULT_BASE_URL = 'https://cloud.scorm.com/api/v2';

/** GetAppToken: form-encoded `scope` + `expiration`, App ID / Secret Key as HTTP Basic. */
export const GET_APP_ROUTE = '/oauth/authenticate/application/token';

/** Default OAuth token lifetime in seconds, as documented for GetAppToken. */
export const DEFAULT_TOKEN_EXPIRATION = 300;

/** OAuth scopes documented for SCORM Cloud API v2 (the published list may be longer). */
export const SCOPES = [
	'read',
	'write',
	'delete',
	'admin',
	'read:course',
	'write:course',
	'delete:course',
	'read:registration',
	'write:registration',
	'delete:registration',
	'read:ping',
	'read:learner',
	'write:learner',
	'read:reporting',
	'read:dispatch',
	'write:dispatch',
	'delete:dispatch',
	'read:invitation',
	'write:invitation',
	'delete:invitation',
	'read:xapicredential',
	'write:xapicredential',
	'delete:xapicredential',
	'read:xapipipe',
	'write:xapipipe',
	'delete:xapipipe',
	'read:appmgmt',
	'write:appmgmt',
	'delete:appmgmt',
	'read:about',
] as const;

/** Base URL without a trailing slash; the default when empty. */
export function normaliseBaseUrl(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	return (text || DEFAULT_BASE_URL).replace(/\/+$/, '');
}
