import type { IDataObject } from 'n8n-workflow';

import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import type { Sandbox } from '../../sandbox/server';
import { SCORMCLOUD_DEMO, apiCalls, oauth, resetAll, run, startScormSandbox } from './helpers';

let sandbox: Sandbox;
let emulator: ScormCloudEmulator;

beforeAll(async () => {
	({ sandbox, emulator } = await startScormSandbox());
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => resetAll(sandbox));

const create = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'registration',
	operation: 'create',
	courseId: 'course-safety-101',
	registrationId: 'hr-1001-safety',
	learnerId: 'hr-1001',
	learnerFirstName: 'Mary',
	learnerLastName: 'Jackson',
	ifExists: 'returnExisting',
	postBack: {},
	additionalFields: {},
	...overrides,
});

describe('Registration → Create', () => {
	it('sends the documented body once and reports created: true', async () => {
		const { output } = await run(
			sandbox,
			create({
				postBack: {
					url: 'https://n8n.example.com/webhook/abc/postback',
					authType: 'httpbasic',
					userName: 'pb',
					password: 'pb-secret-1',
					resultsFormat: 'full',
				},
				additionalFields: { learnerEmail: 'mary@example.com', registrationTags: 'q1, onboarding' },
			}),
		);
		expect(output).toEqual([
			{
				json: {
					id: 'hr-1001-safety',
					courseId: 'course-safety-101',
					learnerId: 'hr-1001',
					created: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(apiCalls(sandbox)).toEqual(['POST /api/v2/registrations 204']);
		const reg = emulator.registrations.get('hr-1001-safety')!;
		expect(reg.learner).toEqual({
			id: 'hr-1001',
			firstName: 'Mary',
			lastName: 'Jackson',
			email: 'mary@example.com',
		});
		expect(reg.tags).toEqual(['q1', 'onboarding']);
		expect(reg.postBack).toEqual({
			url: 'https://n8n.example.com/webhook/abc/postback',
			authType: 'httpbasic',
			userName: 'pb',
			password: 'pb-secret-1',
			resultsFormat: 'full',
		});
		expect(sandbox.ledger.writes('scormcloud', 'registration')).toMatchObject({
			total: 1,
			unique: 1,
			duplicates: [],
		});
		// the postback password is not echoed in the output
		expect(JSON.stringify(output)).not.toContain('pb-secret-1');
	});

	it('a re-run with the same registration ID returns the existing registration (created: false), writing nothing twice', async () => {
		await run(sandbox, create());
		const { output } = await run(sandbox, create());
		expect(output[0].json).toMatchObject({
			id: 'hr-1001-safety',
			created: false,
			course: { id: 'course-safety-101' },
			learner: { id: 'hr-1001' },
			registrationCompletion: 'UNKNOWN',
		});
		expect(apiCalls(sandbox)).toEqual([
			'POST /api/v2/registrations 204',
			'POST /api/v2/registrations 400',
			'GET /api/v2/registrations/hr-1001-safety 200',
		]);
		expect(sandbox.ledger.writes('scormcloud', 'registration')).toMatchObject({
			total: 1,
			unique: 1,
			duplicates: [],
		});
	});

	it('"If Registration Exists: Fail" stops with a clear error, or gives an error item with Continue On Fail', async () => {
		await run(sandbox, create());
		await expect(run(sandbox, create({ ifExists: 'error' }))).rejects.toThrow(
			'registration "hr-1001-safety" already exists',
		);
		const { output } = await run(sandbox, create({ ifExists: 'error' }), { continueOnFail: true });
		expect(output[0].json.error).toContain('already exists');
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('an ID already used for another course or learner is a conflict even with "Return Existing"', async () => {
		await run(sandbox, create());
		await expect(run(sandbox, create({ courseId: 'course-privacy-201' }))).rejects.toThrow(
			'registration ID "hr-1001-safety" is already used for course "course-safety-101" and learner "hr-1001"',
		);
	});

	it('a dropped connection after the write landed is recovered by the registration ID: created once, reported created', async () => {
		sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'scormcloud', method: 'POST', path: '/registrations$' },
		});
		const { output } = await run(sandbox, create());
		expect(output[0].json).toMatchObject({ id: 'hr-1001-safety', created: true });
		expect(sandbox.ledger.writes('scormcloud', 'registration')).toMatchObject({
			total: 1,
			unique: 1,
			duplicates: [],
		});
		expect(apiCalls(sandbox)).toEqual([
			'POST /api/v2/registrations 204',
			'GET /api/v2/registrations/hr-1001-safety 200',
		]);
	});

	it('a 503 before the write: the check finds nothing, the write is sent again and lands once', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 503,
			retryAfter: 0,
			count: 1,
			match: { provider: 'scormcloud', method: 'POST', path: '/registrations$' },
		});
		const { output } = await run(sandbox, create());
		expect(output[0].json).toMatchObject({ created: true });
		expect(apiCalls(sandbox)).toEqual([
			'POST /api/v2/registrations 503',
			'GET /api/v2/registrations/hr-1001-safety 404',
			'POST /api/v2/registrations 204',
		]);
		expect(sandbox.ledger.writes('scormcloud', 'registration')).toMatchObject({
			total: 1,
			duplicates: [],
		});
	});

	it('after a 503, a registration found under the ID but for another course is reported as a conflict, not as created', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 503,
			retryAfter: 0,
			count: 1,
			match: { provider: 'scormcloud', method: 'POST', path: '/registrations$' },
		});
		await expect(
			run(
				sandbox,
				create({
					registrationId: 'reg-ada-safety-101',
					learnerId: 'learner-ada',
					courseId: 'course-privacy-201',
				}),
			),
		).rejects.toThrow(
			'registration ID "reg-ada-safety-101" is already used for course "course-safety-101"',
		);
		expect(apiCalls(sandbox)).toEqual([
			'POST /api/v2/registrations 503',
			'GET /api/v2/registrations/reg-ada-safety-101 200',
		]);
	});

	it('50 items with concurrency and 429s: every registration exactly once', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 429,
			retryAfter: 0,
			share: 0.3,
			match: { provider: 'scormcloud', method: 'POST' },
		});
		const items = Array.from({ length: 50 }, (_, i) => ({ n: i }));
		const { output } = await run(
			sandbox,
			(i) =>
				create({
					registrationId: `bulk-${i}`,
					learnerId: `learner-${i}`,
					requestOptions: { concurrency: 8, maxRetryWaitSeconds: 5, maxAttempts: 10 },
				}),
			{ items },
		);
		expect(output.map((o) => o.json.id)).toEqual(items.map((_, i) => `bulk-${i}`));
		expect(output.every((o) => o.json.created === true)).toBe(true);
		const writes = sandbox.ledger.writes('scormcloud', 'registration');
		expect(writes).toMatchObject({ total: 50, unique: 50, duplicates: [] });
		expect(sandbox.faults.list()[0].fired).toBeGreaterThan(0);
	});

	it('invalid input is refused before anything is sent, naming the item and the field', async () => {
		const items = [{}, {}];
		const params = (i: number) =>
			create({ registrationId: `ok-${i}`, postBack: i === 1 ? { url: 'not a url' } : {} });
		await expect(run(sandbox, params, { items })).rejects.toThrow(
			'Item 1: Invalid "postBack.url" must be a full URL',
		);
		const { output } = await run(
			sandbox,
			(i) => create({ registrationId: i === 0 ? '  ' : 'fine-1' }),
			{ items, continueOnFail: true },
		);
		expect(output[0].json.error).toBe(
			'Item 0: Invalid "registrationId" registration ID must not be empty',
		);
		expect(output[1].json).toMatchObject({ id: 'fine-1', created: true });
		expect(apiCalls(sandbox, /registrations$/).filter((c) => c.startsWith('POST'))).toHaveLength(2);
	});

	it('an ID with slashes cannot change the route', async () => {
		await run(sandbox, create({ registrationId: 'a/../../courses' }));
		const { output } = await run(sandbox, {
			resource: 'registration',
			operation: 'get',
			registrationId: 'a/../../courses',
			options: {},
		});
		expect(output[0].json.id).toBe('a/../../courses');
		expect(apiCalls(sandbox).at(-1)).toBe('GET /api/v2/registrations/a%2F..%2F..%2Fcourses 200');
	});
});

