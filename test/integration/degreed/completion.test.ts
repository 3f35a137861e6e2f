import type { IDataObject } from 'n8n-workflow';

import { Degreed } from '../../../nodes/Degreed/Degreed.node';
import { runNode } from '../../support/n8nContext';
import { fastRequests, resetDegreed, startDegreed } from './helpers';
import type { DegreedSandbox } from './helpers';

let env: DegreedSandbox;
beforeAll(async () => {
	env = await startDegreed();
});
afterAll(async () => await env.sandbox.close());
beforeEach(() => resetDegreed(env));

const createParams = (overrides: IDataObject = {}) => ({
	resource: 'completion',
	operation: 'create',
	userId: 'jane.doe@acme.example',
	userIdentifierType: 'Email',
	contentId: 'course-privacy-101',
	contentIdType: 'externalId',
	contentType: 'Course',
	completedAt: '2026-06-01T10:30:00Z',
	additionalFields: { percentile: 92 },
	requestOptions: fastRequests,
	...overrides,
});

describe('Degreed completions against the sandbox', () => {
	it('create sends a JSON:API body with kebab-case attributes and returns a plain item', async () => {
		const { output, requests } = await runNode(Degreed, {
			parameters: createParams(),
			credentials: env.credentials(),
		});
		const post = requests.find(
			(r) => r.method === 'POST' && String(r.url).endsWith('/api/v2/completions'),
		);
		expect(post?.body).toEqual({
			data: {
				attributes: {
					'user-id': 'jane.doe@acme.example',
					'user-identifier-type': 'Email',
					'content-id': 'course-privacy-101',
					'content-id-type': 'externalId',
					'content-type': 'Course',
					'completed-at': '2026-06-01T10:30:00Z',
					percentile: 92,
				},
			},
		});
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			type: 'completions',
			userId: 'U1',
			contentId: 'C1',
			externalId: 'course-privacy-101',
			completedAt: '2026-06-01T10:30:00Z',
			percentile: 92,
		});
		expect(output[0].json.data).toBeUndefined();
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(env.sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
			total: 1,
			unique: 1,
			duplicates: [],
		});
		// The token request went to the OAuth host with the comma-delimited scopes.
		expect(env.sandbox.ledger.tokenRequests('degreed')).toBe(1);
	});

	it('get, update, list and delete a completion', async () => {
		const creds = env.credentials();
		const got = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'get',
				completionId: 'K3',
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(got.output[0].json).toMatchObject({
			id: 'K3',
			userId: 'U3',
			contentId: 'C3',
			percentile: 82,
		});

		const updated = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'update',
				completionId: 'K3',
				updateFields: { percentile: 55, completedAt: '2026-05-02T08:00:00' },
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		const patch = updated.requests.find((r) => r.method === 'PATCH');
		expect(patch?.body).toEqual({
			data: {
				type: 'completions',
				id: 'K3',
				attributes: { percentile: 55, 'completed-at': '2026-05-02T08:00:00Z' },
			},
		});
		expect(updated.output[0].json).toMatchObject({
			id: 'K3',
			percentile: 55,
			completedAt: '2026-05-02T08:00:00Z',
		});

		const listed = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'getAll',
				returnAll: true,
				options: { pageSize: 3, startDate: '2026-05-01' },
				filters: {},
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(listed.output.map((o) => o.json.id)).toEqual([
			'K1',
			'K2',
			'K3',
			'K4',
			'K5',
			'K6',
			'K7',
			'K8',
			'K9',
			'K10',
		]);
		// Cursor paging: 10 records at 3 per page is 4 requests, the later ones following links.next.
		const pages = env.sandbox.ledger.requests({
			provider: 'degreed',
			method: 'GET',
			path: '^/api/v2/completions$',
		});
		expect(pages).toHaveLength(4);
		expect(pages[0].query).toContain('filter%5Bstart_date%5D=2026-05-01');
		expect(pages.slice(1).every((p) => /next=/.test(p.query))).toBe(true);

		const forUser = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'getAll',
				returnAll: true,
				options: { userId: 'U1' },
				filters: {},
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(forUser.output.map((o) => o.json.id)).toEqual(['K1', 'K7']);
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', path: '^/api/v2/users/U1/completions$' }),
		).toHaveLength(1);

		const limited = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'getAll',
				returnAll: false,
				limit: 4,
				options: {},
				filters: {},
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(limited.output).toHaveLength(4);

		const deleted = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'delete',
				completionId: 'K3',
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(deleted.output[0].json).toEqual({ id: 'K3', deleted: true });
		expect(env.emulator.completions.has('K3')).toBe(false);
	});

	it('a create whose answer is lost (connection reset after the write) is looked up, not sent twice', async () => {
		env.sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'degreed', method: 'POST', path: '^/api/v2/completions$' },
		});
		const { output } = await runNode(Degreed, {
			parameters: createParams(),
			credentials: env.credentials(),
		});
		expect(output[0].json).toMatchObject({
			userId: 'U1',
			contentId: 'C1',
			completedAt: '2026-06-01T10:30:00Z',
		});
		expect(output[0].json.error).toBeUndefined();
		const writes = env.sandbox.ledger.writes('degreed', 'completion');
		expect(writes.total).toBe(1);
		expect(writes.duplicates).toEqual([]);
		// One POST (reset), then the look-up GET; no second POST.
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', method: 'POST', path: 'completions' }),
		).toHaveLength(1);
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', method: 'GET', path: 'completions' })[0]
				.query,
		).toContain('filter%5Bstart_date%5D=2026-06-01');
	});

	it('a 503 on create is resent only after the look-up found nothing; the emulator would have shown a duplicate otherwise', async () => {
		env.sandbox.faults.add({
			kind: 'status',
			status: 503,
			retryAfter: 0,
			count: 1,
			match: { provider: 'degreed', method: 'POST', path: '^/api/v2/completions$' },
		});
		const { output } = await runNode(Degreed, {
			parameters: createParams(),
			credentials: env.credentials(),
		});
		expect(output[0].json.userId).toBe('U1');
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', method: 'POST', path: 'completions' }),
		).toHaveLength(2);
		expect(env.sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
			total: 1,
			duplicates: [],
		});
	});

	it('with Duplicate Check off, an ambiguous failure is an error and nothing is resent', async () => {
		env.sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'degreed', method: 'POST', path: '^/api/v2/completions$' },
		});
		const { output } = await runNode(Degreed, {
			parameters: createParams({ additionalFields: { duplicateCheck: false } }),
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(String(output[0].json.error)).toMatch(
			/^Degreed: the connection to 127\.0\.0\.1:\d+ failed/,
		);
		expect(String(output[0].json.description)).toMatch(/not sent again/);
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', method: 'POST', path: 'completions' }),
		).toHaveLength(1);
	});

	it('a delete whose answer is lost is confirmed by a 404, not reported as "not found"', async () => {
		env.sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'degreed', method: 'DELETE' },
		});
		const { output } = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'delete',
				completionId: 'K2',
				requestOptions: fastRequests,
			},
			credentials: env.credentials(),
		});
		expect(output[0].json).toEqual({ id: 'K2', deleted: true });
		expect(env.sandbox.ledger.requests({ provider: 'degreed', method: 'DELETE' })).toHaveLength(1);
	});

	it('invalid input is refused before anything is sent, naming the item and field; Continue On Fail gives an error item', async () => {
		const params = (i: number) =>
			createParams(i === 1 ? { userId: '  ' } : i === 2 ? { completedAt: 'yesterday-ish' } : {});
		await expect(
			runNode(Degreed, { parameters: params, items: [{}, {}, {}], credentials: env.credentials() }),
		).rejects.toThrow(/^Item 1: Invalid "userId" must not be empty/);
		// Item 0 was valid and may have gone out; item 2 was never reached.
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', method: 'POST', path: 'completions' })
				.length,
		).toBeLessThanOrEqual(1);

		resetDegreed(env);
		const { output } = await runNode(Degreed, {
			parameters: (i) => createParams(i === 0 ? { additionalFields: { percentile: 140 } } : {}),
			items: [{}, {}],
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(String(output[0].json.error)).toMatch(/^Item 0: Invalid "percentile"/);
		expect(output[1].json.userId).toBe('U1');
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', method: 'POST', path: 'completions' }),
		).toHaveLength(1);
	});

	it("Degreed's own error reaches the user: unknown learner → 400 with Degreed's detail", async () => {
		const { output } = await runNode(Degreed, {
			parameters: createParams({ userId: 'ghost@acme.example' }),
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.error).toBe(
			'Degreed: Bad Request Invalid user identifier: ghost@acme.example (data.attributes.user-id)',
		);
		expect(output[0].json.httpCode).toBe('400');
	});

	it('a token expired mid-run (401) is replaced once and the run completes without duplicates', async () => {
		env.emulator.onApiRequest = (n) => {
			if (n === 6) env.sandbox.tokens.expireAll('degreed');
		};
		const items = Array.from({ length: 12 }, (_, n) => ({ n }));
		const { output } = await runNode(Degreed, {
			parameters: (i) =>
				createParams({
					completedAt: `2026-06-02T10:${String(i).padStart(2, '0')}:00Z`,
					requestOptions: { ...fastRequests, concurrency: 1 },
				}),
			items,
			credentials: env.credentials(),
		});
		expect(output).toHaveLength(12);
		expect(output.every((o) => o.json.userId === 'U1' && o.json.error === undefined)).toBe(true);
		expect(env.sandbox.ledger.requestCount('degreed', 'api', 401)).toBe(1);
		expect(env.sandbox.ledger.tokenRequests('degreed')).toBe(2);
		expect(env.sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
			total: 12,
			unique: 12,
			duplicates: [],
		});
	});

	it('errors never carry the client secret or the token', async () => {
		const { output } = await runNode(Degreed, {
			parameters: createParams({ contentId: 'nope' }),
			credentials: env.credentials(),
			continueOnFail: true,
		});
		const text = JSON.stringify(output);
		expect(text).toContain('Invalid content identifier: nope');
		expect(text).not.toContain('sandbox-degreed-secret');
		const token = env.sandbox.ledger.tokenRequests('degreed');
		expect(token).toBe(1);
		expect(text).not.toMatch(/Bearer [A-Za-z0-9]/);
	});
});

