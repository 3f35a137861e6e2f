import type { IDataObject } from 'n8n-workflow';

import type { HttpResponse, PagingProblem, RequestSpec } from './types';

/** One page: its records and, when there is more, the request for the next page. */
export interface Page<T> {
	items: T[];
	next?: RequestSpec;
}

export type Send = (request: RequestSpec) => Promise<HttpResponse>;

export interface PagingOptions {
	/**
	 * The server keeps the cursor's position and hands back the same next link on every page
	 * (Degreed's `?next=<cursor>`): a repeated link is then normal; repeated pages and the page cap
	 * still stop a walk that goes in circles.
	 */
	statefulCursor?: boolean;
}

/** Pages one list may take before it is stopped as endless (100 000 records at the smallest page size). */
export const MAX_PAGES = 10_000;

export const originOf = (url: string): string | undefined =>
	URL.canParse(url) ? new URL(url).origin : undefined;

/** The request as the server sees it: a repeated key means a repeated link, cursor or `more` token. */
function requestKey(request: RequestSpec): string {
	const qs = request.qs
		? Object.keys(request.qs)
				.sort()
				.map((k) => [k, request.qs![k]])
		: [];
	return `${request.method} ${request.url} ${JSON.stringify(qs)} ${JSON.stringify(request.body ?? null)}`;
}

export const fingerprint = (record: unknown): string => {
	const text = JSON.stringify(record) ?? String(record);
	return text.length > 2000 ? `${text.length}:${text.slice(0, 2000)}` : text;
};

/**
 * Why the next request must not be sent, or undefined. Links a provider hands back are followed on
 * the first request's origin only (scheme, host, port: the configured API origin), so the token never
 * goes elsewhere; a link, cursor or token already used, or a page that starts with a record already
 * seen as a page's first, means the server is going in circles.
 */
function nextProblem(
	next: RequestSpec,
	origin: string | undefined,
	seen: Set<string> | undefined,
): PagingProblem | undefined {
	const to = originOf(next.url);
	if (!to || to !== origin) {
		return {
			message: `the next-page link points to ${to ?? 'an unusable address'}, outside the API origin ${origin}`,
			description:
				'Links handed back by the provider are followed only on the API origin configured in the credential, so the credential never goes anywhere else. Nothing was sent there.',
		};
	}
	if (seen?.has(requestKey(next))) {
		return {
			message: 'the provider handed back a next-page link or cursor that was already used',
			description:
				'Paging stopped: following it would fetch the same pages again without end. Try again later; if it persists, report it to the provider.',
		};
	}
	return undefined;
}

/**
 * Walks pages lazily: the next page is only fetched when the consumer asks for more, so a limit
 * stops the requests and memory holds one raw page at a time. Bounded: a link off the API origin,
 * a repeated link/cursor, a repeated page or more than `maxPages` pages stop the walk with an error
 * (thrown by the `ApiClient` the request is handed to, naming the provider).
 */
export async function* paginate<T>(
	send: Send,
	first: RequestSpec,
	readPage: (response: HttpResponse, request: RequestSpec) => Page<T>,
	maxPages = MAX_PAGES,
	options: PagingOptions = {},
): AsyncGenerator<T[]> {
	const origin = originOf(first.url);
	const seen = new Set<string>();
	const firsts = new Set<string>();
	let request: RequestSpec | undefined = first;
	for (let pages = 0; request; pages++) {
		seen.add(requestKey(request));
		const response = await send(
			pages === 0 ? request : { ...request, paging: { origin: origin ?? '' } },
		);
		const page = readPage(response, request);
		let next = page.items.length ? page.next : undefined;
		if (page.items.length) {
			const head = fingerprint(page.items[0]);
			if (pages > 0 && firsts.has(head)) {
				next = undefined;
				await refuse(send, request, origin, {
					message: `page ${pages + 1} starts with a record an earlier page started with`,
					description:
						'Paging stopped: the provider keeps answering the same page (its offset, page number or total is not moving). Try again later; if it persists, report it to the provider.',
				});
				return;
			}
			firsts.add(head);
		}
		yield page.items;
		if (!next) return;
		const problem =
			nextProblem(next, origin, options.statefulCursor ? undefined : seen) ??
			(pages + 1 >= maxPages
				? {
						message: `the list is longer than ${maxPages} pages`,
						description:
							'Paging stopped as endless: narrow the request (filters, a Limit) or raise the page size.',
					}
				: undefined);
		if (problem) {
			await refuse(send, next, origin, problem);
			return;
		}
		request = next;
	}
}

/** Hands the problem to the sender, which throws it as the provider's error without sending anything. */
export async function refuse(
	send: Send,
	request: RequestSpec,
	origin: string | undefined,
	problem: PagingProblem,
): Promise<void> {
	await send({ ...request, paging: { origin: origin ?? '', problem } });
}

/** Collects records up to `limit` (all when `returnAll`), stopping further requests once reached. */
export async function collect<T>(
	pages: AsyncIterable<T[]>,
	options: { returnAll: boolean; limit?: number },
): Promise<T[]> {
	const max = options.returnAll ? Infinity : Math.max(0, options.limit ?? 50);
	const out: T[] = [];
	if (max === 0) return out;
	for await (const items of pages) {
		for (const item of items) {
			out.push(item);
			if (out.length >= max) return out;
		}
	}
	return out;
}