describe('Registration → Get, Check Exists, Delete, Reset Progress', () => {
	it('get returns progress: completion, success, score, time and dates', async () => {
		const { output } = await run(sandbox, {
			resource: 'registration',
			operation: 'get',
			registrationId: 'reg-ada-safety-101',
			options: { includeRuntime: true },
		});
		expect(output[0].json).toMatchObject({
			id: 'reg-ada-safety-101',
			registrationCompletion: 'COMPLETED',
			registrationSuccess: 'PASSED',
			score: { scaled: 92 },
			course: { id: 'course-safety-101' },
			learner: { id: 'learner-ada' },
		});
		expect(output[0].json.totalSecondsTracked).toBeGreaterThan(0);
		expect(output[0].json.completedDate).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect((output[0].json.activityDetails as IDataObject).runtime).toBeDefined();
		expect(apiCalls(sandbox)).toEqual([
			'GET /api/v2/registrations/reg-ada-safety-101?includeRuntime=true 200',
		]);
	});

	it('exists uses HEAD and answers true/false per item', async () => {
		const { output } = await run(
			sandbox,
			(i) => ({
				resource: 'registration',
				operation: 'exists',
				registrationId: i === 0 ? 'reg-ada-safety-101' : 'nope',
			}),
			{ items: [{}, {}] },
		);
		expect(output.map((o) => o.json)).toEqual([
			{ registrationId: 'reg-ada-safety-101', exists: true },
			{ registrationId: 'nope', exists: false },
		]);
		expect(apiCalls(sandbox)).toEqual([
			'HEAD /api/v2/registrations/reg-ada-safety-101 200',
			'HEAD /api/v2/registrations/nope 404',
		]);
	});

	it('reset progress clears the results; delete removes the registration', async () => {
		const reset = await run(sandbox, {
			resource: 'registration',
			operation: 'resetProgress',
			registrationId: 'reg-ada-safety-101',
		});
		expect(reset.output[0].json).toEqual({
			registrationId: 'reg-ada-safety-101',
			progressReset: true,
		});
		expect(emulator.registrations.get('reg-ada-safety-101')).toMatchObject({
			registrationCompletion: 'UNKNOWN',
			registrationSuccess: 'UNKNOWN',
			totalSecondsTracked: 0,
		});
		const del = await run(sandbox, {
			resource: 'registration',
			operation: 'delete',
			registrationId: 'reg-ada-safety-101',
		});
		expect(del.output[0].json).toEqual({ registrationId: 'reg-ada-safety-101', deleted: true });
		expect(emulator.registrations.has('reg-ada-safety-101')).toBe(false);
		expect(apiCalls(sandbox)).toEqual([
			'DELETE /api/v2/registrations/reg-ada-safety-101/progress 204',
			'DELETE /api/v2/registrations/reg-ada-safety-101 204',
		]);
	});
});

