import { LearnLinkApi } from '../../../credentials/LearnLinkApi.credentials';
import type { Sandbox } from '../../sandbox/server';
import type { LearnLinkEmulator } from '../../sandbox/providers/learnlink';
import { runPreAuthentication } from '../../support/n8nContext';
import { LEARNLINK_DEMO, credentialsFor, resetAll, run, startLearnLinkSandbox } from './helpers';

let sandbox: Sandbox;
let emulator: LearnLinkEmulator;

beforeAll(async () => {
	({ sandbox, emulator } = await startLearnLinkSandbox());
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => resetAll(sandbox));

const userId = (ref: string) => [...emulator.users.values()].find((u) => u.ref === ref)!.id;
const publicRequests = (path: RegExp) =>
	sandbox.ledger.requests({ provider: 'learnlink', host: 'public', path });

describe('credential against the emulator', () => {
	it('preAuthentication mints one token per host at /oauth2/token/{tenantId}', async () => {
		const out = await runPreAuthentication(LearnLinkApi, credentialsFor(sandbox));
		const tokenCalls = sandbox.ledger.requests({
			provider: 'learnlink',
			path: /^\/oauth2\/token\//,
		});
		expect(tokenCalls.map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`)).toEqual([
			`public POST /oauth2/token/${LEARNLINK_DEMO.tenantId} 200`,
			`users POST /oauth2/token/${LEARNLINK_DEMO.tenantId} 200`,
		]);
		expect(out.accessToken).toMatch(/\S{8,}/);
		expect(out.usersAccessToken).toMatch(/\S{8,}/);
		expect(out.usersAccessToken).not.toBe(out.accessToken);
		// A public-API token is refused on the users API, and the other way round.
		expect(sandbox.context('learnlink').tokens.verify(String(out.accessToken)).ok).toBe(true);
	});

	it('a wrong secret fails with Thrive’s message and never shows the secret', async () => {
		const error = await runPreAuthentication(
			LearnLinkApi,
			credentialsFor(sandbox, { apiSecret: 'wrong-secret-value' }),
		).catch((e: Error) => e);
		expect((error as Error).message).toMatch(
			/^Learn\.link \(Thrive\): the token endpoint answered HTTP 401: Invalid client credentials\. Thrive did not accept the client\. Check the Tenant ID/,
		);
		expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
	});

	it('a public-API token is refused by the users API (one token per host)', async () => {
		const out = await runPreAuthentication(LearnLinkApi, credentialsFor(sandbox));
		const post = (token: unknown) =>
			fetch(`${sandbox.urlFor('learnlink', 'users')}/webhooks`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${String(token)}` },
				body: JSON.stringify({
					id: 'evt-x',
					timestamp: '2026-11-23T10:00:00Z',
					eventType: 'user_updated',
					content: { user: { ref: 'emp-1001', jobTitle: 'CTO' } },
				}),
			});
		const wrongHost = await post(out.accessToken);
		expect(wrongHost.status).toBe(401);
		expect(await wrongHost.json()).toMatchObject({
			message: 'This access token was issued for the public API, not this one',
		});
		expect((await post(out.usersAccessToken)).status).toBe(202);
	});

	it('the emulator rejects a scope of the other API, as the real token endpoint would', async () => {
		const res = await fetch(
			`${sandbox.urlFor('learnlink', 'public')}/oauth2/token/${LEARNLINK_DEMO.tenantId}`,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					authorization: `Basic ${Buffer.from(`${LEARNLINK_DEMO.tenantId}:${LEARNLINK_DEMO.apiSecret}`).toString('base64')}`,
				},
				body: 'grant_type=client_credentials&scope=api/webhooks',
			},
		);
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ status: 400, error: 'Bad Request' });
	});
});

