/**
 * `npm run soak`: the fault soak of issue #9 at night-sync scale, outside CI — 10,000 records per
 * provider's main write path through the real node against the sandbox (10 % 5xx, 3 % resets, half
 * after the write, 429 bursts with Retry-After, 2-second latency spikes, tokens revoked mid-run).
 * Prints the figures from the sandbox ledger and exits non-zero if any record was lost or duplicated.
 *   npm run soak [-- --records 10000] [-- --only percipio,moodle]
 */
import { findCanaries } from '../test/support/canaries';
import { figuresTable, soakAll, totalWallSeconds } from '../test/reliability/soakHarness';
import type { SoakFigures } from '../test/reliability/soakHarness';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
	const records = Number(arg('records') ?? 10_000);
	const only = arg('only')?.split(',');
	process.stdout.write(`soak: ${records} records per provider, all providers at once …\n`);
	const rows: SoakFigures[] = await soakAll({ records, latencyMs: 2000, latencyShare: 0.003, concurrency: 32 }, only);
	let failed = false;
	for (const r of rows) {
		const leaks = findCanaries(r.texts.map((text, i) => ({ where: `text ${i}`, text })), r.tokensSeen);
		const ok = r.written === records && r.duplicates === 0 && r.lost === 0 && r.errorItems === 0 && r.errors.length === 0 && leaks.length === 0;
		failed ||= !ok;
		process.stdout.write(`  ${r.provider} ${ok ? 'ok' : 'FAILED'}: ${r.written} written once, ${r.duplicates} duplicates, ${r.lost} lost, ${r.errorItems} error items, ${leaks.length} secret leaks, ${r.wallSeconds.toFixed(1)} s\n`);
		for (const e of r.errors) process.stdout.write(`    ${e}\n`);
	}
	process.stdout.write(`\nFault soak, ${records} records per provider, all at once in ${totalWallSeconds.toFixed(1)} s (node ${process.version}):\n${figuresTable(rows)}\n`);
	process.exitCode = failed ? 1 : 0;
}

void main();
