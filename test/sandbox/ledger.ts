// What the sandbox saw and what the emulators wrote.
//
// 1. Request ledger: one compact entry per request received (mode 'all'), or none (mode 'off', for
//    benchmarks); the counters below are kept in both modes.
// 2. Write ledger: emulators call recordWrite() when a request creates a new record and
//    recordUpdate() when it hits an existing key (an idempotent re-send, an upsert). A key written
//    more than once as new is a duplicate: tests prove "every record written exactly once, none lost"
//    with writes(provider, kind) and duplicates(provider, kind).
// 3. Counters: requests per provider/host/status, token requests per provider, faults by kind,
//    outbound webhooks.

export type LedgerMode = 'all' | 'off';

export interface RequestEntry {
	seq: number;
	/** ms since the epoch (sandbox clock) when the request arrived */
	at: number;
	/** '' for URLs outside every /<provider>/<host> prefix */
	provider: string;
	host: string;
	method: string;
	/** path inside the host, without the query string */
	path: string;
	/** raw query string without '?', '' when none */
	query: string;
	/** status sent; for 'reset' the status is 0 (nothing was sent), for 'reset-after' the status the route produced */
	status: number;
	fault?: string;
	faultId?: string;
	durationMs: number;
}

export interface RequestFilter {
	provider?: string;
	host?: string;
	method?: string;
	/** only entries with seq > since */
	since?: number;
	/** regex source or RegExp tested against the path inside the host */
	path?: string | RegExp;
	/** at most this many entries (the oldest first) */
	limit?: number;
}

export interface WriteSummary {
	provider: string;
	kind: string;
	/** recordWrite calls (new records created) */
	total: number;
	/** distinct keys created */
	unique: number;
	/** recordUpdate calls (re-sends that hit an existing key) */
	updates: number;
	/** keys created more than once */
	duplicates: string[];
	keys: string[];
}

export interface WebhookEntry {
	seq: number;
	at: number;
	provider: string;
	url: string;
	status: number;
	error?: string;
	durationMs: number;
}

/** Request counters of one (provider, host) mount; kept by the ledger, looked up once by the server. */
export interface RequestCounter {
	readonly provider: string;
	readonly host: string;
	total: number;
	byStatus: Record<number, number>;
}

interface KeyRecord {
	writes: number;
	updates: number;
	payload: unknown;
}

interface KindWrites {
	provider: string;
	kind: string;
	total: number;
	updates: number;
	keys: Map<string, KeyRecord>;
}

/**
 * Every counter at one instant, cheap to take (no key lists, no request entries): a benchmark takes one
 * before and one after a run and subtracts them with `diffCounters`. Kept in ledger mode 'off' too.
 */
export interface LedgerCounters {
	/** requests answered (control API excluded) */
	requests: number;
	/** per provider: requests, by host and by status; `rateLimited` = answered 429 (the emulator's limit or an injected 429) */
	byProvider: Record<
		string,
		{
			requests: number;
			rateLimited: number;
			byHost: Record<string, number>;
			byStatus: Record<string, number>;
		}
	>;
	/** requests to token endpoints, failed ones included, per provider */
	tokenRequests: Record<string, number>;
	/** faults injected, by kind */
	faults: Record<string, number>;
	/** per provider and kind ('degreed/completion'): records created, and re-sends/updates of existing keys */
	writes: Record<string, { created: number; updates: number }>;
	webhooks: number;
}

export interface LedgerOptions {
	mode?: LedgerMode;
	/** request entries kept in mode 'all'; the oldest are dropped beyond it (default 200 000) */
	maxEntries?: number;
}

export class Ledger {
	mode: LedgerMode;
	readonly maxEntries: number;

	private entries: RequestEntry[] = [];
	private seq = 0;
	private droppedEntries = 0;
	private readonly counters = new Map<string, RequestCounter>();
	private readonly tokenRequestCounts = new Map<string, number>();
	private readonly faultCounts = new Map<string, number>();
	private readonly writeMap = new Map<string, KindWrites>();
	private webhookEntries: WebhookEntry[] = [];

	constructor(options: LedgerOptions = {}) {
		this.mode = options.mode ?? 'all';
		this.maxEntries = options.maxEntries ?? 200_000;
	}

	// ---- requests (the server records them; emulators do not need to) ----

	/** The counter object of a (provider, host) mount; stable for the ledger's lifetime. */
	requestCounter(provider: string, host: string): RequestCounter {
		const id = `${provider}/${host}`;
		let c = this.counters.get(id);
		if (!c) this.counters.set(id, (c = { provider, host, total: 0, byStatus: {} }));
		return c;
	}