describe('users', () => {
	it('lists every user page by page (perPage 1000) and one item per record', async () => {
		emulator.seed({
			users: Array.from({ length: 2100 }, (_, i) => ({
				ref: `bulk-${i}`,
				firstName: 'B',
				lastName: `${i}`,
				email: `b${i}@example.com`,
			})),
		});
		const { output } = await run(sandbox, {
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
		});
		expect(output).toHaveLength(2105);
		expect(output[0].json).toMatchObject({ ref: 'emp-1001', firstName: 'Ada' });
		expect(output.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(publicRequests(/^\/rest\/v1\/users$/).map((r) => r.query)).toEqual([
			'page=1&perPage=1000',
			'page=2&perPage=1000',
			'page=3&perPage=1000',
		]);
	});

	it('a limit below the page size is one small request', async () => {
		const { output } = await run(sandbox, {
			resource: 'user',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
		});
		expect(output.map((o) => o.json.ref)).toEqual(['emp-1001', 'emp-1002']);
		expect(publicRequests(/^\/rest\/v1\/users$/).map((r) => r.query)).toEqual(['page=1&perPage=2']);
	});

	it('gets by id and by ref; a hostile ref stays one encoded path segment', async () => {
		const id = userId('emp-1002');
		const byId = await run(sandbox, { resource: 'user', operation: 'get', by: 'id', userId: id });
		const byRef = await run(sandbox, {
			resource: 'user',
			operation: 'get',
			by: 'ref',
			ref: 'emp-1003',
		});
		expect(byId.output[0].json).toMatchObject({ id, ref: 'emp-1002' });
		expect(byRef.output[0].json).toMatchObject({ ref: 'emp-1003', lastName: 'Turing' });
		const hostile = await run(
			sandbox,
			{ resource: 'user', operation: 'get', by: 'ref', ref: '../../users' },
			{ continueOnFail: true },
		);
		expect(hostile.output[0].json.error).toMatch(/404|not found/i);
		expect(hostile.requests.at(-1)!.url).toMatch(/\/rest\/v1\/users\/ref\/\.\.%2F\.\.%2Fusers$/);
	});

	it('Get takes an overridden route, and refuses one without its placeholder', async () => {
		const ok = await run(sandbox, {
			resource: 'user',
			operation: 'get',
			by: 'ref',
			ref: 'emp-1001',
			options: { path: '/users/ref/{ref}' },
		});
		expect(ok.output[0].json.ref).toBe('emp-1001');
		const bad = await run(
			sandbox,
			{
				resource: 'user',
				operation: 'get',
				by: 'ref',
				ref: 'emp-1001',
				options: { path: '/users/by-ref' },
			},
			{ continueOnFail: true },
		);
		expect(bad.output[0].json.error).toBe(
			'Item 0: Invalid "path" must contain the {userId} or {ref} placeholder',
		);
		expect(bad.requests).toHaveLength(0);
	});

	it('creates a user once; a second create is a 409 error, or "alreadyExists" when asked', async () => {
		const params = {
			resource: 'user',
			operation: 'create',
			ref: 'emp-2001',
			firstName: 'Mary',
			lastName: 'Jackson',
			email: 'mary.jackson@example.com',
			additionalFields: { jobTitle: 'Engineer', role: 'learner' },
		};
		const first = await run(sandbox, params);
		expect(first.output[0].json).toMatchObject({
			result: 'created',
			status: 'active',
			ref: 'emp-2001',
			jobTitle: 'Engineer',
		});
		await expect(run(sandbox, params)).rejects.toThrow(/already exists/);
		const skipped = await run(sandbox, { ...params, options: { ifExists: 'skip' } });
		expect(skipped.output[0].json).toEqual({ result: 'alreadyExists', ref: 'emp-2001' });
		expect(sandbox.ledger.writeCount('learnlink', 'user', 'emp-2001')).toBe(1);
		expect(
			first.requests.find((r) => r.method === 'POST' && /\/rest\/v2\/users$/.test(r.url))?.body,
		).toMatchObject({ ref: 'emp-2001', email: 'mary.jackson@example.com', jobTitle: 'Engineer' });
	});

	it('a create whose answer is lost is recovered by ref lookup, never sent twice', async () => {
		sandbox.faults.add({
			match: { provider: 'learnlink', method: 'POST', path: '^/rest/v2/users$' },
			kind: 'reset-after',
			count: 1,
		});
		const { output } = await run(sandbox, {
			resource: 'user',
			operation: 'create',
			ref: 'emp-2002',
			firstName: 'Dorothy',
			lastName: 'Vaughan',
			email: 'dv@example.com',
		});
		expect(output[0].json).toMatchObject({ result: 'created', ref: 'emp-2002' });
		expect(sandbox.ledger.writeCount('learnlink', 'user', 'emp-2002')).toBe(1);
		expect(publicRequests(/^\/rest\/v2\/users$/)).toHaveLength(1);
		expect(publicRequests(/^\/rest\/v1\/users\/ref\/emp-2002$/)).toHaveLength(1);
	});

	it('validates before sending: a missing email (login by email) is an error item and no request', async () => {
		const { output, requests } = await run(
			sandbox,
			{ resource: 'user', operation: 'create', ref: 'x', firstName: 'A', lastName: 'B', email: '' },
			{ continueOnFail: true },
		);
		expect(output[0].json.error).toBe(
			'Item 0: Invalid "email" is required unless Login Method is Reference',
		);
		expect(requests).toHaveLength(0);
	});

	it('updates and suspends by ref (PATCH on /rest/v2)', async () => {
		const upd = await run(sandbox, {
			resource: 'user',
			operation: 'update',
			ref: 'emp-1004',
			updateFields: { jobTitle: 'Mathematician' },
		});
		expect(upd.output[0].json).toMatchObject({
			result: 'updated',
			ref: 'emp-1004',
			jobTitle: 'Mathematician',
		});
		const sus = await run(sandbox, {
			resource: 'user',
			operation: 'suspend',
			ref: 'emp-1004',
			endDate: '2026-12-31',
		});
		expect(sus.output[0].json).toMatchObject({
			result: 'suspended',
			status: 'suspended',
			ref: 'emp-1004',
			endDate: '2026-12-31',
		});
		expect(emulator.users.get(userId('emp-1004'))).toMatchObject({
			status: 'suspended',
			jobTitle: 'Mathematician',
		});
		expect(sandbox.ledger.writes('learnlink', 'user').updates).toBe(2);
	});
});

describe('user lifecycle events', () => {
	const item = {
		resource: 'userEvent',
		operation: 'send',
		eventType: 'user_joined',
		ref: 'emp-3001',
		email: 'new.starter@example.com',
		firstName: 'New',
		lastName: 'Starter',
		additionalFields: { timeZone: 'Europe/London', languageCode: 'en-gb' },
	};

	it('posts the documented envelope to the users host with its own token', async () => {
		const { output } = await run(sandbox, item);
		const expectedId = String(output[0].json.id);
		expect(expectedId).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(output[0].json).toMatchObject({
			status: 'sent',
			eventType: 'user_joined',
			ref: 'emp-3001',
		});
		const event = emulator.events.get(expectedId)!;
		expect(event).toMatchObject({
			id: expectedId,
			eventType: 'user_joined',
			content: { user: { ref: 'emp-3001', timeZone: 'Europe/London' } },
		});
		expect(new Date(String(event.timestamp)).toISOString()).toBe(event.timestamp);
		const tokens = sandbox.ledger.requests({ provider: 'learnlink', path: /^\/oauth2\/token\// });
		expect(tokens.map((t) => t.host)).toEqual(['users']);
		expect([...emulator.users.values()].find((u) => u.ref === 'emp-3001')).toMatchObject({
			status: 'active',
			email: 'new.starter@example.com',
		});
	});

	it('a resend after a dropped connection carries the same id and is applied once', async () => {
		sandbox.faults.add({
			match: { provider: 'learnlink', host: 'users', method: 'POST', path: '^/webhooks$' },
			kind: 'reset-after',
			count: 1,
		});
		const { output } = await run(sandbox, item);
		const id = String(output[0].json.id);
		expect(output[0].json.status).toBe('sent');
		expect(
			sandbox.ledger.requests({ provider: 'learnlink', host: 'users', path: /^\/webhooks$/ }),
		).toHaveLength(2);
		expect(emulator.duplicateEvents).toEqual([id]);
		expect(sandbox.ledger.writeCount('learnlink', 'lifecycle-event', id)).toBe(1);
		// A re-run of the workflow is a new send: a new event, applied again (its effect sets a state).
		const again = await run(sandbox, item);
		expect(again.output[0].json.id).not.toBe(id);
		expect(emulator.duplicateEvents).toEqual([id]);
	});

	const lifecycle = (eventType: string, extra: object = {}) => ({ ...item, eventType, ...extra });
	const userRef = (ref: string) => [...emulator.users.values()].find((u) => u.ref === ref)!;
	const sentIds = () =>
		sandbox.ledger.requests({ provider: 'learnlink', host: 'users', path: /^\/webhooks$/ }).length;

	it('join → suspend → join in one run: three distinct events, all applied, the learner ends active', async () => {
		const steps = ['user_joined', 'user_suspended', 'user_joined'];
		const { output } = await run(sandbox, (i) => lifecycle(steps[i]), { items: [{}, {}, {}] });
		const ids = output.map((o) => String(o.json.id));
		expect(new Set(ids).size).toBe(3);
		expect(emulator.duplicateEvents).toEqual([]);
		expect(ids.map((id) => emulator.events.get(id)?.eventType)).toEqual(steps);
		expect(userRef('emp-3001').status).toBe('active');
	});

	it('join → suspend → join over three runs (a nightly sync): no event is dropped as a repeat', async () => {
		const statuses: string[] = [];
		for (const step of ['user_joined', 'user_suspended', 'user_joined']) {
			const { output } = await run(sandbox, lifecycle(step));
			expect(output[0].json.status).toBe('sent');
			statuses.push(userRef('emp-3001').status);
		}
		expect(statuses).toEqual(['active', 'suspended', 'active']);
		expect(emulator.events.size).toBe(3);
		expect(emulator.duplicateEvents).toEqual([]);
	});

	it('an update that sets a value back (A → B → A) lands every time', async () => {
		await run(sandbox, item);
		const titles: string[] = [];
		for (const jobTitle of ['Analyst', 'Manager', 'Analyst']) {
			await run(
				sandbox,
				lifecycle('user_updated', { additionalFields: { ...item.additionalFields, jobTitle } }),
			);
			titles.push(String(userRef('emp-3001').jobTitle));
		}
		expect(titles).toEqual(['Analyst', 'Manager', 'Analyst']);
		expect(emulator.duplicateEvents).toEqual([]);
		expect(sentIds()).toBe(4);
	});

	it('A → B → A as items of one run, each resent once after a dropped connection: three events, no duplicate applied', async () => {
		await run(sandbox, item);
		sandbox.faults.add({
			match: { provider: 'learnlink', host: 'users', method: 'POST', path: '^/webhooks$' },
			kind: 'reset-after',
			count: 3,
		});
		const titles = ['Analyst', 'Manager', 'Analyst'];
		const { output } = await run(
			sandbox,
			(i) => lifecycle('user_updated', { additionalFields: { jobTitle: titles[i] } }),
			{ items: [{}, {}, {}] },
		);
		const ids = output.map((o) => String(o.json.id));
		expect(new Set(ids).size).toBe(3);
		for (const id of ids)
			expect(sandbox.ledger.writeCount('learnlink', 'lifecycle-event', id)).toBe(1);
		expect(emulator.duplicateEvents.sort()).toEqual([...ids].sort());
	});

	it('a user-supplied Event ID is sent as given: the same ID again is the same event', async () => {
		const withId = lifecycle('user_joined', { options: { eventId: 'hr-change-42' } });
		expect((await run(sandbox, withId)).output[0].json.id).toBe('hr-change-42');
		expect((await run(sandbox, withId)).output[0].json.id).toBe('hr-change-42');
		expect(emulator.duplicateEvents).toEqual(['hr-change-42']);
	});

	it('one token per host: public and users tokens are separate and each reused', async () => {
		await run(sandbox, item, { items: [{}, {}] });
		await run(
			sandbox,
			{ resource: 'user', operation: 'getAll', returnAll: false, limit: 1 },
			{ items: [{}, {}, {}] },
		);
		const tokens = sandbox.ledger.requests({ provider: 'learnlink', path: /^\/oauth2\/token\// });
		expect(tokens.map((t) => t.host).sort()).toEqual(['public', 'users']);
	});
});

describe('completions', () => {
	it('creates, then treats "already exists" as success (idempotent by user, content, time)', async () => {
		const params = {
			resource: 'completion',
			operation: 'create',
			userId: userId('emp-1004'),
			contentId: 'cnt-102',
			completedAt: '2026-11-20T10:00:00Z',
		};
		const first = await run(sandbox, params);
		const second = await run(sandbox, { ...params, completedAt: '2026-11-20T10:00:00.000Z' });
		expect(first.output[0].json).toMatchObject({
			status: 'created',
			userId: userId('emp-1004'),
			contentId: 'cnt-102',
			completedAt: '2026-11-20T10:00:00.000Z',
		});
		expect(second.output[0].json).toMatchObject({
			status: 'alreadyExists',
			message: 'Completion already exists',
			statementId: first.output[0].json.statementId,
		});
		expect(sandbox.ledger.writes('learnlink', 'completion')).toMatchObject({
			total: 1,
			duplicates: [],
		});
	});

	it('a connection dropped after the write landed is resent and reported as already there, never duplicated', async () => {
		sandbox.faults.add({
			match: { provider: 'learnlink', method: 'POST', path: '^/rest/v1/learning/completions$' },
			kind: 'reset-after',
			count: 1,
		});
		const { output } = await run(sandbox, {
			resource: 'completion',
			operation: 'create',
			userId: userId('emp-1005'),
			contentId: 'cnt-104',
			completedAt: '2026-11-21T08:00:00Z',
		});
		expect(output[0].json.status).toBe('alreadyExists');
		expect(sandbox.ledger.writes('learnlink', 'completion')).toMatchObject({
			total: 1,
			updates: 1,
			duplicates: [],
		});
	});

	it('bad items become error items without a request, good ones go through (Continue On Fail)', async () => {
		const rows = [
			{ userId: userId('emp-1001'), contentId: 'cnt-104', completedAt: '2026-11-22T08:00:00Z' },
			{ userId: userId('emp-1001'), contentId: 'cnt-104', completedAt: 'yesterday-ish' },
			{ userId: '', contentId: 'cnt-104', completedAt: '2026-11-22T08:00:00Z' },
		];
		const { output } = await run(
			sandbox,
			(i) => ({ resource: 'completion', operation: 'create', ...rows[i] }),
			{ items: [{}, {}, {}], continueOnFail: true },
		);
		expect(output.map((o) => o.json.status ?? o.json.error)).toEqual([
			'created',
			'Item 1: Invalid "completedAt" must be a date and time (ISO 8601)',
			'Item 2: Invalid "userId" must not be empty',
		]);
		expect(output.map((o) => (o.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
		expect(publicRequests(/^\/rest\/v1\/learning\/completions$/)).toHaveLength(1);
	});

	it('lists with filters (bare-array answers, paged until a short page)', async () => {
		const { output } = await run(sandbox, {
			resource: 'completion',
			operation: 'getAll',
			returnAll: true,
			filters: {
				contentId: 'cnt-101',
				completedDateRangeStart: '2026-11-01T00:00:00Z',
				completedDateRangeEnd: '2026-11-30T00:00:00Z',
			},
		});
		expect(output.map((o) => o.json.userId)).toEqual([userId('emp-1001'), userId('emp-1002')]);
		const [req] = publicRequests(/^\/rest\/v1\/learning\/completions$/);
		expect(new URLSearchParams(req.query).get('completedDateRangeStart')).toBe(
			'2026-11-01T00:00:00.000Z',
		);
		expect(new URLSearchParams(req.query).get('contentId')).toBe('cnt-101');
	});
});

describe('content and activity', () => {
	it('lists content updated since a time, and gets one', async () => {
		const list = await run(sandbox, {
			resource: 'content',
			operation: 'getAll',
			returnAll: true,
			filters: { updatedSince: '2026-11-05T00:00:00Z' },
		});
		expect(list.output.map((o) => o.json.id)).toEqual(['cnt-103', 'cnt-104']);
		const one = await run(sandbox, { resource: 'content', operation: 'get', contentId: 'cnt-102' });
		expect(one.output[0].json).toMatchObject({
			id: 'cnt-102',
			title: 'Giving Feedback That Lands',
		});
	});

	it('lists activity in a time range, sending Thrive’s YYYY-MM-DD hh:mm:ss form', async () => {
		const { output } = await run(sandbox, {
			resource: 'activity',
			operation: 'getAll',
			returnAll: true,
			timestampFrom: '2026-11-10T09:15:00.000Z',
			timestampTo: '2026-11-30T00:00:00Z',
			filters: { actions: 'completed' },
		});
		expect(output.map((o) => o.json.id)).toEqual(['act-2', 'act-3']);
		const q = new URLSearchParams(publicRequests(/^\/rest\/v1\/activities$/)[0].query);
		expect(q.get('timestampFrom')).toBe('2026-11-10 09:15:00');
		expect(q.get('actions')).toBe('completed');
	});
});

describe('audiences', () => {
	it('a 207 partial success becomes one item per user, failures with Thrive’s reason', async () => {
		const { output } = await run(sandbox, {
			resource: 'audience',
			operation: 'addMembers',
			audienceId: 'aud-new',
			users: 'grace.hopper@example.com, emp-1004\nnobody@example.com',
		});
		expect(
			output.map((o) => [
				o.json.reference,
				o.json.success,
				o.json.reason ?? null,
				o.json.httpStatus,
			]),
		).toEqual([
			['grace.hopper@example.com', true, null, 207],
			['emp-1004', true, null, 207],
			['nobody@example.com', false, 'User not found', 207],
		]);
		expect(emulator.audiences.get('aud-new')!.members).toEqual([
			userId('emp-1002'),
			userId('emp-1004'),
		]);
	});

	it('adds more than 100 users in batches of 100, one result per user', async () => {
		emulator.seed({
			users: Array.from({ length: 150 }, (_, i) => ({
				ref: `aud-${i}`,
				firstName: 'A',
				lastName: `${i}`,
				email: `aud${i}@example.com`,
			})),
		});
		const users = Array.from({ length: 150 }, (_, i) => `aud-${i}`);
		const { output, requests } = await run(sandbox, {
			resource: 'audience',
			operation: 'addMembers',
			audienceId: 'engineering',
			users,
		});
		expect(output).toHaveLength(150);
		expect(
			output.every((o) => o.json.success === true && o.json.audienceId === 'engineering'),
		).toBe(true);
		const posts = requests.filter(
			(r) => r.method === 'POST' && /\/audiences\/engineering\/members$/.test(r.url),
		);
		expect(posts.map((r) => (r.body as string[]).length)).toEqual([100, 50]);
		expect(emulator.audiences.get('aud-eng')!.members).toHaveLength(152);
	});

	it('replace refuses an empty list before sending anything', async () => {
		const { output, requests } = await run(
			sandbox,
			{ resource: 'audience', operation: 'replaceMembers', audienceId: 'aud-eng', users: ' , ' },
			{ continueOnFail: true },
		);
		expect(output[0].json.error).toBe('Item 0: Invalid "users" must name at least one user');
		expect(requests).toHaveLength(0);
	});

	it('replaces the membership and lists audiences', async () => {
		const rep = await run(sandbox, {
			resource: 'audience',
			operation: 'replaceMembers',
			audienceId: 'aud-eng',
			users: ['emp-1005'],
		});
		expect(rep.output).toHaveLength(1);
		expect(rep.output[0].json).toMatchObject({
			reference: 'emp-1005',
			success: true,
			httpStatus: 200,
			operation: 'replace',
		});
		const list = await run(sandbox, { resource: 'audience', operation: 'getAll', returnAll: true });
		expect(list.output.map((o) => [o.json.id, o.json.memberCount])).toEqual([
			['aud-eng', 1],
			['aud-new', 0],
		]);
	});
});

describe('transport behaviour', () => {
	it('waits out a 429 (Retry-After) and succeeds', async () => {
		sandbox.faults.add({
			match: { provider: 'learnlink', host: 'public', path: '^/rest/v1/contents$' },
			kind: 'status',
			status: 429,
			retryAfter: 0,
			count: 2,
		});
		const { output } = await run(sandbox, {
			resource: 'content',
			operation: 'getAll',
			returnAll: true,
		});
		expect(output).toHaveLength(4);
		expect(publicRequests(/^\/rest\/v1\/contents$/).map((r) => r.status)).toEqual([429, 429, 200]);
	});

	it('an expired token is renewed once and the request resent', async () => {
		await run(sandbox, { resource: 'content', operation: 'get', contentId: 'cnt-101' });
		sandbox.tokens.expireAll('learnlink');
		const { output } = await run(sandbox, {
			resource: 'content',
			operation: 'get',
			contentId: 'cnt-101',
		});
		expect(output[0].json.id).toBe('cnt-101');
		expect(publicRequests(/^\/rest\/v1\/contents\/cnt-101$/).map((r) => r.status)).toEqual([
			200, 401, 200,
		]);
		expect(sandbox.ledger.tokenRequests('learnlink')).toBe(2);
	});

	it('HTTP Basic mode sends no token request and works on both hosts', async () => {
		const credentials = { authentication: 'basic' };
		await run(
			sandbox,
			{ resource: 'user', operation: 'getAll', returnAll: false, limit: 1 },
			{ credentials },
		);
		const { output } = await run(
			sandbox,
			{
				resource: 'userEvent',
				operation: 'send',
				eventType: 'user_updated',
				ref: 'emp-1001',
				options: { eventId: 'evt-basic-1' },
			},
			{ credentials },
		);
		expect(output[0].json).toMatchObject({ id: 'evt-basic-1', status: 'sent' });
		expect(sandbox.ledger.tokenRequests('learnlink')).toBe(0);
	});

	it('errors carry Thrive’s message and no secret; a bad tenant id is caught before any request', async () => {
		const wrong = await run(
			sandbox,
			{ resource: 'content', operation: 'get', contentId: 'nope' },
			{ continueOnFail: true },
		);
		expect(wrong.output[0].json.error).toBe('Learn.link (Thrive): Content not found');
		const denied = await run(
			sandbox,
			{ resource: 'user', operation: 'getAll', returnAll: true },
			{
				continueOnFail: true,
				credentials: { authentication: 'basic', apiSecret: 'not-the-secret' },
			},
		);
		expect(JSON.stringify(denied.output)).not.toContain('not-the-secret');
		expect(denied.output[0].json.error).toMatch(/Invalid credentials/);
		await expect(
			run(
				sandbox,
				{ resource: 'user', operation: 'getAll', returnAll: true },
				{ credentials: { tenantId: 'acme' } },
			),
		).rejects.toThrow(/Validate Tenant ID Format/);
		expect(
			sandbox.ledger
				.requests({ provider: 'learnlink' })
				.filter((r) => r.status === 0 || r.path.includes('acme')),
		).toHaveLength(0);
	});
});
