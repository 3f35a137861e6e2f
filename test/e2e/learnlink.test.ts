// Learn.link (Thrive) in a real n8n (pinned in test/e2e/n8n-pin) with the packed package installed
// as a community package, against the in-process sandbox on a random port:
// - a workflow of the action node runs (`n8n execute`), and the sandbox received what it should;
// - the credential's Test button (POST /rest/credentials/test) passes and n8n persists the token;
// - the trigger workflow is published: a signed event from the sandbox starts one execution, while
//   unsigned, wrongly signed and tampered events get 401 and start nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createN8nInstance, packPackage, type N8nInstance, type WorkflowJson } from './harness/n8n';
import { startSandbox, type Sandbox } from '../sandbox/server';
import {
	LEARNLINK_DEMO,
	learnlinkProvider,
	type LearnLinkEmulator,
} from '../sandbox/providers/learnlink';

const workflow = (name: string) =>
	JSON.parse(readFileSync(join(__dirname, 'workflows', name), 'utf8')) as WorkflowJson;
const SYNC = workflow('learnlink-sync.workflow.json');
/** The HTTP Request node's URL points at the sandbox, whose port is only known at run time. */
const withSandboxUrl = (wf: WorkflowJson): WorkflowJson =>
	JSON.parse(
		JSON.stringify(wf).split('SANDBOX_PUBLIC_URL').join(sandbox.urlFor('learnlink', 'public')),
	) as WorkflowJson;
const TRIGGER = workflow('learnlink-trigger.workflow.json');
const CREDENTIAL_ID = 'LearnLinkE2eCred';

