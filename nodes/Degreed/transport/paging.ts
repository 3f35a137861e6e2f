import type { IDataObject, INode } from 'n8n-workflow';

import { apiError } from '../../shared/errors';

import type { ApiClient } from '../../shared/apiClient';
import { collect, nextLinkPaging, paginate } from '../../shared/pagination';
import type { HttpResponse, RequestSpec } from '../../shared/types';
import { joinUrl } from '../../shared/urls';

/** Degreed's largest page (`limit` ≤ 1000): fewer requests against the 70-per-minute budget. */
export const MAX_PAGE_SIZE = 1000;

/** How often a list restarts after its cursor expired (Degreed drops a cursor after 2 minutes idle). */
const MAX_RESTARTS = 3;

class CursorExpired extends Error {}

/**
 * A Degreed cursor that is no longer valid: Degreed documents that the paging snapshot expires
 * after 2 minutes without a `next` call; the status it then answers is not documented (410 Gone
 * per the error-code list, or a 400/404 naming the cursor), so all three are recognised on
 * follow-up pages only.
 */
function isCursorExpiry(response: HttpResponse): boolean {
	if (response.statusCode === 410) return true;
	if (response.statusCode !== 400 && response.statusCode !== 404) return false;
	return /cursor|next|snapshot|expired/i.test(JSON.stringify(response.body ?? ''));
}

/** A relative `links.next`/`more` is resolved against the API base URL (which may carry a path). */
export function absoluteLink(link: string, apiBaseUrl: string): string {
	if (/^https?:\/\//i.test(link)) return link;
	return joinUrl(apiBaseUrl, link);
}

export interface ListOptions {
	returnAll: boolean;
	limit?: number;
	/** Where the records are: JSON:API `data` (default) or another reader (xAPI `statements`). */
	items: (body: unknown) => IDataObject[];
	/** Where the next page is: `links.next` (default) or xAPI `more`. */
	next: (body: unknown) => string | undefined;
	apiBaseUrl: string;
	/** Unique key of a record, to skip records already returned when an expired cursor restarts the list. */
	key?: (record: IDataObject) => string | undefined;
	itemIndex?: number;
	node: INode;
}

/**
 * Pages of records with Degreed's cursor paging through the shared `paginate`: pages are requested
 * back to back (only the shared rate limiter paces them), so our own pacing never lets a cursor
 * idle for 2 minutes; if one expires anyway (a paused execution, a long 429 wait, a fault on a
 * follow-up page that makes the resent page answer 410), the walk restarts from the first page
 * and records already yielded are skipped. Requests stop as soon as the consumer stops iterating.
 */
export async function* recordPages(
	api: ApiClient,
	first: RequestSpec,
	options: Omit<ListOptions, 'returnAll' | 'limit'>,
): AsyncGenerator<IDataObject[]> {
	const key = options.key ?? ((r: IDataObject) => (r.id === undefined ? undefined : String(r.id)));
	const seen = new Set<string>();
	const strategy = nextLinkPaging<IDataObject>({
		items: options.items,
		nextUrl: (body) => {
			const link = options.next(body);
			return link ? absoluteLink(link, options.apiBaseUrl) : undefined;
		},
	});
	const send = async (request: RequestSpec) => {
		const response = await api.request({
			...request,
			itemIndex: options.itemIndex,
			acceptStatuses: request === first ? request.acceptStatuses : [400, 404, 410],
		});
		if (request !== first && response.statusCode >= 400) {
			if (isCursorExpiry(response)) throw new CursorExpired();
			const parsed = api.provider.parseError(response);
			throw apiError({
				node: options.node,
				provider: api.provider.name,
				redactor: api.redactor,
				response,
				itemIndex: options.itemIndex,
				message: parsed.message,
				description: parsed.description,
				code: parsed.code,
			});
		}
		return response;
	};

	/** Pages of one pass; false when the pass ended on an expired cursor. */
	async function* pass(): AsyncGenerator<IDataObject[], boolean> {
		// Degreed's cursor is the server's: the same `next` link serves every following page.
		const walker = paginate(send, first, strategy.read, undefined, { statefulCursor: true });
		for (;;) {
			const step = await walker
				.next()
				.catch((error: unknown) =>
					error instanceof CursorExpired ? undefined : Promise.reject(error),
				);
			if (step === undefined) return false;
			if (step.done) return true;
			const fresh: IDataObject[] = [];
			for (const record of step.value) {
				const k = key(record);
				if (k !== undefined) {
					if (seen.has(k)) continue;
					seen.add(k);
				}
				fresh.push(record);
			}
			yield fresh;
		}
	}

	async function* pages(): AsyncGenerator<IDataObject[]> {
		for (let pass_ = 0; pass_ <= MAX_RESTARTS; pass_++) {
			if (yield* pass()) return;
		}
		throw apiError({
			node: options.node,
			provider: api.provider.name,
			redactor: api.redactor,
			itemIndex: options.itemIndex,
			message: `the paging cursor expired ${MAX_RESTARTS + 1} times in a row`,
			description:
				'Degreed drops a cursor after 2 minutes without a next-page request. Use a smaller Limit or a narrower filter, or check for long pauses (rate-limit waits) during the run.',
		});
	}

	yield* pages();
}

/** A list (up to `limit`, or all) with {@link recordPages}: cursor restarts included. */
export async function listRecords(
	api: ApiClient,
	first: RequestSpec,
	options: ListOptions,
): Promise<IDataObject[]> {
	return await collect(recordPages(api, first, options), {
		returnAll: options.returnAll,
		limit: options.limit,
	});
}

/** The `limit` query value for a list: the largest page the user's limit needs, at most 1000. */
export function pageSize(
	returnAll: boolean,
	limit: number | undefined,
	preferred?: number,
): number {
	const wanted = preferred && preferred > 0 ? Math.min(preferred, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
	return returnAll ? wanted : Math.max(1, Math.min(wanted, Number(limit ?? 50)));
}
