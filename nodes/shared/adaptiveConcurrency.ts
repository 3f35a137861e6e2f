/**
 * "Concurrency: 0" (Auto): how many items are in flight is found at run time, AIMD style.
 *
 * Why latency and not only errors: n8n's request helper opens a new connection per request and the
 * node shares one event loop with n8n's expression engine, so past some width more requests in
 * flight only queue (on the CPU, or in the rate limiter) and each one takes longer, with no gain
 * in records per second. The item's own duration (limiter wait + token + round trip + retries)
 * shows that queueing directly: while it stays near the lowest seen, the width grows by one per
 * round trip (after a quick doubling start); when it grows past `tolerance` × that floor, or a
 * 429/503 arrives, the width shrinks by a factor, at most once per round trip (the responses of
 * one round trip report the same congestion).
 *
 * A client-side rate limit bounds the width too: more than rate × round trip in flight cannot be
 * served by the limiter, they would only wait in it (and a wait counts as latency growth anyway).
 *
 * Latency alone stops too early where every request costs the process CPU (a new TLS connection
 * per request): there latency grows well before records per second stop growing (the bench's
 * HTTPS sweep: 3× the floor at 50 in flight, yet 24 % more records per second than at 20). So past
 * `tolerance` the width is probed for throughput: records per second (in flight ÷ latency, over a
 * few round trips) at the current width, then at a width `probeStep` × larger; a step that paid at least
 * `minGain` of what a proportional gain would be is kept (and latency up to `ceilingAt` × the floor
 * is accepted at that width), one that did not is undone and probing rests for a floor window.
 * Without a proven gain the latency rules above apply as before; 429/503 always halve.
 */
export interface AdaptiveOptions {
	/** width at the start (default 5, the fixed default) */
	initial?: number;
	min?: number;
	max?: number;
	/** requests per millisecond the limiter lets through (0/undefined: no client-side limit) */
	ratePerMs?: number;
	/** latency up to floor × tolerance counts as "near the floor" (default 1.5) */
	tolerance?: number;
	/** beyond floor × backoffAt the width shrinks (default 2) */
	backoffAt?: number;
	/** multiplicative decrease on latency growth (default 0.8) and on 429/503 (default 0.5) */
	latencyDecrease?: number;
	congestionDecrease?: number;
	/** the floor is the lowest mean of 8 items in a row over the last two windows of this length, each opened by a short probe at half the width (default 10 s) */
	floorWindowMs?: number;
	/** throughput probing: the width's factor per step (default 1.25) */
	probeStep?: number;
	/** …the share of a proportional gain a step must bring to be kept (default 0.15) */
	minGain?: number;
	/** …the latency (× floor) past which the width shrinks even when more in flight still paid (default 5) */
	ceilingAt?: number;
}

/** One throughput measurement: the latencies of the items finished at `width` between `from` and `to`. */
interface Epoch {
	width: number;
	from: number;
	to: number;
	done: number;
	latencySum: number;
}

/** Items averaged into one floor candidate. */
const FLOOR_SAMPLES = 8;

export class AdaptiveConcurrency {
	private width: number;
	private readonly min: number;
	private readonly max: number;
	private readonly o: Required<
		Pick<
			AdaptiveOptions,
			| 'tolerance'
			| 'backoffAt'
			| 'latencyDecrease'
			| 'congestionDecrease'
			| 'floorWindowMs'
			| 'probeStep'
			| 'minGain'
			| 'ceilingAt'
		>
	>;
	private slowStart = true;
	private smoothed = 0;
	private floorCurrent = Infinity;
	private floorPrevious = Infinity;
	private floorWindowStart = -Infinity;
	private floorSum = 0;
	private floorFirst = Infinity;
	private floorCount = 0;
	private holdUntil = -Infinity;
	private probeUntil = -Infinity;
	/** the throughput measurement under way, if any */
	private epoch: Epoch | undefined;
	/** records per ms measured at a width, before the step that is being measured now */
	private baseline: { width: number; perMs: number } | undefined;
	/** the width whose step up was shown to pay: latency past `backoffAt` is accepted there */
	private paying: number | undefined;
	private restUntil = -Infinity;
	decreases = 0;
	peak: number;

