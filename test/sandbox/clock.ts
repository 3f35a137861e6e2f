// The sandbox clock. Real time by default; tests can freeze it or move it forward to make tokens
// expire or rate-limit windows pass without waiting. Everything time-based in the sandbox (token
// expiry, rate limits, fault `untilMs`, ledger `at`) reads this clock.
export class Clock {
	private offsetMs = 0;
	private frozenAt: number | null = null;

	now(): number {
		return this.frozenAt ?? Date.now() + this.offsetMs;
	}

	/** Stops the clock at `atMs` (default: now). */
	freeze(atMs: number = this.now()): void {
		this.frozenAt = atMs;
	}

	/** Moves the clock forward (frozen or not). */
	advance(ms: number): void {
		if (this.frozenAt !== null) this.frozenAt += ms;
		else this.offsetMs += ms;
	}

	/** Back to real time. */
	real(): void {
		this.frozenAt = null;
		this.offsetMs = 0;
	}

	get frozen(): boolean {
		return this.frozenAt !== null;
	}
}
