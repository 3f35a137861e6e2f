// `npm run demo` end to end (its main function, in-process so the sandbox's ledger can be read):
// the five example workflows in the pinned real n8n with the packed package, against the seeded
// sandbox, run twice. The summary it prints must agree with the sandbox's own ledger: every expected
// record written exactly once, no duplicates anywhere, pass 2 writes nothing, no failed workflow.
import { MOODLE_DEMO } from '../sandbox/providers/moodle';
import { runDemo, type DemoResult } from '../../demo/run';
import { CAST, SCORM_COURSES } from '../../demo/sandbox';
import { formatSummary, type WorkflowRun } from '../../demo/summary';

let result: DemoResult;

beforeAll(async () => {
	result = await runDemo({ faults: true });
	process.stderr.write(`${formatSummary(result)}\n`);
});

afterAll(async () => {
	await result?.sandbox.close();
});

const ledger = () => result.sandbox.ledger;
const sumBy = (runs: WorkflowRun[], f: (r: WorkflowRun) => Record<string, number>) => {
	const out: Record<string, number> = {};
	for (const r of runs) for (const [k, n] of Object.entries(f(r))) out[k] = (out[k] ?? 0) + n;
	return out;
};
const email = (username: string) => CAST.find((l) => l.username === username)!.email;

test('no workflow failed in either pass, and the demo judged itself ok', () => {
	for (const pass of result.passes)
		for (const run of pass.runs)
			expect({
				workflow: run.workflow,
				pass: pass.pass,
				failures: run.failures,
				errors: run.errors,
			}).toEqual({ workflow: run.workflow, pass: pass.pass, failures: 0, errors: [] });
	expect(result.passes.map((p) => p.runs.length)).toEqual([5, 5]);
	expect(result.ok).toBe(true);
});

test('every expected record was written exactly once', () => {
	const exactlyOnce = (provider: string, kind: string, keys: string[]) => {
		const w = ledger().writes(provider, kind);
		expect({
			provider,
			kind,
			keys: [...w.keys].sort(),
			total: w.total,
			duplicates: w.duplicates,
		}).toEqual({ provider, kind, keys: [...keys].sort(), total: keys.length, duplicates: [] });
	};
	// 5: own catalogue → Percipio Content Import (content_id) and Degreed content (external-id)
	exactlyOnce(
		'percipio',
		'content',
		SCORM_COURSES.map((c) => c.id),
	);
	exactlyOnce(
		'degreed',
		'content',
		SCORM_COURSES.map((c) => c.id),
	);
	// 4: new hires → Percipio users (externalUserId) and Learn.link user_joined events (3 derived event ids)
	exactlyOnce('percipio', 'user', ['HR-2001', 'HR-2002', 'HR-2003']);
	const events = ledger().writes('learnlink', 'lifecycle-event');
	expect({ total: events.total, unique: events.unique, duplicates: events.duplicates }).toEqual({
		total: 3,
		unique: 3,
		duplicates: [],
	});
	expect(
		events.keys
			.map(
				(k) =>
					(
						ledger().payload('learnlink', 'lifecycle-event', k) as {
							content: { user: { ref: string } };
						}
					).content.user.ref,
			)
			.sort(),
	).toEqual(['HR-2001', 'HR-2002', 'HR-2003']);
	// 1: the 4 completed SCORM registrations → 4 Degreed completions, for the right learners
	const completions = ledger().writes('degreed', 'completion');
	expect({
		total: completions.total,
		unique: completions.unique,
		duplicates: completions.duplicates,
	}).toEqual({ total: 4, unique: 4, duplicates: [] });
	expect(
		completions.keys
			.map((k) => (ledger().payload('degreed', 'completion', k) as { email: string }).email)
			.sort(),
	).toEqual(['ada.lovelace', 'alan.turing', 'grace.hopper', 'margaret.hamilton'].map(email).sort());
	// 3: three Learn.link completions → three Percipio Track events (a duplicate key would show here)
	const tracks = ledger().writes('percipio', 'track');
	expect({ total: tracks.total, unique: tracks.unique, duplicates: tracks.duplicates }).toEqual({
		total: 3,
		unique: 3,
		duplicates: [],
	});
	expect(
		tracks.keys
			.map((k) => (ledger().payload('percipio', 'track', k) as { user: string }).user)
			.sort(),
	).toEqual(['ada.lovelace', 'alan.turing', 'margaret.hamilton'].map(email).sort());
	// 2: six completed report rows (3 Percipio courses + the 3 tracked above) → 6 Degreed xAPI statements;
	//    the 3 Percipio-course rows → Moodle progress for Ada (3), Alan (4) and Grace (5) on the Percipio course
	const statements = ledger().writes('degreed', 'statement');
	expect({
		total: statements.total,
		unique: statements.unique,
		duplicates: statements.duplicates,
	}).toEqual({ total: 6, unique: 6, duplicates: [] });
	exactlyOnce(
		'moodle',
		'progress',
		[3, 4, 5].map((id) => `${id}:${MOODLE_DEMO.percipioContentId}`),
	);
	// …and nothing else was written anywhere (report requests are queries, not records)
	const kinds = ledger()
		.writeKinds()
		.map(({ provider, kind }) => `${provider}/${kind}`)
		.filter((k) => k !== 'percipio/report')
		.sort();
	expect(kinds).toEqual(
		[
			'degreed/completion',
			'degreed/content',
			'degreed/statement',
			'learnlink/lifecycle-event',
			'moodle/progress',
			'percipio/content',
			'percipio/track',
			'percipio/user',
		].sort(),
	);
	expect(result.duplicates).toEqual([]);
});

