import { collect, offsetPaging, pageNumberPaging } from '../../../nodes/shared/pagination';
import { paginateParallel, pagingWidth } from '../../../nodes/shared/parallelPaging';
import type { HttpResponse, RequestSpec } from '../../../nodes/shared/types';

const records = Array.from({ length: 1005 }, (_, i) => ({ id: i }));
const respond = (body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
	statusCode: 200,
	headers,
	body,
});

/** A server whose pages answer in a shuffled order (later pages often first), counting what is in flight. */
function offsetServer(options: { failAt?: number; delay?: (offset: number) => number } = {}) {
	const state = { inFlight: 0, peak: 0, sent: [] as RequestSpec[] };
	const send = async (r: RequestSpec) => {
		state.sent.push(r);
		state.inFlight++;
		state.peak = Math.max(state.peak, state.inFlight);
		const offset = Number(r.qs?.offset);
		const turns = options.delay ? options.delay(offset) : (((offset / 10) * 7) % 5) + 1;
		for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
		state.inFlight--;
		if (offset === options.failAt) throw new Error(`page at ${offset} failed`);
		return respond(records.slice(offset, offset + Number(r.qs?.max)), {
			'x-total-count': String(records.length),
			'x-paging-request-id': 'snap',
		});
	};
	return { state, send };
}

describe('parallel paging', () => {
	const strategy = offsetPaging<{ id: number }>({
		pageSize: 10,
		snapshotHeader: 'x-paging-request-id',
		snapshotParam: 'pagingRequestId',
	});
	const first = strategy.first({ method: 'GET', url: 'https://x/items', qs: { q: 'a' } });

	it('every record once, in order, with at most `concurrency` pages in flight, each carrying the snapshot', async () => {
		const server = offsetServer();
		const all = await collect(paginateParallel(server.send, first, strategy, 8), {
			returnAll: true,
		});
		expect(all).toEqual(records);
		expect(server.state.sent).toHaveLength(101);
		expect(server.state.peak).toBeGreaterThan(1);
		expect(server.state.peak).toBeLessThanOrEqual(8);
		expect(
			server.state.sent.slice(1).every((r) => r.qs?.pagingRequestId === 'snap' && r.qs?.q === 'a'),
		).toBe(true);
		expect(new Set(server.state.sent.map((r) => r.qs?.offset)).size).toBe(101);
	});

	it('holds at most `concurrency` pages ahead of a slow consumer', async () => {
		const server = offsetServer({ delay: () => 0 });
		const pages = paginateParallel(server.send, first, strategy, 4);
		let consumed = 0;
		for await (const page of pages) {
			consumed++;
			for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
			// requested pages − pages handed over ≤ the width (+ the first, fetched alone)
			expect(server.state.sent.length - consumed).toBeLessThanOrEqual(4);
			expect(page.length).toBeGreaterThan(0);
		}
		expect(consumed).toBe(101);
	});

	it('a failed page fails the list with its error, and no page after the window is requested', async () => {
		const server = offsetServer({ failAt: 300 });
		await expect(
			collect(paginateParallel(server.send, first, strategy, 5), { returnAll: true }),
		).rejects.toThrow('page at 300 failed');
		const offsets = server.state.sent.map((r) => Number(r.qs?.offset));
		expect(Math.max(...offsets)).toBeLessThan(300 + 10 * 6);
	});

	it('a limit stops the requests', async () => {
		const server = offsetServer();
		const some = await collect(paginateParallel(server.send, first, strategy, 5), {
			returnAll: false,
			limit: 25,
		});
		expect(some).toEqual(records.slice(0, 25));
		expect(server.state.sent.length).toBeLessThanOrEqual(1 + 5 + 1);
	});

	it('page + totalPages, in order', async () => {
		const numbered = pageNumberPaging<{ id: number }>({
			pageSize: 100,
			items: (b) => (b as { results: Array<{ id: number }> }).results,
			totalPages: (b) => (b as { totalPages: number }).totalPages,
		});
		const sent: number[] = [];
		const send = async (r: RequestSpec) => {
			const page = Number(r.qs?.page);
			sent.push(page);
			for (let i = 0; i < (page * 3) % 4; i++)
				await new Promise((resolve) => setImmediate(resolve));
			return respond({ results: records.slice((page - 1) * 100, page * 100), totalPages: 11 });
		};
		expect(
			await collect(
				paginateParallel(send, numbered.first({ method: 'GET', url: 'https://x' }), numbered, 3),
				{ returnAll: true },
			),
		).toEqual(records);
		expect([...sent].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
	});

	it('without a total (or width 1) it pages one at a time', async () => {
		const server = offsetServer();
		const noTotal = offsetPaging<{ id: number }>({ pageSize: 10, totalHeader: 'x-none' });
		expect(
			await collect(
				paginateParallel(
					server.send,
					noTotal.first({ method: 'GET', url: 'https://x' }),
					noTotal,
					8,
				),
				{ returnAll: true },
			),
		).toEqual(records);
		expect(server.state.peak).toBe(1);
		const one = offsetServer();
		await collect(paginateParallel(one.send, first, strategy, 1), { returnAll: true });
		expect(one.state.peak).toBe(1);
	});

	it('width: the concurrency for Return All, 10 in Auto, 1 with a limit', () => {
		expect(pagingWidth(7, true)).toBe(7);
		expect(pagingWidth(0, true)).toBe(10);
		expect(pagingWidth(7, false)).toBe(1);
	});
});