describe('Registration → Delete after a lost answer', () => {
	it('a delete whose answer is lost is confirmed by a look-up (404 = it landed), not resent into a "not found" error', async () => {
		sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: {
				provider: 'scormcloud',
				method: 'DELETE',
				path: '/registrations/reg-ada-safety-101$',
			},
		});
		const { output } = await run(sandbox, {
			resource: 'registration',
			operation: 'delete',
			registrationId: 'reg-ada-safety-101',
		});
		expect(output[0].json).toEqual({ registrationId: 'reg-ada-safety-101', deleted: true });
		expect(apiCalls(sandbox)).toEqual([
			'DELETE /api/v2/registrations/reg-ada-safety-101 204',
			'GET /api/v2/registrations/reg-ada-safety-101 404',
		]);
	});

	it('a delete that never reached SCORM Cloud is sent again after the look-up found the registration', async () => {
		sandbox.faults.add({
			kind: 'status',
			status: 503,
			retryAfter: 0,
			count: 1,
			match: {
				provider: 'scormcloud',
				method: 'DELETE',
				path: '/registrations/reg-ada-safety-101$',
			},
		});
		const { output } = await run(sandbox, {
			resource: 'registration',
			operation: 'delete',
			registrationId: 'reg-ada-safety-101',
		});
		expect(output[0].json).toEqual({ registrationId: 'reg-ada-safety-101', deleted: true });
		expect(emulator.registrations.has('reg-ada-safety-101')).toBe(false);
		expect(apiCalls(sandbox)).toEqual([
			'DELETE /api/v2/registrations/reg-ada-safety-101 503',
			'GET /api/v2/registrations/reg-ada-safety-101 200',
			'DELETE /api/v2/registrations/reg-ada-safety-101 204',
		]);
	});
});

