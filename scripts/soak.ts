/**
 * `npm run soak`: the fault soak of issue #9 at night-sync scale, outside CI — 10,000 records per
 * provider's main write path through the real nodes against the sandbox (10 % 5xx, 3 % resets, half
 * after the write, 429 bursts with Retry-After, 2-second latency spikes, tokens revoked mid-run),
 * all five providers at once. Prints the figures from the sandbox ledger (the same table as CI) and
 * exits non-zero if any record was lost or duplicated or any secret appeared.
 *   npm run soak [-- --records 10000]
 *
 * It runs test/reliability/soak.test.ts under jest with SOAK_RECORDS set: jest resolves the nodes'
 * `*.node.ts` modules the way the tests do (tsx would pick the `*.node.json` codex files beside them).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

const root = join(__dirname, '..');
const records = String(Number(arg('records') ?? 10_000));
process.stdout.write(`soak: ${records} records per provider, all five providers at once …\n`);
const result = spawnSync(
	process.execPath,
	[
		join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
		'test/reliability/soak.test.ts',
		'--selectProjects',
		'reliability',
		'--verbose',
	],
	{
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, SOAK_RECORDS: records },
	},
);
process.exitCode = result.status ?? 1;
