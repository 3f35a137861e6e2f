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

/** The configured replay window in seconds (0 = off); the default when the value is not a number. */
export function replayWindowSeconds(options: IDataObject): number {
	const configured = Number(options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS);
	return Number.isFinite(configured) ? Math.max(0, configured) : DEFAULT_REPLAY_WINDOW_SECONDS;
}

/** At most this many deliveries are remembered per trigger (the workflow's static data stays small). */
export const MAX_REMEMBERED_DELIVERIES = 1000;

/**
 * Records `identity` as accepted until `expiresAt`; false when it was accepted before and has not
 * expired (a replay). Expired entries are dropped; at most `max` are kept (the ones expiring first go).
 */
export function rememberDelivery(cache: ReplayCache, identity: string, now: number, expiresAt: number, max = MAX_REMEMBERED_DELIVERIES): boolean {
	for (const [key, until] of Object.entries(cache)) if (until <= now) delete cache[key];
	if (cache[identity] !== undefined && cache[identity] > now) return false;
	cache[identity] = expiresAt;
	const keys = Object.keys(cache);
	if (keys.length > max) {
		keys.sort((a, b) => cache[a] - cache[b]);
		for (const key of keys.slice(0, keys.length - max)) delete cache[key];
	}
	return true;
}

/** This process's memory of recent deliveries, per workflow and trigger node. */
const processMemory = new Map<string, ReplayCache>();

/**
 * Whether this is the first delivery of `identity` within its replay window; records it if so.
 *
 * Two memories, because neither is enough alone. n8n keeps a trigger's static data in the database,
 * shared by every n8n process (main, webhook processes) and kept across restarts — but each delivery
 * reads it and saves it back whole, so deliveries handled at the same moment each save a copy without
 * the others' entries (and a queue-mode execution may save its older copy after). This process's own
 * memory is exact for every delivery it handles, since the check and the record happen without a
 * pause in between. Each delivery also copies what this process remembers into the static data it
 * saves, so the shared copy catches up with every delivery the process accepted.
 */
export function firstDelivery(ctx: IWebhookFunctions, field: string, identity: string, now: number, expiresAt: number): boolean {
	const scope = `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().name}\u0000${field}`;
	let local = processMemory.get(scope);
	if (!local) processMemory.set(scope, (local = {}));
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = (staticData[field] && typeof staticData[field] === 'object' ? staticData[field] : {}) as ReplayCache;
	const storedSeen = stored[identity] !== undefined && stored[identity] > now;
	const first = rememberDelivery(local, identity, now, storedSeen ? Math.max(stored[identity], expiresAt) : expiresAt) && !storedSeen;
	for (const [key, until] of Object.entries(local)) if (!(stored[key] >= until)) stored[key] = until;
	rememberDelivery(stored, identity, now, local[identity]);
	staticData[field] = stored as unknown as IDataObject;
	return first;
}

/** Forgets this process's memory (tests: a second n8n process). */
export function forgetDeliveries(): void {
	processMemory.clear();
}
