// The demo's summary: one table per pass, every number taken from n8n's run data (records read,
// failures) or the sandbox's ledger (records written, updates, token requests, retried requests).
import Table from 'cli-table3';

export interface WorkflowRun {
	workflow: string;
	file: string;
	id: string;
	start: 'cli' | 'webhook' | 'poll';
	source: string;
	/** Items the workflow's source node output (n8n run data); for the webhook workflow, events accepted. */
	read: number;
	/** New records per provider (sandbox write ledger; report requests excluded). */
	written: Record<string, number>;
	/** `${provider}/${kind}` → new records. */
	writtenByKind: Record<string, number>;
	/** Writes that hit an existing record (idempotent re-sends, upserts, 409 "exists") per provider. */
	updated: Record<string, number>;
	tokenRequests: number;
	/** Requests answered 401/429/5xx or reset (each one retried by the nodes' transport). */
	retries: number;
	requests: number;
	/** Webhook deliveries the trigger refused as replays of events it had already accepted (401, no execution). */
	replaysRefused?: number;
	/** Failed executions (n8n run status) and webhooks not accepted. */
	failures: number;
	errors: string[];
	executions: number;
	wallMs: number;
}

export interface PassResult {
	pass: 1 | 2;
	runs: WorkflowRun[];
	wallMs: number;
}

export interface DemoSummary {
	n8nVersion: string;
	sandboxUrl: string;
	faults: boolean;
	passes: PassResult[];
	/** `${provider}/${kind}/${key}` created more than once anywhere in the demo. */
	duplicates: string[];
	totalWallMs: number;
	webhookNote: string;
	/** How the polling workflows (1 and 2) ran. */
	pollNote?: string;
}

const SHORT: Record<string, string> = {
	percipio: 'Percipio',
	degreed: 'Degreed',
	learnlink: 'Learn.link',
	scormcloud: 'SCORM Cloud',
	moodle: 'Moodle',
};
const perProvider = (m: Record<string, number>) =>
	Object.entries(m)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([p, n]) => `${SHORT[p] ?? p} ${n}`)
		.join('\n') || '0';
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sum = (runs: WorkflowRun[], f: (r: WorkflowRun) => number) =>
	runs.reduce((n, r) => n + f(r), 0);
const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

export function passTable(p: PassResult): string {
	const table = new Table({
		head: [
			'Workflow',
			'Records read',
			'Records written\n(new, per provider)',
			'Updates of\nexisting records',
			'Token\nrequests',
			'Retries',
			'Failures',
			'Wall time',
		],
		style: { head: [], border: [] },
	});
	for (const r of p.runs) {
		const via =
			r.start === 'cli'
				? 'n8n execute'
				: r.start === 'poll'
					? `polling trigger, ${r.executions} execution${r.executions === 1 ? '' : 's'}`
					: `webhook, ${r.executions} executions${r.replaysRefused ? `, ${r.replaysRefused} replays refused` : ''}`;
		table.push([
			`${r.workflow}\n(${via})`,
			`${r.read} ${r.source}`,
			perProvider(r.written),
			perProvider(r.updated),
			r.tokenRequests,
			r.retries,
			r.failures,
			secs(r.wallMs),
		]);
	}
	const written = sum(p.runs, (r) => total(r.written));
	const updated = sum(p.runs, (r) => total(r.updated));
	table.push([
		'Total',
		sum(p.runs, (r) => r.read),
		written,
		updated,
		sum(p.runs, (r) => r.tokenRequests),
		sum(p.runs, (r) => r.retries),
		sum(p.runs, (r) => r.failures),
		secs(p.wallMs),
	]);
	return table.toString();
}

export function formatSummary(s: DemoSummary): string {
	const [p1, p2] = s.passes;
	const out: string[] = [];
	out.push('');
	out.push(
		`n8n-nodes-learning-platforms in n8n ${s.n8nVersion}, against the sandbox at ${s.sandboxUrl}`,
	);
	out.push(
		`Numbers: records read = items of each workflow's source node in n8n's run data; written / updates / token requests / retries = the sandbox's ledger${s.faults ? '; injected faults: one 429 (Degreed), one 503 (Percipio), every token expired between the passes' : ''}.`,
	);
	out.push(`Workflow 3: ${s.webhookNote}.`);
	if (s.pollNote) out.push(`Workflows 1 and 2: ${s.pollNote}.`);
	out.push('');
	out.push('Pass 1 — first run');
	out.push(passTable(p1));
	if (p2) {
		out.push('');
		out.push(
			'Pass 2 — the same workflows again (incremental and idempotent: nothing new to write)',
		);
		out.push(passTable(p2));
	}
	out.push('');
	const failed = s.passes.flatMap((p) =>
		p.runs
			.filter((r) => r.failures > 0)
			.map((r) => `pass ${p.pass}: ${r.workflow} (${r.errors.join('; ')})`),
	);
	const written1 = sum(p1.runs, (r) => total(r.written));
	out.push(
		failed.length
			? `✗ ${failed.length} workflow run(s) failed:\n  ${failed.join('\n  ')}`
			: `✓ every workflow run succeeded (${s.passes.reduce((n, p) => n + sum(p.runs, (r) => r.executions), 0)} executions)`,
	);
	out.push(
		s.duplicates.length
			? `✗ records written more than once: ${s.duplicates.join(', ')}`
			: `✓ pass 1 wrote ${written1} records, each exactly once (the sandbox's ledger has no duplicate key)`,
	);
	if (p2) {
		const w2 = sum(p2.runs, (r) => total(r.written));
		const u2 = sum(p2.runs, (r) => total(r.updated));
		out.push(
			w2 === 0 && u2 === 0
				? `✓ pass 2 wrote nothing new: 0 records created and 0 existing records touched on any platform (${sum(p2.runs, (r) => r.read)} source records read again, all recognised as already synced)`
				: `✗ pass 2 wrote ${w2} new record(s) and updated ${u2}: the syncs are not incremental/idempotent`,
		);
	}
	out.push(`Total wall time ${secs(s.totalWallMs)} (set-up included).`);
	return out.join('\n');
}
