import {
	collect,
	moreTokenPaging,
	nextLinkPaging,
	offsetPaging,
	pageNumberPaging,
	paginate,
} from '../../../nodes/shared/pagination';
import type { HttpResponse, RequestSpec } from '../../../nodes/shared/types';

const records = Array.from({ length: 23 }, (_, i) => ({ id: i }));
const respond = (body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
	statusCode: 200,
	headers,
	body,
});

describe('pagination strategies', () => {
	it('offset + max with x-total-count, carrying the snapshot id', async () => {
		const sent: RequestSpec[] = [];
		const strategy = offsetPaging<{ id: number }>({
			pageSize: 10,
			snapshotHeader: 'x-paging-request-id',
			snapshotParam: 'pagingRequestId',
		});
		const send = async (r: RequestSpec) => {
			sent.push(r);
			const offset = Number(r.qs?.offset);
			return respond(records.slice(offset, offset + 10), {
				'x-total-count': '23',
				'x-paging-request-id': 'snap-1',
			});
		};
		const all = await collect(
			paginate(
				send,
				strategy.first({ method: 'GET', url: 'https://x/items', qs: { updatedSince: 'd' } }),
				strategy.read,
			),
			{ returnAll: true },
		);
		expect(all).toEqual(records);
		expect(sent.map((r) => r.qs)).toEqual([
			{ updatedSince: 'd', offset: 0, max: 10 },
			{ updatedSince: 'd', offset: 10, max: 10, pagingRequestId: 'snap-1' },
			{ updatedSince: 'd', offset: 20, max: 10, pagingRequestId: 'snap-1' },
		]);
	});

	it('stops fetching once the limit is reached', async () => {
		let calls = 0;
		const strategy = offsetPaging<{ id: number }>({ pageSize: 10 });
		const send = async (r: RequestSpec) => {
			calls++;
			const offset = Number(r.qs?.offset);
			return respond(records.slice(offset, offset + 10), { 'x-total-count': '23' });
		};
		const some = await collect(
			paginate(send, strategy.first({ method: 'GET', url: 'https://x' }), strategy.read),
			{ returnAll: false, limit: 12 },
		);
		expect(some.map((r) => r.id)).toEqual(records.slice(0, 12).map((r) => r.id));
		expect(calls).toBe(2);
	});

	it('page/perPage until a short page or totalPages', async () => {
		const sent: number[] = [];
		const strategy = pageNumberPaging<{ id: number }>({
			pageSize: 10,
			items: (b) => (b as { results: Array<{ id: number }> }).results,
		});
		const send = async (r: RequestSpec) => {
			const page = Number(r.qs?.page);
			sent.push(page);
			return respond({ results: records.slice((page - 1) * 10, page * 10) });
		};
		expect(
			await collect(
				paginate(send, strategy.first({ method: 'GET', url: 'https://x' }), strategy.read),
				{ returnAll: true },
			),
		).toHaveLength(23);
		expect(sent).toEqual([1, 2, 3]);
	});

	it('next link: follows the URL as given, without the first query', async () => {
		const urls: Array<[string, unknown]> = [];
		const strategy = nextLinkPaging<{ id: number }>({
			items: (b) => (b as { data: Array<{ id: number }> }).data,
			nextUrl: (b) => (b as { links?: { next?: string } }).links?.next,
		});
		const send = async (r: RequestSpec) => {
			urls.push([r.url, r.qs]);
			const n = urls.length;
			return respond({
				data: records.slice((n - 1) * 10, n * 10),
				links: n < 3 ? { next: `https://x/c?next=cur${n}` } : {},
			});
		};
		expect(
			await collect(
				paginate(send, { method: 'GET', url: 'https://x/c', qs: { limit: 10 } }, strategy.read),
				{ returnAll: true },
			),
		).toHaveLength(23);
		expect(urls).toEqual([
			['https://x/c', { limit: 10 }],
			['https://x/c?next=cur1', undefined],
			['https://x/c?next=cur2', undefined],
		]);
	});

	it('more token: follow-ups send the token and nothing else', async () => {
		const qs: unknown[] = [];
		const strategy = moreTokenPaging<{ id: number }>({
			items: (b) => (b as { registrations: Array<{ id: number }> }).registrations,
			token: (b) => (b as { more?: string }).more,
		});
		const send = async (r: RequestSpec) => {
			qs.push(r.qs);
			const n = qs.length;
			return respond({
				registrations: records.slice((n - 1) * 10, n * 10),
				more: n < 3 ? `m${n}` : undefined,
			});
		};
		await collect(
			paginate(
				send,
				{ method: 'GET', url: 'https://x/r', qs: { courseId: 'c1', since: 's' } },
				strategy.read,
			),
			{ returnAll: true },
		);
		expect(qs).toEqual([{ courseId: 'c1', since: 's' }, { more: 'm1' }, { more: 'm2' }]);
	});

	it('an empty page ends the walk even if the server offers more', async () => {
		let calls = 0;
		const strategy = moreTokenPaging<unknown>({ items: () => [], token: () => 'again' });
		await collect(
			paginate(
				async () => (calls++, respond({})),
				{ method: 'GET', url: 'https://x' },
				strategy.read,
			),
			{ returnAll: true },
		);
		expect(calls).toBe(1);
	});
});
