import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Moodle } from '../../../nodes/Moodle/Moodle.node';
import { MOODLE_DEMO, MoodleEmulator, moodleProvider } from '../../sandbox/providers/moodle';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { runNode } from '../../support/n8nContext';
import type { ContextOptions } from '../../support/n8nContext';

let sandbox: Sandbox;
let emulator: MoodleEmulator;
let siteUrl: string;

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [moodleProvider()], seed: 7 });
	emulator = sandbox.provider<MoodleEmulator>('moodle');
	siteUrl = sandbox.urlFor('moodle', 'site');
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const FAST = { maxAttempts: 4, maxRetryWaitSeconds: 5 };

function run(
	parameters: IDataObject,
	options: Partial<ContextOptions> & { token?: string; site?: string } = {},
) {
	const { token = MOODLE_DEMO.token, site = siteUrl, ...rest } = options;
	return runNode(Moodle, {
		parameters: { requestOptions: FAST, ...parameters },
		credentials: { moodleApi: { siteUrl: site, token, allowInsecureHttp: false } },
		...rest,
	});
}

/** The form bodies the node sent, parsed. */
const bodies = (requests: Array<{ body?: unknown }>) =>
	requests.map((r) => new URLSearchParams(String(r.body ?? '')));
const json = (output: INodeExecutionData[]) => output.map((o) => o.json);
const serverRequests = () => sandbox.ledger.requests({ provider: 'moodle' });

async function failure(
	promise: Promise<unknown>,
): Promise<Error & { description?: string; context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected the node to fail');
}

describe('Moodle node against the sandbox: protocol', () => {
	it('POSTs a form body with wstoken, wsfunction and moodlewsrestformat=json; the token never in the URL', async () => {
		const { output, requests } = await run({
			resource: 'user',
			operation: 'get',
			field: 'username',
			value: 'ada.lovelace',
		});
		expect(json(output)).toEqual([
			expect.objectContaining({
				id: 3,
				username: 'ada.lovelace',
				email: 'ada.lovelace@academy.example',
				idnumber: 'HR-1001',
			}),
		]);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(requests).toHaveLength(1);
		expect(requests[0].method).toBe('POST');
		expect(String(requests[0].url)).toBe(`${siteUrl}/webservice/rest/server.php`);
		expect((requests[0].headers as IDataObject)['Content-Type']).toBe(
			'application/x-www-form-urlencoded',
		);
		const [body] = bodies(requests);
		expect(body.get('wstoken')).toBe(MOODLE_DEMO.token);
		expect(body.get('wsfunction')).toBe('core_user_get_users_by_field');
		expect(body.get('moodlewsrestformat')).toBe('json');
		expect(body.get('field')).toBe('username');
		expect(body.get('values[0]')).toBe('ada.lovelace');
		const [seen] = serverRequests();
		expect(seen).toMatchObject({
			method: 'POST',
			path: '/webservice/rest/server.php',
			query: '',
			status: 200,
		});
	});

	it('accepts a site URL with the endpoint pasted in, and a trailing slash', async () => {
		const { output } = await run(
			{ resource: 'user', operation: 'get', field: 'id', value: '4' },
			{ site: `${siteUrl}/webservice/rest/server.php/` },
		);
		expect(json(output)).toEqual([expect.objectContaining({ id: 4, username: 'alan.turing' })]);
	});
});

