/**
 * Issue #9, fault soak (in CI, bounded): 2,000 records per provider's main write path through the
 * real node, against the sandbox injecting 10 % 5xx, 3 % connection resets (half after the write
 * was processed), three 429 bursts with Retry-After, 2-second latency spikes and, where the
 * provider has access tokens, every token revoked once half the records are stored. The sandbox's
 * write ledger is the witness: every record written exactly once, none lost, no duplicates.
 * `SOAK_RECORDS` overrides the count (`npm run soak` runs 10,000 per provider).
 */
import { findCanaries } from '../support/canaries';
import { SOAK_PROVIDERS, figuresTable, soakAll, totalWallSeconds } from './soakHarness';
import type { SoakFigures } from './soakHarness';

const RECORDS = Number(process.env.SOAK_RECORDS ?? 2000);
let figures: SoakFigures[] = [];

beforeAll(async () => {
	figures = await soakAll({
		records: RECORDS,
		latencyMs: 2000,
		latencyShare: 0.003,
		concurrency: 32,
	});
	process.stdout.write(
		`\nFault soak, ${RECORDS} records per provider, all five at once in ${totalWallSeconds.toFixed(1)} s:\n${figuresTable(figures)}\n`,
	);
	for (const f of figures)
		for (const e of f.errors) process.stdout.write(`  ${f.provider}: ${e}\n`);
});

describe.each(SOAK_PROVIDERS.map((p) => [p.name, p] as const))('fault soak: %s', (name, setup) => {
	let result: SoakFigures;
	beforeAll(() => {
		result = figures.find((f) => f.provider === name)!;
	});

	it('the run finished and every faulty kind was injected', () => {
		expect(result.errors.filter((e) => !e.startsWith('item '))).toEqual([]);
		expect(result.faults['5xx']).toBeGreaterThan(RECORDS * 0.05);
		expect(result.faults.reset).toBeGreaterThan(0);
		expect(result.faults['reset-after']).toBeGreaterThan(0);
		expect(result.faults['429']).toBe(75);
		expect(result.faults.latency).toBeGreaterThan(0);
		if (setup.revokable) {
			expect(result.tokenRevokedAt).not.toBeNull();
			expect(result.status401).toBeGreaterThan(0);
			expect(result.tokenRequests).toBeGreaterThanOrEqual(2);
		}
	});

	it('every record written exactly once: none lost, no duplicates, no error items', () => {
		expect(result.duplicates).toBe(0);
		expect(result.outputItems).toBe(RECORDS);
		expect(result.errors).toEqual([]);
		expect(result.errorItems).toBe(0);
		expect(result.lost).toBe(0);
		expect(result.written).toBe(RECORDS);
	});

	it('no canary secret or issued token in any output item, error or log line', () => {
		expect(result.tokensSeen.length).toBeGreaterThan(setup.revokable ? 0 : -1);
		expect(
			findCanaries(
				result.texts.map((text, i) => ({ where: `${setup.name} text ${i}`, text })),
				result.tokensSeen,
			),
		).toEqual([]);
	});
});