describe('Registration → Get Many: `more` paging', () => {
	it('pages through 1,000 registrations; follow-up calls send only `more`', async () => {
		emulator.seed({ generateRegistrations: 1000 });
		const { output } = await run(sandbox, {
			resource: 'registration',
			operation: 'getAll',
			returnAll: true,
			filters: { filter: 'gen-', filterBy: 'registration_id', orderBy: 'created_asc' },
		});
		expect(output).toHaveLength(1000);
		expect(new Set(output.map((o) => o.json.id)).size).toBe(1000);
		expect(output[0].json.id).toBe('gen-00000');
		expect(output[999].json.id).toBe('gen-00999');
		const calls = sandbox.ledger.requests({
			provider: 'scormcloud',
			path: /^\/api\/v2\/registrations$/,
		});
		expect(calls).toHaveLength(10);
		expect(calls[0].query).toBe('filter=gen-&filterBy=registration_id&orderBy=created_asc');
		for (const call of calls.slice(1)) expect(call.query).toMatch(/^more=[0-9a-f]+$/);
		expect(calls.every((c) => c.status === 200)).toBe(true);
	});

	it('a limit stops the paging early', async () => {
		emulator.seed({ generateRegistrations: 250 });
		const { output } = await run(sandbox, {
			resource: 'registration',
			operation: 'getAll',
			returnAll: false,
			limit: 150,
			filters: { courseId: 'course-safety-101', since: '2026-02-01T00:00:00Z' },
		});
		expect(output).toHaveLength(150);
		const calls = apiCalls(sandbox);
		expect(calls).toHaveLength(2);
		expect(calls[0]).toBe(
			'GET /api/v2/registrations?courseId=course-safety-101&since=2026-02-01T00%3A00%3A00.000Z 200',
		);
	});

	it('filters by learner and by tags (sent comma-separated, as the official client does)', async () => {
		const byLearner = await run(sandbox, {
			resource: 'registration',
			operation: 'getAll',
			returnAll: true,
			filters: { learnerId: 'learner-grace' },
		});
		expect(byLearner.output.map((o) => o.json.id).sort()).toEqual([
			'reg-grace-leadership-301',
			'reg-grace-safety-101',
		]);
		emulator.seed({
			registrations: [
				{ id: 'tagged-1', courseId: 'course-privacy-201', learner: { id: 'l-t' }, tags: ['q3'] },
			],
		});
		const byTag = await run(sandbox, {
			resource: 'registration',
			operation: 'getAll',
			returnAll: true,
			filters: { tags: 'q3,q4' },
		});
		expect(byTag.output.map((o) => o.json.id)).toEqual(['tagged-1']);
		expect(apiCalls(sandbox).at(-1)).toBe('GET /api/v2/registrations?tags=q3%2Cq4 200');
	});

	it('the emulator refuses other parameters beside `more`, as SCORM Cloud documents', async () => {
		emulator.seed({ generateRegistrations: 150 });
		const auth = {
			authorization: `Basic ${Buffer.from(`${SCORMCLOUD_DEMO.appId}:${SCORMCLOUD_DEMO.secretKey}`).toString('base64')}`,
		};
		const first = (await (
			await fetch(`${sandbox.urlFor('scormcloud', 'cloud')}/api/v2/registrations`, {
				headers: auth,
			})
		).json()) as IDataObject;
		const res = await fetch(
			`${sandbox.urlFor('scormcloud', 'cloud')}/api/v2/registrations?more=${String(first.more)}&courseId=x`,
			{ headers: auth },
		);
		expect(res.status).toBe(400);
		expect(((await res.json()) as IDataObject).message).toContain(
			"When 'more' is given no other parameters may be sent",
		);
	});
});

