// The package in n8n queue mode (issue #10): PostgreSQL + Redis from Debian's packages, the pinned
// n8n as one main + workers, the package installed as a community package in every process, the
// provider sandbox in this jest process. See README.md in this folder.
//
// 1. Degreed completions sync, webhook-triggered (main enqueues, workers execute), 3 executions of
//    300 records in parallel under Degreed's per-window rate limit, with tokens that expire during
//    the run, all tokens revoked a third of the way through, and a persisted credential token the
//    sandbox does not know: first with ONE worker
//    (the single-process baseline), then with TWO. Each run: the 900 records written exactly once,
//    0 failed executions; with two workers both ran executions. Figures are printed as one
//    `QUEUE-MODE-FIGURES {json}` line and written to last-run.json beside this file.
// 2. Triggers (Learn.link, SCORM Cloud) in queue mode: N distinct deliveries at once start exactly
//    N executions, each event in exactly one; re-posting delivered events gets 401 and starts nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { packPackage, type WorkflowJson } from '../harness/n8n';
import { tokenFields } from '../../../nodes/Degreed/transport/client';
import { degreedTokenKey } from '../../../nodes/Degreed/transport/token';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import {
	DEGREED_DEMO,
	DegreedEmulator,
	degreedSandboxCredential,
} from '../../sandbox/providers/degreed';
import { LearnLinkEmulator, learnlinkProvider } from '../../sandbox/providers/learnlink';
import {
	SCORMCLOUD_DEMO,
	scormCloudProvider,
	type ScormCloudEmulator,
} from '../../sandbox/providers/scormcloud';
import {
	createQueueCluster,
	type ExecutionRow,
	type QueueCluster,
	type QueueWorker,
} from './cluster';
import {
	errorTexts as degreedErrorTexts,
	expectedKeys as degreedExpectedKeys,
	limitFigures,
	syncWorkflow as degreedSyncWorkflow,
} from './degreedSync';

/* ------------------------------------------------------------------------------------------------ */
/* Parameters                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

/** Degreed's limit, scaled down in time so the run is short: PER_WINDOW requests per WINDOW_MS. */
const PER_WINDOW = 150;
const WINDOW_MS = 10_000;
/** What a user who knows their limit sets as "Requests Per Minute": the same limit per minute. */
const NODE_REQUESTS_PER_MINUTE = (PER_WINDOW * 60_000) / WINDOW_MS;
/** Short-lived tokens: several expire during each run (the node refreshes at half life for tokens this short). */
const TOKEN_LIFETIME_SECONDS = 15;
const EXECUTIONS = 3;
const RECORDS_PER_EXECUTION = 300;
const TOTAL = EXECUTIONS * RECORDS_PER_EXECUTION;
/** Every issued token is revoked once this many completions are written (all executions are then in flight). */
const REVOKE_AFTER_WRITES = TOTAL / 3;
const WORKER_CONCURRENCY = 2;
const TRIGGER_EVENTS = 40;

const CREDENTIAL_ID = 'QueueDegreedCred';
const SYNC_ID = 'QueueDegreedSync';
const SYNC_PATH = 'queue-degreed-sync';
const readWorkflow = (name: string) =>
	JSON.parse(readFileSync(join(__dirname, '..', 'workflows', name), 'utf8')) as WorkflowJson;
const LEARNLINK_TRIGGER = readWorkflow('learnlink-trigger.workflow.json');
const SCORM_TRIGGER = readWorkflow('scormcloud-postback.workflow.json');
const LEARNLINK_PATH = 'learnlink-e2e-completions/webhook';
const SCORM_PATH = 'scormcloud-e2e-postbacks/postback';

const syncWorkflow = () =>
	degreedSyncWorkflow({
		id: SYNC_ID,
		name: 'Queue mode: completions sync to Degreed',
		path: SYNC_PATH,
		credentialId: CREDENTIAL_ID,
		credentialName: 'Degreed (queue mode)',
		requestOptions: { requestsPerMinute: NODE_REQUESTS_PER_MINUTE },
	});

/** The ledger keys (`<user id>|<content id>|<completed-at>`) the runs must write, each once. */
const expectedKeys = (runs: number[]) => degreedExpectedKeys(emulator, runs, RECORDS_PER_EXECUTION);