describe('User', () => {
	it('get: many items with concurrency keep their order and pairing', async () => {
		const names = [
			'ada.lovelace',
			'alan.turing',
			'grace.hopper',
			'katherine.johnson',
			'tim.bernerslee',
			'margaret.hamilton',
		];
		const items = [...names, ...names, ...names].map((v) => ({ v }));
		const params = (batchSize: number) => (i: number) => ({
			requestOptions: { ...FAST, concurrency: 5 },
			resource: 'user',
			operation: 'get',
			field: 'username',
			value: items[i].v,
			options: { batchSize },
		});
		for (const [batchSize, requests] of [
			[50, 1],
			[4, 5],
			[1, 18],
		]) {
			const result = await run({}, { items, parameters: params(batchSize) } as never);
			expect(result.output.map((o) => o.json.username)).toEqual(items.map((i) => i.v));
			expect(result.output.map((o) => (o.pairedItem as { item: number }).item)).toEqual(
				items.map((_, i) => i),
			);
			expect({ batchSize, requests: result.requests.length }).toEqual({ batchSize, requests });
		}
	});

	it('get in batches: each field its own request, values matched without case, each item only its own users', async () => {
		const items = [
			{ field: 'email', v: 'ALAN.TURING@academy.example' },
			{ field: 'username', v: 'ada.lovelace, grace.hopper' },
			{ field: 'email', v: 'nobody@academy.example' },
			{ field: 'id', v: '08' },
		];
		const { output, requests } = await run({}, {
			items,
			parameters: (i: number) => ({
				requestOptions: FAST,
				resource: 'user',
				operation: 'get',
				field: items[i].field,
				value: items[i].v,
			}),
		} as never);
		expect(output.map((o) => [(o.pairedItem as { item: number }).item, o.json.username])).toEqual([
			[0, 'alan.turing'],
			[1, 'ada.lovelace'],
			[1, 'grace.hopper'],
			[3, 'margaret.hamilton'],
		]);
		expect(bodies(requests).map((b) => b.get('field'))).toEqual(['email', 'username', 'id']);
		expect(bodies(requests)[0].getAll('values[1]')).toEqual(['nobody@academy.example']);
	});

	it('get: several comma-separated values, one item per user; unknown values give no item', async () => {
		const { output } = await run({
			resource: 'user',
			operation: 'get',
			field: 'email',
			value: 'Grace.Hopper@academy.example, nobody@x.example ,alan.turing@academy.example',
		});
		expect(
			json(output)
				.map((u) => u.username)
				.sort(),
		).toEqual(['alan.turing', 'grace.hopper']);
	});

	it('get: "Error If Not Found" fails the item; without it there is no output', async () => {
		const quiet = await run({
			resource: 'user',
			operation: 'get',
			field: 'username',
			value: 'nobody',
		});
		expect(quiet.output).toEqual([]);
		const error = await failure(
			run({
				resource: 'user',
				operation: 'get',
				field: 'username',
				value: 'nobody',
				options: { errorIfNotFound: true },
			}),
		);
		expect(error.message).toMatch(/no user with username "nobody"/);
	});

	it('get: a non-numeric ID is refused before anything is sent', async () => {
		const error = await failure(
			run({ resource: 'user', operation: 'get', field: 'id', value: '3/../4' }),
		);
		expect(error.message).toMatch(
			/Item 0: Invalid "value\[0\]" "3\/\.\.\/4" is not a Moodle user ID/,
		);
		expect(serverRequests()).toHaveLength(0);
	});

	const newUser = (username: string) => ({
		resource: 'user',
		operation: 'create',
		username,
		firstname: 'Hedy',
		lastname: 'Lamarr',
		email: `${username}@academy.example`,
		passwordMode: 'createPassword',
		additionalFields: {
			idnumber: 'HR-2001',
			city: 'Vienna',
			customFields: { field: [{ type: 'team', value: 'Radio' }] },
		},
	});

	it('create: sends users[0][…] in bracket form and returns the new user', async () => {
		const { output, requests } = await run(newUser('hedy.lamarr'));
		expect(json(output)).toEqual([
			{
				id: 9,
				username: 'hedy.lamarr',
				firstname: 'Hedy',
				lastname: 'Lamarr',
				email: 'hedy.lamarr@academy.example',
				created: true,
			},
		]);
		const [body] = bodies(requests);
		expect(body.get('users[0][username]')).toBe('hedy.lamarr');
		expect(body.get('users[0][createpassword]')).toBe('1');
		expect(body.get('users[0][idnumber]')).toBe('HR-2001');
		expect(body.get('users[0][customfields][0][type]')).toBe('team');
		expect(body.get('users[0][customfields][0][value]')).toBe('Radio');
		expect(sandbox.ledger.writes('moodle', 'user')).toMatchObject({
			total: 1,
			unique: 1,
			duplicates: [],
		});
	});

	it('create again: the existing user is returned (created: false), or an error when asked', async () => {
		await run(newUser('hedy.lamarr'));
		const again = await run(newUser('hedy.lamarr'));
		expect(json(again.output)).toEqual([
			expect.objectContaining({ id: 9, username: 'hedy.lamarr', created: false }),
		]);
		const error = await failure(run({ ...newUser('hedy.lamarr'), options: { ifExists: 'error' } }));
		expect(error.message).toMatch(/the username "hedy.lamarr" already exists \(Moodle user 9\)/);
		expect(sandbox.ledger.writes('moodle', 'user')).toMatchObject({ total: 1, duplicates: [] });
	});

	it('create after a 502 that never reached Moodle: looks the username up, then sends again, once', async () => {
		sandbox.faults.add({ kind: 'status', status: 502, count: 1, match: { provider: 'moodle' } });
		const { output, requests } = await run(newUser('hedy.lamarr'));
		expect(json(output)[0]).toMatchObject({ username: 'hedy.lamarr', created: true });
		expect(bodies(requests).map((b) => b.get('wsfunction'))).toEqual([
			'core_user_create_users',
			'core_user_get_users_by_field',
			'core_user_create_users',
		]);
		expect(sandbox.ledger.writes('moodle', 'user')).toMatchObject({ total: 1, duplicates: [] });
	});

	it('create whose answer was lost (connection reset after Moodle wrote it): found by username, not created twice', async () => {
		sandbox.faults.add({ kind: 'reset-after', count: 1, match: { provider: 'moodle' } });
		const { output, requests } = await run(newUser('hedy.lamarr'));
		expect(json(output)[0]).toMatchObject({ id: 9, username: 'hedy.lamarr', created: true });
		expect(bodies(requests).map((b) => b.get('wsfunction'))).toEqual([
			'core_user_create_users',
			'core_user_get_users_by_field',
		]);
		expect(sandbox.ledger.writes('moodle', 'user')).toMatchObject({ total: 1, duplicates: [] });
	});

	it('create: capital letters in the username are refused before sending, naming item and field', async () => {
		const error = await failure(run(newUser('Hedy.Lamarr')));
		expect(error.message).toBe(
			'Item 0: Invalid "username" must be lowercase (Moodle rejects usernames with capital letters)',
		);
		expect(serverRequests()).toHaveLength(0);
	});

	it('get enrolled: pages with options[limitfrom]/[limitnumber] to the end', async () => {
		const { output, requests } = await run({
			resource: 'user',
			operation: 'getEnrolled',
			courseId: 3,
			returnAll: true,
			options: { pageSize: 2 },
		});
		expect(json(output).map((u) => u.id)).toEqual([3, 4, 5, 6, 7, 8]);
		expect(json(output)[0]).toMatchObject({
			courseid: 3,
			roles: [expect.objectContaining({ roleid: 5 })],
		});
		const pages = bodies(requests).map((b) => [
			b.get('options[0][name]'),
			b.get('options[0][value]'),
			b.get('options[1][name]'),
			b.get('options[1][value]'),
		]);
		expect(pages).toEqual([
			['limitfrom', '0', 'limitnumber', '2'],
			['limitfrom', '2', 'limitnumber', '2'],
			['limitfrom', '4', 'limitnumber', '2'],
			['limitfrom', '6', 'limitnumber', '2'],
		]);
	});

	it('get enrolled: a limit asks for one page of that size; filters go before the paging options', async () => {
		const limited = await run({
			resource: 'user',
			operation: 'getEnrolled',
			courseId: 3,
			returnAll: false,
			limit: 3,
		});
		expect(json(limited.output).map((u) => u.id)).toEqual([3, 4, 5]);
		expect(limited.requests).toHaveLength(1);
		const filtered = await run({
			resource: 'user',
			operation: 'getEnrolled',
			courseId: 3,
			returnAll: true,
			options: {
				onlyactive: true,
				sortby: 'lastname',
				sortdirection: 'DESC',
				userfields: 'username, email',
			},
		});
		expect(json(filtered.output).map((u) => u.username)).toEqual([
			'alan.turing',
			'ada.lovelace',
			'katherine.johnson',
			'grace.hopper',
			'tim.bernerslee',
		]);
		expect(Object.keys(json(filtered.output)[0]).sort()).toEqual([
			'courseid',
			'email',
			'id',
			'username',
		]);
		const [body] = bodies(filtered.requests);
		expect([...body.entries()].filter(([k]) => k.startsWith('options')).map(([, v]) => v)).toEqual([
			'onlyactive',
			'1',
			'userfields',
			'username,email',
			'sortby',
			'lastname',
			'sortdirection',
			'DESC',
			'limitfrom',
			'0',
			'limitnumber',
			'100',
		]);
	});
});

