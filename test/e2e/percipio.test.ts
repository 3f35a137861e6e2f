// Skillsoft Percipio in a real n8n (pinned in test/e2e/n8n-pin) with the packed package installed as
// a community package, against the in-process sandbox on a random port:
// - a workflow imports three content items and sends a completion (Track) for each (`n8n execute`),
//   and the sandbox received each exactly once, with one token for the whole run;
// - the credential's Test button (POST /rest/credentials/test) gets a token with the JSON body,
//   calls the test route with it, and n8n persists the token; a wrong secret fails with Percipio's
//   words and without the secret.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createN8nInstance, packPackage, type N8nInstance, type WorkflowJson } from './harness/n8n';
import { PERCIPIO_DEMO } from '../sandbox/fixtures';
import {
	PERCIPIO_SANDBOX,
	percipioProvider,
	percipioTrackKey,
	type PercipioEmulator,
} from '../sandbox/providers/percipio';
import { startSandbox, type Sandbox } from '../sandbox/server';

const fixture = (name: string) => readFileSync(join(__dirname, 'workflows', name), 'utf8');
const IMPORT_TRACK = JSON.parse(fixture('percipio-import-track.workflow.json')) as WorkflowJson;
const CREDENTIAL_ID = 'PercipioE2eCred1';
const NAME = 'Percipio sandbox';
/** What the editor sends for a saved credential: secrets as n8n's blank marker (n8n fills in the stored value). */
const BLANK = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';

let sandbox: Sandbox;
let emulator: PercipioEmulator;
let n8n: N8nInstance;

