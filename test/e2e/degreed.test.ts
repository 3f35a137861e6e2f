// Degreed in a real n8n (pinned in test/e2e/n8n-pin) with the packed package installed as a
// community package, against the in-process sandbox on a random port:
// - a workflow of the node runs (`n8n execute`): user lookup → completion → xAPI statement → content
//   upsert (409 → update), and the sandbox received exactly that, once; n8n's HTTP Request node works
//   with the credential (preAuthentication + function-style authenticate);
// - the credential's Test button (POST /rest/credentials/test) passes, n8n persists the token, and a
//   scope the key lacks fails with "the API key lacks scope …".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createN8nInstance, packPackage, type N8nInstance, type WorkflowJson } from './harness/n8n';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { DEGREED_DEMO, DegreedEmulator } from '../sandbox/providers/degreed';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const xapiValidate: (s: unknown) => unknown[] = require('@learninglocker/xapi-validation').default;

const SYNC = JSON.parse(
	readFileSync(join(__dirname, 'workflows', 'degreed-sync.workflow.json'), 'utf8'),
) as WorkflowJson;
/** The HTTP Request node's URL points at the sandbox, whose port is only known at run time. */
const withSandboxUrl = (wf: WorkflowJson): WorkflowJson =>
	JSON.parse(
		JSON.stringify(wf).split('SANDBOX_DEGREED_API').join(sandbox.urlFor('degreed', 'api')),
	) as WorkflowJson;
const CREDENTIAL_ID = 'DegreedE2eCred01';
/** What the editor sends for a saved secret: n8n fills in the stored value. */
const BLANK = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';

let sandbox: Sandbox;
let emulator: DegreedEmulator;
let n8n: N8nInstance;

const credentialData = () => ({
	environment: 'custom',
	tokenBaseUrl: sandbox.urlFor('degreed', 'oauth'),
	apiBaseUrl: sandbox.urlFor('degreed', 'api'),
	clientId: DEGREED_DEMO.clientId,
	clientSecret: BLANK,
	scopes: [...DEGREED_DEMO.scopes],
	extraScopes: '',
	clientAuthentication: 'body',
});

beforeAll(async () => {
	emulator = new DegreedEmulator();
	sandbox = await startSandbox({ providers: [emulator], logLevel: 'silent' });
	n8n = await createN8nInstance({ pack: await packPackage() });
	await n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'Degreed sandbox',
			type: 'degreedApi',
			data: { ...credentialData(), clientSecret: DEGREED_DEMO.clientSecret },
		},
	]);
	await n8n.importWorkflow(withSandboxUrl(SYNC));
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

test('the Degreed node runs in n8n: learner → completion → xAPI statement → content upsert', async () => {
	const run = await n8n.execute(SYNC.id);
	expect(run.nodeErrors()).toEqual([]);
	expect(run.ok).toBe(true);
	expect(run.output('Find Learner')).toEqual([
		expect.objectContaining({
			id: 'U3',
			type: 'users',
			email: 'li.wei@acme.example',
			firstName: 'Li',
		}),
	]);
	expect(run.output('Record Completion')).toEqual([
		expect.objectContaining({
			type: 'completions',
			userId: 'U3',
			contentId: 'C1',
			externalId: 'course-privacy-101',
			completedAt: '2026-11-20T10:00:00Z',
			percentile: 88,
		}),
	]);
	const [statement] = run.output('Send Statement');
	expect(statement).toMatchObject({
		actor: { mbox: 'mailto:li.wei@acme.example' },
		verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
		timestamp: '2026-11-20T10:00:00Z',
	});
	expect(run.output('Upsert Content')).toEqual([
		expect.objectContaining({
			id: 'C1',
			title: 'Data Privacy Essentials (2026 edition)',
			duration: 50,
			externalId: 'course-privacy-101',
		}),
	]);

	// What the sandbox received: one completion, one valid statement with the id the node reported,
	// the content updated (409, then PATCH), never created twice; one token for the whole run.
	expect(sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
		total: 1,
		duplicates: [],
	});
	expect(sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
		total: 1,
		keys: [String(statement.id)],
	});
	expect(xapiValidate(emulator.statements.get(String(statement.id))?.statement)).toEqual([]);
	expect(sandbox.ledger.writes('degreed', 'content')).toMatchObject({ total: 0, duplicates: [] });
	expect(
		sandbox.ledger
			.requests({ provider: 'degreed', host: 'api', method: 'PATCH' })
			.map((r) => r.path),
	).toEqual(['/api/v2/content/courses/C1']);
	// n8n's own HTTP Request node with this credential: preAuthentication (the stored token was empty)
	// then the function-style authenticate adds the Bearer token.
	expect(run.output('HTTP Request With Credential')).toEqual([
		expect.objectContaining({ data: expect.objectContaining({ id: 'U3', type: 'users' }) }),
	]);
	// One token for the node's whole run, one more minted by n8n's preAuthentication for the HTTP Request node.
	expect(sandbox.ledger.tokenRequests('degreed')).toBe(2);
	expect(sandbox.ledger.requestCount('degreed', 'api', 401)).toBe(0);
	expect(run.cli.output).not.toContain(DEGREED_DEMO.clientSecret);
});

describe('n8n server', () => {
	beforeAll(async () => {
		await n8n.start();
	});
	afterAll(async () => {
		await n8n.stop();
	});

	test('the Test button passes and n8n persists the 300 s token; a scope the key lacks is named', async () => {
		const before = sandbox.ledger.tokenRequests('degreed');
		expect(
			await n8n.testCredential({
				id: CREDENTIAL_ID,
				name: 'Degreed sandbox',
				type: 'degreedApi',
				data: credentialData(),
			}),
		).toEqual(expect.objectContaining({ status: 'OK' }));
		expect(sandbox.ledger.tokenRequests('degreed')).toBe(before + 1);
		// The scope-aware test route: users:read is among the scopes, so one user was read.
		expect(
			sandbox.ledger
				.requests({ provider: 'degreed', host: 'api', path: /^\/api\/v2\/users$/ })
				.at(-1),
		).toMatchObject({ status: 200, query: 'limit=1' });
		const stored = (await n8n.exportCredentials()).find((c) => c.id === CREDENTIAL_ID)!;
		expect(sandbox.context('degreed').tokens.verify(String(stored.data.accessToken)).ok).toBe(true);
		expect(Number(stored.data.expiresAt) - Number(stored.data.issuedAt)).toBe(300_000);
		expect(String(stored.data.issuedFor)).toMatch(/^[0-9a-f]{64}$/);

		const lacking = await n8n.testCredential({
			id: CREDENTIAL_ID,
			name: 'Degreed sandbox',
			type: 'degreedApi',
			data: { ...credentialData(), scopes: ['users:read', 'users:write'] },
		});
		expect(lacking.status).toBe('Error');
		expect(lacking.message).toContain('the API key lacks scope users:write');
		expect(lacking.message).not.toContain(DEGREED_DEMO.clientSecret);
	});
});