describe('Course', () => {
	it('get by short name (a Percipio content UUID)', async () => {
		const { output } = await run({
			resource: 'course',
			operation: 'get',
			field: 'shortname',
			value: MOODLE_DEMO.percipioContentId,
		});
		expect(json(output)).toEqual([
			expect.objectContaining({
				id: 3,
				fullname: 'Leading Teams: Building Trust',
				categoryname: 'Percipio',
			}),
		]);
	});

	it('get by several IDs', async () => {
		const { output } = await run({
			resource: 'course',
			operation: 'get',
			field: 'ids',
			value: '2, 4',
		});
		expect(json(output).map((c) => c.shortname)).toEqual(['ONB-101', 'SEC-201']);
	});

	it('get many: every course but the site front page, and a limit', async () => {
		const all = await run({ resource: 'course', operation: 'getAll', returnAll: true });
		expect(json(all.output).map((c) => c.id)).toEqual([2, 3, 4]);
		const some = await run({
			resource: 'course',
			operation: 'getAll',
			returnAll: false,
			limit: 1,
			options: { ids: '4,2', includeSite: true },
		});
		expect(json(some.output).map((c) => c.id)).toEqual([4]);
		expect(bodies(some.requests)[0].get('options[ids][0]')).toBe('4');
	});
});