const credentialData = (secret: string) => ({
	authMethod: 'oAuth2ClientCredentials',
	region: 'custom',
	apiBaseUrl: sandbox.urlFor('percipio', 'api'),
	tokenUrl: `${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
	organizationId: PERCIPIO_DEMO.orgId,
	clientId: PERCIPIO_DEMO.clientId,
	clientSecret: secret,
	scope: PERCIPIO_DEMO.scope,
	partnerName: PERCIPIO_SANDBOX.partnerName,
	testRoute: 'users',
});

beforeAll(async () => {
	sandbox = await startSandbox({
		providers: [percipioProvider({ demoData: true })],
		logLevel: 'silent',
	});
	emulator = sandbox.provider<PercipioEmulator>('percipio');
	n8n = await createN8nInstance({ pack: await packPackage() });
	await n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: NAME,
			type: 'percipioApi',
			data: credentialData(PERCIPIO_DEMO.clientSecret),
		},
	]);
	// The HTTP Request fixture names the sandbox's API host and organization by placeholder (random port).
	const http = JSON.parse(
		fixture('percipio-http-request.workflow.json')
			.replace('__PERCIPIO_API__', sandbox.urlFor('percipio', 'api'))
			.replace('__PERCIPIO_ORG__', PERCIPIO_DEMO.orgId),
	) as WorkflowJson;
	await n8n.importWorkflow([IMPORT_TRACK, http]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

test('a workflow imports content and sends Track events in n8n, each exactly once', async () => {
	const run = await n8n.execute(IMPORT_TRACK.id);
	expect(run.nodeErrors()).toEqual([]);
	expect(run.ok).toBe(true);
	expect(run.output('Import Content')).toEqual(
		[1, 2, 3].map((n) =>
			expect.objectContaining({
				content_id: `ext-course-00${n}`,
				title: `Course ${n}`,
				status: 'CREATED',
			}),
		),
	);
	const sent = run.output('Send Completions');
	expect(sent.map((e) => [e.content_id, e.user, e.status, e.duration_spent])).toEqual(
		[1, 2, 3].map((n) => [`ext-course-00${n}`, `learner_${n}`, 'completed', 600 * n]),
	);

	// What the sandbox received.
	expect(emulator.content.get('ext-course-002')).toMatchObject({
		title: 'Course 2',
		type: 'COURSE',
		duration: 1200,
		description: 'About Course 2',
		tags: ['e2e', 'sandbox'],
	});
	expect(sandbox.ledger.writes('percipio', 'content')).toMatchObject({
		total: 3,
		unique: 3,
		duplicates: [],
	});
	const tracks = sandbox.ledger.writes('percipio', 'track');
	expect(tracks).toMatchObject({ total: 3, unique: 3, duplicates: [] });
	expect(sent.map((e) => e.trackKey)).toEqual(
		emulator.tracks.map((t) => percipioTrackKey(t.payload)),
	);
	expect(
		emulator.tracks.every(
			(t) => t.orgId === PERCIPIO_DEMO.orgId && t.payload.event_date === '2026-11-20T10:00:00Z',
		),
	).toBe(true);
	expect(sandbox.ledger.tokenRequests('percipio')).toBe(1);
	expect(run.cli.output).not.toContain(PERCIPIO_DEMO.clientSecret);
});

test("the credential works in n8n's HTTP Request node: preAuthentication gets the token, authenticate sends it", async () => {
	const before = sandbox.ledger.tokenRequests('percipio');
	const run = await n8n.execute('PercipioE2eHttp01');
	expect(run.nodeErrors()).toEqual([]);
	expect(run.output('List Users').map((u) => u.externalUserId)).toEqual(['emp-1001', 'emp-1002']);
	expect(sandbox.ledger.tokenRequests('percipio')).toBe(before + 1);
	expect(
		sandbox.ledger
			.requests({ provider: 'percipio', host: 'api', path: /\/users$/ })
			.map((r) => r.status),
	).toEqual([200]);
	const stored = (await n8n.exportCredentials()).find((c) => c.id === CREDENTIAL_ID)!;
	expect(sandbox.context('percipio').tokens.verify(String(stored.data.accessToken)).ok).toBe(true);
});

describe('n8n server', () => {
	beforeAll(async () => {
		await n8n.start();
	});
	afterAll(async () => {
		await n8n.stop();
	});

	test('the Test button gets a token (JSON body), calls the test route with it, and n8n persists the token', async () => {
		const before = sandbox.ledger.tokenRequests('percipio');
		const result = await n8n.testCredential({
			id: CREDENTIAL_ID,
			name: NAME,
			type: 'percipioApi',
			data: credentialData(BLANK),
		});
		expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(before + 1);
		expect(
			sandbox.ledger.requests({ provider: 'percipio', host: 'api', path: /\/users$/ }).at(-1),
		).toMatchObject({
			method: 'GET',
			path: `/user-management/v1/organizations/${PERCIPIO_DEMO.orgId}/users`,
			query: 'max=1',
			status: 200,
		});
		const stored = (await n8n.exportCredentials()).find((c) => c.id === CREDENTIAL_ID)!;
		expect(sandbox.context('percipio').tokens.verify(String(stored.data.accessToken)).ok).toBe(
			true,
		);
		expect(Number(stored.data.expiresAt) - Number(stored.data.issuedAt)).toBe(3_600_000);
		expect(String(stored.data.issuedFor)).toMatch(/^[0-9a-f]{64}$/);

		const wrong = await n8n.testCredential({
			id: CREDENTIAL_ID,
			name: NAME,
			type: 'percipioApi',
			data: credentialData('definitely-wrong-secret'),
		});
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain('invalid_client');
		expect(wrong.message).not.toContain('definitely-wrong-secret');
	});

	test('a service-account token is checked and used by the Test button without any token request', async () => {
		const before = sandbox.ledger.tokenRequests('percipio');
		const data = {
			...credentialData(BLANK),
			authMethod: 'serviceAccount',
			serviceAccountToken: PERCIPIO_SANDBOX.serviceAccountToken,
		};
		expect(
			await n8n.testCredential({ name: 'Percipio service account', type: 'percipioApi', data }),
		).toEqual(expect.objectContaining({ status: 'OK' }));
		const notJwt = await n8n.testCredential({
			name: 'Percipio service account',
			type: 'percipioApi',
			data: { ...data, serviceAccountToken: 'pasted-the-wrong-thing' },
		});
		expect(notJwt.status).toBe('Error');
		expect(notJwt.message).toContain(
			'"Service Account Token": the service-account token is not a JWT',
		);
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(before);
	});
});
