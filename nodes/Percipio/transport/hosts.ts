/**
 * Percipio hosts per region. The API hosts are confirmed by Skillsoft's own client libraries; the
 * regional OAuth token hosts are the ones Skillsoft integrations use (secondary sources), so a
 * "Custom" region lets users type both URLs when Skillsoft gives them different ones.
 */
export type PercipioRegion = 'us' | 'eu' | 'custom';

export interface PercipioHosts {
	/** REST API base, without a trailing slash, e.g. https://api.percipio.com */
	apiBaseUrl: string;
	/** Full OAuth2 token endpoint URL. */
	tokenUrl: string;
}

export const PERCIPIO_REGIONS: Record<Exclude<PercipioRegion, 'custom'>, PercipioHosts> = {
	us: {
		apiBaseUrl: 'https://api.percipio.com',
		tokenUrl: 'https://oauth2-provider.percipio.com/oauth2-provider/token',
	},
	eu: {
		apiBaseUrl: 'https://dew1-api.percipio.com',
		tokenUrl: 'https://euc1-prod-oauth2-provider.percipio.com/oauth2-provider/token',
	},
};

const trimSlash = (url: string) => url.trim().replace(/\/+$/, '');

/** The API base and token URL a credential points at: the region's, or the typed custom ones. */
export function resolveHosts(
	region: unknown,
	custom: { apiBaseUrl?: unknown; tokenUrl?: unknown },
): PercipioHosts {
	if (region === 'eu' || region === 'us') return PERCIPIO_REGIONS[region];
	if (region === 'custom') {
		return {
			apiBaseUrl: trimSlash(String(custom.apiBaseUrl ?? '')),
			tokenUrl: String(custom.tokenUrl ?? '').trim(),
		};
	}
	return PERCIPIO_REGIONS.us;
}
