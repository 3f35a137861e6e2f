// `npm run demo` / `npm start`: the package doing its main job in a real n8n, against the sandbox.
//
//   npm run demo                 headless: sandbox → pinned n8n (installed once, cached) → packed
//                                package → demo credentials + the five example workflows → run every
//                                workflow twice → summary table; exit 1 if a workflow failed, a record
//                                was written twice, or pass 2 wrote anything
//   npm start                    the same set-up, then n8n's editor on http://localhost:5678 with the
//                                sandbox beside it, until Ctrl-C
//
// Options (after `--`): --interactive, --port N (editor port, default 5678), --sandbox-port N
// (default: random for the demo, 8787 for --interactive), --no-faults (the demo injects a 429 and a
// 503 and expires every token between the passes, to show the retries; this turns that off),
// --json FILE (also write the summary as JSON).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import {
	createN8nInstance,
	ensureN8nInstalled,
	OWNER,
	packPackage,
	type ExecutionResult,
	type N8nInstance,
} from '../test/e2e/harness/n8n';
import type { Sandbox } from '../test/sandbox/server';
import { startDemoSandbox, type DemoSandbox } from './sandbox';
import { nodeItems } from './runData';
import { formatSummary, type DemoSummary, type PassResult, type WorkflowRun } from './summary';
import { learnLinkTriggerPath, loadExampleWorkflows, type DemoWorkflow } from './workflows';

const PROVIDERS = ['percipio', 'degreed', 'learnlink', 'scormcloud', 'moodle'] as const;
/** Write-ledger kinds that are queries, not records: a Percipio report request creates a report job, nothing else. */
const NOT_RECORDS = new Set(['percipio/report']);
/** Statuses the nodes' transport retries (401 → new token; 429/5xx → wait and retry; 0 = connection reset). */
const RETRIED_STATUS = new Set([0, 401, 429, 500, 502, 503, 504]);