let sandbox: Sandbox;
let emulator: LearnLinkEmulator;
let n8n: N8nInstance;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What the editor sends for a saved credential: its fields, secrets as n8n's blank marker (n8n fills in the stored value). */
const BLANK = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';
const credentialData = () => ({
	environment: 'custom',
	publicApiUrl: sandbox.urlFor('learnlink', 'public'),
	usersApiUrl: sandbox.urlFor('learnlink', 'users'),
	tenantId: LEARNLINK_DEMO.tenantId,
	apiSecret: BLANK,
	authentication: 'oauth2',
	scopes: ['api/all'],
});

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [learnlinkProvider()], logLevel: 'silent' });
	emulator = sandbox.provider<LearnLinkEmulator>('learnlink');
	n8n = await createN8nInstance({ pack: await packPackage() });
	await n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'Learn.link sandbox',
			type: 'learnLinkApi',
			data: { ...credentialData(), apiSecret: LEARNLINK_DEMO.apiSecret },
		},
	]);
	await n8n.importWorkflow([withSandboxUrl(SYNC), TRIGGER]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

test('the action node runs in n8n: user lookup → completion → lifecycle event → content', async () => {
	const run = await n8n.execute(SYNC.id);
	expect(run.nodeErrors()).toEqual([]);
	expect(run.ok).toBe(true);
	const user = [...emulator.users.values()].find((u) => u.ref === 'emp-1004')!;
	expect(run.output('Get User')).toEqual([
		expect.objectContaining({ id: user.id, ref: 'emp-1004', lastName: 'Johnson' }),
	]);
	expect(run.output('Record Completion')).toEqual([
		expect.objectContaining({
			status: 'created',
			userId: user.id,
			contentId: 'cnt-102',
			completedAt: '2026-11-20T10:00:00.000Z',
			statementId: expect.any(String),
		}),
	]);
	const [event] = run.output('New Starter Event');
	expect(event).toMatchObject({
		status: 'sent',
		eventType: 'user_joined',
		ref: 'emp-4001',
		httpStatus: 202,
	});
	expect(run.output('Content').map((c) => c.id)).toEqual(['cnt-103', 'cnt-104']);

	// n8n's own HTTP Request node with this credential: preAuthentication + function authenticate.
	expect(run.output('HTTP Request With Credential')).toEqual([
		expect.objectContaining({ id: 'cnt-101', title: 'Information Security Essentials' }),
	]);

	// What the sandbox received: one completion, one event (with the id the node reported), and one
	// token per host for the nodes plus one per host for n8n's preAuthentication.
	expect(sandbox.ledger.writes('learnlink', 'completion')).toMatchObject({
		total: 1,
		duplicates: [],
	});
	expect(emulator.events.get(String(event.id))).toMatchObject({
		eventType: 'user_joined',
		content: { user: { ref: 'emp-4001', timeZone: 'Europe/London' } },
	});
	const tokenHosts = sandbox.ledger
		.requests({ provider: 'learnlink', path: /^\/oauth2\/token\// })
		.map((r) => r.host);
	expect(tokenHosts.sort()).toEqual(['public', 'public', 'users', 'users']);
	expect(
		sandbox.ledger
			.requests({ provider: 'learnlink', path: /^\/rest\/v1\/contents\/cnt-101$/ })
			.map((r) => r.status),
	).toEqual([200]);
	// No secret in what n8n printed.
	expect(run.cli.output).not.toContain(LEARNLINK_DEMO.apiSecret);
});

test('a second run of the workflow sends the lifecycle event again with a new id: delivered, not dropped as a repeat', async () => {
	const before = emulator.events.size;
	const first = [...emulator.events.keys()].at(-1);
	const run = await n8n.execute(SYNC.id);
	expect(run.nodeErrors()).toEqual([]);
	const [event] = run.output('New Starter Event');
	expect(event).toMatchObject({
		status: 'sent',
		eventType: 'user_joined',
		ref: 'emp-4001',
		httpStatus: 202,
	});
	expect(String(event.id)).toMatch(
		/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
	);
	expect(event.id).not.toBe(first);
	expect(emulator.events.size).toBe(before + 1);
	expect(emulator.duplicateEvents).toEqual([]);
});

describe('n8n server', () => {
	beforeAll(async () => {
		await n8n.start();
	});
	afterAll(async () => {
		await n8n.stop();
	});

	test('the Test button passes and n8n persists the token; a wrong secret fails with Thrive’s message', async () => {
		const before = sandbox.ledger.tokenRequests('learnlink');
		expect(
			await n8n.testCredential({
				id: CREDENTIAL_ID,
				name: 'Learn.link sandbox',
				type: 'learnLinkApi',
				data: credentialData(),
			}),
		).toEqual(expect.objectContaining({ status: 'OK' }));
		expect(sandbox.ledger.tokenRequests('learnlink')).toBe(before + 2);
		expect(
			sandbox.ledger
				.requests({ provider: 'learnlink', host: 'public', path: /^\/rest\/v1\/users$/ })
				.at(-1),
		).toMatchObject({ status: 200, query: 'page=1&perPage=1' });
		const stored = (await n8n.exportCredentials()).find((c) => c.id === CREDENTIAL_ID)!;
		expect(sandbox.context('learnlink').tokens.verify(String(stored.data.accessToken)).ok).toBe(
			true,
		);
		expect(Number(stored.data.expiresAt) - Number(stored.data.issuedAt)).toBe(3_600_000);
		expect(String(stored.data.usersAccessToken)).not.toBe('');

		const wrong = await n8n.testCredential({
			id: CREDENTIAL_ID,
			name: 'Learn.link sandbox',
			type: 'learnLinkApi',
			data: { ...credentialData(), apiSecret: 'definitely-wrong-secret' },
		});
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain(
			'the token endpoint answered HTTP 401: Invalid client credentials',
		);
		expect(wrong.message).not.toContain('definitely-wrong-secret');
	});

	test('the published trigger runs for a signed event only', async () => {
		await n8n.activateWorkflow(TRIGGER.id);
		const url = n8n.webhookUrl('learnlink-e2e-completions/webhook');
		const executions = async () =>
			(
				await n8n.rest<{ results: Array<{ id: string; status: string }> }>(
					'GET',
					`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: TRIGGER.id }))}`,
				)
			).results;

		for (const signature of ['missing', 'invalid', 'tampered'] as const) {
			const refused = await emulator.sendEvent({ url, signature });
			expect({ signature, status: refused.status }).toEqual({ signature, status: 401 });
		}
		const event = emulator.completionEvent();
		const accepted = await emulator.sendEvent({ url, signature: 'valid', event });
		expect(accepted.status).toBe(200);

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
		// n8n stores run data in `flatted` form: the event's fields are in it as sent.
		expect(full.data).toContain('content.completed');
		expect(full.data).toContain(String((event.user as { reference: string }).reference));
		expect(sandbox.ledger.webhooks('learnlink').map((w) => w.status)).toEqual([401, 401, 401, 200]);
	});
});