describe('Degreed completion create when the completion already exists (409)', () => {
	const completionCount = () => env.sandbox.ledger.writes('degreed', 'completion').total;
	const lookups = () =>
		env.sandbox.ledger.requests({ provider: 'degreed', method: 'GET', path: 'completions' }).length;

	it('the emulator answers 409 for the same user, content and completion time, as Degreed documents duplicates', async () => {
		await runNode(Degreed, { parameters: createParams(), credentials: env.credentials() });
		const { output } = await runNode(Degreed, {
			parameters: createParams({ ifExists: 'error' }),
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(
			env.sandbox.ledger
				.requests({ provider: 'degreed', method: 'POST', path: 'completions' })
				.map((r) => r.status),
		).toEqual([201, 409]);
		expect(String(output[0].json.error)).toContain('already exists');
		env.emulator.duplicateCompletions = 'create';
		await runNode(Degreed, { parameters: createParams(), credentials: env.credentials() });
		expect(env.sandbox.ledger.writes('degreed', 'completion').duplicates).toHaveLength(1);
	});

	it('by default a re-run of a nightly sync succeeds: "alreadyExists" with the sent fields, no extra request, one record', async () => {
		const first = await runNode(Degreed, {
			parameters: createParams(),
			credentials: env.credentials(),
		});
		expect(first.output[0].json.status).toBeUndefined();
		const again = await runNode(Degreed, {
			parameters: createParams(),
			credentials: env.credentials(),
		});
		expect(again.output[0].json).toMatchObject({
			status: 'alreadyExists',
			userId: 'jane.doe@acme.example',
			contentId: 'course-privacy-101',
			completedAt: '2026-06-01T10:30:00Z',
			percentile: 92,
		});
		expect(again.output[0].json.error).toBeUndefined();
		expect(completionCount()).toBe(1);
		expect(lookups()).toBe(0);
	});

	it('"Treat as Success" chosen explicitly behaves the same for every item of a batch', async () => {
		await runNode(Degreed, { parameters: createParams(), credentials: env.credentials() });
		const { output } = await runNode(Degreed, {
			parameters: createParams({ ifExists: 'success' }),
			items: [{}, {}],
			credentials: env.credentials(),
		});
		expect(output.map((o) => o.json.status)).toEqual(['alreadyExists', 'alreadyExists']);
		expect(completionCount()).toBe(1);
	});

	it('"Return It" looks the existing completion up and returns it', async () => {
		const first = await runNode(Degreed, {
			parameters: createParams(),
			credentials: env.credentials(),
		});
		const { output } = await runNode(Degreed, {
			parameters: createParams({ ifExists: 'returnExisting' }),
			credentials: env.credentials(),
		});
		expect(output[0].json).toMatchObject({
			id: first.output[0].json.id,
			type: 'completions',
			userId: 'U1',
			contentId: 'C1',
			status: 'alreadyExists',
		});
		expect(lookups()).toBe(1);
		expect(completionCount()).toBe(1);
	});

	it('"Fail" reports it as an error naming the completion and the choice that accepts it', async () => {
		await runNode(Degreed, { parameters: createParams(), credentials: env.credentials() });
		await expect(
			runNode(Degreed, {
				parameters: createParams({ ifExists: 'error' }),
				credentials: env.credentials(),
			}),
		).rejects.toThrow(
			/completion of "course-privacy-101" by "jane\.doe@acme\.example" at 2026-06-01T10:30:00Z already exists/,
		);
		const { output } = await runNode(Degreed, {
			parameters: createParams({ ifExists: 'error' }),
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(String(output[0].json.description)).toContain('If Completion Exists');
	});

	it('a legitimate repeat (the same course completed again later) is a new completion, never absorbed as a duplicate', async () => {
		await runNode(Degreed, { parameters: createParams(), credentials: env.credentials() });
		const { output } = await runNode(Degreed, {
			parameters: createParams({ completedAt: '2026-09-01T08:00:00Z' }),
			credentials: env.credentials(),
		});
		expect(output[0].json.status).toBeUndefined();
		expect(output[0].json.completedAt).toBe('2026-09-01T08:00:00Z');
		expect(env.sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
			total: 2,
			unique: 2,
			duplicates: [],
		});
	});
});

describe('Degreed completions from auto-mapped items', () => {
	const autoMap = (extra: IDataObject = {}) => ({
		resource: 'completion',
		operation: 'create',
		inputMode: 'autoMap',
		additionalFields: {},
		requestOptions: fastRequests,
		...extra,
	});

	it("sends each item's own fields (camelCase or kebab-case, numbers for ids), with the documented defaults", async () => {
		const items = [
			{
				userId: 'jane.doe@acme.example',
				contentId: 'course-privacy-101',
				completedAt: '2026-06-03T09:00:00Z',
				percentile: 88,
				unrelated: 'ignored',
			},
			{
				'user-id': 'jane.doe@acme.example',
				'content-id': 'course-privacy-101',
				'completed-at': '2026-06-03T10:00:00',
				'content-type': 'Course',
			},
		];
		const { output, requests } = await runNode(Degreed, {
			parameters: autoMap(),
			items,
			credentials: env.credentials(),
		});
		const posts = requests.filter(
			(r) => r.method === 'POST' && String(r.url).endsWith('/api/v2/completions'),
		);
		expect(posts.map((p) => p.body)).toEqual([
			{
				data: {
					attributes: {
						'user-id': 'jane.doe@acme.example',
						'user-identifier-type': 'Email',
						'content-id': 'course-privacy-101',
						'content-id-type': 'externalId',
						'content-type': 'Course',
						'completed-at': '2026-06-03T09:00:00Z',
						percentile: 88,
					},
				},
			},
			{
				data: {
					attributes: {
						'user-id': 'jane.doe@acme.example',
						'user-identifier-type': 'Email',
						'content-id': 'course-privacy-101',
						'content-id-type': 'externalId',
						'content-type': 'Course',
						'completed-at': '2026-06-03T10:00:00Z',
					},
				},
			},
		]);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(env.sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
			total: 2,
			unique: 2,
			duplicates: [],
		});
	});

	it('an item missing a field is refused by name, nothing is sent for it; Continue On Fail keeps the others', async () => {
		const items = [
			{
				userId: 'jane.doe@acme.example',
				contentId: 'course-privacy-101',
				completedAt: '2026-06-04T09:00:00Z',
			},
			{ userId: 'jane.doe@acme.example', completedAt: '2026-06-04T10:00:00Z' },
			{
				userId: 'jane.doe@acme.example',
				contentId: 'course-privacy-101',
				completedAt: 'soon',
				contentType: 'Webinar',
			},
		];
		const { output } = await runNode(Degreed, {
			parameters: autoMap(),
			items,
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.userId).toBe('U1');
		expect(String(output[1].json.error)).toMatch(/^Item 1: Invalid "contentId"/);
		expect(String(output[2].json.error)).toMatch(/^Item 2: Invalid "contentType" must be one of/);
		expect(JSON.stringify(output[2].json)).toContain('completedAt');
		expect(env.sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
			total: 1,
			unique: 1,
		});
	});
});
