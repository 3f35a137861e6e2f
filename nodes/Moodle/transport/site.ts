/** Where Moodle's REST web-service server lives on a site. [C] moodle/moodle webservice/rest/server.php */
const REST_ENDPOINT_PATH = '/webservice/rest/server.php';

/**
 * The REST endpoint of a site. Users paste all sorts of addresses: the site root, a page of the
 * site, or the endpoint itself; a trailing `/webservice/rest/server.php`, `/login/index.php`,
 * `/admin/…` or `/my/` is taken off so all of them work. Query and fragment are dropped.
 */
export function siteBaseUrl(siteUrl: string): string {
	const trimmed = String(siteUrl ?? '').trim();
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		return trimmed.replace(/\/+$/, '');
	}
	let path = url.pathname.replace(/\/+$/, '');
	path = path.replace(
		/\/(webservice\/rest\/server\.php|login\/(index|token)\.php|admin(\/.*)?|my|index\.php)$/i,
		'',
	);
	return `${url.protocol}//${url.host}${path.replace(/\/+$/, '')}`;
}

export function restEndpoint(siteUrl: string): string {
	return `${siteBaseUrl(siteUrl)}${REST_ENDPOINT_PATH}`;
}
