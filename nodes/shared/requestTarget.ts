import type { IHttpRequestOptions } from 'n8n-workflow';

import { joinUrl } from './urls';

/** The address fields a request may carry, whoever built it. */
type AddressFields = Pick<IHttpRequestOptions, 'url' | 'baseURL'> & {
	uri?: unknown;
	baseUrl?: unknown;
};

const text = (value: unknown): string =>
	typeof value === 'string' ? value : value instanceof URL ? value.href : '';

/**
 * The absolute URL a request goes to, whichever shape the caller used: our transport and n8n's own
 * helpers pass `url` (maybe relative to `baseURL`), while n8n's HTTP Request node passes the legacy
 * `uri` (maybe relative to `baseUrl`). An absolute address wins over a base, as axios and request do.
 * A credential whose token depends on the host reads the host from here.
 */
export function requestTargetUrl(options: AddressFields): string {
	const address = text(options.url) || text(options.uri);
	const base = text(options.baseURL) || text(options.baseUrl);
	if (/^[a-z][a-z\d+.-]*:\/\//i.test(address) || !base) return address;
	return address ? joinUrl(base, address) : base;
}
