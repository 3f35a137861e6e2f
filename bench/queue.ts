// `npm run bench:queue` — Auto concurrency with 3 workers in n8n queue mode (issue #20, target 2:
// "with 3 workers in queue mode it stays under the shared limit"). A measurement, not a test: it
// prints a table and writes bench/results/queue-<timestamp>.json; it asserts nothing.
//
// The cluster of test/e2e/queue-mode (PostgreSQL + Redis from apt, one main, 3 workers with
// concurrency 2, the package installed in each) and its Degreed completions sync (Webhook → Code →
// Completion → Create), with the node's Concurrency = 0 (Auto). The sandbox's Degreed limit is a
// fixed window of PER_WINDOW requests per WINDOW_MS per client, shared by the three workers. Each
// variant queues `--executions` executions of `--records` completions at once (so every worker
// runs two), the sandbox reset between variants:
//
//   off  Requests Per Minute = -1: no client-side pacing; Auto and the server's headers / 429s only
//   rpm  Requests Per Minute = the provider limit per minute: each worker alone paces at the full
//        limit, so the three together offer 3× what the server accepts
//   published  Requests Per Minute empty (0): Degreed's published 70/min per worker (far under the
//        sandbox's scaled limit, so it never meets it; not run by default)
//   fixedOff, fixedRpm  controls: the fixed default Concurrency 5 with the pacing of off / rpm
//
//   npm run bench:queue                                   # off, rpm; 6 × 300 records each
//   npm run bench:queue -- --variant=rpm --records=200    # one variant, smaller
//   npm run bench:queue -- --variant=fixedOff,fixedRpm    # the controls
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

import { packPackage } from '../test/e2e/harness/n8n';
import { startSandbox, type Sandbox } from '../test/sandbox/server';
import { DegreedEmulator, degreedSandboxCredential } from '../test/sandbox/providers/degreed';
import {
	createQueueCluster,
	type QueueCluster,
	type QueueWorker,
} from '../test/e2e/queue-mode/cluster';
import {
	errorTexts,
	expectedKeys,
	limitFigures,
	syncWorkflow,
	type LimitFigures,
} from '../test/e2e/queue-mode/degreedSync';

const repoRoot = resolve(__dirname, '..');
/** The sandbox's Degreed limit, as in test/e2e/queue-mode: 150 requests per 10 s (15/s, 900/min). */
const PER_WINDOW = 150;
const WINDOW_MS = 10_000;
const PROVIDER_RPM = (PER_WINDOW * 60_000) / WINDOW_MS;
const WORKERS = ['A', 'B', 'C'];
const WORKER_CONCURRENCY = 2;
const CREDENTIAL_ID = 'BenchQueueDegreedCred';
const CREDENTIAL_NAME = 'Degreed (queue bench)';

const VARIANTS = {
	off: {
		concurrency: 0,
		requestsPerMinute: -1,
		label: 'Auto, Requests Per Minute -1 (no client pacing)',
	},
	rpm: {
		concurrency: 0,
		requestsPerMinute: PROVIDER_RPM,
		label: `Auto, Requests Per Minute ${PROVIDER_RPM} (the limit)`,
	},
	published: {
		concurrency: 0,
		requestsPerMinute: 0,
		label: 'Auto, Requests Per Minute empty (published 70/min)',
	},
	// Controls: the fixed default width (5), same pacing as `off` / `rpm`.
	fixedOff: {
		concurrency: 5,
		requestsPerMinute: -1,
		label: 'Concurrency 5, Requests Per Minute -1',
	},
	fixedRpm: {
		concurrency: 5,
		requestsPerMinute: PROVIDER_RPM,
		label: `Concurrency 5, Requests Per Minute ${PROVIDER_RPM}`,
	},
} as const;
type Variant = keyof typeof VARIANTS;

function arg(name: string): string | undefined {
	const a = process.argv.find((x) => x.startsWith(`--${name}=`));
	return a?.slice(name.length + 3);
}
const variants = (arg('variant') ?? 'off,rpm').split(',') as Variant[];
for (const v of variants) if (!(v in VARIANTS)) throw new Error(`unknown variant ${v}`);
const EXECUTIONS = Number(arg('executions') ?? 6);
const RECORDS = Number(arg('records') ?? 300);

