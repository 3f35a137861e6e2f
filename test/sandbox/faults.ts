// Fault plans: what goes wrong, for which requests, how often. The server asks decide() once per
// provider request (nothing is evaluated when no plan is active) and applies the decision:
//   status       answer with `status` (+ Retry-After, headers) and the provider's error body; the route never runs
//   reset        destroy the socket before the route runs: the request is never processed
//   reset-after  let the route run (the write happens), then destroy the socket instead of answering
//   latency      wait latencyMs, then continue normally (any plan may also carry latencyMs)
// Decisions for `share` plans come from a seeded generator per plan, so a run is deterministic for
// the same seed, plans and request sequence.
import { z } from 'zod';
import { createRandom, deriveSeed } from './rng';
import type { SeededRandom } from './types';

export type FaultKind = 'status' | 'reset' | 'reset-after' | 'latency';

export interface FaultMatch {
	provider?: string;
	host?: string;
	/** HTTP method, any case */
	method?: string;
	/** regex source, tested against the path inside the host ('/oauth2-provider/token') and the full URL path, no query */
	path?: string;
}

export interface FaultPlan {
	/** defaults to 'f1', 'f2'... ; also selects the plan's random stream */
	id?: string;
	/** every field optional; an absent match applies to every provider request */
	match?: FaultMatch;
	kind: FaultKind;
	/** kind 'status': the status to answer (429, 500, 502, 503...) */
	status?: number;
	/** seconds or an HTTP date for Retry-After; a 429 gets 1 unless given; null sends none */
	retryAfter?: number | string | null;
	/** extra response headers (status faults) */
	headers?: Record<string, string>;
	/** response body (status faults), instead of the provider's errorBody(status, message) */
	body?: unknown;
	/** message passed to the provider's errorBody (default: the status text) */
	message?: string;
	/** kind 'latency': the delay; other kinds: an optional delay before the fault */
	latencyMs?: number;
	/** fire at most this many times (default: unlimited) */
	count?: number;
	/** probability 0..1 of firing on each matching request (default 1), drawn from the seeded generator */
	share?: number;
	/** let the first `skip` matching requests through before the plan can fire */
	skip?: number;
	/** inactive from this time on (ms since the epoch, sandbox clock) */
	untilMs?: number;
	/** inactive `forMs` after the plan was added (converted to untilMs) */
	forMs?: number;
}

export interface FaultState extends FaultPlan {
	id: string;
	/** matching requests seen */
	matched: number;
	/** times the plan fired */
	fired: number;
	/** fires left when `count` is set, else null */
	remaining: number | null;
	active: boolean;
}

export interface FaultDecision {
	/** total delay before continuing (latency plans + the terminal plan's latencyMs) */
	latencyMs: number;
	/** the status / reset / reset-after plan that fired, if any */
	terminal: FaultState | null;
	/** id of the latency plan that fired when no terminal plan did */
	latencyId: string | null;
}

export class FaultPlanError extends Error {
	constructor(
		message: string,
		readonly issues: string[] = [],
	) {
		super(message);
		this.name = 'FaultPlanError';
	}
}

const validRegex = (source: string) => {
	try {
		new RegExp(source);
		return true;
	} catch {
		return false;
	}
};

const planSchema = z
	.object({
		id: z.string().min(1).max(200).optional(),
		match: z
			.object({
				provider: z.string().optional(),
				host: z.string().optional(),
				method: z.string().optional(),
				path: z.string().refine(validRegex, 'not a valid regular expression').optional(),
			})
			.strict()
			.optional(),
		kind: z.enum(['status', 'reset', 'reset-after', 'latency']),
		status: z.number().int().min(100).max(599).optional(),
		retryAfter: z.union([z.number().nonnegative(), z.string().min(1), z.null()]).optional(),
		headers: z.record(z.string()).optional(),
		body: z.unknown().optional(),
		message: z.string().optional(),
		latencyMs: z.number().nonnegative().max(600_000).optional(),
		count: z.number().int().positive().optional(),
		share: z.number().min(0).max(1).optional(),
		skip: z.number().int().nonnegative().optional(),
		untilMs: z.number().optional(),
		forMs: z.number().positive().optional(),
	})
	.strict()
	.superRefine((p, ctx) => {
		if (p.kind === 'status' && p.status === undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['status'],
				message: "kind 'status' needs a status (e.g. 429, 503)",
			});
		if (p.kind === 'latency' && p.latencyMs === undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['latencyMs'],
				message: "kind 'latency' needs latencyMs",
			});
	});

interface ActivePlan {
	state: FaultState;
	method?: string;
	path?: RegExp;
	rng: SeededRandom | null;
}