test("the summary's numbers are the ledger's", () => {
	const [pass1, pass2] = result.passes;
	// records written per provider, summed over both passes = the ledger's totals
	const fromLedger: Record<string, number> = {};
	for (const { provider, kind } of ledger().writeKinds())
		if (!(provider === 'percipio' && kind === 'report'))
			fromLedger[provider] = (fromLedger[provider] ?? 0) + ledger().writes(provider, kind).total;
	expect(sumBy([...pass1.runs, ...pass2.runs], (r) => r.written)).toEqual(fromLedger);
	expect(fromLedger).toEqual({ degreed: 13, learnlink: 3, moodle: 3, percipio: 9 });
	// token requests and requests, summed over the runs, = the ledger's counters (nothing reaches the sandbox outside a run)
	const tokenRequests = ['percipio', 'degreed', 'learnlink', 'scormcloud', 'moodle'].reduce(
		(n, p) => n + ledger().tokenRequests(p),
		0,
	);
	expect(pass1.runs.concat(pass2.runs).reduce((n, r) => n + r.tokenRequests, 0)).toBe(
		tokenRequests,
	);
	expect(pass1.runs.concat(pass2.runs).reduce((n, r) => n + r.requests, 0)).toBe(
		ledger().requestCount(),
	);
	// the two injected faults fired and were retried: the runs still succeeded
	expect(ledger().faults('status')).toBe(2);
	expect(pass1.runs.reduce((n, r) => n + r.retries, 0)).toBeGreaterThanOrEqual(2);
	// records read come from n8n's run data: 3 courses, 3 hires, 4 completed registrations (the polling
	// trigger's items), 3 events, 6 completed report rows (the Percipio trigger's items)
	expect(pass1.runs.map((r) => [r.id, r.read])).toEqual([
		['lpExample05Catalog', 3],
		['lpExample04NewHire', 3],
		['lpExample01Scorm', 4],
		['lpExample03LlTrack', 3],
		['lpExample02Pcpio', 6],
	]);
	// the polling workflows ran once each in pass 1 (the poll on publishing) and not at all in pass 2
	expect(
		[...pass1.runs, ...pass2.runs]
			.filter((r) => r.start === 'poll')
			.map((r) => [r.id, r.executions]),
	).toEqual([
		['lpExample01Scorm', 1],
		['lpExample02Pcpio', 1],
		['lpExample01Scorm', 0],
		['lpExample02Pcpio', 0],
	]);
});

test('pass 2 writes nothing: no record created, none updated, on any platform', () => {
	const pass2 = result.passes[1];
	for (const r of pass2.runs)
		expect({ workflow: r.workflow, written: r.written, updated: r.updated }).toEqual({
			workflow: r.workflow,
			written: {},
			updated: {},
		});
	// the incremental sources and the polling triggers returned nothing new; the webhook re-deliveries were recognised
	expect(pass2.runs.map((r) => [r.id, r.read])).toEqual([
		['lpExample05Catalog', 0],
		['lpExample04NewHire', 3],
		['lpExample01Scorm', 0],
		['lpExample03LlTrack', 3],
		['lpExample02Pcpio', 0],
	]);
	expect(formatSummary(result)).toContain('pass 2 wrote nothing new');
});
