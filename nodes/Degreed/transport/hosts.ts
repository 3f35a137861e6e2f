/**
 * Degreed's hosts. The token (OAuth) host and the API host differ; both depend on the environment
 * (production or betatest) and the data center (US, EU, CA).
 *   token host: https://{dc.}{env.}degreed.com          (/oauth/token, /oauth/logout)
 *   API host:   https://api.{dc.}{env.}degreed.com      (/api/v2/…, /xAPI/statements)
 * US production and betatest are in Degreed's own guide; EU/CA come from a partner's copy of
 * Degreed's table, and the CA betatest API host follows the pattern (unconfirmed): users can type
 * custom hosts instead.
 */
export type DegreedEnvironment = 'production' | 'betatest' | 'custom';
export type DegreedDataCenter = 'us' | 'eu' | 'ca';

export interface DegreedHosts {
	tokenBaseUrl: string;
	apiBaseUrl: string;
}

const DC_PREFIX: Record<DegreedDataCenter, string> = { us: '', eu: 'eu.', ca: 'ca.' };
const ENV_PREFIX: Record<Exclude<DegreedEnvironment, 'custom'>, string> = {
	production: '',
	betatest: 'betatest.',
};

const trimSlash = (url: string) => url.trim().replace(/\/+$/, '');

export interface HostFields {
	environment?: unknown;
	dataCenter?: unknown;
	tokenBaseUrl?: unknown;
	apiBaseUrl?: unknown;
}

/** The two base URLs for the credential's environment and data center (or its custom hosts). */
export function degreedHosts(fields: HostFields): DegreedHosts {
	const environment = (String(fields.environment ?? 'production') ||
		'production') as DegreedEnvironment;
	if (environment === 'custom') {
		const tokenBaseUrl = trimSlash(String(fields.tokenBaseUrl ?? ''));
		const apiBaseUrl = trimSlash(String(fields.apiBaseUrl ?? ''));
		if (!tokenBaseUrl || !apiBaseUrl) {
			throw new Error(
				'With the "Custom" environment, both the OAuth Base URL and the API Base URL must be filled in',
			);
		}
		return { tokenBaseUrl, apiBaseUrl };
	}
	const envPrefix = ENV_PREFIX[environment];
	if (envPrefix === undefined) throw new Error(`Unknown Degreed environment "${environment}"`);
	const dc = (String(fields.dataCenter ?? 'us') || 'us') as DegreedDataCenter;
	const dcPrefix = DC_PREFIX[dc];
	if (dcPrefix === undefined) throw new Error(`Unknown Degreed data center "${dc}"`);
	const name = `${dcPrefix}${envPrefix}degreed.com`;
	return { tokenBaseUrl: `https://${name}`, apiBaseUrl: `https://api.${name}` };
}

/**
 * The API base URL as an n8n expression over `$credentials`, for the credential's Test request
 * (which n8n resolves without running our code). Kept equal to `degreedHosts` by a unit test.
 */
export const API_BASE_URL_EXPRESSION =
	'={{ $credentials.environment === "custom" ? String($credentials.apiBaseUrl).replace(/\\/+$/, "") : "https://api." + ({ us: "", eu: "eu.", ca: "ca." })[$credentials.dataCenter || "us"] + ($credentials.environment === "betatest" ? "betatest." : "") + "degreed.com" }}';