describe('Enrolment', () => {
	const enrol = (userId: number) => ({
		resource: 'enrolment',
		operation: 'enrol',
		courseId: 4,
		userId,
		roleId: 5,
		additionalFields: { timestart: '2026-02-01T00:00:00Z' },
	});

	it('enrols several items in one request, each result paired with its item; a re-run updates, never duplicates', async () => {
		const items = [{ u: 3 }, { u: 4 }, { u: 5 }];
		const first = await run({}, {
			items,
			parameters: (i: number) => ({ requestOptions: FAST, ...enrol(items[i].u) }),
		} as never);
		expect(json(first.output)).toEqual(
			items.map(({ u }) => ({
				courseid: 4,
				userid: u,
				roleid: 5,
				timestart: 1769904000,
				enrolled: true,
			})),
		);
		expect(first.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(first.requests).toHaveLength(1);
		expect(bodies(first.requests)[0].get('enrolments[2][userid]')).toBe('5');
		await run({}, {
			items,
			parameters: (i: number) => ({ requestOptions: FAST, ...enrol(items[i].u) }),
		} as never);
		expect(sandbox.ledger.writes('moodle', 'enrolment')).toMatchObject({
			total: 3,
			unique: 3,
			updates: 3,
			duplicates: [],
		});
	});

	it('is resent after a 503 (enrolment is idempotent)', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 503,
			retryAfter: 0,
			count: 1,
			match: { provider: 'moodle' },
		});
		const { output, requests } = await run(enrol(6));
		expect(json(output)[0]).toMatchObject({ userid: 6, enrolled: true });
		expect(requests).toHaveLength(2);
		expect(sandbox.ledger.writes('moodle', 'enrolment')).toMatchObject({
			total: 1,
			duplicates: [],
		});
	});

	it("an unknown user is Moodle's invalidrecord error, with a hint", async () => {
		const error = await failure(run(enrol(999)));
		expect(error.message).toBe(
			"Moodle: enrol_manual_enrol_users: Can't find data record in database table user. (invalidrecord)",
		);
		expect(error.description).toMatch(/does not exist in Moodle/);
	});
});

