import type { Page, Send } from './pagination';
import { MAX_PAGES, fingerprint, originOf, paginate, refuse } from './pagination';
import type { HttpResponse, RequestSpec } from './types';

/**
 * What the first page says about the whole list: how many pages there are and the request for
 * page `k` (0 = the first). Only for APIs that announce the total (offset + total count, page +
 * total pages); without it there is nothing to plan and paging stays one page at a time.
 */
export interface PagePlan {
	pages: number;
	request: (k: number) => RequestSpec;
}

export interface PlannedPaging<T> {
	read: (response: HttpResponse, request: RequestSpec) => Page<T>;
	plan?: (response: HttpResponse, request: RequestSpec) => PagePlan | undefined;
}

/**
 * Pages of a list whose total is known, fetched `concurrency` at a time, yielded in order. The
 * first page is fetched alone (it tells the total); after it, at most `concurrency` requests are
 * in flight and at most `concurrency` pages are held ahead of the consumer, so memory stays
 * bounded whatever the list's size, and a consumer that stops (a limit) stops the requests: the
 * pages still in flight are waited for and dropped. A failed page fails the list when the consumer
 * reaches it, with that page's error; later pages are not requested. Falls back to one page at a
 * time when the API gives no total or `concurrency` ≤ 1.
 */
export async function* paginateParallel<T>(
	send: Send,
	first: RequestSpec,
	paging: PlannedPaging<T>,
	concurrency: number,
	maxPages = MAX_PAGES,
): AsyncGenerator<T[]> {
	const width = Math.max(1, Math.floor(concurrency) || 1);
	const response = await send(first);
	const page = paging.read(response, first);
	const plan =
		width > 1 && page.items.length && page.next ? paging.plan?.(response, first) : undefined;
	if (!plan) {
		yield page.items;
		if (page.items.length && page.next && maxPages > 1)
			yield* paginate(send, page.next, paging.read, maxPages - 1);
		return;
	}
	yield page.items;
	const origin = originOf(first.url);
	// The same bounds as one page at a time: a page that starts like an earlier one (a total that is
	// never reached, an offset the server ignores) or more than `maxPages` pages stop the list.
	const firsts = new Set<string>([fingerprint(page.items[0])]);
	if (plan.pages > maxPages) {
		await refuse(send, plan.request(1), origin, {
			message: `the list announces ${plan.pages} pages, more than ${maxPages}`,
			description:
				'Paging stopped as endless: narrow the request (filters, a Limit) or raise the page size.',
		});
		return;
	}
	const total = plan.pages;
	const window = new Map<number, Promise<Page<T>>>();
	let requested = 1;
	let failed = false;
	const fill = (consumed: number) => {
		while (!failed && requested < total && requested < consumed + width) {
			const k = requested++;
			const request = plan.request(k);
			const pending = send(request).then((r) => paging.read(r, request));
			// A failed page stops new requests at once (the list will fail when the consumer reaches
			// it); pages left behind must not surface as unhandled rejections.
			pending.catch(() => {
				failed = true;
			});
			window.set(k, pending);
		}
	};
	try {
		for (let k = 1; k < total; k++) {
			fill(k);
			const current = await window.get(k)!;
			window.delete(k);
			if (current.items.length) {
				const head = fingerprint(current.items[0]);
				if (firsts.has(head)) {
					await refuse(send, plan.request(k), origin, {
						message: `page ${k + 1} starts with a record an earlier page started with`,
						description:
							'Paging stopped: the provider keeps answering the same page (its offset, page number or total is not moving). Try again later; if it persists, report it to the provider.',
					});
					return;
				}
				firsts.add(head);
			}
			yield current.items;
			// A short page (the list shrank since the first page) ends it, as it does one at a time.
			if (!current.items.length || !current.next) break;
		}
	} finally {
		failed = true;
		// Nothing outlives the list: the pages still in flight are waited for (and dropped), as
		// mapConcurrent waits for its work in flight, so no request runs on after the node returned.
		await Promise.allSettled(window.values());
		window.clear();
	}
}

/**
 * Pages in flight for a "Return All" list: the Request Options' Concurrency, 10 in Auto mode (a
 * page is one request; the rate limiter still paces them). With a limit, one at a time: pages
 * fetched ahead past the limit would be requests for nothing.
 */
export function pagingWidth(concurrency: number, returnAll: boolean): number {
	if (!returnAll) return 1;
	return concurrency === 0 ? 10 : Math.max(1, concurrency);
}
