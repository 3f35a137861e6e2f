// Real n8n: one active workflow per polling trigger, polling every minute while the sandbox adds
// records (late and equal timestamps included), with a restart of n8n in the middle. Every record
// must appear in exactly one execution's run data.
import { join } from 'node:path';
import { createN8nInstance, packPackage, type N8nInstance, type WorkflowJson } from './harness/n8n';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { scormCloudProvider, SCORMCLOUD_DEMO } from '../sandbox/providers/scormcloud';
import { DegreedEmulator, degreedSandboxCredential } from '../sandbox/providers/degreed';
import { learnlinkProvider } from '../sandbox/providers/learnlink';
import { percipioProvider } from '../sandbox/providers/percipio';
import { credentialsFor as percipioCredentials } from '../integration/percipio/helpers';
import { nodeItems } from '../../demo/runData';
import { credentialsFor as learnLinkCredentials } from '../integration/learnlink/helpers';

let sandbox: Sandbox;
let n8n: N8nInstance;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const T0 = Date.now();

interface Flow {
	id: string;
	provider: string;
	kind: string;
	type: string;
	event: string;
	credential: { type: string; id: string };
	/** The inserted record's id in the trigger's item. */
	idOf: (json: Record<string, unknown>) => string;
}
// Workflow ids of 16 characters, the length n8n generates: n8n 2.0/2.1 save a workflow's static
// data (where the triggers keep their cursor) only for ids of at most 16 characters (2.41: 21), and
// with a longer id every restart would start the cursor over (docs/compatibility.md).
const flows: Flow[] = [
	{
		id: 'lpPollScorm00001',
		provider: 'scormcloud',
		kind: 'registration',
		type: 'scormCloudPollingTrigger',
		event: 'registrationUpdated',
		credential: { type: 'scormCloudApi', id: 'lpPollCredScorm1' },
		idOf: (j) => String(j.id),
	},
	{
		id: 'lpPollDegreed001',
		provider: 'degreed',
		kind: 'statement',
		type: 'degreedTrigger',
		event: 'xapiStatement',
		credential: { type: 'degreedApi', id: 'lpPollCredDegr01' },
		idOf: (j) => String(j.id),
	},
	{
		id: 'lpPollLearnLnk01',
		provider: 'learnlink',
		kind: 'completion',
		type: 'learnLinkPollingTrigger',
		event: 'completion',
		credential: { type: 'learnLinkApi', id: 'lpPollCredLearn1' },
		idOf: (j) => String(j.id),
	},
	{
		id: 'lpPollPercipio01',
		provider: 'percipio',
		kind: 'activity',
		type: 'percipioTrigger',
		event: 'learningActivity',
		credential: { type: 'percipioApi', id: 'lpPollCredPerc01' },
		idOf: (j) => String(j.userUuid),
	},
];

const workflow = (f: Flow): WorkflowJson =>
	({
		id: f.id,
		name: `Poll ${f.provider}`,
		active: false,
		settings: { saveDataSuccessExecution: 'all' },
		connections: {},
		nodes: [
			{
				id: `${f.id}-t`,
				name: 'Poll',
				type: `n8n-nodes-learning-platforms.${f.type}`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: f.event,
					startFrom: 'date',
					startDate: new Date(T0 - 60_000).toISOString(),
					options: { maxRecords: 3, overlapMinutes: 5 },
				},
				credentials: { [f.credential.type]: { id: f.credential.id, name: f.credential.id } },
			},
		],
	}) as unknown as WorkflowJson;

const inserted: Record<string, string[]> = {};
let seq = 0;
function insertSome(count: number, late = false) {
	for (const f of flows) {
		const now = Date.now();
		const records = Array.from({ length: count }, (_, i) => {
			seq++;
			const at =
				late && i === 0
					? now - 90_000
					: i === count - 1 && count > 1
						? now - 1000
						: now - (i % 2) * 1000; // late, equal timestamps
			const id =
				f.kind === 'statement'
					? `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`
					: `e2e-${f.provider}-${String(seq).padStart(6, '0')}`;
			return { id, at };
		});
		(inserted[f.id] ??= []).push(...sandbox.provider(f.provider).insert!(f.kind, records));
	}
}