	constructor(
		private readonly options: AdaptiveOptions = {},
		private readonly now: () => number = () => Date.now(),
	) {
		this.min = Math.max(1, options.min ?? 1);
		this.max = Math.max(this.min, options.max ?? 50);
		this.width = Math.min(this.max, Math.max(this.min, options.initial ?? 5));
		this.peak = this.width;
		this.o = {
			tolerance: options.tolerance ?? 1.5,
			backoffAt: options.backoffAt ?? 2,
			latencyDecrease: options.latencyDecrease ?? 0.8,
			congestionDecrease: options.congestionDecrease ?? 0.5,
			floorWindowMs: options.floorWindowMs ?? 10_000,
			probeStep: options.probeStep ?? 1.25,
			minGain: options.minGain ?? 0.15,
			ceilingAt: options.ceilingAt ?? 5,
		};
	}

	/** How many may be in flight now. */
	get limit(): number {
		let cap = this.max;
		if (this.now() < this.probeUntil) cap = Math.max(this.min, Math.floor(this.width / 2));
		const rate = this.options.ratePerMs ?? 0;
		if (rate > 0 && Number.isFinite(this.floor))
			cap = Math.min(cap, Math.max(this.min, Math.ceil(rate * this.floor) + 1));
		return Math.max(this.min, Math.min(cap, Math.floor(this.width)));
	}

	/** The lowest latency seen lately (ms). */
	get floor(): number {
		const floor = Math.min(this.floorCurrent, this.floorPrevious);
		// Until the first few items are in, the fastest one stands in (the rate cap needs a value).
		return Number.isFinite(floor) ? floor : this.floorFirst;
	}

	get latency(): number {
		return this.smoothed;
	}

	/** One finished unit of work: its duration, and whether the provider pushed back (429/503). */
	record(latencyMs: number, congested = false): void {
		const now = this.now();
		if (now - this.floorWindowStart >= this.o.floorWindowMs) {
			// The floor is relearned every window (the provider may really have become slower), but
			// latency measured at a width past the knee includes its own queue: a floor taken from
			// it would let the width creep up window after window. So each window starts with two
			// round trips at half the width, which drains the queue (CPU or limiter) and shows the
			// latency without it.
			if (Number.isFinite(this.floorCurrent))
				this.probeUntil = now + 2 * Math.max(this.smoothed, this.floor);
			this.floorPrevious = this.floorCurrent;
			this.floorCurrent = Infinity;
			this.floorWindowStart = now;
		}
		// The floor is the lowest mean of a few items in a row, not the single fastest item: with
		// latencies that scatter (TLS handshakes on a shared CPU) one lucky item would set a floor
		// that every ordinary item is "twice" of, and the width would shrink for nothing.
		this.floorFirst = Math.min(this.floorFirst, latencyMs);
		this.floorSum += latencyMs;
		if (++this.floorCount >= FLOOR_SAMPLES) {
			this.floorCurrent = Math.min(this.floorCurrent, this.floorSum / this.floorCount);
			this.floorSum = 0;
			this.floorCount = 0;
		}
		// About one round trip's worth of samples: `limit` of them arrive per round trip.
		const alpha = 2 / (this.limit + 1);
		this.smoothed =
			this.smoothed === 0 ? latencyMs : this.smoothed + alpha * (latencyMs - this.smoothed);

		if (congested) return this.decrease(now, this.o.congestionDecrease);
		const ratio = this.smoothed / this.floor;
		if (ratio > this.o.ceilingAt) return this.decrease(now, this.o.latencyDecrease);
		if (ratio > this.o.tolerance) {
			this.slowStart = false;
			// A step up is being measured: its latency is what is being weighed against its gain.
			const measuring = this.baseline !== undefined && Math.floor(this.width) > this.baseline.width;
			const proven = this.paying !== undefined && Math.floor(this.width) <= this.paying;
			if (ratio > this.o.backoffAt && !measuring && !proven)
				return this.decrease(now, this.o.latencyDecrease);
			return this.probe(now, latencyMs);
		}
		this.forgetProbe();
		// No growth while the rate cap binds: the width above it would not be used.
		if (Math.floor(this.width) > this.limit) return;
		this.width = Math.min(this.max, this.width + (this.slowStart ? 1 : 1 / this.width));
		this.peak = Math.max(this.peak, this.limit);
	}