export class FaultInjector {
	private plans: ActivePlan[] = [];
	/** plans that can still fire, in insertion order; the hot path only reads this */
	private live: ActivePlan[] = [];
	private nextId = 1;

	constructor(
		private readonly seed: number,
		private readonly now: () => number,
	) {}

	/** Validates and adds one plan or several; returns their states (with ids). Throws FaultPlanError. */
	add(plans: FaultPlan | FaultPlan[]): FaultState[] {
		const list = Array.isArray(plans) ? plans : [plans];
		const parsed: FaultPlan[] = [];
		for (const [i, raw] of list.entries()) {
			const r = planSchema.safeParse(raw);
			if (!r.success) {
				const issues = r.error.issues.map(
					(x) => `${list.length > 1 ? `[${i}].` : ''}${x.path.join('.') || '(plan)'}: ${x.message}`,
				);
				throw new FaultPlanError(`Invalid fault plan: ${issues.join('; ')}`, issues);
			}
			parsed.push(r.data as FaultPlan);
		}
		const ids = new Set(this.plans.map((p) => p.state.id));
		const added: ActivePlan[] = [];
		for (const p of parsed) {
			const id = p.id ?? this.freshId(ids);
			if (ids.has(id)) throw new FaultPlanError(`A fault plan with id '${id}' already exists`);
			ids.add(id);
			const state: FaultState = {
				...p,
				id,
				untilMs: p.forMs !== undefined ? this.now() + p.forMs : p.untilMs,
				matched: 0,
				fired: 0,
				remaining: p.count ?? null,
				active: true,
			};
			added.push({
				state,
				method: p.match?.method?.toUpperCase(),
				path: p.match?.path !== undefined ? new RegExp(p.match.path) : undefined,
				rng:
					p.share !== undefined && p.share < 1
						? createRandom(deriveSeed(this.seed, `fault:${id}`))
						: null,
			});
		}
		this.plans.push(...added);
		this.live.push(...added);
		return added.map((a) => a.state);
	}

	remove(id: string): boolean {
		const before = this.plans.length;
		this.plans = this.plans.filter((p) => p.state.id !== id);
		this.live = this.live.filter((p) => p.state.id !== id);
		return this.plans.length < before;
	}

	/** Removes every plan (ids keep counting: a new plan does not reuse an old plan's random stream). */
	clear(): void {
		this.plans = [];
		this.live = [];
	}

	/** clear() and restart ids at f1, as in a fresh sandbox. */
	reset(): void {
		this.clear();
		this.nextId = 1;
	}

	list(): FaultState[] {
		const now = this.now();
		for (const p of this.plans)
			if (p.state.untilMs !== undefined && now >= p.state.untilMs) p.state.active = false;
		return this.plans.map((p) => ({ ...p.state }));
	}

	/** Plans that can still fire. */
	get size(): number {
		return this.live.length;
	}

	/** Hot path: the decision for one provider request, or null when no plan applies. */
	decide(
		provider: string,
		host: string,
		method: string,
		path: string,
		fullPath: string,
	): FaultDecision | null {
		const live = this.live;
		if (live.length === 0) return null;
		let latencyMs = 0;
		let latencyId: string | null = null;
		let terminal: FaultState | null = null;
		let now = -1;
		let exhausted = false;
		for (let i = 0; i < live.length; i++) {
			const p = live[i];
			const s = p.state;
			if (s.untilMs !== undefined) {
				if (now < 0) now = this.now();
				if (now >= s.untilMs) {
					s.active = false;
					exhausted = true;
					continue;
				}
			}
			const m = s.match;
			if (m !== undefined) {
				if (m.provider !== undefined && m.provider !== provider) continue;
				if (m.host !== undefined && m.host !== host) continue;
				if (p.method !== undefined && p.method !== method) continue;
				if (p.path !== undefined && !p.path.test(path) && !p.path.test(fullPath)) continue;
			}
			s.matched++;
			if (s.skip !== undefined && s.matched <= s.skip) continue;
			if (p.rng !== null && !(p.rng.float() < (s.share as number))) continue;
			s.fired++;
			if (s.remaining !== null && --s.remaining <= 0) {
				s.active = false;
				exhausted = true;
			}
			if (s.kind === 'latency') {
				latencyMs += s.latencyMs ?? 0;
				latencyId ??= s.id;
				continue;
			}
			latencyMs += s.latencyMs ?? 0;
			terminal = s;
			break;
		}
		if (exhausted) this.live = live.filter((p) => p.state.active);
		return terminal === null && latencyMs === 0 && latencyId === null
			? null
			: { latencyMs, terminal, latencyId };
	}

	private freshId(taken: Set<string>): string {
		let id: string;
		do id = `f${this.nextId++}`;
		while (taken.has(id));
		return id;
	}
}