const headerValue = (response: HttpResponse, name: string): string | undefined => {
	const v = response.headers[name.toLowerCase()];
	return Array.isArray(v) ? v[0] : v;
};

const withQs = (request: RequestSpec, qs: IDataObject): RequestSpec => ({
	...request,
	qs: { ...request.qs, ...qs },
});

/**
 * Offset + max with a total-count header (Percipio: `offset`, `max`, `x-total-count`). Optionally
 * carries a snapshot id from a response header into every later request (`x-paging-request-id`).
 */
export function offsetPaging<T>(options: {
	pageSize: number;
	offsetParam?: string;
	sizeParam?: string;
	totalHeader?: string;
	snapshotHeader?: string;
	snapshotParam?: string;
	items?: (body: unknown) => T[];
}) {
	const {
		pageSize,
		offsetParam = 'offset',
		sizeParam = 'max',
		totalHeader = 'x-total-count',
	} = options;
	const items = options.items ?? ((body: unknown) => (Array.isArray(body) ? (body as T[]) : []));
	return {
		first: (request: RequestSpec) => withQs(request, { [offsetParam]: 0, [sizeParam]: pageSize }),
		read: (response: HttpResponse, request: RequestSpec): Page<T> => {
			const records = items(response.body);
			const offset = Number(request.qs?.[offsetParam] ?? 0) + records.length;
			const total = Number(headerValue(response, totalHeader));
			const more = Number.isFinite(total) ? offset < total : records.length >= pageSize;
			if (!more || records.length === 0) return { items: records };
			const qs: IDataObject = { [offsetParam]: offset, [sizeParam]: pageSize };
			const snapshot = options.snapshotHeader
				? headerValue(response, options.snapshotHeader)
				: undefined;
			if (snapshot && options.snapshotParam) qs[options.snapshotParam] = snapshot;
			return { items: records, next: withQs(request, qs) };
		},
		// Hook: parallel paging (parallelPaging.ts) — the total count plans every page's request.
		plan: (response: HttpResponse, request: RequestSpec) => {
			const total = Number(headerValue(response, totalHeader));
			const size = items(response.body).length;
			if (!Number.isFinite(total) || size === 0) return undefined;
			const start = Number(request.qs?.[offsetParam] ?? 0);
			const snapshot = options.snapshotHeader
				? headerValue(response, options.snapshotHeader)
				: undefined;
			return {
				pages: Math.ceil(Math.max(0, total - start) / size),
				request: (k: number) => {
					const qs: IDataObject = { [offsetParam]: start + k * size, [sizeParam]: size };
					if (snapshot && options.snapshotParam) qs[options.snapshotParam] = snapshot;
					return withQs(request, qs);
				},
			};
		},
	};
}

/** Page number + page size (Learn.link: `page` from 1, `perPage`, records under `results`). */
export function pageNumberPaging<T>(options: {
	pageSize: number;
	pageParam?: string;
	sizeParam?: string;
	firstPage?: number;
	items: (body: unknown) => T[];
	totalPages?: (body: unknown) => number | undefined;
}) {
	const { pageSize, pageParam = 'page', sizeParam = 'perPage', firstPage = 1 } = options;
	return {
		first: (request: RequestSpec) =>
			withQs(request, { [pageParam]: firstPage, [sizeParam]: pageSize }),
		read: (response: HttpResponse, request: RequestSpec): Page<T> => {
			const records = options.items(response.body);
			const page = Number(request.qs?.[pageParam] ?? firstPage);
			const totalPages = options.totalPages?.(response.body);
			const more =
				totalPages !== undefined ? page - firstPage + 1 < totalPages : records.length >= pageSize;
			return {
				items: records,
				next: more ? withQs(request, { [pageParam]: page + 1 }) : undefined,
			};
		},
		// Hook: parallel paging (parallelPaging.ts) — the total number of pages plans every request.
		plan: (response: HttpResponse, request: RequestSpec) => {
			const totalPages = options.totalPages?.(response.body);
			if (totalPages === undefined) return undefined;
			const page = Number(request.qs?.[pageParam] ?? firstPage);
			return {
				pages: Math.max(0, totalPages - (page - firstPage)),
				request: (k: number) => withQs(request, { [pageParam]: page + k }),
			};
		},
	};
}

/**
 * A link to the next page in the body (Degreed: `links.next`, a full URL with its own cursor).
 * The follow-up request is that URL as given, without the first request's query.
 */
export function nextLinkPaging<T>(options: {
	items: (body: unknown) => T[];
	nextUrl: (body: unknown) => string | undefined;
}) {
	return {
		read: (response: HttpResponse, request: RequestSpec): Page<T> => {
			const url = options.nextUrl(response.body);
			return {
				items: options.items(response.body),
				next: url ? { ...request, url, qs: undefined } : undefined,
			};
		},
	};
}

/**
 * An opaque continuation token (SCORM Cloud: `more`). The follow-up request sends the token and
 * nothing else: the server remembers the filters, and rejects other parameters beside it.
 */
export function moreTokenPaging<T>(options: {
	items: (body: unknown) => T[];
	token: (body: unknown) => string | undefined;
	param?: string;
}) {
	const param = options.param ?? 'more';
	return {
		read: (response: HttpResponse, request: RequestSpec): Page<T> => {
			const token = options.token(response.body);
			return {
				items: options.items(response.body),
				next: token ? { ...request, qs: { [param]: token } } : undefined,
			};
		},
	};
}