beforeAll(async () => {
	sandbox = await startSandbox({
		providers: [
			scormCloudProvider(),
			new DegreedEmulator({ requestsPerMinute: 100_000 }),
			learnlinkProvider(),
			percipioProvider(),
		],
		logLevel: 'silent',
	});
	sandbox.provider('percipio').seed!({ reportPolls: 1 }); // each report is "in progress" once: the trigger waits for it
	n8n = await createN8nInstance({ pack: await packPackage() });
	await n8n.importCredentials([
		{
			id: flows[0].credential.id,
			name: flows[0].credential.id,
			type: 'scormCloudApi',
			data: {
				appId: SCORMCLOUD_DEMO.appId,
				secretKey: SCORMCLOUD_DEMO.secretKey,
				baseUrl: `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`,
				authMethod: 'basic',
			},
		},
		{
			id: flows[1].credential.id,
			name: flows[1].credential.id,
			type: 'degreedApi',
			data: { ...degreedSandboxCredential(sandbox) },
		},
		{
			id: flows[2].credential.id,
			name: flows[2].credential.id,
			type: 'learnLinkApi',
			data: { ...learnLinkCredentials(sandbox) },
		},
		{
			id: flows[3].credential.id,
			name: flows[3].credential.id,
			type: 'percipioApi',
			data: { ...percipioCredentials(sandbox) },
		},
	]);
	await n8n.importWorkflow(flows.map(workflow));
	await n8n.start();
	for (const f of flows) await n8n.activateWorkflow(f.id);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

/** The ids each execution of the flow emitted (the trigger's items in its run data). */
async function emittedPerExecution(f: Flow): Promise<string[][]> {
	const list = (
		await n8n.rest<{ results: Array<{ id: string; status: string }> }>(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: f.id }))}&limit=100`,
		)
	).results;
	const out: string[][] = [];
	for (const e of list)
		out.push(
			nodeItems(
				(await n8n.rest<{ data: string }>('GET', `/rest/executions/${e.id}`)).data,
				'Poll',
			).map(f.idOf),
		);
	return out;
}

/** The trigger's cursor as n8n stored it in the workflow's static data (read while n8n is stopped). */
function storedCursor(f: Flow): Record<string, unknown> | undefined {
	const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
	const db = new DatabaseSync(join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true });
	try {
		const row = db.prepare('SELECT "staticData" FROM workflow_entity WHERE id = ?').get(f.id) as
			| { staticData: string | null }
			| undefined;
		const data = row?.staticData
			? (JSON.parse(row.staticData) as Record<string, { pollCursor?: Record<string, unknown> }>)
			: {};
		return data['node:Poll']?.pollCursor;
	} finally {
		db.close();
	}
}

test('every record appears in exactly one execution, across a restart of n8n', async () => {
	insertSome(4);
	await sleep(40_000);
	insertSome(3, true);
	await sleep(35_000); // at least one poll has run
	await n8n.stop();
	// n8n saved each trigger's cursor with the workflow: the restart continues from it
	for (const f of flows)
		expect({ flow: f.provider, cursor: typeof storedCursor(f)?.watermark }).toEqual({
			flow: f.provider,
			cursor: 'number',
		});
	insertSome(3); // while n8n is down
	await n8n.start();
	insertSome(2, true);
	await sleep(70_000);
	insertSome(2);
	// the backlog (Max Records Per Poll 3) drains one batch a minute
	for (let i = 0; i < 8; i++) {
		const all = await Promise.all(
			flows.map(async (f) => ({ f, ids: (await emittedPerExecution(f)).flat() })),
		);
		if (all.every(({ f, ids }) => inserted[f.id].every((id) => ids.includes(id)))) break;
		await sleep(20_000);
	}
	for (const f of flows) {
		const executions = await emittedPerExecution(f);
		expect(inserted[f.id].length).toBe(14);
		// each record in exactly one execution, once; and nothing emitted that was not inserted
		for (const id of inserted[f.id])
			expect({
				flow: f.provider,
				id,
				times: executions.flat().filter((x) => x === id).length,
			}).toEqual({ flow: f.provider, id, times: 1 });
		expect(executions.flat().sort()).toEqual([...inserted[f.id]].sort());
	}
});