	/**
	 * Past `tolerance`: measure records per second at this width, then one step up; keep the step
	 * if it paid, else go back and rest until the next floor window.
	 */
	private probe(now: number, latencyMs: number): void {
		if (now < this.holdUntil || now < this.probeUntil || now < this.restUntil) {
			this.epoch = undefined;
			return;
		}
		const roundTrip = Math.max(this.smoothed, this.floor);
		const width = this.limit;
		const e = this.epoch;
		if (!e || e.width !== width) {
			// The first round trip after a change still carries requests sent at the old width.
			this.epoch = {
				width,
				from: now + roundTrip,
				to: now + 3 * roundTrip,
				done: 0,
				latencySum: 0,
			};
			return;
		}
		if (now < e.from) return;
		e.done++;
		e.latencySum += latencyMs;
		if (now < e.to) return;
		this.epoch = undefined;
		// Little's law with the width kept full: records per ms = in flight ÷ latency. Counting
		// completions instead would mix in the ramp from the old width and the noise of a short window.
		const perMs = width / Math.max(1e-9, e.latencySum / e.done);
		const base = this.baseline;
		if (base && width > base.width) {
			const wanted = this.o.minGain * (width / base.width - 1);
			if (perMs < base.perMs * (1 + wanted)) {
				// The step bought (almost) nothing: back to the width that was measured, and rest.
				this.width = base.width;
				this.paying =
					this.paying !== undefined && this.paying <= base.width ? this.paying : undefined;
				this.baseline = undefined;
				this.decreases++;
				this.restUntil = now + this.o.floorWindowMs;
				return;
			}
			this.paying = width;
		}
		this.baseline = { width, perMs };
		// No step while the rate cap binds: the width above it would not be used.
		if (Math.floor(this.width) > width) return;
		this.width = Math.min(this.max, Math.max(this.width + 1, this.width * this.o.probeStep));
		this.peak = Math.max(this.peak, this.limit);
	}

	private forgetProbe(): void {
		this.epoch = undefined;
		this.baseline = undefined;
		this.paying = undefined;
	}

	private decrease(now: number, factor: number): void {
		this.slowStart = false;
		this.forgetProbe();
		if (now < this.holdUntil) return;
		this.width = Math.max(this.min, this.width * factor);
		this.decreases++;
		// The requests already in flight were sent at the old width: let one round trip pass.
		this.holdUntil = now + Math.max(this.smoothed, this.floor);
		// What was measured at the old width is not the latency of the new one.
		this.smoothed = Math.min(this.smoothed, this.floor * this.o.tolerance);
	}
}

/**
 * 429s and 503s seen by this process (counted by the rate limiter, which sees every response):
 * a run in Auto mode compares the count before and after each item to learn of pushback that
 * retries hid from the item's result.
 */
let pushbacks = 0;

export function notePushback(status: number): void {
	if (status === 429 || status === 503) pushbacks++;
}

export const pushbackCount = (): number => pushbacks;

/**
 * Like `mapConcurrent`, but the number in flight follows `controller`. Results in input order; a
 * failure never abandons work in flight; with `stopOnError` no new work starts after the first
 * failure; then the failure with the lowest index is thrown.
 */
export async function mapAdaptive<T, R>(
	items: readonly T[],
	controller: AdaptiveConcurrency,
	worker: (item: T, index: number) => Promise<R>,
	options: { stopOnError?: boolean; now?: () => number; pushbacks?: () => number } = {},
): Promise<R[]> {
	const now = options.now ?? (() => Date.now());
	const pushbackSeen = options.pushbacks ?? pushbackCount;
	const results = new Array<R>(items.length);
	const failures: Array<{ index: number; error: unknown }> = [];
	let next = 0;
	let inFlight = 0;

	return await new Promise<R[]>((resolve, reject) => {
		const finish = () => {
			if (failures.length) reject(failures.sort((a, b) => a.index - b.index)[0].error);
			else resolve(results);
		};
		const pump = () => {
			while (
				next < items.length &&
				inFlight < controller.limit &&
				!(options.stopOnError && failures.length)
			) {
				const index = next++;
				inFlight++;
				const started = now();
				const before = pushbackSeen();
				worker(items[index], index)
					.then(
						(result) => {
							results[index] = result;
						},
						(error: unknown) => {
							failures.push({ index, error });
						},
					)
					.finally(() => {
						inFlight--;
						controller.record(now() - started, pushbackSeen() > before);
						pump();
					});
			}
			if (inFlight === 0) finish();
		};
		pump();
	});
}