/* ------------------------------------------------------------------------------------------------ */
/* Set-up                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

let sandbox: Sandbox;
let emulator: DegreedEmulator;
let learnlink: LearnLinkEmulator;
let scorm: ScormCloudEmulator;
let cluster: QueueCluster;
let workerA: QueueWorker;
let workerB: QueueWorker;
/** Worker B starts while the baseline's last execution runs on A (its start-up overlaps the baseline). */
let workerBStarting: Promise<QueueWorker> | undefined;
const figures: Record<string, unknown> = {};
const fileStarted = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
	const started = Date.now();
	// The limit and token lifetime are the emulator's options, so sandbox.reset() between runs keeps them.
	emulator = new DegreedEmulator({
		requestsPerMinute: PER_WINDOW,
		windowMs: WINDOW_MS,
		tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS,
	});
	sandbox = await startSandbox({
		providers: [emulator, learnlinkProvider(), scormCloudProvider()],
		logLevel: 'silent',
	});
	learnlink = sandbox.provider<LearnLinkEmulator>('learnlink');
	scorm = sandbox.provider<ScormCloudEmulator>('scormcloud');
	let t = Date.now();
	const pack = await packPackage();
	const packMs = Date.now() - t;

	cluster = await createQueueCluster({ pack });
	// The credential's persisted token is one the sandbox never issued (as after a revocation):
	// every worker starts with it and must replace it, whichever refreshes first.
	// `issuedFor` says it was minted for these very fields, so the node takes it (and must drop it).
	const now = Date.now();
	const credentialData = degreedSandboxCredential(sandbox);
	t = Date.now();
	await cluster.main.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'Degreed (queue mode)',
			type: 'degreedApi',
			data: {
				...credentialData,
				accessToken: 'sbx.degreed.revoked-before-the-queue-mode-run',
				issuedAt: String(now - 10_000),
				expiresAt: String(now + 3_600_000),
				issuedFor: degreedTokenKey(tokenFields(credentialData)),
			},
		},
	]);
	// The first n8n command on the empty database also runs n8n's migrations.
	const migrateAndImportCredentialsMs = Date.now() - t;
	t = Date.now();
	await cluster.main.importWorkflow([syncWorkflow(), LEARNLINK_TRIGGER, SCORM_TRIGGER]);
	const importWorkflowsMs = Date.now() - t;

	// Main first (it seeds the instance identity), then the first worker. The second worker joins
	// after the single-worker baseline.
	await cluster.startMain();
	workerA = await cluster.startWorker('A', { concurrency: WORKER_CONCURRENCY });
	t = Date.now();
	await cluster.main.activateWorkflow(SYNC_ID);
	const activateMs = Date.now() - t;
	figures.setup = {
		...cluster.timings,
		packMs,
		migrateAndImportCredentialsMs,
		importWorkflowsMs,
		activateMs,
		totalMs: Date.now() - started,
		postgres: cluster.services.postgres.version,
		redis: cluster.services.redis.version,
	};
});

afterAll(async () => {
	// The figures gathered so far, also when a test failed.
	if (Object.keys(figures).length) report();
	try {
		await cluster?.dispose();
	} finally {
		await sandbox?.close();
	}
});

/* ------------------------------------------------------------------------------------------------ */
/* Degreed sync                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

interface SyncFigures {
	workers: number;
	wallMs: number;
	executions: Array<{ id: string; status: string; worker: string | undefined; ms: number }>;
	writes: number;
	apiRequests: number;
	status429: number;
	status401: number;
	tokenRequests: number;
	allowed: { perWindow: number; windowMs: number; nodeRequestsPerMinute: number };
	/** fixed windows as the server counted them (reconstructed from the ledger), and the most accepted in one */
	serverWindows: number;
	peakAcceptedPerServerWindow: number;
	/** most requests accepted / offered (429s included) in any sliding window of windowMs */
	peakAcceptedPerSlidingWindow: number;
	peakOfferedPerSlidingWindow: number;
	acceptedPerSecond: number;
	allowedPerSecond: number;
}

const errorTexts = (rows: ExecutionRow[]) => degreedErrorTexts(cluster, rows);

/**
 * Fires the 3 webhook calls at once, waits for the 3 executions, and checks the ledger.
 * `whenAllStarted` runs once every execution of this run is on a worker (none left in the queue).
 */
