import type { IDataObject } from 'n8n-workflow';

import { Moodle } from '../../../nodes/Moodle/Moodle.node';
import { ScormCloud } from '../../../nodes/ScormCloud/ScormCloud.node';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { MOODLE_DEMO, moodleProvider } from '../../sandbox/providers/moodle';
import { scormCloudProvider } from '../../sandbox/providers/scormcloud';
import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { runNode } from '../../support/n8nContext';
import { credentialsFor } from '../scormcloud/helpers';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ providers: [moodleProvider(), scormCloudProvider()], seed: 7 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sharedTokenManager.clear();
});

const moodle = (parameters: IDataObject, typeVersion = 2) =>
	runNode(Moodle, {
		parameters: { requestOptions: { maxAttempts: 2, maxRetryWaitSeconds: 2 }, ...parameters },
		credentials: {
			moodleApi: {
				siteUrl: sandbox.urlFor('moodle', 'site'),
				token: MOODLE_DEMO.token,
				allowInsecureHttp: false,
			},
		},
		typeVersion,
	});
const rl = (mode: string, value: unknown) => ({ __rl: true, mode, value });
const courseStatus = (courseId: unknown) => ({
	resource: 'completion',
	operation: 'getCourseStatus',
	courseId: courseId as IDataObject[string],
	userId: 3,
});

describe('Reading a resource locator', () => {
	test('a plain number or string (workflows saved before the locator) reads as By ID, like From list, By ID and By URL', async () => {
		const site = sandbox.urlFor('moodle', 'site');
		const runs = await Promise.all(
			[3, '3', rl('list', '3'), rl('id', ' 3 '), rl('url', `${site}/course/view.php?id=3`)].map(
				async (value) => (await moodle(courseStatus(value))).output[0].json,
			),
		);
		for (const json of runs) expect(json).toEqual(runs[0]);
		expect(runs[0]).toMatchObject({ courseid: 3, userid: 3, completed: true });
	});

	test('an ID that is not a Moodle ID is refused before anything is sent, naming the item and the field', async () => {
		await expect(moodle(courseStatus(rl('id', 'abc')))).rejects.toThrow(/courseid/i);
		expect(sandbox.ledger.requests({ provider: 'moodle' })).toHaveLength(0);
	});

	test("a URL of another page is refused with n8n's By URL message", async () => {
		await expect(
			moodle(courseStatus(rl('url', 'https://moodle.example/mod/quiz/view.php?cmid=3'))),
		).rejects.toThrow(/URL entered is incorrect/);
	});

	test('Output: version 2 simplifies by default, version 1 stays raw, Selected Fields keeps only those', async () => {
		const get = { resource: 'user', operation: 'get', field: 'id', value: '3' };
		const simple = (await moodle(get)).output[0].json;
		expect(Object.keys(simple).length).toBeLessThanOrEqual(10);
		expect(Object.keys(simple).slice(0, 3)).toEqual(['id', 'username', 'firstname']);
		const raw = (await moodle(get, 1)).output[0].json;
		expect(Object.keys(raw).length).toBeGreaterThan(Object.keys(simple).length);
		expect(raw).toMatchObject(simple);
		const selected = (
			await moodle({ ...get, output: 'selected', outputFields: 'email, customfields.0.shortname' })
		).output[0].json;
		expect(Object.keys(selected)).toContain('email');
		expect(
			Object.keys(selected).every((k) => ['email', 'customfields_0_shortname'].includes(k)),
		).toBe(true);
	});

	test('SCORM Cloud: a registration picked from the list is read and simplified with nested fields flattened', async () => {
		const emulator = sandbox.provider<ScormCloudEmulator>('scormcloud');
		const [reg] = [...emulator.registrations.values()];
		const { output } = await runNode(ScormCloud, {
			parameters: {
				resource: 'registration',
				operation: 'get',
				registrationId: rl('list', reg.id),
				requestOptions: { maxRetryWaitSeconds: 2 },
			},
			credentials: { scormCloudApi: credentialsFor(sandbox) },
			typeVersion: 2,
		});
		expect(output[0].json).toMatchObject({
			id: reg.id,
			course_id: reg.courseId,
			learner_id: reg.learner.id,
		});
		expect(output[0].json).not.toHaveProperty('learner');
	});
});