interface VariantResult extends LimitFigures {
	variant: Variant;
	label: string;
	requestOptions: Record<string, number>;
	executions: number;
	recordsPerExecution: number;
	wallMs: number;
	/** ledger: completions written, duplicates, expected keys missing */
	written: number;
	duplicates: number;
	missing: number;
	failedExecutions: number;
	errors: string[];
	executionsPerWorker: Record<string, number>;
	perExecution: Array<{ id: string; status: string; worker: string | undefined; ms: number }>;
	apiRequests: number;
	status429: number;
	share429: number;
	status401: number;
	tokenRequests: number;
	allowedPerWindow: number;
	/** mean accepted per server window, the last (partial) window left out */
	meanAcceptedPerFullServerWindow: number;
	acceptedPerSecondOfAllowed: number;
	/** when in its server window each window filled up, and when each 429 came (see windowTiming) */
	timing: WindowTiming;
	loadavgBefore: number[];
}

interface WindowTiming {
	/** ms from each server window's start to its last accepted request (when it filled, if it did) */
	filledAtMs: number[];
	/** for each 429: ms since its server window started, and ms before that window ends */
	status429SinceWindowStartMs: number[];
	status429BeforeWindowEndMs: number[];
}

/**
 * Where the 429s fall: the fixed windows are rebuilt as limitFigures does (a window starts with the
 * first counted request after the previous one ended; 401s are not counted).
 */
function windowTiming(api: Array<{ at: number; status: number }>): WindowTiming {
	const counted = api.filter((r) => r.status !== 401).sort((a, b) => a.at - b.at);
	const t: WindowTiming = {
		filledAtMs: [],
		status429SinceWindowStartMs: [],
		status429BeforeWindowEndMs: [],
	};
	let start = -Infinity;
	for (const r of counted) {
		if (r.at >= start + WINDOW_MS) {
			start = r.at;
			t.filledAtMs.push(0);
		}
		if (r.status === 429) {
			t.status429SinceWindowStartMs.push(r.at - start);
			t.status429BeforeWindowEndMs.push(start + WINDOW_MS - r.at);
		} else t.filledAtMs[t.filledAtMs.length - 1] = r.at - start;
	}
	return t;
}