describe('Registration → Get Launch Link', () => {
	it('validates the expiry (10–300 s) before sending anything', async () => {
		for (const expiry of [5, 301]) {
			await expect(
				run(sandbox, {
					resource: 'registration',
					operation: 'getLaunchLink',
					registrationId: 'reg-ada-safety-101',
					expiry,
					redirectOnExitUrl: '',
					options: {},
				}),
			).rejects.toThrow(/Invalid "expiry" must be (at least 10|at most 300) seconds/);
		}
		await expect(
			run(sandbox, {
				resource: 'registration',
				operation: 'getLaunchLink',
				registrationId: 'reg-ada-safety-101',
				expiry: 60,
				redirectOnExitUrl: 'javascript:alert(1)',
				options: {},
			}),
		).rejects.toThrow('Invalid "redirectOnExitUrl" must be an http(s) URL');
		expect(apiCalls(sandbox)).toEqual([]);
	});

	it('returns the link with its expiry time; the sandbox saw the documented body', async () => {
		const before = Date.now();
		const { output } = await run(sandbox, {
			resource: 'registration',
			operation: 'getLaunchLink',
			registrationId: 'reg-ada-safety-101',
			expiry: 60,
			redirectOnExitUrl: 'https://lms.example.com/done',
			options: { culture: 'en-US', tracking: true },
		});
		expect(output[0].json.launchLink).toMatch(
			/^http:\/\/127\.0\.0\.1:\d+\/scormcloud\/cloud\/api\/cloud\/registration\/launch\/reg-ada-safety-101\?/,
		);
		const expiresAt = Date.parse(String(output[0].json.expiresAt));
		expect(expiresAt - before).toBeGreaterThanOrEqual(60_000);
		expect(expiresAt - before).toBeLessThan(70_000);
		expect(apiCalls(sandbox)).toEqual([
			'POST /api/v2/registrations/reg-ada-safety-101/launchLink 200',
		]);
	});

	const launch = (redirectOnExitUrl: string | undefined) => ({
		resource: 'registration',
		operation: 'getLaunchLink',
		registrationId: 'reg-ada-safety-101',
		expiry: 60,
		redirectOnExitUrl,
		options: {},
	});

	it('an empty Redirect On Exit URL (the default) is sent as "": the configured redirect, not a refusal', async () => {
		const { output } = await run(sandbox, launch(''));
		expect(output[0].json.launchLink).toContain('/registration/launch/reg-ada-safety-101');
		expect(emulator.launchLinks).toEqual([
			{
				registrationId: 'reg-ada-safety-101',
				redirectOnExitUrl: '',
				exitTo: 'https://www.scorm.com',
			},
		]);
	});

	it('accepts the documented keywords closer, blank and message (any case, sent in lower case)', async () => {
		for (const keyword of ['closer', 'blank', 'message', ' Closer '])
			await run(sandbox, launch(keyword));
		expect(emulator.launchLinks.map((l) => [l.redirectOnExitUrl, l.exitTo])).toEqual([
			['closer', 'keyword:closer'],
			['blank', 'keyword:blank'],
			['message', 'keyword:message'],
			['closer', 'keyword:closer'],
		]);
	});

	it('anything else must be an absolute http(s) URL, checked before sending', async () => {
		for (const bad of [
			'lms.example.com/done',
			'/done',
			'https://',
			'http:// spaced.example.com',
			'ftp://lms.example.com',
			'closer-page',
			'javascript:alert(1)',
		]) {
			await expect(run(sandbox, launch(bad))).rejects.toThrow(
				'Invalid "redirectOnExitUrl" must be an http(s) URL',
			);
		}
		expect(apiCalls(sandbox)).toEqual([]);
		await run(sandbox, launch('http://lms.example.com:8080/done?course=1'));
		expect(emulator.launchLinks.map((l) => l.exitTo)).toEqual([
			'http://lms.example.com:8080/done?course=1',
		]);
	});

	it('the emulator follows the documented contract: the field is required, an invalid URL shows the message page', async () => {
		const post = async (body: object) =>
			await fetch(
				`${sandbox.urlFor('scormcloud', 'cloud')}/api/v2/registrations/reg-ada-safety-101/launchLink`,
				{
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						authorization: `Basic ${Buffer.from(`${SCORMCLOUD_DEMO.appId}:${SCORMCLOUD_DEMO.secretKey}`).toString('base64')}`,
					},
					body: JSON.stringify(body),
				},
			);
		expect((await post({ expiry: 60 })).status).toBe(400);
		expect((await post({ expiry: 60, redirectOnExitUrl: 'not a url' })).status).toBe(200);
		expect(emulator.launchLinks.map((l) => l.exitTo)).toEqual(['keyword:message']);
	});

	it('the emulator itself answers 400 for an expiry out of range', async () => {
		const res = await fetch(
			`${sandbox.urlFor('scormcloud', 'cloud')}/api/v2/registrations/reg-ada-safety-101/launchLink`,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					authorization: `Basic ${Buffer.from(`${SCORMCLOUD_DEMO.appId}:${SCORMCLOUD_DEMO.secretKey}`).toString('base64')}`,
				},
				body: JSON.stringify({ expiry: 500 }),
			},
		);
		expect(res.status).toBe(400);
	});
});

