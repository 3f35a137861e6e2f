/**
 * Issue #9 in a real n8n (the pinned one, the packed package installed as a community package),
 * against the in-process sandbox with canary credentials:
 *  - per provider, a workflow (Manual Trigger → the main write → a read whose provider answers an
 *    error body and then an HTML page echoing the secrets) is executed; the run data n8n prints and
 *    every log line of the n8n processes must contain no canary (nor the tokens issued in the run);
 *  - the Learn.link trigger and the SCORM Cloud postback trigger, published: missing, wrong,
 *    truncated signatures/credentials and oversize bodies get 401/413 and start no execution.
 * Runs in the e2e project (`npm run test:e2e`), not in `npm test`.
 */
import {
	createN8nInstance,
	nodeType,
	packPackage,
	type N8nInstance,
	type WorkflowJson,
} from '../e2e/harness/n8n';
import { LearnLinkEmulator } from '../sandbox/providers/learnlink';
import { MOODLE_DEMO } from '../sandbox/providers/moodle';
import { type Sandbox } from '../sandbox/server';
import {
	CANARY,
	CANARY_PROVIDERS,
	canaryCredentials,
	findCanaries,
	startCanarySandbox,
	type CanaryProvider,
} from '../support/canaries';
import { signThriveBody } from '../support/testOnlyHelpers';

let sandbox: Sandbox;
let n8n: N8nInstance;
const PROVIDERS = CANARY_PROVIDERS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SETUP: Record<
	CanaryProvider,
	{
		node: string;
		credential: string;
		host: string;
		path: string;
		write: Record<string, unknown>;
		read: Record<string, unknown>;
	}
> = {
	percipio: {
		node: 'percipio',
		credential: 'percipioApi',
		host: 'api',
		path: '/users/',
		write: {
			resource: 'contentImport',
			operation: 'upsert',
			contentId: 'e2e-leak-1',
			title: 'E2E',
			contentType: 'COURSE',
			url: 'https://learn.example.com/e2e',
			language: 'en',
			duration: 60,
			additionalFields: {},
			options: {},
		},
		read: {
			resource: 'user',
			operation: 'get',
			lookupBy: 'externalUserId',
			lookupValue: 'emp-1001',
		},
	},
	degreed: {
		node: 'degreed',
		credential: 'degreedApi',
		host: 'api',
		path: '/users',
		write: {
			resource: 'completion',
			operation: 'create',
			userId: 'jane.doe@acme.example',
			userIdentifierType: 'Email',
			contentId: 'course-privacy-101',
			contentIdType: 'externalId',
			contentType: 'Course',
			completedAt: '2026-06-01T10:00:00Z',
			additionalFields: {},
		},
		read: { resource: 'user', operation: 'getAll', returnAll: false, limit: 2, filters: {} },
	},
	learnlink: {
		node: 'learnLink',
		credential: 'learnLinkApi',
		host: 'public',
		path: '/rest/v1/users/',
		write: {
			resource: 'completion',
			operation: 'create',
			userId: 'WILL_BE_SET',
			contentId: 'cnt-101',
			completedAt: '2026-06-01T10:00:00Z',
		},
		read: { resource: 'user', operation: 'get', by: 'ref', ref: 'emp-1001', options: {} },
	},
	scormcloud: {
		node: 'scormCloud',
		credential: 'scormCloudApi',
		host: 'cloud',
		path: '/registrations/e2e-read',
		write: {
			resource: 'registration',
			operation: 'create',
			courseId: 'course-safety-101',
			registrationId: 'e2e-leak-reg',
			learnerId: 'e2e-learner',
			ifExists: 'returnExisting',
			postBack: {},
			additionalFields: {},
		},
		read: { resource: 'registration', operation: 'get', registrationId: 'e2e-read', options: {} },
	},
	moodle: {
		node: 'moodle',
		credential: 'moodleApi',
		host: 'site',
		path: '.',
		write: {
			resource: 'percipio',
			operation: 'trackProgress',
			moodleUserId: 3,
			courseShortname: MOODLE_DEMO.percipioContentId,
			completionState: 2,
			additionalFields: {},
		},
		read: { resource: 'user', operation: 'get', field: 'username', value: 'ada.lovelace' },
	},
};