const t0 = Date.now();
const elapsed = (since = t0) => {
	const s = (Date.now() - since) / 1000;
	return s < 60
		? `${s.toFixed(1)}s`
		: `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
};
let quiet = false;
const step = (msg: string) => {
	if (!quiet) process.stderr.write(`[demo ${elapsed()}] ${msg}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a stop signal must end: the sandbox and each n8n (its processes and its user folder). */
const running = new Set<() => Promise<unknown>>();
let stopping = false;

/** SIGINT/SIGTERM (Ctrl-C, or a supervisor signalling the top process) stop everything this run started, then exit. */
function stopOnSignals(): void {
	const stop = async (sig: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(
			`\n[demo] ${sig === 'SIGINT' ? 'Ctrl-C' : sig}: stopping n8n and the sandbox…\n`,
		);
		const force = setTimeout(() => process.exit(1), 30_000);
		force.unref();
		await Promise.all([...running].map((close) => close().catch(() => undefined)));
		process.exit(sig === 'SIGINT' ? 130 : 143);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

export interface DemoOptions {
	/** Inject a 429 (Degreed), a 503 (Percipio) and expire every token between the passes (default true). */
	faults?: boolean;
	/** Progress lines on stderr (default true). */
	progress?: boolean;
	sandboxPort?: number;
}

export interface DemoResult extends DemoSummary {
	/** The sandbox, still running (the caller closes it), to check the summary against its ledger. */
	sandbox: Sandbox;
	ok: boolean;
}

/* ------------------------------------------------------------------------------------------ */
/* Set-up shared by the demo and the interactive start                                         */
/* ------------------------------------------------------------------------------------------ */

/** Rejects with EADDRINUSE when `port` is taken (before minutes of set-up, not after). */
function assertPortFree(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
	});
}

async function setUp(opts: {
	sandboxPort?: number;
	n8nPort?: number;
	env?: Record<string, string>;
}): Promise<{ demo: DemoSandbox; n8n: N8nInstance; workflows: DemoWorkflow[] }> {
	const workflows = loadExampleWorkflows();
	if (opts.n8nPort) await assertPortFree(opts.n8nPort);
	step(
		'starting the provider sandbox (Percipio, Degreed, Learn.link, SCORM Cloud, Moodle) with the demo data',
	);
	const demo = await startDemoSandbox({ port: opts.sandboxPort });
	running.add(() => demo.sandbox.close());
	step(`sandbox on ${demo.sandbox.url}`);
	try {
		step(
			'making sure the pinned n8n is installed (first time on a machine: minutes, with progress below; then seconds)',
		);
		const started = Date.now();
		const install = await ensureN8nInstalled();
		step(`n8n ${install.version} ready in ${elapsed(started)} (${install.dir})`);
		step('building and packing this package (npm pack), as users get it');
		const pack = await packPackage();
		step(
			`packed ${pack.name}@${pack.version}; installing it as a community package into a fresh n8n user folder`,
		);
		const n8n = await createN8nInstance({ pack, port: opts.n8nPort, env: opts.env });
		running.add(() => n8n.dispose());
		step('importing the demo credentials (pointing at the sandbox) and the five example workflows');
		await n8n.importCredentials(demo.credentials);
		await n8n.importWorkflow(workflows.map((w) => w.json));
		return { demo, n8n, workflows };
	} catch (e) {
		await demo.sandbox.close();
		throw e;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Headless demo                                                                                */
/* ------------------------------------------------------------------------------------------ */

interface LedgerSnapshot {
	seq: number;
	writes: Map<string, { total: number; updates: number }>;
	tokens: Record<string, number>;
}

function snapshot(sandbox: Sandbox): LedgerSnapshot {
	const writes = new Map<string, { total: number; updates: number }>();
	for (const { provider, kind } of sandbox.ledger.writeKinds()) {
		const s = sandbox.ledger.writes(provider, kind);
		writes.set(`${provider}/${kind}`, { total: s.total, updates: s.updates });
	}
	return {
		seq: sandbox.ledger.lastSeq,
		writes,
		tokens: Object.fromEntries(PROVIDERS.map((p) => [p, sandbox.ledger.tokenRequests(p)])),
	};
}

function delta(
	sandbox: Sandbox,
	before: LedgerSnapshot,
): Pick<
	WorkflowRun,
	'written' | 'updated' | 'tokenRequests' | 'retries' | 'requests' | 'writtenByKind'
> {
	const after = snapshot(sandbox);
	const written: Record<string, number> = {};
	const updated: Record<string, number> = {};
	const writtenByKind: Record<string, number> = {};
	for (const [key, a] of after.writes) {
		if (NOT_RECORDS.has(key)) continue;
		const b = before.writes.get(key) ?? { total: 0, updates: 0 };
		const provider = key.split('/')[0];
		if (a.total > b.total) {
			written[provider] = (written[provider] ?? 0) + a.total - b.total;
			writtenByKind[key] = a.total - b.total;
		}
		if (a.updates > b.updates) updated[provider] = (updated[provider] ?? 0) + a.updates - b.updates;
	}
	const requests = sandbox.ledger.requests({ since: before.seq });
	const tokenRequests = PROVIDERS.reduce((n, p) => n + after.tokens[p] - before.tokens[p], 0);
	return {
		written,
		updated,
		writtenByKind,
		tokenRequests,
		retries: requests.filter((r) => RETRIED_STATUS.has(r.status)).length,
		requests: requests.length,
	};
}

const countItems = (run: ExecutionResult, node: string) => {
	try {
		return run.output(node).length;
	} catch {
		return 0; // the node did not run (nothing reached it)
	}
};

async function runCli(
	n8n: N8nInstance,
	wf: DemoWorkflow,
): Promise<Pick<WorkflowRun, 'read' | 'failures' | 'errors' | 'executions'>> {
	const run = await n8n.execute(wf.json.id, { timeoutMs: 300_000 });
	const errors = [
		...run.nodeErrors().map((e) => `${e.node}: ${e.error.message}`),
		...(run.error && !run.nodeErrors().length ? [run.error.message] : []),
	];
	return { read: countItems(run, wf.readNode), failures: run.ok ? 0 : 1, errors, executions: 1 };
}

type ExecutionRow = { id: string; status: string };

async function executionsOf(n8n: N8nInstance, workflowId: string): Promise<ExecutionRow[]> {
	const page = await n8n.rest<{ results: ExecutionRow[] }>(
		'GET',
		`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
	);
	return page.results;
}

/** The provider whose API a polling workflow's trigger reads (its requests mark that a poll happened). */
const pollProvider = (wf: DemoWorkflow): string => {
	const type = String(wf.json.nodes.find((n) => n.name === wf.readNode)?.type ?? '');
	return type.includes('scormCloud')
		? 'scormcloud'
		: type.includes('percipio')
			? 'percipio'
			: type.includes('degreed')
				? 'degreed'
				: 'learnlink';
};

/**
 * A polling workflow: published, so n8n polls once right away; waits for that poll's requests, then
 * for the executions it started (records read = the trigger's items in them), then unpublishes it so
 * no scheduled poll runs between the passes. Pass 2 publishes it again: the cursor saved with the
 * workflow decides what is new.
 */
async function runPolled(
	n8n: N8nInstance,
	demo: DemoSandbox,
	wf: DemoWorkflow,
): Promise<Pick<WorkflowRun, 'read' | 'failures' | 'errors' | 'executions'>> {
	const before = new Set((await executionsOf(n8n, wf.json.id)).map((e) => e.id));
	const seq = demo.sandbox.ledger.lastSeq;
	await n8n.activateWorkflow(wf.json.id);
	const deadline = Date.now() + 180_000;
	const provider = pollProvider(wf);
	while (
		demo.sandbox.ledger.requests({ provider, since: seq }).length === 0 &&
		Date.now() < deadline
	)
		await sleep(200);
	await sleep(3000); // an emitted poll's execution is registered within this
	let fresh = (await executionsOf(n8n, wf.json.id)).filter((e) => !before.has(e.id));
	while (
		fresh.some((e) => ['new', 'running', 'waiting'].includes(e.status)) &&
		Date.now() < deadline
	) {
		await sleep(250);
		fresh = (await executionsOf(n8n, wf.json.id)).filter((e) => !before.has(e.id));
	}
	const errors: string[] = [];
	let read = 0;
	for (const e of fresh) {
		if (e.status !== 'success') errors.push(`execution ${e.id} ended ${e.status}`);
		const full = await n8n.rest<{ data: string }>('GET', `/rest/executions/${e.id}`);
		read += nodeItems(full.data, wf.readNode).length;
	}
	if (demo.sandbox.ledger.requests({ provider, since: seq }).length === 0)
		errors.push('n8n did not poll within 180 s of publishing');
	await n8n.deactivateWorkflow(wf.json.id);
	return { read, failures: errors.length, errors, executions: fresh.length };
}

/** Sends each Learn.link completion as a signed content.completed webhook to the published workflow, one at a time. */
async function runWebhook(
	n8n: N8nInstance,
	demo: DemoSandbox,
	wf: DemoWorkflow,
): Promise<Pick<WorkflowRun, 'read' | 'failures' | 'errors' | 'executions' | 'replaysRefused'>> {
	const url = n8n.webhookUrl(learnLinkTriggerPath(wf.json));
	const errors: string[] = [];
	let read = 0;
	let failures = 0;
	let executions = 0;
	let replaysRefused = 0;
	for (const event of demo.learnLinkEvents()) {
		const before = (await executionsOf(n8n, wf.json.id)).length;
		const res = await demo.learnLink.sendEvent({ url, event });
		// An event the trigger already accepted is refused as a replay (401, no execution): what a
		// re-delivery of the same event within the replay window should get.
		if (res.status === 401 && /Replayed event refused/.test(res.body)) {
			read++;
			replaysRefused++;
			continue;
		}
		if (res.status !== 200) {
			failures++;
			errors.push(`webhook answered ${res.status}: ${res.body.slice(0, 200)}`);
			continue;
		}
		read++;
		// Wait for this event's execution to finish before sending the next (as Thrive sends them, one by one).
		const deadline = Date.now() + 120_000;
		let list = await executionsOf(n8n, wf.json.id);
		while (
			(list.length <= before ||
				list.some((e) => ['new', 'running', 'waiting'].includes(e.status))) &&
			Date.now() < deadline
		) {
			await sleep(200);
			list = await executionsOf(n8n, wf.json.id);
		}
		const newest = list.slice(0, Math.max(0, list.length - before));
		executions += newest.length;
		for (const e of newest)
			if (e.status !== 'success') {
				failures++;
				errors.push(`execution ${e.id} ended ${e.status}`);
			}
		if (newest.length === 0) {
			failures++;
			errors.push('no execution started within 120 s');
		}
	}
	return { read, failures, errors, executions, replaysRefused };
}

async function runPass(
	n: 1 | 2,
	ctx: {
		demo: DemoSandbox;
		n8n: N8nInstance;
		workflows: DemoWorkflow[];
		serverReady?: Promise<void>;
	},
): Promise<PassResult> {
	const started = Date.now();
	const runs: WorkflowRun[] = [];
	for (const wf of ctx.workflows) {
		const how = {
			cli: '`n8n execute` from its Manual Trigger',
			webhook: 'published; the sandbox sends signed Learn.link events to its production URL',
			poll:
				n === 1
					? 'published; its polling trigger polls on publishing, then unpublished'
					: 'published again; its polling trigger polls from its saved cursor',
		}[wf.start];
		step(`pass ${n}: ${wf.label} (${how})`);
		const before = snapshot(ctx.demo.sandbox);
		const t = Date.now();
		if (wf.start !== 'cli') await ctx.serverReady;
		const r =
			wf.start === 'cli'
				? await runCli(ctx.n8n, wf)
				: wf.start === 'poll'
					? await runPolled(ctx.n8n, ctx.demo, wf)
					: await runWebhook(ctx.n8n, ctx.demo, wf);
		const wallMs = Date.now() - t;
		const d = delta(ctx.demo.sandbox, before);
		runs.push({
			workflow: wf.label,
			file: wf.file,
			id: wf.json.id,
			start: wf.start,
			source: wf.source,
			wallMs,
			...r,
			...d,
		});
		for (const e of r.errors) step(`  ✗ ${e}`);
	}
	return { pass: n, runs, wallMs: Date.now() - started };
}

/** Runs the whole demo; the returned sandbox is still running (close it). */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
	quiet = options.progress === false;
	const faults = options.faults ?? true;
	const ctx: Awaited<ReturnType<typeof setUp>> & { serverReady?: Promise<void> } = await setUp({
		sandboxPort: options.sandboxPort,
	});
	const { demo, n8n, workflows } = ctx;
	try {
		const webhookWf = workflows.find((w) => w.start === 'webhook');
		// `n8n start` (for the webhook workflow) boots while the first workflows run with `n8n execute` beside it.
		step(
			'starting n8n in the background (for the webhook workflow; the others run with `n8n execute` beside it)',
		);
		const serverStarted = Date.now();
		const server = (async () => {
			await n8n.start({ timeoutMs: 300_000 });
			step(`n8n server answered after ${elapsed(serverStarted)}`);
			if (webhookWf) {
				await n8n.activateWorkflow(webhookWf.json.id);
				step(
					`published "${webhookWf.json.name}": ${n8n.webhookUrl(learnLinkTriggerPath(webhookWf.json))}`,
				);
			}
		})();
		server.catch(() => undefined); // awaited before the webhook workflow runs
		ctx.serverReady = server;
		if (faults) {
			demo.sandbox.faults.add([
				{
					id: 'degreed-429',
					kind: 'status',
					status: 429,
					retryAfter: 1,
					count: 1,
					match: { provider: 'degreed', host: 'api', method: 'POST' },
				},
				{
					id: 'percipio-503',
					kind: 'status',
					status: 503,
					count: 1,
					match: { provider: 'percipio', host: 'api', method: 'POST' },
				},
			]);
			step(
				'faults armed: the first Degreed POST gets 429 (Retry-After: 1), the first Percipio POST gets 503',
			);
		}
		const pass1 = await runPass(1, ctx);
		if (faults) {
			const expired = demo.sandbox.tokens.expireAll();
			step(
				`between the passes: expired all ${expired} access tokens the platforms had issued (as after a night)`,
			);
		}
		const pass2 = await runPass(2, ctx);
		const duplicates = demo.sandbox.ledger
			.writeKinds()
			.filter(({ provider, kind }) => !NOT_RECORDS.has(`${provider}/${kind}`))
			.flatMap(({ provider, kind }) =>
				demo.sandbox.ledger.duplicates(provider, kind).map((key) => `${provider}/${kind}/${key}`),
			);
		const summary: DemoSummary = {
			n8nVersion: n8n.install.version,
			sandboxUrl: demo.sandbox.url,
			faults,
			passes: [pass1, pass2],
			duplicates,
			totalWallMs: Date.now() - t0,
			webhookNote:
				'workflow 3 was published in a running n8n and started by signed content.completed webhooks the sandbox sent (pass 2 re-delivers the same events)',
			pollNote:
				'their polling triggers were published in the running n8n, which polls once on publishing (then on their schedule); pass 2 publishes them again and the cursor saved with the workflow finds nothing new, so no execution starts',
		};
		const failed = [pass1, pass2].some((p) => p.runs.some((r) => r.failures > 0));
		const pass2Wrote = pass2.runs.some(
			(r) => Object.keys(r.written).length > 0 || Object.keys(r.updated).length > 0,
		);
		return {
			...summary,
			sandbox: demo.sandbox,
			ok: !failed && !pass2Wrote && duplicates.length === 0,
		};
	} catch (e) {
		if (!quiet) process.stderr.write(`\n--- last n8n output ---\n${n8n.logs().slice(-4000)}\n`);
		await demo.sandbox.close();
		throw e;
	} finally {
		await n8n.dispose();
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Interactive: n8n's editor with everything imported                                          */
/* ------------------------------------------------------------------------------------------ */

export interface Editor {
	demo: DemoSandbox;
	n8n: N8nInstance;
	workflows: DemoWorkflow[];
	/** http://localhost:<port> */
	url: string;
	/** Stops n8n, removes its user folder and closes the sandbox. */
	close(): Promise<void>;
}

/**
 * The interactive set-up (also used by the screenshot script): sandbox, n8n with the package, the
 * demo credentials and example workflows imported, `before` (e.g. CLI runs) done, then `n8n start`
 * on localhost:<port> with the owner account created and workflow 3 published.
 */
export async function startEditor(
	options: {
		port?: number;
		sandboxPort?: number;
		progress?: boolean;
		before?: (e: Omit<Editor, 'url' | 'close'>) => Promise<void>;
	} = {},
): Promise<Editor> {
	quiet = options.progress === false;
	const port = options.port ?? 5678;
	const ctx = await setUp({
		sandboxPort: options.sandboxPort ?? 8787,
		n8nPort: port,
		// the browser opens localhost; plain http on localhost needs no secure cookie
		env: {
			N8N_HOST: 'localhost',
			N8N_SECURE_COOKIE: 'false',
			N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		},
	});
	const close = async () => {
		await ctx.n8n.dispose().catch(() => undefined);
		await ctx.demo.sandbox.close().catch(() => undefined);
	};
	try {
		await options.before?.(ctx);
		step(`starting n8n on http://localhost:${port}`);
		await ctx.n8n.start({ timeoutMs: 300_000 });
		const webhookWf = ctx.workflows.find((w) => w.start === 'webhook');
		if (webhookWf) await ctx.n8n.activateWorkflow(webhookWf.json.id);
		// the polling workflows stay unpublished: publishing one polls (and syncs) right away, the user decides
	} catch (e) {
		await close();
		throw e;
	}
	return { ...ctx, url: `http://localhost:${port}`, close };
}

/**
 * Workflow 1 matches SCORM Cloud completions to the Degreed content that workflow 5 publishes, so
 * the interactive set-up runs workflow 5 once (`n8n execute`) before the editor opens: then every
 * example works first, in any order.
 */
async function publishCatalogue({
	n8n,
	workflows,
}: Pick<Editor, 'n8n' | 'workflows'>): Promise<void> {
	const catalogue = workflows.find((w) => w.file.startsWith('05-'));
	if (!catalogue) return;
	step(
		`running "${catalogue.json.name}" once, so the other examples find the catalogue it publishes`,
	);
	const r = await runCli(n8n, catalogue);
	if (r.failures) throw new Error(`${catalogue.json.name} failed: ${r.errors.join('; ')}`);
}

async function interactive(port: number, sandboxPort: number): Promise<void> {
	const editor = await startEditor({ port, sandboxPort, before: publishCatalogue });
	if (stopping) return;
	const { demo, n8n, workflows } = editor;
	const webhookWf = workflows.find((w) => w.start === 'webhook');
	const s = demo.sandbox;
	const lines = [
		'',
		`n8n ${n8n.install.version} is running with n8n-nodes-learning-platforms installed as a community package.`,
		'',
		`  Editor       ${editor.url}`,
		`  Log in       ${OWNER.email}  /  ${OWNER.password}   (the owner account was created for you)`,
		'',
		'  Workflows    imported; open any one, in any order, and press "Execute workflow". Workflow 5 already ran',
		'               once at start-up to publish the catalogue that workflow 1 matches completions to.',
		'               Workflows 1 and 2 start with a polling trigger: "Fetch Test Event" shows a sample;',
		'               publish them to sync (they poll on publishing)',
		...workflows.map(
			(w) =>
				`    - ${w.json.name}${w.start === 'webhook' ? '   [published]' : w.start === 'poll' ? '   [polling trigger]' : ''}`,
		),
		'  Credentials  Percipio, Degreed, Learn.link, SCORM Cloud and Moodle accounts, pointing at the sandbox',
		'',
		`  Sandbox      ${s.url}   (control API ${s.controlUrl}: /stats, /writes, /ledger, /faults)`,
		...s.mounts().map((m) => `    ${m.provider.padEnd(10)} ${m.host.padEnd(9)} ${m.url}`),
		...(webhookWf
			? [
					'',
					'  Send a signed Learn.link completion to the published workflow 3:',
					`    curl -s -X POST ${s.urlFor('learnlink', 'users')}/_sandbox/send-webhook -H 'content-type: application/json' -d '{"url":"${n8n.webhookUrl(learnLinkTriggerPath(webhookWf.json))}"}'`,
				]
			: []),
		'',
		'Ctrl-C stops n8n and the sandbox.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	await new Promise(() => undefined);
}

/* ------------------------------------------------------------------------------------------ */

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			interactive: { type: 'boolean', default: false },
			port: { type: 'string' },
			'sandbox-port': { type: 'string' },
			'no-faults': { type: 'boolean', default: false },
			json: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		process.stdout.write(
			'npm run demo [-- --no-faults --json summary.json --sandbox-port N]\nnpm start [-- --port 5678 --sandbox-port 8787]\n',
		);
		return;
	}
	stopOnSignals();
	if (values.interactive)
		return await interactive(Number(values.port ?? 5678), Number(values['sandbox-port'] ?? 8787));
	const result = await runDemo({
		faults: !values['no-faults'],
		sandboxPort: values['sandbox-port'] ? Number(values['sandbox-port']) : undefined,
	});
	await result.sandbox.close();
	const { sandbox, ...summary } = result;
	void sandbox; // closed above; the JSON gets the numbers only
	process.stdout.write(`${formatSummary(summary)}\n`);
	if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
	process.exitCode = result.ok ? 0 : 1;
}

if (require.main === module) {
	main().catch((e: unknown) => {
		const err = e as Error & { code?: string };
		if (err.code === 'EADDRINUSE')
			process.stderr.write(
				`[demo ${elapsed()}] FAILED: a port is in use (${err.message}); choose others with --port / --sandbox-port\n`,
			);
		else process.stderr.write(`[demo ${elapsed()}] FAILED: ${err.stack ?? String(e)}\n`);
		process.exit(1);
	});
}