describe('Completion and grades', () => {
	it('course completion status as plain fields', async () => {
		const { output } = await run({
			resource: 'completion',
			operation: 'getCourseStatus',
			courseId: 3,
			userId: 3,
		});
		expect(json(output)).toEqual([
			expect.objectContaining({
				courseid: 3,
				userid: 3,
				completed: true,
				aggregation: 1,
				completions: [expect.objectContaining({ complete: true })],
				warnings: [],
			}),
		]);
	});

	it('activities completion: one item per activity; "Only Completed" filters', async () => {
		const all = await run({
			resource: 'completion',
			operation: 'getActivitiesStatus',
			courseId: 2,
			userId: 3,
		});
		expect(json(all.output).map((s) => [s.name, s.state])).toEqual([
			['Welcome', 1],
			['Policies quiz', 0],
		]);
		expect(json(all.output)[0]).toMatchObject({ courseid: 2, userid: 3 });
		const done = await run({
			resource: 'completion',
			operation: 'getActivitiesStatus',
			courseId: 2,
			userId: 3,
			options: { onlyCompleted: true },
		});
		expect(json(done.output).map((s) => s.name)).toEqual(['Welcome']);
	});

	it("grade items: one item per grade item, or Moodle's per-user shape", async () => {
		const items = await run({ resource: 'grade', operation: 'getItems', courseId: 3, userId: 3 });
		expect(json(items.output)).toEqual([
			expect.objectContaining({
				courseid: 3,
				userid: 3,
				userfullname: 'Ada Lovelace',
				itemmodule: 'percipio',
				graderaw: 92,
			}),
			expect.objectContaining({ itemtype: 'course', graderaw: 92 }),
		]);
		const users = await run({
			resource: 'grade',
			operation: 'getItems',
			courseId: 3,
			userId: 0,
			options: { output: 'users' },
		});
		expect(users.output).toHaveLength(6);
	});
});

describe('Percipio plugin', () => {
	const track = (userId: number | string, extra: IDataObject = {}) => ({
		resource: 'percipio',
		operation: 'trackProgress',
		moodleUserId: userId,
		courseShortname: MOODLE_DEMO.percipioContentId,
		completionState: 2,
		additionalFields: {
			finalgrade: 88,
			percentcomplete: 100,
			totalduration: 'PT1H5M',
			timecompleted: '2026-03-01T10:00:00Z',
			...extra,
		},
	});

	it('progress tracking: the JSON data carries the user ID as "username" and times in ms; Moodle shows the completion', async () => {
		const { output, requests } = await run(track(5));
		expect(json(output)).toEqual([
			{
				moodleUserId: 5,
				courseshortname: MOODLE_DEMO.percipioContentId,
				completionstate: 2,
				message: 'Success',
				code: 200,
			},
		]);
		const data = JSON.parse(bodies(requests)[0].get('data') as string);
		expect(data).toMatchObject({
			username: '5',
			courseshortname: MOODLE_DEMO.percipioContentId,
			completionstate: 2,
			finalgrade: 88,
			percentcomplete: 100,
			totalduration: 'PT1H5M',
			timecompleted: 1772359200000,
			timecreated: null,
		});
		const status = await run({
			resource: 'completion',
			operation: 'getCourseStatus',
			courseId: 3,
			userId: 5,
		});
		expect(json(status.output)[0].completed).toBe(true);
	});

	it('progress tracking is an upsert: sent again (after a 502 too) it updates, never duplicates', async () => {
		await run(track(5));
		sandbox.faults.add({
			kind: 'status',
			status: 502,
			retryAfter: 0,
			count: 1,
			match: { provider: 'moodle' },
		});
		const again = await run(track(5, { finalgrade: 95 }));
		expect(again.requests).toHaveLength(2);
		expect(sandbox.ledger.writes('moodle', 'progress')).toMatchObject({
			total: 1,
			updates: 1,
			duplicates: [],
		});
		expect(
			sandbox.ledger.payload('moodle', 'progress', `5:${MOODLE_DEMO.percipioContentId}`),
		).toMatchObject({ finalgrade: 95 });
	});

	it("progress tracking: a bad duration is refused before sending; an unknown user is the plugin's error", async () => {
		const bad = await failure(run(track(5, { totalduration: '65 minutes' })));
		expect(bad.message).toMatch(/"totalduration" must be an ISO 8601 duration/);
		expect(serverRequests()).toHaveLength(0);
		const unknown = await failure(run(track(999)));
		expect(unknown.message).toBe('Moodle: percipio_progress_tracking: User not found (error)');
	});

	it('asset import creates the course once, then updates it', async () => {
		const asset = {
			resource: 'percipio',
			operation: 'importAsset',
			fullname: 'Agile Foundations',
			shortname: '7f9b2c1e-0d4a-4e8b-b6a5-3c2d1e0f9a8b',
			xapiActivityId: 'https://xapi.percipio.com/xapi/course/7f9b2c1e-0d4a-4e8b-b6a5-3c2d1e0f9a8b',
			link: 'https://sandbox.percipio.example/courses/7f9b2c1e-0d4a-4e8b-b6a5-3c2d1e0f9a8b',
			additionalFields: {
				category: 'Percipio Agile',
				summary: '<p>Agile basics</p>',
				startdate: '2026-01-01T00:00:00Z',
			},
		};
		const first = await run(asset);
		expect(json(first.output)).toEqual([
			{
				moodlecourseid: 5,
				percipioid: asset.shortname,
				message: 'Course created successfully',
				code: 200,
				shortname: asset.shortname,
			},
		]);
		const data = JSON.parse(bodies(first.requests)[0].get('data') as string);
		expect(data).toMatchObject({
			format: 'singleactivity',
			courseformatoptions: [{ name: 'activitytype', value: 'percipio' }],
			startdate: 1767225600000,
			category: 'Percipio Agile',
			visible: 1,
		});
		const second = await run({ ...asset, fullname: 'Agile Foundations (2026)' });
		expect(json(second.output)[0]).toMatchObject({
			moodlecourseid: 5,
			message: 'Course updated successfully',
		});
		expect(sandbox.ledger.writes('moodle', 'course')).toMatchObject({
			total: 1,
			updates: 1,
			duplicates: [],
		});
		const course = await run({
			resource: 'course',
			operation: 'get',
			field: 'shortname',
			value: asset.shortname,
		});
		expect(json(course.output)[0]).toMatchObject({
			fullname: 'Agile Foundations (2026)',
			categoryname: 'Percipio Agile',
		});
	});

	it('works with a "Percipio services" token, which may call only the plugin functions', async () => {
		const { output } = await run(track(4), { token: MOODLE_DEMO.percipioToken });
		expect(json(output)[0]).toMatchObject({ message: 'Success' });
	});
});