const credentialId = (p: CanaryProvider) => `Canary${p}Cred`;
function workflow(p: CanaryProvider): WorkflowJson {
	const s = SETUP[p];
	const credentials = { [s.credential]: { id: credentialId(p), name: `Canary ${p}` } };
	const requestOptions = { maxAttempts: 2, maxRetryWaitSeconds: 1 };
	return {
		id: `CanaryWf${p}`,
		name: `Canary leak check: ${p}`,
		active: false,
		nodes: [
			{
				id: `${p}-0`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${p}-1`,
				name: 'Write',
				type: nodeType(s.node),
				typeVersion: 1,
				position: [200, 0],
				credentials,
				parameters: { ...s.write, requestOptions },
			},
			{
				id: `${p}-2`,
				name: 'Hostile Read',
				type: nodeType(s.node),
				typeVersion: 1,
				position: [400, 0],
				credentials,
				onError: 'continueRegularOutput',
				parameters: { ...s.read, requestOptions },
			},
			{
				id: `${p}-3`,
				name: 'Hostile Page',
				type: nodeType(s.node),
				typeVersion: 1,
				position: [600, 0],
				credentials,
				onError: 'continueRegularOutput',
				parameters: { ...s.read, requestOptions },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Write', type: 'main', index: 0 }]] },
			Write: { main: [[{ node: 'Hostile Read', type: 'main', index: 0 }]] },
			'Hostile Read': { main: [[{ node: 'Hostile Page', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	} as unknown as WorkflowJson;
}

const THRIVE_SECRET = CANARY.webhookSecret;
const TRIGGERS: WorkflowJson[] = [
	{
		id: 'CanaryLearnLinkTrig',
		name: 'Canary: Thrive trigger',
		active: false,
		nodes: [
			{
				id: 'llt-1',
				name: 'Thrive',
				type: nodeType('learnLinkTrigger'),
				typeVersion: 1,
				position: [0, 0],
				webhookId: 'canary-thrive',
				parameters: {
					subscriptionType: 'completion_subscription',
					events: [],
					secretSource: 'parameter',
					webhookSecret: THRIVE_SECRET,
					options: { maxBodyKb: 16 },
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	} as unknown as WorkflowJson,
	{
		id: 'CanaryScormTrig',
		name: 'Canary: SCORM postback',
		active: false,
		nodes: [
			{
				id: 'sct-1',
				name: 'Postback',
				type: nodeType('scormCloudTrigger'),
				typeVersion: 1,
				position: [0, 0],
				webhookId: 'canary-postback',
				parameters: {
					authentication: 'basic',
					userName: 'canary-user',
					password: CANARY.postbackPassword,
					options: { maxBodyKb: 16 },
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	} as unknown as WorkflowJson,
];

beforeAll(async () => {
	sandbox = await startCanarySandbox();
	SETUP.learnlink.write.userId = [
		...sandbox.provider<LearnLinkEmulator>('learnlink').users.values(),
	][0].id;
	n8n = await createN8nInstance({ pack: await packPackage() });
	await n8n.importCredentials(
		PROVIDERS.map((p) => ({
			id: credentialId(p),
			name: `Canary ${p}`,
			type: SETUP[p].credential,
			data: canaryCredentials(sandbox, p) as Record<string, unknown>,
		})),
	);
	await n8n.importWorkflow([...PROVIDERS.map(workflow), ...TRIGGERS]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

const ECHO = {
	message: `secret ${CANARY.clientSecret} api ${CANARY.apiSecret} key ${CANARY.secretKey} wstoken=${CANARY.moodleToken} token ${CANARY.token}`,
	exception: 'x',
	errorcode: 'y',
	debuginfo: CANARY.moodleToken,
};
const HTML = `<!doctype html><html><body>Session ${CANARY.token} <input name="client_secret" value="${CANARY.clientSecret}"> ${CANARY.apiSecret} ${CANARY.secretKey} ${CANARY.moodleToken}</body></html>`;

describe.each(PROVIDERS)('real n8n, %s: no canary in run data or logs', (p) => {
	it('executes the write, survives hostile answers, and prints no secret', async () => {
		sandbox.faults.clear();
		const match = { provider: p, host: SETUP[p].host, path: SETUP[p].path };
		// The write goes through; then the reads: an error body echoing secrets, then a web page.
		// (Moodle has one endpoint for everything: the first call, the write, is let through.)
		const skip = p === 'moodle' ? 1 : 0;
		sandbox.faults.add({
			kind: 'status',
			status: 400,
			retryAfter: null,
			body: ECHO,
			count: 1,
			skip,
			match,
		});
		sandbox.faults.add({
			kind: 'status',
			status: 200,
			retryAfter: null,
			body: HTML,
			headers: { 'content-type': 'text/html' },
			count: 1,
			skip,
			match,
		});
		const logStart = n8n.logs().length;
		const run = await n8n.execute(`CanaryWf${p}`);
		expect(run.output('Write')).toHaveLength(1);
		expect(run.output('Write')[0].error).toBeUndefined();
		expect(String(run.output('Hostile Read')[0]?.error ?? '')).not.toBe('');
		expect(String(run.output('Hostile Page')[0]?.error ?? '')).toMatch(
			/web page|did not answer like a Moodle/,
		);
		// The node's own secrets (tokens here are issued by the sandbox at random; the in-process
		// secrets test covers an echoed token).
		const hits = findCanaries(
			[
				{ where: 'n8n execute output (run data)', text: run.cli.output },
				// This run's part of the logs (other providers' runs echoed secrets this node never held).
				{ where: 'n8n logs', text: n8n.logs().slice(logStart) },
			],
			[],
			p === 'moodle'
				? ['moodleToken']
				: p === 'learnlink'
					? ['apiSecret']
					: p === 'scormcloud'
						? ['secretKey']
						: ['clientSecret'],
		);
		expect(hits).toEqual([]);
	});
});

describe('real n8n: published triggers refuse bad deliveries', () => {
	beforeAll(async () => {
		await n8n.start();
		for (const t of TRIGGERS) await n8n.activateWorkflow(t.id);
	});
	afterAll(async () => await n8n.stop());

	const executions = async (workflowId: string) =>
		(
			await n8n.rest<{ results: Array<{ id: string; status: string }> }>(
				'GET',
				`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`,
			)
		).results;
	const settle = async (workflowId: string, expected: number) => {
		let list = await executions(workflowId);
		for (
			let i = 0;
			i < 40 &&
			(list.length < expected || list.some((e) => e.status === 'running' || e.status === 'new'));
			i++
		) {
			await sleep(250);
			list = await executions(workflowId);
		}
		await sleep(500);
		return await executions(workflowId);
	};

	it('Learn.link: missing, wrong, truncated signatures → 401; oversize → 413; only the signed event runs', async () => {
		const url = n8n.webhookUrl('canary-thrive/webhook');
		const body = JSON.stringify({
			id: 'evt-e2e-1',
			eventType: 'content.completed',
			dispatchedAt: new Date().toISOString(),
		});
		const post = async (headers: Record<string, string>, b = body) =>
			(
				await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...headers },
					body: b,
				})
			).status;
		const signature = signThriveBody(body, THRIVE_SECRET);
		expect(await post({})).toBe(401);
		expect(await post({ 'x-hmac-signature': signThriveBody(body, 'wrong-secret') })).toBe(401);
		expect(await post({ 'x-hmac-signature': signature.slice(0, 30) })).toBe(401);
		expect(await post({ 'x-hmac-signature': signature.slice(0, -1) })).toBe(401);
		const big = JSON.stringify({ id: 'evt-big', pad: 'x'.repeat(20 * 1024) });
		expect(await post({ 'x-hmac-signature': signThriveBody(big, THRIVE_SECRET) }, big)).toBe(413);
		expect(await settle('CanaryLearnLinkTrig', 0)).toHaveLength(0);
		expect(await post({ 'x-hmac-signature': signature })).toBe(200);
		const list = await settle('CanaryLearnLinkTrig', 1);
		expect(list).toHaveLength(1);
		expect(findCanaries([{ where: 'n8n logs', text: n8n.logs() }], [], ['webhookSecret'])).toEqual(
			[],
		);
	});

	it('SCORM Cloud: missing, wrong, truncated credentials → 401; oversize → 413; only the right ones run', async () => {
		const url = n8n.webhookUrl('canary-postback/postback');
		const body = JSON.stringify({
			id: 'reg-e2e',
			registrationCompletion: 'COMPLETED',
			learner: { id: 'l1' },
		});
		const basic = (u: string, pw: string) =>
			`Basic ${Buffer.from(`${u}:${pw}`).toString('base64')}`;
		const post = async (authorization?: string, b = body) =>
			(
				await fetch(url, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						...(authorization ? { authorization } : {}),
					},
					body: b,
				})
			).status;
		expect(await post()).toBe(401);
		expect(await post(basic('canary-user', 'guess'))).toBe(401);
		expect(await post(basic('canary-user', CANARY.postbackPassword.slice(0, 8)))).toBe(401);
		expect(await post(basic('other', CANARY.postbackPassword))).toBe(401);
		expect(
			await post(
				basic('canary-user', CANARY.postbackPassword),
				JSON.stringify({ id: 'big', pad: 'x'.repeat(20 * 1024) }),
			),
		).toBe(413);
		expect(await settle('CanaryScormTrig', 0)).toHaveLength(0);
		expect(await post(basic('canary-user', CANARY.postbackPassword))).toBe(200);
		expect(await settle('CanaryScormTrig', 1)).toHaveLength(1);
		expect(
			findCanaries([{ where: 'n8n logs', text: n8n.logs() }], [], ['postbackPassword']),
		).toEqual([]);
	});
});
