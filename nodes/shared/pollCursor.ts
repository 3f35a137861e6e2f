import type { IDataObject } from 'n8n-workflow';

/**
 * The polling triggers' memory, kept in the node's static data. Everything here is pure: a poll
 * reads the state, fetches, calls {@link selectBatch}, and only then writes the state it returns,
 * so a poll that throws (token, 429 past the budget, 5xx, a bad page) leaves the state as it was.
 */
export interface PollState {
	v: 1;
	/** Records older than this are never emitted: the start the user chose (or the first activation). */
	start: number;
	/** Timestamp of the newest record emitted so far (or `start`). The next window opens `overlap` before it. */
	watermark: number;
	/** Keys (`id@timestamp`) emitted inside the overlap, with their timestamp: a replayed record is suppressed. */
	seen: Record<string, number>;
}

/** One record as a trigger sees it: its identity, its timestamp (ms) and the item to emit. */
export interface PollRecord {
	id: string;
	at: number;
	json: IDataObject;
}

export interface CursorOptions {
	/** How far before the watermark each window opens (clock skew, records landing late). */
	overlapMs: number;
	/** Records emitted per poll at most; the rest wait for the next polls, oldest first. */
	maxRecords: number;
	/** Bound on the suppression set, so static data stays small. */
	maxSeen?: number;
}

/** Default bound of the suppression set: a few hundred KB of static data at most. */
export const DEFAULT_MAX_SEEN = 5000;

/** `id@timestamp`: a record that changes again (a new timestamp) is a new key, emitted again. */
export const recordKey = (record: Pick<PollRecord, 'id' | 'at'>): string =>
	`${record.id}@${new Date(record.at).toISOString()}`;

/** The state of a first activation: nothing emitted yet, nothing older than `start` ever will be. */
export function initialState(start: number): PollState {
	return { v: 1, start, watermark: start, seen: {} };
}

/** The stored state when it is one this module wrote, else undefined (a first activation). */
export function readState(value: unknown): PollState | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const s = value as Partial<PollState>;
	if (
		s.v !== 1 ||
		!Number.isFinite(s.start) ||
		!Number.isFinite(s.watermark) ||
		!s.seen ||
		typeof s.seen !== 'object'
	)
		return undefined;
	return { v: 1, start: s.start as number, watermark: s.watermark as number, seen: { ...s.seen } };
}

/** Where the next fetch window opens: `overlap` before the watermark, never before the start. */
export function windowStart(state: PollState, overlapMs: number): number {
	return Math.max(state.start, state.watermark - Math.max(0, overlapMs));
}

const byTimeThenKey = (a: PollRecord & { key: string }, b: PollRecord & { key: string }) =>
	a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export interface Selection {
	/** What to emit now, oldest first. */
	emit: PollRecord[];
	/** The state to store once the items are handed to n8n. */
	state: PollState;
	/** Fresh records left for the next polls (the backlog beyond Max Records Per Poll). */
	remaining: number;
}

/**
 * Picks this poll's records among those fetched for the window: drops what is older than the
 * window, what was already emitted (same id and timestamp) and duplicates within the fetch;
 * sorts by timestamp then key; takes at most `maxRecords`. The watermark moves only to the newest
 * record emitted, so records left behind (the backlog, equal timestamps cut at the batch boundary,
 * late records) are still inside the next window; the suppression set keeps only keys that the
 * next window can return again.
 */
export function selectBatch(
	state: PollState,
	fetched: Iterable<PollRecord>,
	options: CursorOptions,
): Selection {
	const from = windowStart(state, options.overlapMs);
	const fresh = new Map<string, PollRecord & { key: string }>();
	for (const record of fetched) {
		if (!Number.isFinite(record.at) || record.at < from) continue;
		const key = recordKey(record);
		if (key in state.seen || fresh.has(key)) continue;
		fresh.set(key, { ...record, key });
	}
	const ordered = [...fresh.values()].sort(byTimeThenKey);
	const batch = ordered.slice(0, Math.max(1, Math.floor(options.maxRecords)));
	let watermark = state.watermark;
	const seen: Record<string, number> = { ...state.seen };
	for (const record of batch) {
		seen[record.key] = record.at;
		if (record.at > watermark) watermark = record.at;
	}
	const next: PollState = {
		v: 1,
		start: state.start,
		watermark,
		seen: pruneSeen(
			seen,
			watermark - Math.max(0, options.overlapMs),
			options.maxSeen ?? DEFAULT_MAX_SEEN,
		),
	};
	return {
		emit: batch.map(({ id, at, json }) => ({ id, at, json })),
		state: next,
		remaining: ordered.length - batch.length,
	};
}

/**
 * Keeps the keys a later window can still return (timestamp ≥ `from`), and at most `max` of them,
 * the newest. Dropping a key inside the window only risks a duplicate, never a skip.
 */
export function pruneSeen(
	seen: Record<string, number>,
	from: number,
	max: number,
): Record<string, number> {
	let entries = Object.entries(seen).filter(([, at]) => at >= from);
	if (entries.length > max) entries = entries.sort((a, b) => b[1] - a[1]).slice(0, max);
	return Object.fromEntries(entries);
}

/** The newest `count` records, newest first: the sample a manual "Fetch Test Event" shows. */
export function latest(records: Iterable<PollRecord>, count: number): PollRecord[] {
	const unique = new Map<string, PollRecord>();
	for (const r of records) if (Number.isFinite(r.at)) unique.set(recordKey(r), r);
	return [...unique.values()]
		.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
		.slice(0, Math.max(1, count));
}
