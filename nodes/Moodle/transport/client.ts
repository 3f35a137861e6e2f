import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ApiClient } from '../../shared/apiClient';
import type { RequestSettings } from '../../shared/descriptions';
import { apiError } from '../../shared/errors';
import { paginate } from '../../shared/pagination';
import type { Page } from '../../shared/pagination';
import type { ProviderClient } from '../../shared/router';
import { Redactor, clipText } from '../../shared/redact';
import { bodyProblem } from '../../shared/responseShape';
import { tokenCacheKey } from '../../shared/tokenManager';
import type { ExpectedBody, HttpResponse, RequestSpec, TransportContext } from '../../shared/types';
import { encodeMoodleParams, toFormObject } from './encode';
import {
	NOT_A_MOODLE_ENDPOINT,
	WRONG_URL_HINT,
	hintFor,
	moodleErrorOf,
	moodleProfile,
} from './profile';
import { restEndpoint } from './site';

export interface MoodleCredentials {
	siteUrl: string;
	token: string;
	allowInsecureHttp?: boolean;
}

export interface CallOptions {
	itemIndex?: number;
	/** The function is safe to send twice (an upsert, an enrolment): resent after a 5xx or a dropped connection. */
	idempotent?: boolean;
	/**
	 * For a write that is not idempotent: after an ambiguous failure, finds out whether it landed.
	 * Returns the result to use (the write is then a success) or undefined (safe to send again).
	 */
	recover?: () => Promise<unknown>;
	/**
	 * What the function documents as its result (`array` for a list): anything else, an empty body
	 * or a bare `null` included, is an error instead of an empty list. Default: any JSON.
	 */
	expect?: ExpectedBody;
}

/** One `options[i][name|value]` entry of a Moodle list function. */
const listOption = (name: string, value: number | string): IDataObject => ({ name, value });

/** The request body fields every call carries besides the function's own arguments. */
const FORMAT = { moodlewsrestformat: 'json' } as const;

/**
 * Calls Moodle web-service functions through the shared transport: always POST, form-encoded, to
 * `/webservice/rest/server.php`, with `wstoken`, `wsfunction` and `moodlewsrestformat=json` in the
 * body (the token stays out of URLs and proxy logs), arguments in Moodle's bracket form. Moodle's
 * HTTP-200 error bodies and non-JSON answers become NodeApiErrors with a hint; the token is redacted.
 */
export class MoodleClient implements ProviderClient {
	constructor(
		readonly api: ApiClient,
		readonly settings: RequestSettings,
		readonly endpoint: string,
		private readonly getNode: TransportContext['getNode'],
	) {}

	get redactor(): Redactor {
		return this.api.redactor;
	}

	/** The request for one call (exposed for paging and tests). */
	spec(
		wsfunction: string,
		params: Record<string, unknown>,
		options: CallOptions = {},
	): RequestSpec {
		const body = toFormObject([
			['wsfunction', wsfunction],
			...Object.entries(FORMAT),
			...encodeMoodleParams(params),
		]);
		return {
			method: 'POST',
			url: this.endpoint,
			body,
			form: true,
			headers: { Accept: 'application/json' },
			itemIndex: options.itemIndex,
			idempotent: options.idempotent,
			recover: options.recover
				? async (): Promise<HttpResponse | undefined> => {
						const found = await options.recover!();
						return found === undefined ? undefined : { statusCode: 200, headers: {}, body: found };
					}
				: undefined,
		};
	}

	/** Sends a prepared call and returns Moodle's result, or throws Moodle's error. */
	async send(spec: RequestSpec): Promise<HttpResponse> {
		const response = await this.api.request(spec);
		const wsfunction = String((spec.body as Record<string, string>)?.wsfunction ?? '');
		this.check(response, wsfunction, spec.itemIndex);
		return response;
	}

	async call<T = unknown>(
		wsfunction: string,
		params: Record<string, unknown> = {},
		options: CallOptions = {},
	): Promise<T> {
		const response = await this.send(this.spec(wsfunction, params, options));
		// Judged after Moodle's own error body (an object), so its exception keeps its words.
		const problem = options.expect ? bodyProblem(response.body, options.expect) : undefined;
		if (problem) {
			throw apiError({
				node: this.getNode(),
				provider: 'Moodle',
				redactor: this.redactor,
				response: { ...response, body: undefined },
				itemIndex: options.itemIndex,
				message: `${wsfunction}: the answer ${problem}`,
				description:
					'Nothing of it was used. Check that the Site URL in the credential is the Moodle site itself and that no proxy in between rewrites its answers.',
			});
		}
		return response.body as T;
	}

