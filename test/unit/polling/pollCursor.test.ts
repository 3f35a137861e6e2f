import {
	initialState,
	latest,
	pruneSeen,
	readState,
	recordKey,
	selectBatch,
	windowStart,
} from '../../../nodes/shared/pollCursor';
import type { PollRecord, PollState } from '../../../nodes/shared/pollCursor';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const MIN = 60_000;
const rec = (id: string, at: number): PollRecord => ({ id, at, json: { id, at } });
const ids = (records: PollRecord[]) => records.map((r) => r.id);

/** What a provider returns for a window: every stored record with at ≥ since (a fake API). */
const windowOf = (store: PollRecord[], state: PollState, overlapMs: number) =>
	store.filter((r) => r.at >= windowStart(state, overlapMs));

describe('pollCursor', () => {
	test('nothing older than the start is ever emitted; the first window opens at the start', () => {
		const state = initialState(T0);
		const { emit, state: next } = selectBatch(
			state,
			[rec('old', T0 - 1), rec('a', T0), rec('b', T0 + 5)],
			{ overlapMs: 5 * MIN, maxRecords: 10 },
		);
		expect(ids(emit)).toEqual(['a', 'b']);
		expect(next.watermark).toBe(T0 + 5);
		expect(windowStart(next, 5 * MIN)).toBe(T0);
	});

	test('a record emitted once is suppressed while it stays in the overlap, and emitted again when it changes', () => {
		let state = initialState(T0);
		const store = [rec('a', T0 + MIN)];
		const first = selectBatch(state, windowOf(store, state, 5 * MIN), {
			overlapMs: 5 * MIN,
			maxRecords: 10,
		});
		expect(ids(first.emit)).toEqual(['a']);
		state = first.state;
		for (let i = 0; i < 3; i++) {
			const again = selectBatch(state, windowOf(store, state, 5 * MIN), {
				overlapMs: 5 * MIN,
				maxRecords: 10,
			});
			expect(again.emit).toEqual([]);
			state = again.state;
		}
		store[0] = rec('a', T0 + 2 * MIN); // updated again: new timestamp, new key
		const changed = selectBatch(state, windowOf(store, state, 5 * MIN), {
			overlapMs: 5 * MIN,
			maxRecords: 10,
		});
		expect(changed.emit).toEqual([rec('a', T0 + 2 * MIN)]);
	});

	test('a late record with an older timestamp inside the overlap is emitted (once), not skipped', () => {
		let state = initialState(T0);
		const store = [rec('a', T0 + 10 * MIN)];
		state = selectBatch(state, windowOf(store, state, 5 * MIN), {
			overlapMs: 5 * MIN,
			maxRecords: 10,
		}).state;
		store.push(rec('late', T0 + 7 * MIN)); // lands after the poll, 3 minutes behind the watermark
		const next = selectBatch(state, windowOf(store, state, 5 * MIN), {
			overlapMs: 5 * MIN,
			maxRecords: 10,
		});
		expect(ids(next.emit)).toEqual(['late']);
		expect(next.state.watermark).toBe(T0 + 10 * MIN); // an older record never moves the cursor back
		expect(
			selectBatch(next.state, windowOf(store, next.state, 5 * MIN), {
				overlapMs: 5 * MIN,
				maxRecords: 10,
			}).emit,
		).toEqual([]);
	});

	test("provider clock skew: records stamped behind the poller's clock within the overlap are caught", () => {
		// the poller started at T0 by its own clock; the provider's clock runs 2 minutes slow
		let state = initialState(T0 - 5 * MIN);
		const store = [rec('skewed-1', T0 - 2 * MIN)];
		const first = selectBatch(state, windowOf(store, state, 5 * MIN), {
			overlapMs: 5 * MIN,
			maxRecords: 10,
		});
		expect(ids(first.emit)).toEqual(['skewed-1']);
		state = first.state;
		store.push(rec('skewed-2', T0 - 3 * MIN)); // older than the watermark by one minute
		expect(
			ids(
				selectBatch(state, windowOf(store, state, 5 * MIN), { overlapMs: 5 * MIN, maxRecords: 10 })
					.emit,
			),
		).toEqual(['skewed-2']);
	});

	test('a backlog is emitted in bounded batches, oldest first, none skipped or repeated', () => {
		let state = initialState(T0);
		const store = Array.from({ length: 23 }, (_, i) =>
			rec(`r${String(22 - i).padStart(2, '0')}`, T0 + (22 - i) * 1000),
		); // newest first, as an API may list
		const seen: string[] = [];
		for (let poll = 0; poll < 5; poll++) {
			const s = selectBatch(state, windowOf(store, state, 0), { overlapMs: 0, maxRecords: 5 });
			expect(s.emit.length).toBeLessThanOrEqual(5);
			seen.push(...ids(s.emit));
			state = s.state;
		}
		expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `r${String(i).padStart(2, '0')}`));
		expect(
			selectBatch(state, windowOf(store, state, 0), { overlapMs: 0, maxRecords: 5 }).emit,
		).toEqual([]);
	});

	test('equal timestamps cut at a batch boundary are not skipped, even with no overlap', () => {
		let state = initialState(T0);
		const store = ['e', 'a', 'd', 'b', 'c', 'f'].map((id) => rec(id, T0 + MIN)); // six records, one instant
		const first = selectBatch(state, windowOf(store, state, 0), { overlapMs: 0, maxRecords: 4 });
		expect(ids(first.emit)).toEqual(['a', 'b', 'c', 'd']);
		expect(first.remaining).toBe(2);
		state = first.state;
		const second = selectBatch(state, windowOf(store, state, 0), { overlapMs: 0, maxRecords: 4 });
		expect(ids(second.emit)).toEqual(['e', 'f']);
		expect(
			selectBatch(second.state, windowOf(store, second.state, 0), { overlapMs: 0, maxRecords: 4 })
				.emit,
		).toEqual([]);
	});

	test('duplicates within one fetch (a record on two pages) are emitted once', () => {
		const s = selectBatch(
			initialState(T0),
			[rec('a', T0 + 1), rec('a', T0 + 1), rec('b', T0 + 2)],
			{ overlapMs: MIN, maxRecords: 10 },
		);
		expect(ids(s.emit)).toEqual(['a', 'b']);
	});

	test('the suppression set keeps only keys the next window can return, and is bounded', () => {
		const seen = { old: T0 - 10 * MIN, edge: T0 - 5 * MIN, new: T0 };
		expect(Object.keys(pruneSeen(seen, T0 - 5 * MIN, 10)).sort()).toEqual(['edge', 'new']);
		const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, T0 + i]));
		const bounded = pruneSeen(many, T0, 10);
		expect(Object.keys(bounded)).toHaveLength(10);
		expect(Math.min(...Object.values(bounded))).toBe(T0 + 40); // the newest are kept
		let state = initialState(T0);
		for (let i = 0; i < 40; i++)
			state = selectBatch(state, [rec(`x${i}`, T0 + i * MIN)], {
				overlapMs: 5 * MIN,
				maxRecords: 10,
			}).state;
		expect(Object.keys(state.seen).length).toBeLessThanOrEqual(6);
	});

	test('a persisted state survives a JSON round trip (restart) and foreign data is ignored', () => {
		let state = initialState(T0);
		state = selectBatch(state, [rec('a', T0 + 1), rec('b', T0 + 2)], {
			overlapMs: MIN,
			maxRecords: 10,
		}).state;
		const restored = readState(JSON.parse(JSON.stringify(state)));
		expect(restored).toEqual(state);
		expect(
			selectBatch(restored!, [rec('a', T0 + 1), rec('b', T0 + 2), rec('c', T0 + 3)], {
				overlapMs: MIN,
				maxRecords: 10,
			}).emit.map((r) => r.id),
		).toEqual(['c']);
		expect(readState({ lastTime: '2026-01-01' })).toBeUndefined();
		expect(readState(undefined)).toBeUndefined();
	});

	test('selectBatch never mutates the state it is given (a failed poll leaves it as it was)', () => {
		const state = selectBatch(initialState(T0), [rec('a', T0 + 1)], {
			overlapMs: MIN,
			maxRecords: 10,
		}).state;
		const copy = JSON.parse(JSON.stringify(state));
		selectBatch(state, [rec('b', T0 + 2), rec('c', T0 + 3)], { overlapMs: MIN, maxRecords: 10 });
		expect(state).toEqual(copy);
	});

	test('keys carry id and timestamp; latest() gives the newest few, newest first', () => {
		expect(recordKey(rec('a', T0))).toBe('a@2026-06-01T12:00:00.000Z');
		expect(ids(latest([rec('a', 1), rec('b', 3), rec('c', 2), rec('b', 3)], 2))).toEqual([
			'b',
			'c',
		]);
	});
});
