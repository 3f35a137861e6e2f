// SCORM Cloud in a real n8n (pinned in test/e2e/n8n-pin) with the packed package installed as a
// community package, against the in-process sandbox on a random port:
// - a workflow lists courses, creates a registration per course (with a postback to the trigger)
//   and lists them; run twice, the registrations exist once (the registration ID is the key);
// - the credential's Test button (POST /rest/credentials/test) passes with an OAuth credential and
//   n8n persists the token;
// - the published trigger receives SCORM Cloud's postback when a learner completes: one execution;
//   a postback with the wrong password gets 401 and starts nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createN8nInstance, packPackage, type N8nInstance, type WorkflowJson } from './harness/n8n';
import { startSandbox, type Sandbox } from '../sandbox/server';
import {
	SCORMCLOUD_DEMO,
	scormCloudProvider,
	type ScormCloudEmulator,
} from '../sandbox/providers/scormcloud';

const workflow = (name: string) =>
	JSON.parse(readFileSync(join(__dirname, 'workflows', name), 'utf8')) as WorkflowJson;
const REGISTER = workflow('scormcloud-registrations.workflow.json');
const POSTBACK = workflow('scormcloud-postback.workflow.json');
const CREDENTIAL_ID = 'ScormCloudE2eCred';
const TRIGGER_PATH = 'scormcloud-e2e-postbacks/postback';