describe('Registration → Launch History and xAPI Statements', () => {
	it('lists one item per launch and per statement after the learner took the course', async () => {
		await run(sandbox, create());
		await emulator.completeRegistration('hr-1001-safety', { score: 88 });
		await emulator.completeRegistration('hr-1001-safety', { score: 95 });
		const history = await run(sandbox, {
			resource: 'registration',
			operation: 'getLaunchHistory',
			registrationId: 'hr-1001-safety',
			includeHistoryLog: true,
		});
		expect(history.output).toHaveLength(2);
		expect(history.output[1].json).toMatchObject({
			registrationId: 'hr-1001-safety',
			completionStatus: 'COMPLETED',
			score: { scaled: 95 },
		});
		expect(history.output[0].json.historyLog).toBeDefined();
		const statements = await run(sandbox, {
			resource: 'registration',
			operation: 'getXapiStatements',
			registrationId: 'hr-1001-safety',
			returnAll: true,
			filters: {},
		});
		expect(statements.output).toHaveLength(2);
		expect(statements.output[0].json).toMatchObject({
			verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
			result: { score: { scaled: 0.88 } },
		});
	});
});

describe('Registration → Get xAPI Statements: `more` paging', () => {
	it('pages through the statements sending only `more` on follow-ups, and stops at the limit', async () => {
		emulator.seed({ pageSize: 10 });
		for (let i = 0; i < 25; i++)
			await emulator.completeRegistration('reg-alan-safety-101', { score: 60 + i });
		const all = await run(sandbox, {
			resource: 'registration',
			operation: 'getXapiStatements',
			registrationId: 'reg-alan-safety-101',
			returnAll: true,
			filters: { since: '2020-01-01T00:00:00Z' },
		});
		expect(all.output).toHaveLength(25);
		expect(new Set(all.output.map((o) => o.json.id)).size).toBe(25);
		const calls = sandbox.ledger.requests({ provider: 'scormcloud', path: /xAPIStatements$/ });
		expect(calls.map((c) => c.query.split('=')[0])).toEqual(['since', 'more', 'more']);
		const some = await run(sandbox, {
			resource: 'registration',
			operation: 'getXapiStatements',
			registrationId: 'reg-alan-safety-101',
			returnAll: false,
			limit: 12,
			filters: {},
		});
		expect(some.output).toHaveLength(12);
		expect(
			sandbox.ledger.requests({ provider: 'scormcloud', path: /xAPIStatements$/ }),
		).toHaveLength(5);
	});
});

