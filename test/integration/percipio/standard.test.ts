import type { IDataObject } from 'n8n-workflow';

import type { PercipioEmulator } from '../../sandbox/providers/percipio';
import type { Sandbox } from '../../sandbox/server';
import {
	ORG,
	PERCIPIO_DEMO,
	PERCIPIO_SANDBOX,
	apiCalls,
	resetAll,
	run,
	startPercipioSandbox,
} from './helpers';

let sandbox: Sandbox;
let emulator: PercipioEmulator;

beforeAll(async () => {
	({ sandbox, emulator } = await startPercipioSandbox());
});
afterAll(async () => await sandbox.close());
beforeEach(() => resetAll(sandbox));

const USERS = `/user-management/v1/organizations/${ORG}/users`;
const REPORTS = `/reporting/v1/organizations/${ORG}/report-requests`;
const waitFor = async (check: () => boolean) => {
	while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('User', () => {
	test('Get Many walks offset/max pages to x-total-count, one item per user', async () => {
		// the demo organization has 5 users; add 2 more
		emulator.seed({
			users: [
				{ externalUserId: 'emp-2001', loginName: 'mary.jackson' },
				{ externalUserId: 'emp-2002', loginName: 'dorothy.vaughan' },
			],
		});
		const { output } = await run(sandbox, {
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
			options: { pageSize: 3 },
		});
		expect(output).toHaveLength(7);
		expect(new Set(output.map((o) => o.json.externalUserId)).size).toBe(7);
		expect(output.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(apiCalls(sandbox)).toEqual([
			`GET ${USERS}?offset=0&max=3 200`,
			`GET ${USERS}?offset=3&max=3 200`,
			`GET ${USERS}?offset=6&max=3 200`,
		]);
	});

	test('a limit stops the requests; updatedSince is passed through', async () => {
		const { output } = await run(sandbox, {
			resource: 'user',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
			options: { updatedSince: '2026-01-01T00:00:00Z' },
		});
		expect(output).toHaveLength(2);
		expect(apiCalls(sandbox)).toEqual([
			`GET ${USERS}?updatedSince=2026-01-01T00%3A00%3A00Z&offset=0&max=2 200`,
		]);
	});

	test('Get by external user ID, login name and Percipio ID; a path value stays one encoded segment', async () => {
		const byExt = await run(sandbox, {
			resource: 'user',
			operation: 'get',
			lookupBy: 'externalUserId',
			lookupValue: 'emp-1002',
		});
		expect(byExt.output[0].json).toMatchObject({
			externalUserId: 'emp-1002',
			loginName: 'alan.turing',
			firstName: 'Alan',
		});
		const byLogin = await run(sandbox, {
			resource: 'user',
			operation: 'get',
			lookupBy: 'loginName',
			lookupValue: 'grace.hopper',
		});
		const byId = await run(sandbox, {
			resource: 'user',
			operation: 'get',
			lookupBy: 'id',
			lookupValue: byLogin.output[0].json.id as string,
		});
		expect(byId.output[0].json.externalUserId).toBe('emp-1003');
		const byEmail = await run(sandbox, {
			resource: 'user',
			operation: 'get',
			lookupBy: 'loginNameOrEmail',
			lookupValue: 'Katherine.Johnson@example.com',
		});
		expect(byEmail.output[0].json.externalUserId).toBe('emp-1004');
		expect(apiCalls(sandbox).at(-1)).toBe(
			`GET ${USERS}/login-name-or-email/Katherine.Johnson%40example.com 200`,
		);
		const sneaky = await run(
			sandbox,
			{
				resource: 'user',
				operation: 'get',
				lookupBy: 'loginName',
				lookupValue: '../../users?max=1',
			},
			{ continueOnFail: true },
		);
		expect(sneaky.output[0].json).toMatchObject({
			error: "Skillsoft Percipio: User not found: loginName '../../users?max=1'",
			httpCode: '404',
		});
		expect(apiCalls(sandbox).pop()).toBe(`GET ${USERS}/login-name/..%2F..%2Fusers%3Fmax%3D1 404`);
	});

	test('Create sends the fields; a 409 says the user exists; a create whose answer was lost is recovered, not duplicated', async () => {
		const params = (ext: string): IDataObject => ({
			resource: 'user',
			operation: 'create',
			externalUserId: ext,
			additionalFields: {
				email: 'new.hire@example.com',
				firstName: 'New',
				lastName: 'Hire',
				role: 'LEARNER',
				customAttributes: { attribute: [{ name: 'Department', value: 'Sales' }] },
			},
		});
		const created = await run(sandbox, params('emp-3001'));
		expect(created.output[0].json).toMatchObject({
			externalUserId: 'emp-3001',
			email: 'new.hire@example.com',
			customAttributes: [{ name: 'Department', value: 'Sales' }],
			id: expect.any(String),
		});
		const again = await run(sandbox, params('emp-3001'), { continueOnFail: true });
		expect(again.output[0].json).toMatchObject({
			error: "Skillsoft Percipio: A user with externalUserId 'emp-3001' already exists",
			httpCode: '409',
		});

		sandbox.faults.add({
			match: { provider: 'percipio', method: 'POST', path: '/users$' },
			kind: 'reset-after',
			count: 1,
		});
		const recovered = await run(sandbox, params('emp-3002'));
		expect(recovered.output[0].json).toMatchObject({ externalUserId: 'emp-3002' });
		expect(apiCalls(sandbox).slice(-2)).toEqual([
			`POST ${USERS} 201`,
			`GET ${USERS}/external-user-id/emp-3002 200`,
		]);
		expect(sandbox.ledger.writes('percipio', 'user')).toMatchObject({ unique: 2, duplicates: [] });
	});

	test('Create or Update upserts by external user ID (PATCH), validates fields first', async () => {
		const up = (first: string): IDataObject => ({
			resource: 'user',
			operation: 'upsert',
			externalUserId: 'emp-4001',
			additionalFields: { firstName: first, loginName: 'katie.bouman' },
		});
		await run(sandbox, up('Katie'));
		const second = await run(sandbox, up('Katherine'));
		expect(second.output[0].json).toMatchObject({
			externalUserId: 'emp-4001',
			firstName: 'Katherine',
		});
		expect(apiCalls(sandbox)).toEqual([
			`PATCH ${USERS}/external-user-id/emp-4001 201`,
			`PATCH ${USERS}/external-user-id/emp-4001 200`,
		]);
		expect(sandbox.ledger.writes('percipio', 'user')).toMatchObject({ total: 1, updates: 1 });
		const bad = await run(
			sandbox,
			{
				resource: 'user',
				operation: 'upsert',
				externalUserId: 'emp-4002',
				additionalFields: { email: 'not-an-email', role: 'BOSS' },
			},
			{ continueOnFail: true },
		);
		expect(bad.output[0].json.error).toBe('Item 0: Invalid "email" must be an email address');
		expect(bad.output[0].json.description).toMatch(/"role" must be one of LEARNER, ADMIN/);
		expect(apiCalls(sandbox)).toHaveLength(2);
	});
});

describe('Catalog Content', () => {
	test('every page after the first asks for the same snapshot (pagingRequestId); changes during the walk do not shift pages', async () => {
		// Page 2 waits at the sandbox; meanwhile a new item is published. The snapshot must not show it.
		sandbox.faults.add({
			match: { provider: 'percipio', path: '/catalog-content$' },
			kind: 'latency',
			latencyMs: 300,
			skip: 1,
			count: 1,
		});
		const publisher = (async () => {
			await waitFor(
				() => sandbox.ledger.requests({ provider: 'percipio', host: 'api' }).length >= 1,
			);
			emulator.seed({ catalog: [{ id: 'late-arrival', title: 'Published mid-walk' }] });
		})();
		const { output } = await run(sandbox, {
			resource: 'catalogContent',
			operation: 'getAll',
			returnAll: true,
			options: { pageSize: 5 },
		});
		await publisher;
		expect(output).toHaveLength(12);
		expect(new Set(output.map((o) => o.json.id)).size).toBe(12);
		expect(output.some((o) => o.json.id === 'late-arrival')).toBe(false);
		// Pages after the first go out in parallel (Request Options → Concurrency): by offset, not arrival.
		const calls = sandbox.ledger
			.requests({ provider: 'percipio', host: 'api' })
			.map((r) => new URLSearchParams(r.query))
			.sort((a, b) => Number(a.get('offset')) - Number(b.get('offset')));
		expect(calls.map((q) => [q.get('offset'), q.get('max')])).toEqual([
			['0', '5'],
			['5', '5'],
			['10', '5'],
		]);
		const snapshot = calls[1].get('pagingRequestId');
		expect(snapshot).toMatch(/^[0-9a-f-]{36}$/);
		expect(calls[0].get('pagingRequestId')).toBeNull();
		expect(calls[2].get('pagingRequestId')).toBe(snapshot);
		// A fresh walk sees the new item.
		const later = await run(sandbox, {
			resource: 'catalogContent',
			operation: 'getAll',
			returnAll: true,
		});
		expect(later.output).toHaveLength(13);
	});

	test('updatedSince filters; a 429 mid-walk is waited out', async () => {
		sandbox.faults.add({
			match: { provider: 'percipio', path: '/catalog-content$' },
			kind: 'status',
			status: 429,
			retryAfter: 0,
			skip: 1,
			count: 1,
		});
		const { output } = await run(sandbox, {
			resource: 'catalogContent',
			operation: 'getAll',
			returnAll: true,
			options: { pageSize: 2, updatedSince: '2026-09-08T00:00:00Z' },
		});
		expect(output.map((o) => (o.json.localizedMetadata as IDataObject[])[0].title)).toEqual([
			'Deep Work',
			'Agile Project Management',
			'Running Better Meetings',
			'Inclusive Leadership',
			'Kubernetes in Practice',
		]);
		expect(apiCalls(sandbox).map((c) => c.split(' ').pop())).toEqual(['200', '429', '200', '200']);
	});
});

describe('Learning Activity Report', () => {
	const report = (over: IDataObject = {}, options: IDataObject = {}): IDataObject => ({
		resource: 'report',
		operation: 'learningActivity',
		period: 'timeFrame',
		timeFrame: 'THIRTY_DAYS',
		filters: {},
		options: { pollIntervalSeconds: 0.05, maxWaitMinutes: 0.05, ...options },
		...over,
	});

	test('requests the report, polls the same URL without caching until the rows arrive, one item per row', async () => {
		emulator.seed({ reportPolls: 3 });
		const { output, requests } = await run(sandbox, report());
		expect(output).toHaveLength(6);
		expect(output[0].json).toMatchObject({
			userId: 'ada.lovelace',
			contentTitle: 'Leading Remote Teams',
			status: 'Completed',
		});
		const calls = apiCalls(sandbox);
		expect(calls[0]).toBe(`POST ${REPORTS}/learning-activity 200`);
		const id = [...emulator.reports.keys()][0];
		expect(calls.slice(1)).toEqual(Array(4).fill(`GET ${REPORTS}/${id} 200`));
		const polls = requests.filter((r) => r.method === 'GET');
		expect(polls.every((r) => (r.headers as IDataObject)['Cache-Control'] === 'no-cache')).toBe(
			true,
		);
		expect(
			requests.find((r) => r.method === 'POST' && String(r.url).endsWith('/learning-activity'))
				?.body,
		).toEqual({ timeFrame: 'THIRTY_DAYS', formatType: 'JSON' });
	});

	test('start/end and filters go in the body (never with timeFrame)', async () => {
		const { output, requests } = await run(
			sandbox,
			report({
				period: 'range',
				start: '2026-11-01T00:00:00Z',
				end: '2026-11-30T23:59:59Z',
				filters: {
					status: 'COMPLETED',
					contentType: 'Course',
					sortField: 'completedDate',
					sortOrder: 'asc',
				},
			}),
		);
		expect(
			requests.find((r) => r.method === 'POST' && String(r.url).endsWith('/learning-activity'))
				?.body,
		).toEqual({
			start: '2026-11-01T00:00:00.000Z',
			end: '2026-11-30T23:59:59.000Z',
			status: 'COMPLETED',
			contentType: 'Course',
			sort: { field: 'completedDate', order: 'asc' },
			formatType: 'JSON',
		});
		expect(output.length).toBeGreaterThan(0);
		expect(
			output.every((o) => o.json.status === 'Completed' && o.json.contentType === 'Course'),
		).toBe(true);
	});

	test('a failed report and a report that is never ready are clear errors; bad periods are refused before sending', async () => {
		emulator.seed({ reportOutcome: 'FAILED', reportPolls: 1 });
		const failed = (await run(sandbox, report()).catch((e) => e)) as Error;
		expect(failed.message).toMatch(
			/^Item 0: the learning activity report [0-9a-f-]{36} ended with status FAILED: Report generation ended with status FAILED$/,
		);

		emulator.seed({ reportOutcome: null, reportPolls: 1000 });
		const slow = (await run(sandbox, report({}, { maxWaitMinutes: 0.005 })).catch(
			(e) => e,
		)) as Error & { description?: string };
		expect(slow.message).toMatch(
			/^Item 0: the learning activity report ([0-9a-f-]{36}) was not ready after 0.005 min \(\d+ checks, last status IN_PROGRESS\)$/,
		);
		expect(slow.description).toMatch(/"Existing Report Request ID"/);

		const before = apiCalls(sandbox).length;
		const bad = (await run(
			sandbox,
			report({ period: 'range', start: '2026-11-30T00:00:00Z', end: '2026-11-01T00:00:00Z' }),
		).catch((e) => e)) as Error;
		expect(bad.message).toBe('Item 0: Invalid "end" must be after start');
		expect(apiCalls(sandbox)).toHaveLength(before);
	});

	test('an existing report request ID is collected without requesting a new report', async () => {
		emulator.seed({ reportPolls: 0 });
		const first = await run(sandbox, report());
		const id = [...emulator.reports.keys()][0];
		const again = await run(sandbox, report({}, { reportRequestId: id }));
		expect(again.output).toHaveLength(first.output.length);
		expect(apiCalls(sandbox, /learning-activity$/)).toHaveLength(1);
	});
});

describe('Credential modes and failures', () => {
	test('a service-account JWT is sent as the bearer; no token endpoint is called', async () => {
		const { output, requests } = await run(
			sandbox,
			{ resource: 'user', operation: 'get', lookupBy: 'externalUserId', lookupValue: 'emp-1001' },
			{
				credentials: {
					authMethod: 'serviceAccount',
					serviceAccountToken: PERCIPIO_SANDBOX.serviceAccountToken,
				},
			},
		);
		expect(output[0].json.loginName).toBe('ada.lovelace');
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(0);
		expect((requests[0].headers as IDataObject).Authorization).toBe(
			`Bearer ${PERCIPIO_SANDBOX.serviceAccountToken}`,
		);
	});

	test('a provider error that echoes the bearer token or the secret shows neither', async () => {
		const jwt = PERCIPIO_SANDBOX.serviceAccountToken;
		sandbox.faults.add({
			match: { provider: 'percipio', host: 'api' },
			kind: 'status',
			status: 400,
			body: {
				message: `Bad request from Bearer ${jwt}`,
				errors: [{ message: `token ${jwt} secret ${PERCIPIO_DEMO.clientSecret}` }],
			},
			count: 1,
		});
		const { output } = await run(
			sandbox,
			{ resource: 'user', operation: 'get', lookupBy: 'externalUserId', lookupValue: 'emp-1001' },
			{
				credentials: { authMethod: 'serviceAccount', serviceAccountToken: jwt },
				continueOnFail: true,
			},
		);
		const text = JSON.stringify(output);
		expect(output[0].json.error).toBe('Skillsoft Percipio: Bad request from Bearer [redacted]');
		expect(output[0].json.httpCode).toBe('400');
		expect(text).not.toContain(jwt);
		expect(text).not.toContain(jwt.split('.')[1]);
		expect(text).not.toContain(PERCIPIO_DEMO.clientSecret);
	});

	test('a token persisted by n8n for the same fields is reused; one for other fields is not', async () => {
		const token = sandbox
			.tokens('percipio')
			.issue({ clientId: PERCIPIO_DEMO.clientId, lifetimeSeconds: 3600 }).accessToken;
		const { percipioTokenKey } = await import('../../../nodes/Percipio/transport/token');
		const fields = {
			tokenUrl: `${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
			clientId: PERCIPIO_DEMO.clientId,
			clientSecret: PERCIPIO_DEMO.clientSecret,
			scope: PERCIPIO_DEMO.scope,
		};
		const persisted = {
			accessToken: token,
			issuedAt: String(Date.now()),
			expiresAt: String(Date.now() + 3_600_000),
		};
		await run(
			sandbox,
			{ resource: 'user', operation: 'getAll', limit: 1 },
			{ credentials: { ...persisted, issuedFor: percipioTokenKey(fields) } },
		);
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(0);
		resetAll(sandbox);
		await run(
			sandbox,
			{ resource: 'user', operation: 'getAll', limit: 1 },
			{ credentials: { ...persisted, issuedFor: 'issued-for-another-client' } },
		);
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(1);
	});

	test('a wrong secret is a clear error naming the credential, with no secret anywhere; a bad organization ID sends nothing', async () => {
		const wrong = 'definitely-wrong-secret-42';
		const error = (await run(
			sandbox,
			{ resource: 'user', operation: 'getAll', limit: 1 },
			{ credentials: { clientSecret: wrong } },
		).catch((e) => e)) as Error & { description?: string; context?: unknown };
		expect(error.message).toBe(
			'Skillsoft Percipio: could not get an access token with the credential "Test percipioApi": the token endpoint answered HTTP 401: invalid_client: Client authentication failed',
		);
		expect(
			JSON.stringify({ m: error.message, d: error.description, c: error.context }),
		).not.toContain(wrong);
		expect(apiCalls(sandbox)).toEqual([]);

		const org = (await run(
			sandbox,
			{ resource: 'user', operation: 'getAll', limit: 1 },
			{ credentials: { organizationId: 'not-a-uuid' } },
		).catch((e) => e)) as Error;
		expect(org.message).toBe(
			'Skillsoft Percipio credential: "Organization ID" must be a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 (got "not-a-uuid")',
		);
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(1);
	});
});
