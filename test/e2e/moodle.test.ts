// Moodle (with the Percipio plugin) in a real n8n (pinned in test/e2e/n8n-pin) with the packed
// package installed as a community package, against the in-process sandbox on a random port:
// - a workflow of the Moodle node runs (`n8n execute`): user lookup → Percipio progress tracking →
//   course completion → enrolled users paged → any web-service function; the sandbox received it;
// - the credential's Test button (POST /rest/credentials/test) passes for a full token and for a
//   "Percipio services" token, and fails with Moodle's reason for a wrong token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createN8nInstance, packPackage, type N8nInstance, type WorkflowJson } from './harness/n8n';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { MOODLE_DEMO, moodleProvider, type MoodleEmulator } from '../sandbox/providers/moodle';

const SYNC = JSON.parse(
	readFileSync(join(__dirname, 'workflows', 'moodle-percipio-sync.workflow.json'), 'utf8'),
) as WorkflowJson;
const CREDENTIAL = { id: 'MoodleE2eCred01', name: 'Moodle sandbox', type: 'moodleApi' } as const;

let sandbox: Sandbox;
/** What the credential editor sends to the Test button: every field (n8n only restores redacted placeholders). */
let data: { siteUrl: string; token: string };
let emulator: MoodleEmulator;
let n8n: N8nInstance;

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [moodleProvider()], logLevel: 'silent' });
	emulator = sandbox.provider<MoodleEmulator>('moodle');
	n8n = await createN8nInstance({ pack: await packPackage() });
	data = { siteUrl: `${sandbox.urlFor('moodle', 'site')}/`, token: MOODLE_DEMO.token };
	await n8n.importCredentials([{ ...CREDENTIAL, data }]);
	await n8n.importWorkflow([SYNC]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

test('the Moodle node runs in n8n: learner by email → Percipio progress → completion → roster → any function', async () => {
	const run = await n8n.execute(SYNC.id);
	expect(run.nodeErrors()).toEqual([]);
	expect(run.ok).toBe(true);
	expect(run.output('Find Learner')).toEqual([
		expect.objectContaining({ id: 5, username: 'grace.hopper' }),
	]);
	expect(run.output('Track Progress')).toEqual([
		{
			moodleUserId: 5,
			courseshortname: MOODLE_DEMO.percipioContentId,
			completionstate: 2,
			message: 'Success',
			code: 200,
		},
	]);
	expect(run.output('Course Status')).toEqual([
		expect.objectContaining({ courseid: 3, userid: 5, completed: true }),
	]);
	expect(run.output('Roster').map((u) => u.username)).toEqual([
		'ada.lovelace',
		'alan.turing',
		'grace.hopper',
		'katherine.johnson',
		'tim.bernerslee',
		'margaret.hamilton',
	]);
	expect(run.output('Any Function').map((c) => c.shortname)).toEqual(['ONB-101', 'SEC-201']);

	// What the sandbox received: one progress record for user 5 (sent as "username"), in ms.
	expect(sandbox.ledger.writes('moodle', 'progress')).toMatchObject({
		total: 1,
		duplicates: [],
		keys: [`5:${MOODLE_DEMO.percipioContentId}`],
	});
	expect(
		sandbox.ledger.payload('moodle', 'progress', `5:${MOODLE_DEMO.percipioContentId}`),
	).toMatchObject({ username: '5', finalgrade: 87.5, totalduration: 'PT47M' });
	// Roster: 6 users with page size 4 → two requests. Every call a POST with nothing in the query (the token in the body).
	expect(emulator.calls.get('core_enrol_get_enrolled_users')).toBe(2);
	const seen = sandbox.ledger.requests({ provider: 'moodle' });
	expect(seen).toHaveLength(6);
	expect(seen.every((r) => r.method === 'POST' && r.query === '' && r.status === 200)).toBe(true);
	expect(run.cli.output).not.toContain(MOODLE_DEMO.token);
});

describe('n8n server', () => {
	beforeAll(async () => {
		await n8n.start();
	});
	afterAll(async () => {
		await n8n.stop();
	});

	test('the Test button: passes for a valid token (even one limited to the Percipio functions), fails with Moodle’s reason otherwise', async () => {
		const before = emulator.calls.get('core_webservice_get_site_info') ?? 0;
		expect(await n8n.testCredential({ ...CREDENTIAL, data })).toEqual(
			expect.objectContaining({ status: 'OK' }),
		);
		expect(emulator.calls.get('core_webservice_get_site_info')).toBe(before + 1);
		const last = sandbox.ledger.requests({ provider: 'moodle' }).at(-1);
		// The HTTP Request node's way: wstoken in the query, with the JSON format.
		expect(last).toMatchObject({
			method: 'POST',
			path: '/webservice/rest/server.php',
			status: 200,
		});
		expect(new URLSearchParams(last!.query).get('wsfunction')).toBe(
			'core_webservice_get_site_info',
		);
		expect(new URLSearchParams(last!.query).get('moodlewsrestformat')).toBe('json');

		const percipioOnly = await n8n.testCredential({
			...CREDENTIAL,
			data: { ...data, token: MOODLE_DEMO.percipioToken },
		});
		expect(percipioOnly).toEqual(expect.objectContaining({ status: 'OK' }));

		const wrong = await n8n.testCredential({
			...CREDENTIAL,
			data: { ...data, token: '00000000000000000000000000000bad' },
		});
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain('invalidtoken');
		expect(wrong.message).not.toContain('00000000000000000000000000000bad');

		const disabled = await n8n.testCredential({
			...CREDENTIAL,
			data: { ...data, token: MOODLE_DEMO.disabledServiceToken },
		});
		expect(disabled).toEqual({
			status: 'Error',
			message: expect.stringContaining('servicenotavailable'),
		});

		// A sign-on portal page in front of the site (HTML, 200) is not mistaken for Moodle.
		const portal = await n8n.testCredential({
			...CREDENTIAL,
			data: { ...data, siteUrl: `${sandbox.urlFor('moodle', 'site')}/sso` },
		});
		expect(portal).toEqual({
			status: 'Error',
			message: expect.stringContaining('did not answer like a Moodle web-service endpoint'),
		});
	});
});