describe('Call any web-service function', () => {
	it('encodes nested JSON parameters in bracket form and splits array results', async () => {
		const { output, requests } = await run({
			resource: 'webService',
			operation: 'call',
			functionName: 'core_user_get_users_by_field',
			parameters: JSON.stringify({ field: 'idnumber', values: ['HR-1003', 'HR-1004'] }),
		});
		expect(json(output).map((u) => u.username)).toEqual(['grace.hopper', 'katherine.johnson']);
		expect(bodies(requests)[0].get('values[1]')).toBe('HR-1004');
	});

	it('returns an object result as one item, and null as {result: null}', async () => {
		const info = await run({
			resource: 'webService',
			operation: 'call',
			functionName: 'core_webservice_get_site_info',
			parameters: '{}',
		});
		expect(json(info.output)).toEqual([
			expect.objectContaining({ sitename: MOODLE_DEMO.siteName, userid: 2 }),
		]);
		const nul = await run({
			resource: 'webService',
			operation: 'call',
			functionName: 'enrol_manual_enrol_users',
			parameters: { enrolments: [{ roleid: 5, userid: 7, courseid: 2, suspend: false }] },
			options: { idempotent: true },
		});
		expect(json(nul.output)).toEqual([{ result: null }]);
		expect(bodies(nul.requests)[0].get('enrolments[0][suspend]')).toBe('0');
	});

	it('refuses reserved names, bad names and non-object JSON before sending', async () => {
		expect(
			(
				await failure(
					run({
						resource: 'webService',
						operation: 'call',
						functionName: 'core_webservice_get_site_info',
						parameters: '{"wstoken":"x"}',
					}),
				)
			).message,
		).toMatch(/must not contain "wstoken"/);
		expect(
			(
				await failure(
					run({
						resource: 'webService',
						operation: 'call',
						functionName: 'core x',
						parameters: '{}',
					}),
				)
			).message,
		).toMatch(/"functionName" must be a web-service function name/);
		expect(
			(
				await failure(
					run({ resource: 'webService', operation: 'call', functionName: 'f', parameters: '[1]' }),
				)
			).message,
		).toMatch(/"parameters" must be a JSON object/);
		expect(serverRequests()).toHaveLength(0);
	});

	it('invalid JSON, an impossible date or an oversized ID is an error naming item and field, before sending', async () => {
		const notJson = await failure(
			run({
				resource: 'webService',
				operation: 'call',
				functionName: 'core_webservice_get_site_info',
				parameters: '{"courseid": }',
			}),
		);
		expect(notJson.message).toMatch(/^Item 0: "Parameters \(JSON\)" is not valid JSON: /);
		const enrol = { resource: 'enrolment', operation: 'enrol', courseId: 4, userId: 7, roleId: 5 };
		expect(
			(await failure(run({ ...enrol, additionalFields: { timestart: 'noon-ish' } }))).message,
		).toMatch(/^Item 0: Invalid "timestart" must be a date/);
		expect(
			(await failure(run({ ...enrol, additionalFields: { timeend: '2026-02-30T00:00:00Z' } })))
				.message,
		).toMatch(/^Item 0: Invalid "timeend" must be a date/);
		expect(
			(await failure(run({ ...enrol, userId: Number.MAX_SAFE_INTEGER + 2, additionalFields: {} })))
				.message,
		).toMatch(/^Item 0: Invalid "userid" must be a Moodle ID of at most/);
		const asset = {
			resource: 'percipio',
			operation: 'importAsset',
			fullname: 'X',
			shortname: 'x-1',
			xapiActivityId: 'https://x.example/1',
			link: 'https://x.example/1',
			options: {},
		};
		expect(
			(await failure(run({ ...asset, additionalFields: { startdate: 'soon' } }))).message,
		).toMatch(/^Item 0: Invalid "startdate" must be a date/);
		expect(
			(await failure(run({ ...asset, additionalFields: { additionalMetadata: '{oops' } }))).message,
		).toMatch(/^Item 0: "Additional Metadata \(JSON\)" is not valid JSON: /);
		expect(serverRequests()).toHaveLength(0);
	});
});