let sandbox: Sandbox;
let emulator: ScormCloudEmulator;
let n8n: N8nInstance;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [scormCloudProvider()], logLevel: 'silent' });
	emulator = sandbox.provider<ScormCloudEmulator>('scormcloud');
	n8n = await createN8nInstance({ pack: await packPackage() });
	await n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'SCORM Cloud sandbox',
			type: 'scormCloudApi',
			data: {
				appId: SCORMCLOUD_DEMO.appId,
				secretKey: SCORMCLOUD_DEMO.secretKey,
				baseUrl: `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`,
				authMethod: 'oauth',
				scopes: ['read', 'write', 'delete'],
				expirationSeconds: 300,
			},
		},
	]);
	// The registration's postback goes to this n8n's trigger URL.
	const register = JSON.parse(
		JSON.stringify(REGISTER).replace('__TRIGGER_URL__', n8n.webhookUrl(TRIGGER_PATH)),
	) as WorkflowJson;
	await n8n.importWorkflow([register, POSTBACK]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

test('the workflow creates one registration per compliance course, and a re-run creates none', async () => {
	const run = await n8n.execute(REGISTER.id);
	expect(run.nodeErrors()).toEqual([]);
	expect(run.ok).toBe(true);
	expect(run.output('Compliance Courses').map((c) => c.id)).toEqual([
		'course-privacy-201',
		'course-safety-101',
	]);
	expect(run.output('Create Registration')).toEqual([
		{
			id: 'emp-7001-course-privacy-201',
			courseId: 'course-privacy-201',
			learnerId: 'emp-7001',
			created: true,
		},
		{
			id: 'emp-7001-course-safety-101',
			courseId: 'course-safety-101',
			learnerId: 'emp-7001',
			created: true,
		},
	]);
	expect(run.output('Registrations').map((r) => r.id)).toEqual([
		'emp-7001-course-privacy-201',
		'emp-7001-course-safety-101',
	]);
	expect(emulator.registrations.get('emp-7001-course-safety-101')?.postBack).toMatchObject({
		url: n8n.webhookUrl(TRIGGER_PATH),
		authType: 'httpbasic',
		userName: 'e2e-postback',
	});
	expect(sandbox.ledger.tokenRequests('scormcloud')).toBe(1);

	const again = await n8n.execute(REGISTER.id);
	expect(again.ok).toBe(true);
	expect(again.output('Create Registration').map((r) => [r.id, r.created])).toEqual([
		['emp-7001-course-privacy-201', false],
		['emp-7001-course-safety-101', false],
	]);
	expect(sandbox.ledger.writes('scormcloud', 'registration')).toMatchObject({
		total: 2,
		unique: 2,
		duplicates: [],
	});
	// No secret in what n8n printed.
	expect(`${run.cli.output}${again.cli.output}`).not.toContain(SCORMCLOUD_DEMO.secretKey);
	expect(`${run.cli.output}${again.cli.output}`).not.toContain('e2e-postback-pass-1');
});

describe('n8n server', () => {
	beforeAll(async () => {
		await n8n.start();
	});
	afterAll(async () => {
		await n8n.stop();
	});

	test('the Test button passes with the OAuth credential and n8n persists the token', async () => {
		// The editor sends the credential's data with the test (n8n tests exactly what it is sent).
		const saved = (await n8n.exportCredentials()).find((c) => c.id === CREDENTIAL_ID)!.data;
		const before = sandbox.ledger.tokenRequests('scormcloud');
		expect(
			await n8n.testCredential({
				id: CREDENTIAL_ID,
				name: 'SCORM Cloud sandbox',
				type: 'scormCloudApi',
				data: saved,
			}),
		).toEqual(expect.objectContaining({ status: 'OK' }));
		expect(sandbox.ledger.tokenRequests('scormcloud')).toBe(before + 1);
		expect(
			sandbox.ledger.requests({ provider: 'scormcloud', path: /^\/api\/v2\/ping$/ }).at(-1),
		).toMatchObject({ status: 200 });
		const stored = (await n8n.exportCredentials()).find((c) => c.id === CREDENTIAL_ID)!;
		expect(sandbox.context('scormcloud').tokens.verify(String(stored.data.accessToken)).ok).toBe(
			true,
		);
		// GetAppToken answers expires_in 299 for expiration=300
		expect(Number(stored.data.expiresAt) - Number(stored.data.issuedAt)).toBe(299_000);

		const wrong = await n8n.testCredential({
			id: CREDENTIAL_ID,
			name: 'SCORM Cloud sandbox',
			type: 'scormCloudApi',
			data: { ...saved, secretKey: 'definitely-wrong-secret' },
		});
		expect(wrong.status).toBe('Error');
		// n8n words a 401 from preAuthentication its own way; the sandbox saw the refused token request.
		expect(wrong.message).toMatch(
			/SCORM Cloud refused the App ID \/ Secret Key|Authorization failed/,
		);
		expect(
			sandbox.ledger
				.requests({ provider: 'scormcloud', path: /oauth\/authenticate\/application\/token$/ })
				.at(-1),
		).toMatchObject({ status: 401 });
		expect(wrong.message).not.toContain('definitely-wrong-secret');
	});

	test('the published trigger runs once for an authenticated postback; a wrong password gets 401', async () => {
		await n8n.activateWorkflow(POSTBACK.id);
		const executions = async () =>
			(
				await n8n.rest<{ results: Array<{ id: string; status: string }> }>(
					'GET',
					`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: POSTBACK.id }))}`,
				)
			).results;

		// A registration whose postback carries the wrong password: refused, nothing runs.
		const wrong = emulator.registrations.get('emp-7001-course-privacy-201')!;
		wrong.postBack = { ...wrong.postBack!, password: 'not-the-password' };
		const refused = await emulator.completeRegistration(wrong.id, { score: 40 });
		expect(refused?.postback?.status).toBe(401);

		// The learner completes the safety course: SCORM Cloud posts the result to the trigger.
		const done = await emulator.completeRegistration('emp-7001-course-safety-101', { score: 95 });
		expect(done?.postback?.status).toBe(200);

		let list = await executions();
		for (
			let i = 0;
			i < 40 &&
			(list.length === 0 || list.some((e) => e.status === 'running' || e.status === 'new'));
			i++
		) {
			await sleep(250);
			list = await executions();
		}
		await sleep(500);
		list = await executions();
		expect(list).toHaveLength(1);
		expect(list[0].status).toBe('success');
		const full = await n8n.rest<{ data: string }>('GET', `/rest/executions/${list[0].id}`);
		expect(full.data).toContain('emp-7001-course-safety-101');
		expect(full.data).toContain('COMPLETED');
		expect(sandbox.ledger.webhooks('scormcloud').map((w) => w.status)).toEqual([401, 200]);
	});
});