async function runSync(
	runs: number[],
	workers: QueueWorker[],
	whenAllStarted?: () => void,
): Promise<SyncFigures> {
	sandbox.reset();
	// Mid-run, every token the sandbox has issued is revoked (as an admin rotating the client would):
	// whichever worker holds one must get a 401, take a new token and go on without a lost or
	// repeated write. Token expiry alone cannot prove that: whether a cached token is still in use
	// when a run starts depends on timing.
	let revoked = 0;
	const revokeWatch = setInterval(() => {
		if (sandbox.ledger.writes('degreed', 'completion').total < REVOKE_AFTER_WRITES) return;
		clearInterval(revokeWatch);
		revoked = sandbox.tokens.revokeAll('degreed');
	}, 100);
	revokeWatch.unref();
	const before = new Set(cluster.executions([SYNC_ID]).map((e) => e.id));
	const started = Date.now();
	const responses = await Promise.all(
		runs.map((run) =>
			cluster.main.callWebhook(SYNC_PATH, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ run, count: RECORDS_PER_EXECUTION }),
			}),
		),
	);
	expect(responses.map((r) => r.status)).toEqual(runs.map(() => 200));
	if (whenAllStarted) {
		const startedBefore = workers.reduce((n, w) => n + w.executionIds().length, 0);
		const watch = setInterval(() => {
			if (workers.reduce((n, w) => n + w.executionIds().length, 0) - startedBefore >= runs.length) {
				clearInterval(watch);
				whenAllStarted();
			}
		}, 250);
		watch.unref();
	}
	const all = await cluster.waitForExecutions([SYNC_ID], before.size + runs.length, 360_000, {
		settleMs: 1000,
	});
	const wallMs = Date.now() - started;
	clearInterval(revokeWatch);
	const rows = all.filter((e) => !before.has(e.id));
	expect(revoked).toBeGreaterThanOrEqual(1);

	// 0 failed executions, exactly one execution per webhook call (a failure shows n8n's error texts).
	expect({
		statuses: rows.map((e) => e.status),
		errors: errorTexts(rows.filter((e) => e.status !== 'success')),
	}).toEqual({ statuses: runs.map(() => 'success'), errors: [] });

	// Every record written exactly once: no duplicate, none missing.
	const writes = sandbox.ledger.writes('degreed', 'completion');
	expect(writes.duplicates).toEqual([]);
	expect(writes.total).toBe(TOTAL);
	expect([...writes.keys].sort()).toEqual(expectedKeys(runs));

	// Which worker ran each execution (each worker's own log), and each ran on exactly one.
	const ran = (id: string) =>
		workers.filter((w) => w.executionIds().includes(id)).map((w) => w.name);
	for (const e of rows)
		expect({ execution: e.id, ranOn: ran(e.id) }).toEqual({
			execution: e.id,
			ranOn: [expect.any(String)],
		});

	const api = sandbox.ledger.requests({ provider: 'degreed', host: 'api' });
	const limit = limitFigures(api, PER_WINDOW, WINDOW_MS);
	return {
		workers: workers.length,
		wallMs,
		executions: rows.map((e) => ({
			id: e.id,
			status: e.status,
			worker: ran(e.id)[0],
			ms: Date.parse(String(e.stoppedAt)) - Date.parse(String(e.startedAt)),
		})),
		writes: writes.total,
		apiRequests: api.length,
		status429: sandbox.ledger.requestCount('degreed', 'api', 429),
		status401: sandbox.ledger.requestCount('degreed', 'api', 401),
		tokenRequests: sandbox.ledger.tokenRequests('degreed'),
		allowed: {
			perWindow: PER_WINDOW,
			windowMs: WINDOW_MS,
			nodeRequestsPerMinute: NODE_REQUESTS_PER_MINUTE,
		},
		serverWindows: limit.serverWindows,
		peakAcceptedPerServerWindow: limit.peakAcceptedPerServerWindow,
		peakAcceptedPerSlidingWindow: limit.peakAcceptedPerSlidingWindow,
		peakOfferedPerSlidingWindow: limit.peakOfferedPerSlidingWindow,
		acceptedPerSecond: limit.acceptedPerSecond,
		allowedPerSecond: limit.allowedPerSecond,
	};
}

