import validateStatement from '@learninglocker/xapi-validation';
import type { IDataObject } from 'n8n-workflow';

import { percipioTrackKey } from '../../sandbox/providers/percipio';
import type { PercipioEmulator } from '../../sandbox/providers/percipio';
import type { Sandbox } from '../../sandbox/server';
import {
	IX,
	ORG,
	PERCIPIO_DEMO,
	apiCalls,
	course,
	importParams,
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

const CONTENT = `${IX}/organizations/${ORG}/content`;

describe('Content Import', () => {
	test('imports one item per request with the onboarding fields, one token for all, output paired', async () => {
		const items = [course(1), course(2), course(3)];
		const { output } = await run(
			sandbox,
			importParams(items, {}, (c) => ({
				description: `About ${c.title}`,
				tags: 'leadership, remote',
				author: 'L&D',
			})),
			{ items },
		);
		expect(apiCalls(sandbox)).toEqual(Array(3).fill(`POST ${CONTENT} 200`));
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(1);
		expect(emulator.content.get('ext-course-002')).toMatchObject({
			content_id: 'ext-course-002',
			title: 'Course 2',
			type: 'COURSE',
			url: 'https://learn.example.com/courses/2',
			language: 'en',
			duration: 602,
			description: 'About Course 2',
			tags: ['leadership', 'remote'],
			author: 'L&D',
		});
		expect(output.map((o) => [o.json.content_id, o.json.status, o.pairedItem])).toEqual([
			['ext-course-001', 'CREATED', { item: 0 }],
			['ext-course-002', 'CREATED', { item: 1 }],
			['ext-course-003', 'CREATED', { item: 2 }],
		]);
		const writes = sandbox.ledger.writes('percipio', 'content');
		expect([writes.unique, writes.duplicates]).toEqual([3, []]);
	});

	test('re-importing a content_id updates it (the idempotency key), never duplicates', async () => {
		const items = [course(7)];
		await run(sandbox, importParams(items), { items });
		const { output } = await run(
			sandbox,
			importParams([course(7, { title: 'Course 7, second edition' })]),
			{ items },
		);
		expect(output[0].json).toMatchObject({ content_id: 'ext-course-007', status: 'UPDATED' });
		expect(sandbox.ledger.writes('percipio', 'content')).toMatchObject({
			total: 1,
			unique: 1,
			updates: 1,
			duplicates: [],
		});
		expect(emulator.content.get('ext-course-007')?.title).toBe('Course 7, second edition');
	});

	test('batch mode sends arrays of Batch Size, each result paired with its own item', async () => {
		const items = [1, 2, 3, 4, 5].map((n) => course(n));
		const { output, requests } = await run(
			sandbox,
			importParams(items, { sendMode: 'batch', batchSize: 2 }),
			{ items },
		);
		expect(apiCalls(sandbox)).toEqual(Array(3).fill(`POST ${CONTENT} 200`));
		const bodies = requests
			.filter((r) => String(r.url).endsWith('/content'))
			.map((r) => (r.body as IDataObject[]).map((c) => c.content_id));
		expect(bodies).toEqual([
			['ext-course-001', 'ext-course-002'],
			['ext-course-003', 'ext-course-004'],
			['ext-course-005'],
		]);
		expect(output.map((o) => [o.json.content_id, o.json.status, o.pairedItem])).toEqual(
			items.map((c, i) => [c.id, 'CREATED', { item: i }]),
		);
	});

	test('batch mode refuses items bound for another organization instead of sending them to the wrong one', async () => {
		const items = [course(1), course(2)];
		const params = importParams(items, { sendMode: 'batch' });
		const { output } = await run(
			sandbox,
			(i) => ({
				...params(i),
				options: {
					sendMode: 'batch',
					organizationId: i === 1 ? '11111111-2222-4333-8444-555555555555' : '',
				},
			}),
			{ items, continueOnFail: true },
		);
		expect(output.map((o) => o.json.error ?? o.json.status)).toEqual([
			'CREATED',
			'Item 1: In batch mode every item must use the same organization, partner and path',
		]);
		expect(apiCalls(sandbox)).toEqual([`POST ${CONTENT} 200`]);
	});

	test('bad input (missing content_id, a 1000-character description, an invalid organization UUID) stops the node before anything is sent', async () => {
		const items = [course(1), course(2, { id: '' })];
		const error = (await run(sandbox, importParams(items), { items }).catch((e) => e)) as Error & {
			description?: string;
		};
		expect(error.message).toBe(
			'Item 1: Invalid "content_id" is required: the stable ID of the item',
		);
		expect(apiCalls(sandbox)).toEqual([]);
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(0);
	});

	test('with Continue On Fail each bad item is an error item naming item and field, and only the good ones are sent', async () => {
		const items = [
			course(1),
			course(2, { id: '' }),
			course(3),
			course(4),
			course(5, { url: 'not a url' }),
		];
		const params = importParams(items, {}, (c) =>
			c.id === 'ext-course-003' ? { description: 'x'.repeat(1000) } : {},
		);
		const withBadOrg = (i: number) => ({
			...params(i),
			options: i === 3 ? { organizationId: 'acme-corp' } : {},
		});
		const { output } = await run(sandbox, withBadOrg, { items, continueOnFail: true });
		expect(output.map((o) => o.json.error ?? o.json.status)).toEqual([
			'CREATED',
			'Item 1: Invalid "content_id" is required: the stable ID of the item',
			'Item 2: Invalid "description" must be at most 500 characters (Percipio onboarding guideline)',
			'Item 3: Invalid "organizationId": must be a UUID (got "acme-corp")',
			'Item 4: Invalid "url" must be a full URL such as https://learn.example.com/item',
		]);
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(apiCalls(sandbox)).toEqual([`POST ${CONTENT} 200`]);
		expect(sandbox.ledger.writes('percipio', 'content').keys).toEqual(['ext-course-001']);
	});

	test('a path value cannot change the route: the partner name is one encoded segment', async () => {
		const items = [course(1)];
		const { output } = await run(
			sandbox,
			importParams(items, { partnerName: '../../user-management' }),
			{ items, continueOnFail: true },
		);
		expect(output[0].json.error).toMatch(/Unknown partner '\.\.\/\.\.\/user-management'|HTTP 404/);
		expect(apiCalls(sandbox)).toEqual([
			`POST /content-aggregation/v1/partners/..%2F..%2Fuser-management/organizations/${ORG}/content 404`,
		]);
	});
});

const trackParams =
	(events: IDataObject[], options: IDataObject = {}) =>
	(i: number): IDataObject => ({
		resource: 'track',
		operation: 'send',
		contentId: events[i].content,
		user: events[i].user,
		status: events[i].status ?? 'completed',
		eventDate: events[i].date,
		additionalFields: { completionPercentage: 100, durationSpent: 1800, grade: '95' },
		options,
	});
const events = [1, 2, 3, 4].map((n) => ({
	content: `ext-course-00${n}`,
	user: `learner_${n}`,
	date: `2026-11-2${n}T12:00:00Z`,
}));

describe('Track', () => {
	test('sends the snake_case payload to …/organizations/{orgId}/track by default, and to …/track without it', async () => {
		const { output } = await run(sandbox, trackParams(events.slice(0, 1)), { items: [{}] });
		await run(sandbox, trackParams(events.slice(1, 2), { includeOrganization: false }), {
			items: [{}],
		});
		expect(apiCalls(sandbox)).toEqual([
			`POST ${IX}/organizations/${ORG}/track 200`,
			`POST ${IX}/track 200`,
		]);
		expect(emulator.tracks[0].payload).toEqual({
			content_id: 'ext-course-001',
			user: 'learner_1',
			status: 'completed',
			event_date: '2026-11-21T12:00:00Z',
			completion_percentage: 100,
			duration_spent: 1800,
			grade: '95',
		});
		expect(emulator.tracks.map((t) => t.orgId)).toEqual([ORG, undefined]);
		// The key in the output is the sandbox ledger's key: the same event is recognisably the same.
		expect(output[0].json.trackKey).toBe(percipioTrackKey(emulator.tracks[0].payload));
		expect(output[0].json.response).toEqual({ status: 'ok', message: 'Track event accepted' });
	});

	test('a 429 and an expired token mid-run are absorbed: every event exactly once', async () => {
		// Request 2 gets a 429; request 4 waits 600 ms at the sandbox, and while it waits every token expires.
		sandbox.faults.add({
			match: { provider: 'percipio', method: 'POST', path: '/track$' },
			kind: 'status',
			status: 429,
			retryAfter: 0,
			skip: 1,
			count: 1,
		});
		sandbox.faults.add({
			match: { provider: 'percipio', method: 'POST', path: '/track$' },
			kind: 'latency',
			latencyMs: 600,
			skip: 3,
			count: 1,
		});
		let expired = 0;
		const watcher = (async () => {
			while (sandbox.ledger.requests({ provider: 'percipio', host: 'api' }).length < 3)
				await new Promise((r) => setTimeout(r, 5));
			expired = sandbox.tokens.expireAll('percipio');
		})();
		const { output } = await run(
			sandbox,
			(i) => ({
				...trackParams(events)(i),
				requestOptions: { concurrency: 1, maxRetryWaitSeconds: 5 },
			}),
			{ items: events.map(() => ({})) },
		);
		await watcher;
		expect(expired).toBe(1);
		expect(output.map((o) => [o.json.user, o.pairedItem])).toEqual(
			events.map((e, i) => [e.user, { item: i }]),
		);
		// Which request meets the expired token depends on when the watcher runs (request 4 on a quiet
		// machine, 5 under load): what must hold is one 429 and one 401, each absorbed by one resend.
		const statuses = sandbox.ledger
			.requests({ provider: 'percipio', host: 'api' })
			.map((r) => r.status);
		expect(statuses.slice(0, 3)).toEqual([200, 429, 200]);
		expect([...statuses].sort()).toEqual([200, 200, 200, 200, 401, 429]);
		expect(statuses[statuses.indexOf(401) + 1]).toBe(200);
		const writes = sandbox.ledger.writes('percipio', 'track');
		expect(writes).toMatchObject({ total: 4, unique: 4, duplicates: [] });
		expect(sandbox.ledger.tokenRequests('percipio')).toBe(2);
	});

	test('a connection dropped after Percipio recorded the event: not resent by default (no duplicate), resent when the option is on', async () => {
		sandbox.faults.add({
			match: { provider: 'percipio', method: 'POST', path: '/track$' },
			kind: 'reset-after',
			count: 1,
		});
		const { output } = await run(sandbox, trackParams(events.slice(0, 1)), {
			items: [{}],
			continueOnFail: true,
		});
		expect(output[0].json.error).toMatch(
			/^Skillsoft Percipio: the connection to 127\.0\.0\.1:\d+ failed$/,
		);
		expect(output[0].json.description).toMatch(
			/^ECONNRESET\. The request may have reached the provider, so it was not sent again/,
		);
		expect(sandbox.ledger.writes('percipio', 'track')).toMatchObject({ total: 1, duplicates: [] });

		resetAll(sandbox);
		sandbox.faults.add({
			match: { provider: 'percipio', method: 'POST', path: '/track$' },
			kind: 'reset-after',
			count: 1,
		});
		const resent = await run(sandbox, trackParams(events.slice(0, 1), { resendAmbiguous: true }), {
			items: [{}],
		});
		expect(resent.output[0].json.response).toEqual({
			status: 'ok',
			message: 'Track event accepted',
		});
		// The ledger detects the duplicate the resend produced: why the option is off by default.
		expect(sandbox.ledger.writes('percipio', 'track').duplicates).toHaveLength(1);
	});

	test('bad input is named per item and nothing is sent', async () => {
		const bad = [
			{ content: '', user: 'u', date: '2026-11-21T12:00:00Z' },
			{ content: 'c', user: 'u', date: 'yesterday' },
		];
		const { output } = await run(
			sandbox,
			(i) => ({
				...trackParams(bad)(i),
				additionalFields: i === 0 ? {} : { completionPercentage: 150 },
			}),
			{ items: [{}, {}], continueOnFail: true },
		);
		expect(output.map((o) => o.json.error)).toEqual([
			'Item 0: Invalid "content_id" is required: the content_id the item was imported with',
			'Item 1: Invalid "event_date" must be an ISO 8601 date-time such as 2026-02-24T12:00:00Z',
		]);
		expect(output[1].json.description).toMatch(/"completion_percentage" must be from 0 to 100/);
		expect(apiCalls(sandbox)).toEqual([]);
	});

	test('no partner name: a clear error before anything is sent', async () => {
		const error = (await run(sandbox, trackParams(events.slice(0, 1)), {
			items: [{}],
			credentials: { partnerName: '' },
		}).catch((e) => e)) as Error & { description?: string };
		expect(error.message).toBe('Item 0: The iX Studio "Partner Name" is empty');
		expect(error.description).toMatch(/Set "Partner Name" in the Percipio credential/);
		expect(apiCalls(sandbox)).toEqual([]);
	});
});

const statementParams =
	(over: IDataObject = {}) =>
	(i: number): IDataObject => ({
		resource: 'statement',
		operation: 'send',
		actorType: 'account',
		accountHomePage: 'https://acme.percipio.com',
		accountName: `learner_${i + 1}`,
		verb: i % 2 ? 'passed' : 'completed',
		activityId: `https://learn.example.com/courses/${i + 1}`,
		timestamp: `2026-11-2${i + 1}T12:00:00+01:00`,
		additionalFields: {
			activityName: `Course ${i + 1}`,
			activityType: 'http://adlnet.gov/expapi/activities/course',
			success: true,
			scoreScaled: 0.9,
			duration: 'PT1H30M',
		},
		options: {},
		...over,
	});

describe('Statements (xAPI)', () => {
	test('sends valid xAPI statements with ids derived from the item; a re-run is recognised, never duplicated', async () => {
		const first = await run(sandbox, statementParams(), { items: [{}, {}] });
		expect(apiCalls(sandbox)).toEqual(Array(2).fill(`POST ${IX}/statements 200`));
		const sent = [...emulator.statements.values()];
		for (const s of sent) {
			const statement = { ...s };
			delete statement.stored;
			expect(validateStatement(statement)).toEqual([]);
		}
		expect(sent[0]).toMatchObject({
			actor: {
				objectType: 'Agent',
				account: { homePage: 'https://acme.percipio.com', name: 'learner_1' },
			},
			verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
			object: {
				id: 'https://learn.example.com/courses/1',
				definition: { name: { 'en-US': 'Course 1' } },
			},
			result: { success: true, score: { scaled: 0.9 }, duration: 'PT1H30M' },
			timestamp: '2026-11-21T11:00:00.000Z',
		});
		expect(first.output[0].json.statementId).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		const again = await run(sandbox, statementParams(), { items: [{}, {}] });
		expect(again.output.map((o) => o.json.statementId)).toEqual(
			first.output.map((o) => o.json.statementId),
		);
		expect(sandbox.ledger.writes('percipio', 'statement')).toMatchObject({
			unique: 2,
			updates: 2,
			duplicates: [],
		});
		expect(
			first.requests
				.filter((r) => String(r.url).endsWith('/statements'))
				.map((r) => (r.headers as IDataObject)['X-Experience-API-Version']),
		).toEqual(['1.0.3', '1.0.3']);
	});

	test('a dropped connection after storing is resent safely (same id): stored once', async () => {
		sandbox.faults.add({
			match: { provider: 'percipio', method: 'POST', path: '/statements$' },
			kind: 'reset-after',
			count: 1,
		});
		const { output } = await run(
			sandbox,
			statementParams({ actorType: 'mbox', email: 'Ada@Example.com' }),
			{ items: [{}] },
		);
		expect(output[0].json).toMatchObject({ stored: true });
		expect(apiCalls(sandbox)).toEqual([`POST ${IX}/statements 200`, `POST ${IX}/statements 200`]);
		expect(sandbox.ledger.writes('percipio', 'statement')).toMatchObject({
			total: 1,
			updates: 1,
			duplicates: [],
		});
		expect([...emulator.statements.values()][0].actor).toEqual({
			objectType: 'Agent',
			mbox: 'mailto:ada@example.com',
		});
	});

	test('the same statement identity with other content is reported as a conflict, not stored twice', async () => {
		await run(sandbox, statementParams(), { items: [{}] });
		const changed = await run(
			sandbox,
			statementParams({ additionalFields: { success: true, scoreScaled: 0.5 } }),
			{ items: [{}] },
		);
		expect(changed.output[0].json).toMatchObject({
			stored: false,
			conflict: true,
			statementId: [...emulator.statements.keys()][0],
		});
		expect(apiCalls(sandbox)).toEqual([`POST ${IX}/statements 200`, `POST ${IX}/statements 409`]);
		expect(sandbox.ledger.writes('percipio', 'statement')).toMatchObject({
			total: 1,
			duplicates: [],
		});
	});

	test('invalid actor, verb or score are named per item and not sent', async () => {
		const { output } = await run(
			sandbox,
			(i) =>
				[
					statementParams({ accountHomePage: 'acme' })(0),
					statementParams({ verb: 'custom', verbId: '' })(1),
					statementParams({ additionalFields: { scoreScaled: 3 } })(2),
					statementParams({ timestamp: '' })(3),
				][i],
			{ items: [{}, {}, {}, {}], continueOnFail: true },
		);
		expect(output.map((o) => o.json.error)).toEqual([
			'Item 0: Invalid "accountHomePage" must be an IRI such as https://example.com/… (your Percipio site URL, e.g. https://yoursite.percipio.com)',
			'Item 1: Invalid "verbId" is required (the verb)',
			'Item 2: Invalid "scoreScaled" must be from -1 to 1',
			'Item 3: Invalid "timestamp" is required (when it happened)',
		]);
		expect(apiCalls(sandbox)).toEqual([]);
	});
});

test('demo organization is the one the credential uses', () => {
	expect(ORG).toBe(PERCIPIO_DEMO.orgId);
});
