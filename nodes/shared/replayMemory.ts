import type { IDataObject, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

/** identity of a delivery → until when (ms since the epoch) it counts as a replay */
export interface ReplayCache {
	[identity: string]: number;
}

/** Replay protection is on by default: 5 minutes. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

/** A trigger's "Replay Window (Seconds)" option; `description` says what counts as a replay there. */
export function replayWindowOption(description: string): INodeProperties {
	return {
		displayName: 'Replay Window (Seconds)',
		name: 'replayWindowSeconds',
		type: 'number',
		default: DEFAULT_REPLAY_WINDOW_SECONDS,
		typeOptions: { minValue: 0 },
		description,
	};
}

/** The longest replay window honoured: what a trigger remembers is bounded in time as well as in entries. */
export const MAX_REPLAY_WINDOW_SECONDS = 86_400;

/**
 * The configured replay window in seconds. Only an explicit 0 turns replay protection off; a value
 * that is not a number, or is negative, means the default (a typo must not switch the check off),
 * and a window longer than a day is cut to a day.
 */
export function replayWindowSeconds(options: IDataObject): number {
	const raw = options.replayWindowSeconds;
	if (raw === undefined || raw === null || raw === '') return DEFAULT_REPLAY_WINDOW_SECONDS;
	const configured = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : NaN;
	if (Number.isNaN(configured) || configured < 0) return DEFAULT_REPLAY_WINDOW_SECONDS;
	return Math.min(configured, MAX_REPLAY_WINDOW_SECONDS);
}

/** At most this many deliveries are remembered per trigger (the workflow's static data stays small). */
export const MAX_REMEMBERED_DELIVERIES = 1000;

/**
 * Records `identity` as accepted until `expiresAt`; false when it was accepted before and has not
 * expired (a replay). Entries are kept in insertion order, which is (nearly) expiry order, so the
 * expired ones and the overflow are dropped from the front: O(1) amortised per delivery, no scan.
 * An entry expired out of order is still never a replay (its time is checked on look-up) and
 * leaves the front in its turn.
 */
export function rememberDelivery(
	cache: ReplayCache,
	identity: string,
	now: number,
	expiresAt: number,
	max = MAX_REMEMBERED_DELIVERIES,
): boolean {
	const store = storeOf(cache);
	store.prune(now);
	const until = store.get(identity);
	if (until !== undefined && until > now) return false;
	store.set(identity, expiresAt);
	store.trim(max);
	return true;
}

/** The operations the replay memory needs, on a Map (this process) or a plain object (static data). */
interface Store {
	get(identity: string): number | undefined;
	set(identity: string, until: number): void;
	prune(now: number): void;
	trim(max: number): void;
}

/**
 * The insertion order of each plain object in use, kept beside it in a Map: a Map reaches its
 * oldest entry in O(1), while walking an object's keys (for…in, Object.keys) lists all of them
 * first. Built once when an object is first seen (static data is read from the database whole
 * anyway), then every change goes to both.
 */
const mirrors = new WeakMap<ReplayCache, Map<string, number>>();

function storeOf(cache: ReplayCache): Store {
	let order = mirrors.get(cache);
	if (!order)
		mirrors.set(
			cache,
			(order = new Map(Object.entries(cache).map(([key, until]) => [key, Number(until)]))),
		);
	const entries = order;
	const drop = (key: string) => {
		entries.delete(key);
		delete cache[key];
	};
	return {
		get: (identity) => entries.get(identity),
		set: (identity, until) => {
			// Re-inserted at the end, so the front always holds the oldest entries.
			drop(identity);
			entries.set(identity, until);
			cache[identity] = until;
		},
		prune: (now) => {
			for (const [key, until] of entries) {
				if (until > now) break;
				drop(key);
			}
		},
		trim: (max) => {
			while (entries.size > max) drop(entries.keys().next().value as string);
		},
	};
}

/** Remembered by this process: the same bounds, on a Map. */
class LocalMemory {
	readonly entries = new Map<string, number>();
	/** The identities accepted last, copied into each saved static data (see firstDelivery). */
	readonly recent: string[] = [];

	accept(identity: string, now: number, expiresAt: number): boolean {
		for (const [key, until] of this.entries) {
			if (until > now) break;
			this.entries.delete(key);
		}
		const until = this.entries.get(identity);
		if (until !== undefined && until > now) return false;
		this.entries.delete(identity);
		this.entries.set(identity, expiresAt);
		while (this.entries.size > MAX_REMEMBERED_DELIVERIES)
			this.entries.delete(this.entries.keys().next().value as string);
		this.recent.push(identity);
		if (this.recent.length > RECENT_COPIED) this.recent.shift();
		return true;
	}
}

/**
 * How many of this process's latest acceptances each delivery copies into the static data it saves.
 * Deliveries that overlap (each saving a copy read before the others saved) are at most this many
 * per process; a constant, so a delivery's cost does not grow with the memory.
 */
const RECENT_COPIED = 64;

/** This process's memory of recent deliveries, per workflow and trigger node. */
const processMemory = new Map<string, LocalMemory>();

/**
 * Whether this is the first delivery of `identity` within its replay window; records it if so.
 *
 * Two memories, because neither is enough alone. n8n keeps a trigger's static data in the database,
 * shared by every n8n process (main, webhook processes) and kept across restarts — but each delivery
 * reads it and saves it back whole, so deliveries handled at the same moment each save a copy without
 * the others' entries (and a queue-mode execution may save its older copy after). This process's own
 * memory is exact for every delivery it handles, since the check and the record happen without a
 * pause in between. Each delivery also copies this process's latest acceptances into the static
 * data it saves, so the shared copy catches up with the deliveries that overlapped it.
 * Both memories are bounded (MAX_REMEMBERED_DELIVERIES entries, each kept until `expiresAt`).
 */
export function firstDelivery(
	ctx: IWebhookFunctions,
	field: string,
	identity: string,
	now: number,
	expiresAt: number,
): boolean {
	const scope = `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().name}\u0000${field}`;
	let local = processMemory.get(scope);
	if (!local) processMemory.set(scope, (local = new LocalMemory()));
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = (
		staticData[field] && typeof staticData[field] === 'object' && !Array.isArray(staticData[field])
			? staticData[field]
			: {}
	) as ReplayCache;
	const shared = storeOf(stored);
	shared.prune(now);
	const storedUntil = shared.get(identity);
	const storedSeen = storedUntil !== undefined && storedUntil > now;
	const first =
		local.accept(identity, now, storedSeen ? Math.max(storedUntil, expiresAt) : expiresAt) &&
		!storedSeen;
	for (const key of local.recent) {
		const until = local.entries.get(key);
		if (until !== undefined && until > now && !((shared.get(key) ?? 0) >= until))
			shared.set(key, until);
	}
	shared.trim(MAX_REMEMBERED_DELIVERIES);
	staticData[field] = stored as unknown as IDataObject;
	return first;
}

/** Forgets this process's memory (tests: a second n8n process). */
export function forgetDeliveries(): void {
	processMemory.clear();
}