describe('Degreed completions sync in queue mode (3 × 300 records, rate-limited, short-lived tokens)', () => {
	test('one worker (the single-process baseline): 900 written exactly once, 0 failed executions', async () => {
		const f = await runSync([0, 1, 2], [workerA], () => {
			workerBStarting = cluster.startWorker('B', { concurrency: WORKER_CONCURRENCY });
			workerBStarting.catch(() => undefined); // awaited (and reported) by the next test
		});
		figures.oneWorker = f;
		expect(f.executions.every((e) => e.worker === 'A')).toBe(true);
		// The limit spans several windows (at least 3 resets) and the tokens expired during the run.
		expect(f.serverWindows).toBeGreaterThanOrEqual(4);
		expect(f.tokenRequests).toBeGreaterThanOrEqual(2);
		// The mid-run revocation was met with a 401 and a new token, not a failed execution.
		expect(f.status401).toBeGreaterThanOrEqual(1);
	});

	test('two workers: 900 written exactly once, 0 failed executions, both workers ran executions', async () => {
		workerB = await (workerBStarting ??
			cluster.startWorker('B', { concurrency: WORKER_CONCURRENCY }));
		figures.setup = { ...(figures.setup as object), workerBReadyMs: workerB.readyMs };
		const f = await runSync([0, 1, 2], [workerA, workerB]);
		figures.twoWorkers = f;
		const one = figures.oneWorker as SyncFigures | undefined;
		if (one) figures.wallTimeTwoWorkersVsOne = Math.round((f.wallMs / one.wallMs) * 100) / 100;
		const byWorker = {
			A: f.executions.filter((e) => e.worker === 'A').length,
			B: f.executions.filter((e) => e.worker === 'B').length,
		};
		figures.twoWorkersExecutionsPerWorker = byWorker;
		expect(byWorker.A).toBeGreaterThan(0);
		expect(byWorker.B).toBeGreaterThan(0);
		expect(f.serverWindows).toBeGreaterThanOrEqual(4);
		// Tokens expired and were revoked mid-run (see runSync): the workers replaced them.
		expect(f.tokenRequests).toBeGreaterThanOrEqual(2);
		expect(f.status401).toBeGreaterThanOrEqual(1);
	});
});