	/**
	 * Every record of a list function paged with `options[i][name]=limitfrom|limitnumber` (as
	 * `core_enrol_get_enrolled_users`), page by page until a short page. Existing `options` entries
	 * are kept; paging entries are added after them.
	 */
	pages<T>(
		wsfunction: string,
		params: Record<string, unknown>,
		options: { pageSize: number; itemIndex?: number; items?: (body: unknown) => T[] },
	): AsyncGenerator<T[]> {
		const base = Array.isArray(params.options) ? (params.options as IDataObject[]) : [];
		const at = (from: number) =>
			this.spec(
				wsfunction,
				{
					...params,
					options: [
						...base,
						listOption('limitfrom', from),
						listOption('limitnumber', options.pageSize),
					],
				},
				{ itemIndex: options.itemIndex },
			);
		const from = new WeakMap<RequestSpec, number>();
		const first = at(0);
		from.set(first, 0);
		const items = options.items ?? ((body: unknown) => (Array.isArray(body) ? (body as T[]) : []));
		const read = (response: HttpResponse, request: RequestSpec): Page<T> => {
			const records = items(response.body);
			if (records.length < options.pageSize) return { items: records };
			const nextFrom = (from.get(request) ?? 0) + records.length;
			const next = at(nextFrom);
			from.set(next, nextFrom);
			return { items: records, next };
		};
		return paginate<T>(async (request) => await this.send(request), first, read);
	}

	private check(response: HttpResponse, wsfunction: string, itemIndex?: number): void {
		const body = response.body;
		const node = this.getNode();
		const err = moodleErrorOf(body);
		if (err) {
			throw apiError({
				node,
				provider: 'Moodle',
				redactor: this.redactor,
				response,
				itemIndex,
				code: err.errorcode,
				message: `${wsfunction ? `${wsfunction}: ` : ''}${err.message} (${err.errorcode})`,
				description: [
					hintFor(err.errorcode, wsfunction),
					err.debuginfo ? `Moodle debug info: ${err.debuginfo}` : '',
				]
					.filter(Boolean)
					.join(' '),
			});
		}
		if (typeof body === 'string' || Buffer.isBuffer(body)) {
			const text = String(body).trim();
			// Moodle sends the JSON literal null for functions without a result (enrol_manual_enrol_users).
			if (text === 'null' || text === '') return;
			throw apiError({
				node,
				provider: 'Moodle',
				redactor: this.redactor,
				response: { ...response, body: clipText(text, 300, this.redactor) },
				itemIndex,
				message: NOT_A_MOODLE_ENDPOINT,
				description: WRONG_URL_HINT,
			});
		}
	}
}

/** Builds the client for the node's credential, with the node's "Request Options". */
export async function createMoodleClient(
	ctx: IExecuteFunctions,
	settings: RequestSettings,
): Promise<MoodleClient> {
	const raw = await ctx.getCredentials('moodleApi');
	const credentials = raw as unknown as MoodleCredentials;
	const token = String(credentials.token ?? '').trim();
	const redactor = new Redactor([token]);
	const api = new ApiClient(ctx, {
		provider: moodleProfile,
		credentials: raw,
		clientKey: tokenCacheKey({ provider: 'moodle', siteUrl: credentials.siteUrl, token }),
		redactor,
		retry: settings.retry,
		rateLimit: settings.rateLimit,
		timeoutMs: settings.timeoutMs,
		allowInsecureHttp: credentials.allowInsecureHttp === true,
		auth: { kind: 'static', apply: (request) => applyToken(request, token) },
	});
	return new MoodleClient(api, settings, restEndpoint(credentials.siteUrl), () => ctx.getNode());
}

/** Puts `wstoken` first in a form body (the node's way), or in the query when there is no form body. */
export function applyToken(request: { body?: unknown; qs?: IDataObject }, token: string): void {
	if (typeof request.body === 'string') {
		const params = new URLSearchParams(request.body);
		params.delete('wstoken');
		request.body = `wstoken=${encodeURIComponent(token)}${params.size ? `&${params.toString()}` : ''}`;
		return;
	}
	request.qs = { ...request.qs, wstoken: token };
}