describe('Moodle errors (HTTP 200 bodies) become clear NodeApiErrors, the token redacted', () => {
	const get = { resource: 'user', operation: 'get', field: 'username', value: 'ada.lovelace' };

	it('invalidtoken', async () => {
		const error = await failure(run(get, { token: 'ffffffffffffffffffffffffffffffff' }));
		expect(error.message).toBe(
			'Moodle: core_user_get_users_by_field: Invalid token - token not found (invalidtoken)',
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.description).toMatch(/Manage tokens/);
		expect(JSON.stringify(error)).not.toContain('ffffffffffffffffffffffffffffffff');
	});

	it("accessexception (function not in the token's service), with debug info when the site has debugging on", async () => {
		emulator.seed({ debug: true });
		const error = await failure(run(get, { token: MOODLE_DEMO.percipioToken }));
		expect(error.message).toBe(
			'Moodle: core_user_get_users_by_field: Access control exception (accessexception)',
		);
		expect(error.description).toMatch(/Add "core_user_get_users_by_field" to the external service/);
		expect(error.description).toMatch(
			/Moodle debug info: Access to the function core_user_get_users_by_field\(\) is not allowed/,
		);
	});

	it('servicenotavailable', async () => {
		const error = await failure(run(get, { token: MOODLE_DEMO.disabledServiceToken }));
		expect(error.message).toMatch(/\(servicenotavailable\)$/);
		expect(error.description).toMatch(/disabled or unknown/);
	});

	it('invalidparameter', async () => {
		const error = await failure(
			run({
				resource: 'webService',
				operation: 'call',
				functionName: 'core_user_get_users_by_field',
				parameters: '{"field":"shoesize","values":["42"]}',
			}),
		);
		expect(error.message).toBe(
			'Moodle: core_user_get_users_by_field: Invalid parameter value detected (invalidparameter)',
		);
		expect(error.description).toMatch(/rejected a parameter/);
	});

	it('a generic code gets the generic hint', async () => {
		const error = await failure(
			run({
				resource: 'webService',
				operation: 'call',
				functionName: 'core_made_up_function',
				parameters: '{}',
			}),
		);
		expect(error.message).toMatch(/\(invalidrecord\)$/);
	});

	it('an HTML page (wrong Site URL: a sign-on portal answering 200) is a clear error, not a JSON crash', async () => {
		const error = await failure(run(get, { site: `${siteUrl}/sso` }));
		expect(error.message).toBe(
			'Moodle: this URL did not answer like a Moodle web-service endpoint',
		);
		expect(error.description).toMatch(/Check the Site URL/);
	});

	it('XML (the format parameter lost on the way) is not parsed as a result either', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 200,
			count: 1,
			match: { provider: 'moodle' },
			body: '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n<MULTIPLE>\n</MULTIPLE>\n</RESPONSE>\n',
		});
		const error = await failure(run(get));
		expect(error.message).toBe(
			'Moodle: this URL did not answer like a Moodle web-service endpoint',
		);
	});

	it("a plugin error sent with HTTP 422 keeps Moodle's own message", async () => {
		const error = await failure(
			run({
				resource: 'percipio',
				operation: 'trackProgress',
				moodleUserId: 3,
				courseShortname: MOODLE_DEMO.percipioContentId,
				completionState: 1,
				options: { extraData: '{"completionstate": 9}' },
			}),
		);
		expect(error.message).toBe('Moodle: Error writing to database (dmlwriteexception)');
		expect((error as unknown as { httpCode?: string }).httpCode).toBe('422');
		expect(sandbox.ledger.writes('moodle', 'progress').total).toBe(0);
	});

	it('an HTML 404 (a path that is not a Moodle site) says the same', async () => {
		const error = await failure(run(get, { site: `${siteUrl}/not-moodle` }));
		expect(error.message).toBe(
			'Moodle: this URL did not answer like a Moodle web-service endpoint',
		);
		expect((error as unknown as { httpCode?: string }).httpCode).toBe('404');
	});

	it('Continue On Fail: an error item per failed input, the others go through; no secret in the output', async () => {
		const items = [{ v: 'ada.lovelace' }, { v: '' }, { v: 'alan.turing' }];
		const { output } = await run({}, {
			items,
			continueOnFail: true,
			parameters: (i: number) => ({ requestOptions: FAST, ...get, value: items[i].v }),
		} as never);
		expect(output.map((o) => [o.pairedItem, o.json.username ?? o.json.error])).toEqual([
			[{ item: 0 }, 'ada.lovelace'],
			[{ item: 1 }, 'Item 1: Invalid "value" must contain at least one value'],
			[{ item: 2 }, 'alan.turing'],
		]);
		const wrongToken = await run(get, {
			token: 'deadbeefdeadbeefdeadbeefdeadbeef',
			continueOnFail: true,
		});
		expect(wrongToken.output[0].json.error).toMatch(/invalidtoken/);
		expect(JSON.stringify(wrongToken.output)).not.toContain('deadbeefdeadbeefdeadbeefdeadbeef');
	});
});