/* ------------------------------------------------------------------------------------------------ */
/* Triggers                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

describe('triggers in queue mode', () => {
	test(`Learn.link and SCORM Cloud: ${TRIGGER_EVENTS} concurrent deliveries each start exactly one execution; replays get 401`, async () => {
		const started = Date.now();
		await cluster.main.activateWorkflow(LEARNLINK_TRIGGER.id);
		await cluster.main.activateWorkflow(SCORM_TRIGGER.id);
		const triggerIds = [LEARNLINK_TRIGGER.id, SCORM_TRIGGER.id];
		const before = new Set(cluster.executions(triggerIds).map((e) => e.id));

		// Learn.link: signed content.completed events, each with its own id.
		const llUrl = cluster.main.webhookUrl(LEARNLINK_PATH);
		const events = Array.from({ length: TRIGGER_EVENTS }, (_, i) =>
			learnlink.completionEvent({ id: `qm-event-${String(i).padStart(3, '0')}` }),
		);
		// SCORM Cloud: a registration per learner, its postback to the trigger (HTTP Basic).
		const course = [...scorm.courses.keys()][0];
		const regIds = Array.from(
			{ length: TRIGGER_EVENTS },
			(_, i) => `qm-reg-${String(i).padStart(3, '0')}`,
		);
		scorm.seed({
			registrations: regIds.map((id, i) => ({
				id,
				courseId: course,
				learner: { id: `qm-learner-${i}`, firstName: 'Queue', lastName: `Learner ${i}` },
			})),
		});
		for (const id of regIds) {
			scorm.registrations.get(id)!.postBack = {
				url: cluster.main.webhookUrl(SCORM_PATH),
				authType: 'httpbasic',
				userName: 'e2e-postback',
				password: 'e2e-postback-pass-1',
				resultsFormat: 'course',
			};
		}

		// All deliveries of a provider at once (one provider after the other, so a loaded machine does
		// not push a delivery past the sandbox's 10 s webhook timeout). A failed delivery shows its error.
		const llResults = await Promise.all(
			events.map((event) => learnlink.sendEvent({ url: llUrl, event, signature: 'valid' })),
		);
		expect(llResults.map((r) => `${r.status}${r.error ? ` ${r.error}` : ''}`)).toEqual(
			events.map(() => '200'),
		);
		const scResults = await Promise.all(
			regIds.map((id) => scorm.completeRegistration(id, { score: 90 })),
		);
		expect(
			scResults.map(
				(r) => `${r?.postback?.status}${r?.postback?.error ? ` ${r.postback.error}` : ''}`,
			),
		).toEqual(regIds.map(() => '200'));

		const rows = (
			await cluster.waitForExecutions(triggerIds, before.size + 2 * TRIGGER_EVENTS, 180_000, {
				settleMs: 2000,
			})
		).filter((e) => !before.has(e.id));
		const ll = rows.filter((e) => e.workflowId === LEARNLINK_TRIGGER.id);
		const sc = rows.filter((e) => e.workflowId === SCORM_TRIGGER.id);
		expect({ learnlink: ll.length, scorm: sc.length }).toEqual({
			learnlink: TRIGGER_EVENTS,
			scorm: TRIGGER_EVENTS,
		});
		expect(rows.filter((e) => e.status !== 'success')).toEqual([]);

		// Each event / registration in exactly one execution (n8n stores run data as `flatted` text:
		// the ids are in it as sent).
		const data = cluster.executionData(rows.map((e) => e.id));
		const holders = (rowsOf: ExecutionRow[], needle: string) =>
			rowsOf.filter((e) => (data.get(e.id) ?? '').includes(`"${needle}"`)).length;
		expect(events.map((e) => [e.id, holders(ll, String(e.id))])).toEqual(
			events.map((e) => [e.id, 1]),
		);
		expect(regIds.map((id) => [id, holders(sc, id)])).toEqual(regIds.map((id) => [id, 1]));

		// No execution was started by two workers, and both workers ran some. (Exactly-once is proven
		// above from the stored run data. Attribution comes from the workers' "Worker started execution"
		// log lines; in some runs a share of executions has no such line in either worker's output,
		// cause not found — see README — so executions without a line are counted, not failed.)
		const ranOn = (id: string) =>
			[workerA, workerB].filter((w) => w.executionIds().includes(id)).map((w) => w.name);
		expect(rows.filter((e) => ranOn(e.id).length > 1).map((e) => [e.id, ...ranOn(e.id)])).toEqual(
			[],
		);
		const perWorker = {
			A: rows.filter((e) => workerA.executionIds().includes(e.id)).length,
			B: rows.filter((e) => workerB.executionIds().includes(e.id)).length,
		};
		expect(perWorker.A).toBeGreaterThan(0);
		expect(perWorker.B).toBeGreaterThan(0);
		const unattributed = rows.filter((e) => ranOn(e.id).length === 0).length;
		figures.triggers = {
			events: TRIGGER_EVENTS,
			executions: { learnlink: ll.length, scorm: sc.length },
			perWorker,
			unattributed,
			ms: Date.now() - started,
		};

		// Replays of every delivered event: the same signed bytes (Learn.link: the same event, so the
		// same body and signature; SCORM Cloud: the same postback body and credentials) are refused.
		const llReplays = await Promise.all(
			events.map((event) => learnlink.sendEvent({ url: llUrl, event, signature: 'valid' })),
		);
		const scReplays = await Promise.all(
			regIds.map((id) =>
				fetch(cluster.main.webhookUrl(SCORM_PATH), {
					method: 'POST',
					headers: {
						'content-type': 'application/json; charset=UTF-8',
						authorization: `Basic ${Buffer.from('e2e-postback:e2e-postback-pass-1').toString('base64')}`,
					},
					body: JSON.stringify(scorm.registrationView(scorm.registrations.get(id)!)),
				}).then((r) => r.status),
			),
		);
		await sleep(3000);
		const after = cluster.executions(triggerIds).filter((e) => !before.has(e.id));
		figures.triggerReplays = {
			learnlinkRefused: llReplays.filter((r) => r.status === 401).length,
			scormRefused: scReplays.filter((s) => s === 401).length,
			of: TRIGGER_EVENTS,
			newExecutions: after.length - rows.length,
		};
		expect({
			learnlinkReplays: llReplays.filter((r) => r.status !== 401).length,
			scormReplays: scReplays.filter((s) => s !== 401).length,
			newExecutions: after.length - rows.length,
		}).toEqual({
			learnlinkReplays: 0,
			scormReplays: 0,
			newExecutions: 0,
		});
		expect(`${cluster.main.logs()}${workerA.logs()}${workerB.logs()}`).not.toContain(
			DEGREED_DEMO.clientSecret,
		);
		expect(`${cluster.main.logs()}${workerA.logs()}${workerB.logs()}`).not.toContain(
			SCORMCLOUD_DEMO.secretKey,
		);
	});
});

/** One JSON line on stdout and last-run.json beside this file (not committed). */
function report(): void {
	const line = JSON.stringify({
		at: new Date().toISOString(),
		...figures,
		fileElapsedMs: Date.now() - fileStarted,
	});
	process.stdout.write(`QUEUE-MODE-FIGURES ${line}\n`);
	writeFileSync(join(__dirname, 'last-run.json'), `${JSON.stringify(JSON.parse(line), null, 2)}\n`);
}