	recordRequest(
		counter: RequestCounter,
		at: number,
		method: string,
		path: string,
		query: string,
		status: number,
		durationMs: number,
		fault?: string,
		faultId?: string,
	): void {
		const seq = ++this.seq;
		counter.total++;
		counter.byStatus[status] = (counter.byStatus[status] ?? 0) + 1;
		if (this.mode === 'off') return;
		const entry: RequestEntry = {
			seq,
			at,
			provider: counter.provider,
			host: counter.host,
			method,
			path,
			query,
			status,
			durationMs,
		};
		if (fault !== undefined) {
			entry.fault = fault;
			entry.faultId = faultId;
		}
		this.entries.push(entry);
		if (this.entries.length > this.maxEntries) {
			const drop = Math.max(1, Math.floor(this.maxEntries / 10));
			this.entries = this.entries.slice(drop);
			this.droppedEntries += drop;
		}
	}

	/** Request entries, oldest first. */
	requests(filter: RequestFilter = {}): RequestEntry[] {
		let start = 0;
		if (filter.since !== undefined) {
			// entries are ordered by seq: binary search for the first seq > since
			let lo = 0;
			let hi = this.entries.length;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (this.entries[mid].seq <= filter.since) lo = mid + 1;
				else hi = mid;
			}
			start = lo;
		}
		const re =
			filter.path === undefined
				? undefined
				: typeof filter.path === 'string'
					? new RegExp(filter.path)
					: filter.path;
		const method = filter.method?.toUpperCase();
		const limit = filter.limit ?? Infinity;
		const out: RequestEntry[] = [];
		for (let i = start; i < this.entries.length && out.length < limit; i++) {
			const e = this.entries[i];
			if (filter.provider !== undefined && e.provider !== filter.provider) continue;
			if (filter.host !== undefined && e.host !== filter.host) continue;
			if (method !== undefined && e.method !== method) continue;
			if (re && !re.test(e.path)) continue;
			out.push(e);
		}
		return out;
	}

	/** seq of the last request received (0 before any): pass it as `since` to see only later requests. */
	get lastSeq(): number {
		return this.seq;
	}

	/** Request entries dropped because of maxEntries. */
	get dropped(): number {
		return this.droppedEntries;
	}

	/** Requests counted (all modes), optionally for one provider / host / status. */
	requestCount(provider?: string, host?: string, status?: number): number {
		let n = 0;
		for (const c of this.counters.values()) {
			if (provider !== undefined && c.provider !== provider) continue;
			if (host !== undefined && c.host !== host) continue;
			n += status === undefined ? c.total : (c.byStatus[status] ?? 0);
		}
		return n;
	}

	countTokenRequest(provider: string): void {
		this.tokenRequestCounts.set(provider, (this.tokenRequestCounts.get(provider) ?? 0) + 1);
	}

	/** Requests to routes marked `config: { tokenEndpoint: true }`, failed ones included. */
	tokenRequests(provider: string): number {
		return this.tokenRequestCounts.get(provider) ?? 0;
	}

	countFault(kind: string): void {
		this.faultCounts.set(kind, (this.faultCounts.get(kind) ?? 0) + 1);
	}

	/** Faults injected, by kind ('status', 'reset', 'reset-after', 'latency'). */
	faults(kind: string): number {
		return this.faultCounts.get(kind) ?? 0;
	}

	// ---- writes (emulators call these) ----

	/** A request created a new record `key` of `kind`. Returns how many times `key` was created so far (1 = fine). */
	recordWrite(provider: string, kind: string, key: string, payload?: unknown): number {
		const k = this.kindWrites(provider, kind);
		k.total++;
		let r = k.keys.get(key);
		if (!r) k.keys.set(key, (r = { writes: 0, updates: 0, payload: undefined }));
		r.writes++;
		if (payload !== undefined) r.payload = payload;
		return r.writes;
	}

	/** A request hit the existing record `key` (idempotent re-send, upsert, PATCH). Returns the updates of `key` so far. */
	recordUpdate(provider: string, kind: string, key: string, payload?: unknown): number {
		const k = this.kindWrites(provider, kind);
		k.updates++;
		let r = k.keys.get(key);
		if (!r) k.keys.set(key, (r = { writes: 0, updates: 0, payload: undefined }));
		r.updates++;
		if (payload !== undefined) r.payload = payload;
		return r.updates;
	}

	writes(provider: string, kind: string): WriteSummary {
		const k = this.writeMap.get(`${provider}\u0000${kind}`);
		if (!k) return { provider, kind, total: 0, unique: 0, updates: 0, duplicates: [], keys: [] };
		const keys: string[] = [];
		const duplicates: string[] = [];
		for (const [key, r] of k.keys) {
			if (r.writes > 0) keys.push(key);
			if (r.writes > 1) duplicates.push(key);
		}
		return {
			provider,
			kind,
			total: k.total,
			unique: keys.length,
			updates: k.updates,
			duplicates,
			keys,
		};
	}

	/** Keys created more than once. */
	duplicates(provider: string, kind: string): string[] {
		const k = this.writeMap.get(`${provider}\u0000${kind}`);
		if (!k) return [];
		const out: string[] = [];
		for (const [key, r] of k.keys) if (r.writes > 1) out.push(key);
		return out;
	}

	/** Times `key` was created (0 = never). */
	writeCount(provider: string, kind: string, key: string): number {
		return this.writeMap.get(`${provider}\u0000${kind}`)?.keys.get(key)?.writes ?? 0;
	}

	/** The last payload recorded for `key` (write or update). */
	payload(provider: string, kind: string, key: string): unknown {
		return this.writeMap.get(`${provider}\u0000${kind}`)?.keys.get(key)?.payload;
	}

	/** Every (provider, kind) that has writes, optionally for one provider. */
	writeKinds(provider?: string): Array<{ provider: string; kind: string }> {
		const out: Array<{ provider: string; kind: string }> = [];
		for (const k of this.writeMap.values())
			if (provider === undefined || k.provider === provider)
				out.push({ provider: k.provider, kind: k.kind });
		return out;
	}

	// ---- outbound webhooks (recorded by ctx.sendWebhook) ----

	recordWebhook(entry: Omit<WebhookEntry, 'seq'>): void {
		this.webhookEntries.push({ seq: this.webhookEntries.length + 1, ...entry });
	}

	webhooks(provider?: string): WebhookEntry[] {
		return provider === undefined
			? this.webhookEntries.slice()
			: this.webhookEntries.filter((w) => w.provider === provider);
	}

	// ---- everything ----

	/** A snapshot of every counter (O(number of counters)); see `diffCounters`. */
	snapshot(): LedgerCounters {
		const byProvider: LedgerCounters['byProvider'] = {};
		let requests = 0;
		for (const c of this.counters.values()) {
			if (c.total === 0) continue;
			requests += c.total;
			const p = (byProvider[c.provider || '(unmounted)'] ??= {
				requests: 0,
				rateLimited: 0,
				byHost: {},
				byStatus: {},
			});
			p.requests += c.total;
			p.rateLimited += c.byStatus[429] ?? 0;
			p.byHost[c.host || '-'] = c.total;
			for (const [status, n] of Object.entries(c.byStatus))
				p.byStatus[status] = (p.byStatus[status] ?? 0) + n;
		}
		const writes: LedgerCounters['writes'] = {};
		for (const k of this.writeMap.values())
			writes[`${k.provider}/${k.kind}`] = { created: k.total, updates: k.updates };
		return {
			requests,
			byProvider,
			tokenRequests: Object.fromEntries(this.tokenRequestCounts),
			faults: Object.fromEntries(this.faultCounts),
			writes,
			webhooks: this.webhookEntries.length,
		};
	}

	/** A JSON-ready summary of every counter (for /_control/stats). */
	stats() {
		const byProvider: Record<
			string,
			Record<string, { total: number; byStatus: Record<number, number> }>
		> = {};
		let total = 0;
		for (const c of this.counters.values()) {
			if (c.total === 0) continue;
			total += c.total;
			(byProvider[c.provider || '(unmounted)'] ??= {})[c.host || '-'] = {
				total: c.total,
				byStatus: { ...c.byStatus },
			};
		}
		const writes = [];
		for (const { provider, kind } of this.writeKinds()) {
			const s = this.writes(provider, kind);
			writes.push({
				provider,
				kind,
				total: s.total,
				unique: s.unique,
				updates: s.updates,
				duplicates: s.duplicates.length,
			});
		}
		return {
			mode: this.mode,
			requests: {
				total,
				entries: this.entries.length,
				dropped: this.droppedEntries,
				lastSeq: this.seq,
				byProvider,
			},
			tokenRequests: Object.fromEntries(this.tokenRequestCounts),
			faults: Object.fromEntries(this.faultCounts),
			writes,
			webhooks: this.webhookEntries.length,
		};
	}

	clear(): void {
		this.entries = [];
		this.seq = 0;
		this.droppedEntries = 0;
		// counter objects are held by the server: zero them in place
		for (const c of this.counters.values()) {
			c.total = 0;
			c.byStatus = {};
		}
		this.tokenRequestCounts.clear();
		this.faultCounts.clear();
		this.writeMap.clear();
		this.webhookEntries = [];
	}

	private kindWrites(provider: string, kind: string): KindWrites {
		const id = `${provider}\u0000${kind}`;
		let k = this.writeMap.get(id);
		if (!k) this.writeMap.set(id, (k = { provider, kind, total: 0, updates: 0, keys: new Map() }));
		return k;
	}
}

/**
 * `after - before`, counter by counter, for any snapshot made of nested objects of numbers (LedgerCounters,
 * SandboxCounters). Counters absent from `before` count from 0; zero differences are dropped, so the result
 * lists only what the run changed. A `reset()` between the two snapshots gives negative numbers: don't.
 */
export function diffCounters<T>(before: T, after: T): T {
	const diff = (a: unknown, b: unknown): unknown => {
		if (typeof b === 'number') return b - (typeof a === 'number' ? a : 0);
		if (b && typeof b === 'object') {
			const out: Record<string, unknown> = {};
			const prev = (a && typeof a === 'object' ? a : {}) as Record<string, unknown>;
			for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
				const d = diff(prev[k], v);
				if (d === 0 || (d && typeof d === 'object' && Object.keys(d).length === 0)) continue;
				out[k] = d;
			}
			return out;
		}
		return b;
	};
	return diff(before, after) as T;
}
