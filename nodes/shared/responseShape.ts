import type { ExpectedBody, HttpResponse, RequestSpec } from './types';

const isObject = (v: unknown): v is Record<string, unknown> =>
	!!v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);

/**
 * A web page where the API's JSON was expected: a wrong base URL (the web site, a sign-on portal, a
 * proxy's login page). Never handed on as data: such pages can print session tokens or form values.
 */
export function isWebPage(
	response: HttpResponse,
	spec: Pick<RequestSpec, 'responseType'>,
): boolean {
	if ((spec.responseType ?? 'json') !== 'json' || typeof response.body !== 'string') return false;
	const type = String(response.headers['content-type'] ?? '');
	return /html/i.test(type) || /^\s*<(!doctype html|html)\b/i.test(response.body);
}

/**
 * What a success body must be when the caller does not say: a GET documents a record or a list
 * (object or array); a write may answer with nothing, but not with something that is not JSON.
 * 204/205 and HEAD carry no body by definition; text and bytes are the caller's to judge.
 */
export function expectedBody(
	spec: Pick<RequestSpec, 'expect' | 'method' | 'responseType'>,
	status: number,
): ExpectedBody {
	if (status === 204 || status === 205 || spec.method === 'HEAD') return 'none';
	if (spec.expect) return spec.expect;
	if ((spec.responseType ?? 'json') !== 'json') return 'none';
	return spec.method === 'GET' ? 'json' : 'any';
}

const kind = (body: unknown) =>
	body === null
		? 'null'
		: Array.isArray(body)
			? 'an array'
			: typeof body === 'object'
				? 'an object'
				: `a ${typeof body}`;

/** Why `body` is not what was expected (words for an error message), or undefined when it is. */
export function bodyProblem(body: unknown, expect: ExpectedBody): string | undefined {
	if (expect === 'none') return undefined;
	if (expect === 'any') return typeof body === 'string' ? 'is not JSON' : undefined;
	if (body === undefined) return 'is empty';
	if (expect === 'object' && !isObject(body))
		return `is ${kind(body)} where an object is documented`;
	if (expect === 'array' && !Array.isArray(body))
		return `is ${kind(body)} where a list is documented`;
	if (expect === 'json' && !isObject(body) && !Array.isArray(body))
		return `is ${kind(body)} where an object or a list is documented`;
	return undefined;
}

/** The words of one error entry: a string, or `message`, `title: detail` (JSON:API), `error_description`, `code`. */
function text(v: unknown): string | undefined {
	if (typeof v === 'string') return v.trim() || undefined;
	if (!isObject(v)) return undefined;
	const titled = [v.title, v.detail].filter((x) => typeof x === 'string' && x.trim()).join(': ');
	return String(
		v.message ?? (titled || undefined) ?? v.error_description ?? v.code ?? JSON.stringify(v),
	);
}

/**
 * The error envelopes a 2xx can carry from APIs of this kind: `{"error": "…" | {…}}` and
 * `{"errors": [ … ]}` (JSON:API: `errors` and `data` never stand together). A provider whose records
 * use those names, or that has its own envelope, declares `ProviderProfile.errorEnvelope`.
 */
export function defaultErrorEnvelope(
	response: HttpResponse,
): { message?: string; description?: string; code?: string } | undefined {
	const body = response.body;
	if (!isObject(body)) return undefined;
	if ((typeof body.error === 'string' && body.error.trim()) || isObject(body.error)) {
		const message = text(body.error);
		const detail =
			typeof body.error_description === 'string'
				? body.error_description
				: typeof body.message === 'string'
					? body.message
					: undefined;
		return { message: detail && detail !== message ? `${message}: ${detail}` : message };
	}
	if (Array.isArray(body.errors) && body.errors.length > 0 && body.data === undefined) {
		const messages = body.errors.map((e) => text(e) ?? String(e)).slice(0, 3);
		return { message: messages.join('; ') };
	}
	return undefined;
}