const log = (m: string) =>
	process.stderr.write(`[bench:queue ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function runVariant(
	variant: Variant,
	cluster: QueueCluster,
	sandbox: Sandbox,
	emulator: DegreedEmulator,
	workers: QueueWorker[],
	runBase: number,
): Promise<VariantResult> {
	const id = `BenchQueue_${variant}`;
	const path = `bench-queue-${variant}`;
	const runs = Array.from({ length: EXECUTIONS }, (_, i) => runBase + i);
	sandbox.reset();
	const loadavgBefore = loadavg().map((x) => Math.round(x * 100) / 100);
	const before = new Set(cluster.executions([id]).map((e) => e.id));
	const startedPerWorker = new Map(workers.map((w) => [w.name, new Set(w.executionIds())]));
	log(`${variant}: ${EXECUTIONS} webhook calls × ${RECORDS} records`);
	const started = Date.now();
	const responses = await Promise.all(
		runs.map((run) =>
			cluster.main.callWebhook(path, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ run, count: RECORDS }),
			}),
		),
	);
	const bad = responses.filter((r) => r.status !== 200);
	if (bad.length) throw new Error(`${bad.length} webhook calls not answered 200`);
	const all = await cluster.waitForExecutions([id], before.size + runs.length, 900_000, {
		settleMs: 1000,
	});
	const wallMs = Date.now() - started;
	const rows = all.filter((e) => !before.has(e.id));
	const failed = rows.filter((e) => e.status !== 'success');

	const writes = sandbox.ledger.writes('degreed', 'completion');
	const expected = expectedKeys(emulator, runs, RECORDS);
	const have = new Set(writes.keys);
	const ran = (execId: string) =>
		workers
			.filter(
				(w) => w.executionIds().includes(execId) && !startedPerWorker.get(w.name)!.has(execId),
			)
			.map((w) => w.name);
	const api = sandbox.ledger.requests({ provider: 'degreed', host: 'api' });
	const limit = limitFigures(api, PER_WINDOW, WINDOW_MS);
	const full = limit.acceptedPerServerWindow.slice(0, -1);
	const status429 = sandbox.ledger.requestCount('degreed', 'api', 429);
	return {
		variant,
		label: VARIANTS[variant].label,
		requestOptions: {
			concurrency: VARIANTS[variant].concurrency,
			requestsPerMinute: VARIANTS[variant].requestsPerMinute,
		},
		executions: EXECUTIONS,
		recordsPerExecution: RECORDS,
		wallMs,
		written: writes.total,
		duplicates: writes.duplicates.length,
		missing: expected.filter((k) => !have.has(k)).length,
		failedExecutions: failed.length + Math.max(0, runs.length - rows.length),
		errors: failed.length ? errorTexts(cluster, failed) : [],
		executionsPerWorker: Object.fromEntries(
			workers.map((w) => [w.name, rows.filter((e) => ran(e.id).includes(w.name)).length]),
		),
		perExecution: rows.map((e) => ({
			id: e.id,
			status: e.status,
			worker: ran(e.id).join('+') || undefined,
			ms: Date.parse(String(e.stoppedAt)) - Date.parse(String(e.startedAt)),
		})),
		apiRequests: api.length,
		status429,
		share429: Math.round((status429 / Math.max(1, api.length)) * 10_000) / 10_000,
		status401: sandbox.ledger.requestCount('degreed', 'api', 401),
		tokenRequests: sandbox.ledger.tokenRequests('degreed'),
		allowedPerWindow: PER_WINDOW,
		...limit,
		meanAcceptedPerFullServerWindow: full.length
			? Math.round((full.reduce((a, b) => a + b, 0) / full.length) * 10) / 10
			: 0,
		acceptedPerSecondOfAllowed:
			Math.round((limit.acceptedPerSecond / limit.allowedPerSecond) * 1000) / 1000,
		timing: windowTiming(api),
		loadavgBefore,
	};
}

function table(results: VariantResult[]): string {
	const rows: Array<[string, (r: VariantResult) => string | number]> = [
		['Concurrency (0 = Auto)', (r) => r.requestOptions.concurrency],
		['Requests Per Minute', (r) => r.requestOptions.requestsPerMinute],
		['records written / expected', (r) => `${r.written} / ${r.executions * r.recordsPerExecution}`],
		['duplicates / missing', (r) => `${r.duplicates} / ${r.missing}`],
		['failed executions', (r) => r.failedExecutions],
		['API requests', (r) => r.apiRequests],
		['429 (share of requests)', (r) => `${r.status429} (${(r.share429 * 100).toFixed(1)} %)`],
		['401 / token requests', (r) => `${r.status401} / ${r.tokenRequests}`],
		['server windows', (r) => r.serverWindows],
		[
			'accepted per server window: peak / allowed',
			(r) => `${r.peakAcceptedPerServerWindow} / ${r.allowedPerWindow}`,
		],
		['accepted per full server window: mean', (r) => r.meanAcceptedPerFullServerWindow],
		['accepted per window (each)', (r) => r.acceptedPerServerWindow.join(' ')],
		[
			'most accepted / offered in a sliding window',
			(r) => `${r.peakAcceptedPerSlidingWindow} / ${r.peakOfferedPerSlidingWindow}`,
		],
		[
			'accepted/s ÷ allowed/s',
			(r) => `${r.acceptedPerSecond} ÷ ${r.allowedPerSecond} = ${r.acceptedPerSecondOfAllowed}`,
		],
		[
			'429s in the last 1 s of their window',
			(r) =>
				`${r.timing.status429BeforeWindowEndMs.filter((ms) => ms <= 1000).length} of ${r.status429}`,
		],
		[
			'window filled after (median, s)',
			(r) => {
				const f = [...r.timing.filledAtMs].sort((a, b) => a - b);
				return f.length ? (f[Math.floor(f.length / 2)] / 1000).toFixed(1) : '-';
			},
		],
		['wall time (webhook calls → last finished)', (r) => `${(r.wallMs / 1000).toFixed(1)} s`],
		[
			'executions per worker',
			(r) =>
				Object.entries(r.executionsPerWorker)
					.map(([k, v]) => `${k} ${v}`)
					.join(', '),
		],
	];
	const head = ['', ...results.map((r) => r.variant)];
	const lines = [head, ...rows.map(([name, f]) => [name, ...results.map((r) => String(f(r)))])];
	const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
	const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [
		fmt(head),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...lines.slice(1).map(fmt),
	].join('\n');
}

async function main(): Promise<void> {
	const startedAt = new Date();
	const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
		cwd: repoRoot,
		encoding: 'utf8',
	}).stdout.trim();
	const emulator = new DegreedEmulator({ requestsPerMinute: PER_WINDOW, windowMs: WINDOW_MS });
	const sandbox = await startSandbox({ providers: [emulator], logLevel: 'silent' });
	let cluster: QueueCluster | undefined;
	const results: VariantResult[] = [];
	const outDir = join(repoRoot, 'bench', 'results');
	mkdirSync(outDir, { recursive: true });
	const file = join(outDir, `queue-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
	const save = (complete: boolean, extra: object = {}) =>
		writeFileSync(
			file,
			`${JSON.stringify(
				{
					at: startedAt.toISOString(),
					commit,
					complete,
					machine: { cpus: cpus().length },
					limit: {
						perWindow: PER_WINDOW,
						windowMs: WINDOW_MS,
						providerRequestsPerMinute: PROVIDER_RPM,
					},
					workers: WORKERS.length,
					workerConcurrency: WORKER_CONCURRENCY,
					results,
					...extra,
				},
				null,
				2,
			)}\n`,
		);
	try {
		log('packing the package');
		const pack = await packPackage();
		log('starting PostgreSQL, Redis and the main');
		cluster = await createQueueCluster({ pack });
		await cluster.main.importCredentials([
			{
				id: CREDENTIAL_ID,
				name: CREDENTIAL_NAME,
				type: 'degreedApi',
				data: degreedSandboxCredential(sandbox),
			},
		]);
		await cluster.main.importWorkflow(
			variants.map((v, i) =>
				syncWorkflow({
					id: `BenchQueue_${v}`,
					name: `Queue bench: ${VARIANTS[v].label}`,
					path: `bench-queue-${v}`,
					credentialId: CREDENTIAL_ID,
					credentialName: CREDENTIAL_NAME,
					requestOptions: {
						concurrency: VARIANTS[v].concurrency,
						requestsPerMinute: VARIANTS[v].requestsPerMinute,
					},
					webhookId: `b2e1d8ef-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
				}),
			),
		);
		await cluster.startMain();
		log('starting 3 workers');
		const workers = await Promise.all(
			WORKERS.map((name) => cluster!.startWorker(name, { concurrency: WORKER_CONCURRENCY })),
		);
		for (const v of variants) await cluster.main.activateWorkflow(`BenchQueue_${v}`);
		log(`set-up ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s`);
		for (const [i, v] of variants.entries()) {
			results.push(await runVariant(v, cluster, sandbox, emulator, workers, i * 100));
			save(false);
			log(`${v} done in ${(results[results.length - 1].wallMs / 1000).toFixed(1)} s`);
		}
		save(true, { timings: cluster.timings, elapsedMs: Date.now() - startedAt.getTime() });
		process.stdout.write(`${table(results)}\n\nJSON: ${file}\n`);
	} catch (e) {
		save(false, { error: String((e as Error)?.stack ?? e), logTail: cluster?.logTail() });
		throw e;
	} finally {
		await cluster?.dispose().catch((e) => log(`dispose: ${String(e)}`));
		await sandbox.close();
	}
}

main().then(
	() => process.exit(0),
	(e) => {
		process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
		process.exit(1);
	},
);