describe('errors: 401 and 404 are told apart', () => {
	it('a wrong secret: "not authorised" with where to find the App ID and key, and the secret never shown', async () => {
		const error = (await run(
			sandbox,
			{ resource: 'ping', operation: 'ping' },
			{ credentials: { secretKey: 'wrong-secret-value-42' } },
		).catch((e: unknown) => e)) as Error & { description?: string; httpCode?: string };
		expect(error.message).toBe('SCORM Cloud: not authorised (HTTP 401): Authorization Required.');
		expect(error.description).toContain('App ID and Secret Key');
		expect(error.httpCode).toBe('401');
		expect(
			JSON.stringify({
				m: error.message,
				d: error.description,
				c: (error as unknown as IDataObject).context,
			}),
		).not.toContain('wrong-secret-value-42');
	});

	it('an unknown registration: "not found", saying the credential was accepted', async () => {
		const error = (await run(sandbox, {
			resource: 'registration',
			operation: 'get',
			registrationId: 'no-such-reg',
			options: {},
		}).catch((e: unknown) => e)) as Error & { description?: string; httpCode?: string };
		expect(error.message).toBe(
			"SCORM Cloud: not found (HTTP 404): Registration 'no-such-reg' was not found",
		);
		expect(error.description).toContain('The credential was accepted');
		expect(error.httpCode).toBe('404');
	});
});

describe('OAuth credential', () => {
	it('one token for many items and operations; a new one after the token expires', async () => {
		const items = Array.from({ length: 6 }, () => ({}));
		const { output } = await run(
			sandbox,
			(i) => ({
				resource: 'registration',
				operation: 'exists',
				registrationId: `reg-${i}`,
				requestOptions: { concurrency: 6 },
			}),
			{ items, credentials: oauth(['read:registration']) },
		);
		expect(output).toHaveLength(6);
		expect(sandbox.ledger.tokenRequests('scormcloud')).toBe(1);
		const tokenCall = sandbox.ledger.requests({ provider: 'scormcloud', path: /oauth/ });
		expect(tokenCall.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
			'POST /api/v2/oauth/authenticate/application/token 200',
		]);
		sandbox.tokens.expireAll('scormcloud');
		const again = await run(
			sandbox,
			{ resource: 'registration', operation: 'exists', registrationId: 'reg-ada-safety-101' },
			{ credentials: oauth(['read:registration']) },
		);
		expect(again.output[0].json.exists).toBe(true);
		expect(sandbox.ledger.tokenRequests('scormcloud')).toBe(2);
	});

	it('a token without the needed scope gives a 403 that names the scope to add', async () => {
		const error = (await run(
			sandbox,
			{ resource: 'course', operation: 'getAll', returnAll: true, filters: {} },
			{ credentials: oauth(['read:ping']) },
		).catch((e: unknown) => e)) as Error & { description?: string };
		expect(error.message).toContain('forbidden (HTTP 403)');
		expect(error.description).toContain('add the scope');
	});
});

describe('Ping', () => {
	it('answers the API message', async () => {
		const { output } = await run(sandbox, { resource: 'ping', operation: 'ping' });
		expect(output[0].json).toMatchObject({ apiMessage: `pong ${SCORMCLOUD_DEMO.appId}` });
	});
});