describe("The emulator is faithful to Moodle's REST server", () => {
	const endpoint = () => `${siteUrl}/webservice/rest/server.php`;

	it('answers XML when moodlewsrestformat is missing, JSON with it; query parameters work too', async () => {
		const xml = await fetch(
			`${endpoint()}?wstoken=${MOODLE_DEMO.token}&wsfunction=core_user_get_users_by_field&field=id&values[0]=3`,
		);
		expect(xml.headers.get('content-type')).toMatch(/xml/);
		const text = await xml.text();
		expect(text).toMatch(
			/^<\?xml version="1.0" encoding="UTF-8" \?>\n<RESPONSE>\n<MULTIPLE>\n<SINGLE>\n<KEY name="id"><VALUE>3<\/VALUE>/,
		);
		const jsonAnswer = await fetch(
			`${endpoint()}?wstoken=${MOODLE_DEMO.token}&wsfunction=core_user_get_users_by_field&field=id&values[0]=3&moodlewsrestformat=json`,
		);
		expect(((await jsonAnswer.json()) as IDataObject[])[0]).toMatchObject({ id: 3 });
	});

	it('errors are HTTP 200, as JSON or as an XML EXCEPTION', async () => {
		const bad = await fetch(endpoint(), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'wstoken=nope&wsfunction=core_webservice_get_site_info&moodlewsrestformat=json',
		});
		expect(bad.status).toBe(200);
		expect(await bad.json()).toEqual({
			exception: 'moodle_exception',
			errorcode: 'invalidtoken',
			message: 'Invalid token - token not found',
		});
		const xml = await fetch(endpoint(), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'wstoken=nope&wsfunction=core_webservice_get_site_info',
		});
		expect(await xml.text()).toContain(
			'<EXCEPTION class="moodle_exception">\n<ERRORCODE>invalidtoken</ERRORCODE>',
		);
	});

	it('ignores a JSON body, as PHP does (so the token in it is not seen)', async () => {
		const res = await fetch(`${endpoint()}?moodlewsrestformat=json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				wstoken: MOODLE_DEMO.token,
				wsfunction: 'core_webservice_get_site_info',
			}),
		});
		expect(await res.json()).toMatchObject({ errorcode: 'invalidtoken' });
	});
});
