import type { IDataObject } from 'n8n-workflow';

import { Degreed } from '../../../nodes/Degreed/Degreed.node';
import { runNode } from '../../support/n8nContext';
import { fastRequests, resetDegreed, startDegreed } from './helpers';
import type { DegreedSandbox } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const xapiValidate: (s: unknown) => unknown[] = require('@learninglocker/xapi-validation').default;

let env: DegreedSandbox;
beforeAll(async () => {
	env = await startDegreed();
});
afterAll(async () => await env.sandbox.close());
beforeEach(() => resetDegreed(env));

const simple = (overrides: IDataObject = {}) => ({
	resource: 'xapiStatement',
	operation: 'send',
	mode: 'fields',
	actorType: 'email',
	learnerEmail: 'jane.doe@acme.example',
	verb: 'completed',
	activityId: 'https://learn.acme.example/courses/privacy-101',
	activityName: 'Data Privacy Essentials',
	timestamp: '2026-06-01T10:30:00',
	result: { completion: true, success: true, scoreScaled: 0.92, duration: 'PT45M' },
	additionalFields: {
		learnerName: 'Jane Doe',
		activityType: 'http://adlnet.gov/expapi/activities/course',
	},
	options: {},
	requestOptions: fastRequests,
	...overrides,
});

const statementPosts = () =>
	env.sandbox.ledger.requests({ provider: 'degreed', method: 'POST', path: '^/xAPI/statements$' });

describe('Degreed xAPI statements against the sandbox', () => {
	it('builds a valid statement from simple fields, POSTs it to /xAPI/statements (outside /api/v2) and returns it with its id', async () => {
		const { output, requests } = await runNode(Degreed, {
			parameters: simple(),
			credentials: env.credentials(),
		});
		const post = requests.find((r) => r.method === 'POST' && String(r.url).includes('/xAPI/'));
		expect(String(post?.url)).toMatch(/\/degreed\/api\/xAPI\/statements$/);
		expect(post?.headers).toMatchObject({ 'X-Experience-API-Version': '1.0.3' });
		const sent = post?.body as IDataObject;
		expect(xapiValidate(sent)).toEqual([]);
		expect(sent).toEqual({
			id: output[0].json.id,
			actor: { objectType: 'Agent', name: 'Jane Doe', mbox: 'mailto:jane.doe@acme.example' },
			verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
			object: {
				objectType: 'Activity',
				id: 'https://learn.acme.example/courses/privacy-101',
				definition: {
					name: { 'en-US': 'Data Privacy Essentials' },
					type: 'http://adlnet.gov/expapi/activities/course',
				},
			},
			result: { score: { scaled: 0.92 }, completion: true, success: true, duration: 'PT45M' },
			timestamp: '2026-06-01T10:30:00Z',
		});
		expect(String(output[0].json.id)).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		// The emulator's store (validated with @learninglocker/xapi-validation) has it.
		expect(env.emulator.statements.has(String(output[0].json.id))).toBe(true);
		expect(env.sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
			total: 1,
			unique: 1,
		});
	});

	it('the statement id is derived from the item: re-sending the same items never stores them twice', async () => {
		const first = await runNode(Degreed, { parameters: simple(), credentials: env.credentials() });
		const again = await runNode(Degreed, { parameters: simple(), credentials: env.credentials() });
		expect(again.output[0].json.id).toBe(first.output[0].json.id);
		const other = await runNode(Degreed, {
			parameters: simple({ learnerEmail: 'omar.haddad@acme.example' }),
			credentials: env.credentials(),
		});
		expect(other.output[0].json.id).not.toBe(first.output[0].json.id);
		const keyed = await runNode(Degreed, {
			parameters: simple({ additionalFields: { idempotencyKey: 'reg-42' } }),
			credentials: env.credentials(),
		});
		expect(keyed.output[0].json.id).not.toBe(first.output[0].json.id);
		expect(env.sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
			total: 3,
			unique: 3,
			updates: 1,
			duplicates: [],
		});
	});

	it('without a timestamp, a later run of the same statement is a new fact (the time of sending), never dropped as a repeat', async () => {
		const first = await runNode(Degreed, {
			parameters: simple({ timestamp: '' }),
			credentials: env.credentials(),
		});
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const again = await runNode(Degreed, {
			parameters: simple({ timestamp: '' }),
			credentials: env.credentials(),
		});
		expect(first.output[0].json.timestamp).toMatch(
			/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
		);
		expect(again.output[0].json.id).not.toBe(first.output[0].json.id);
		expect(env.sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
			total: 2,
			unique: 2,
			updates: 0,
			duplicates: [],
		});
	});

	it('without a timestamp, a resend of one send keeps its id and time: stored once', async () => {
		env.sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'degreed', method: 'POST', path: '^/xAPI/statements$' },
		});
		const { output } = await runNode(Degreed, {
			parameters: simple({ timestamp: '' }),
			credentials: env.credentials(),
		});
		expect(statementPosts()).toHaveLength(2);
		expect(env.emulator.statements.get(String(output[0].json.id))?.statement).toMatchObject({
			timestamp: output[0].json.timestamp,
		});
		expect(env.sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
			total: 1,
			unique: 1,
			updates: 1,
			duplicates: [],
		});
	});

	it('a batch lost after it was stored is resent safely (the ids make it idempotent)', async () => {
		env.sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'degreed', method: 'POST', path: '^/xAPI/statements$' },
		});
		const items = Array.from({ length: 3 }, (_, n) => ({ n }));
		const { output } = await runNode(Degreed, {
			parameters: (i) => simple({ activityId: `https://learn.acme.example/a/${i}` }),
			items,
			credentials: env.credentials(),
		});
		expect(output).toHaveLength(3);
		expect(statementPosts()).toHaveLength(2);
		expect(env.sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
			total: 3,
			unique: 3,
			updates: 3,
			duplicates: [],
		});
	});

	it('sends many items in batches (Batch Size) with each result paired to its item', async () => {
		const items = Array.from({ length: 120 }, (_, n) => ({ n }));
		const { output } = await runNode(Degreed, {
			parameters: (i) =>
				simple({
					activityId: `https://learn.acme.example/courses/${i}`,
					options: { batchSize: 50 },
				}),
			items,
			credentials: env.credentials(),
		});
		expect(output).toHaveLength(120);
		expect(output.map((o) => (o.pairedItem as { item: number }).item)).toEqual(
			items.map((_, i) => i),
		);
		expect(output[77].json.object).toMatchObject({ id: 'https://learn.acme.example/courses/77' });
		expect(statementPosts()).toHaveLength(3);
		expect(env.sandbox.ledger.writes('degreed', 'statement').unique).toBe(120);
	});

	it('invalid statements are rejected before sending (the same ones @learninglocker/xapi-validation rejects); valid items still go', async () => {
		const bad: IDataObject[] = [
			{
				actor: { mbox: 'jane.doe@acme.example' },
				verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
				object: { id: 'https://x.example/1' },
			},
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'completed' },
				object: { id: 'https://x.example/1' },
			},
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
				object: { id: 'https://x.example/1' },
				result: { score: { scaled: 1.5 } },
			},
			{
				actor: { mbox: 'mailto:a@b.example', openid: 'https://id.example/a' },
				verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
				object: { id: 'https://x.example/1' },
			},
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
				object: { id: 'https://x.example/1' },
				timestamp: '01/06/2026',
			},
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
				object: { id: 'https://x.example/1' },
				result: { duration: '45 minutes' },
			},
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
				object: { id: 'https://x.example/1' },
				colour: 'red',
			},
		];
		const good = {
			actor: { mbox: 'mailto:a@b.example' },
			verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
			object: { id: 'https://x.example/1' },
		};
		for (const statement of bad) expect(xapiValidate(statement).length).toBeGreaterThan(0);
		expect(xapiValidate(good)).toEqual([]);

		const all = [...bad, good];
		const { output } = await runNode(Degreed, {
			parameters: (i) => ({ ...simple(), mode: 'json', statementJson: JSON.stringify(all[i]) }),
			items: all.map((_, n) => ({ n })),
			credentials: env.credentials(),
			continueOnFail: true,
		});
		const errors = output.map((o) => o.json.error as string | undefined);
		expect(
			errors
				.slice(0, bad.length)
				.every(
					(e) =>
						typeof e === 'string' &&
						/^Item \d: Invalid "statement|^Item \d: Invalid "(actor|verb|result|timestamp)/.test(e),
				),
		).toBe(true);
		expect(errors[0]).toMatch(/"actor/);
		expect(errors[2]).toMatch(/"result\.score\.scaled" number must be less than or equal to 1/);
		expect(errors[bad.length]).toBeUndefined();
		// Only the valid statement reached Degreed.
		expect(statementPosts()).toHaveLength(1);
		expect(env.emulator.statements.size).toBe(3 + 1);

		// Without Continue On Fail, one bad item stops the node before any request.
		resetDegreed(env);
		await expect(
			runNode(Degreed, {
				parameters: (i) => ({ ...simple(), mode: 'json', statementJson: JSON.stringify(all[i]) }),
				items: all.map((_, n) => ({ n })),
				credentials: env.credentials(),
			}),
		).rejects.toThrow(/^Item 0: Invalid/);
		expect(env.sandbox.ledger.requests({ provider: 'degreed' })).toHaveLength(0);
	});

	it('the emulator rejects an invalid statement that bypasses the node (the store validates too)', async () => {
		const { output } = await runNode(Degreed, {
			parameters: {
				...simple(),
				mode: 'json',
				statementJson:
					'[{"actor":{"mbox":"mailto:a@b.example"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"https://x.example/1"}}]',
			},
			credentials: env.credentials(),
		});
		expect(output).toHaveLength(1);
		// A raw POST without the node: the emulator answers 400 with Degreed's error shape.
		const token = (await (
			await fetch(`${env.sandbox.urlFor('degreed', 'oauth')}/oauth/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'grant_type=client_credentials&client_id=sandbox-degreed-client&client_secret=sandbox-degreed-secret&scope=xapi:write',
			})
		).json()) as { access_token: string };
		const res = await fetch(`${env.sandbox.urlFor('degreed', 'api')}/xAPI/statements`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${token.access_token}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify({ actor: { mbox: 'nope' }, verb: { id: 'x' }, object: { id: 'y' } }),
		});
		expect(res.status).toBe(400);
		expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0].code).toBe(
			'bad-request',
		);
	});

	it('lists statements with since/verb filters and follows `more` links', async () => {
		const items = Array.from({ length: 7 }, (_, n) => ({ n }));
		await runNode(Degreed, {
			parameters: (i) =>
				simple({
					activityId: `https://learn.acme.example/v/${i}`,
					verb: i % 2 ? 'passed' : 'completed',
				}),
			items,
			credentials: env.credentials(),
		});
		const { output } = await runNode(Degreed, {
			parameters: {
				resource: 'xapiStatement',
				operation: 'getAll',
				returnAll: true,
				options: { pageSize: 2, verb: 'completed', since: '2026-01-01T00:00:00Z', ascending: true },
				requestOptions: fastRequests,
			},
			credentials: env.credentials(),
		});
		// 4 new "completed" statements (items 0, 2, 4, 6) plus the seeded "completed" one.
		expect(output).toHaveLength(5);
		expect(
			output.every(
				(o) => (o.json.verb as IDataObject).id === 'http://adlnet.gov/expapi/verbs/completed',
			),
		).toBe(true);
		const gets = env.sandbox.ledger.requests({
			provider: 'degreed',
			method: 'GET',
			path: '^/xAPI/statements$',
		});
		expect(gets).toHaveLength(3);
		expect(decodeURIComponent(gets[0].query)).toBe(
			'limit=2&since=2026-01-01T00:00:00Z&verb=http://adlnet.gov/expapi/verbs/completed&ascending=true',
		);
		expect(gets[1].query).toMatch(/next=/);
	});
});

describe('Degreed xAPI statements from items that are statements', () => {
	it('sends each item as its statement, batched, with deterministic ids; an invalid item is refused by name', async () => {
		const statement = (n: number) => ({
			actor: { mbox: `mailto:learner${n}@acme.example` },
			verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
			object: { id: `https://learn.acme.example/courses/${n}` },
			timestamp: '2026-06-05T10:00:00',
		});
		const items = [
			statement(1),
			statement(2),
			{
				actor: { mbox: 'mailto:x@acme.example' },
				verb: { id: 'not an iri' },
				object: { id: 'https://x.example/1' },
			},
			statement(3),
		];
		const params = {
			resource: 'xapiStatement',
			operation: 'send',
			mode: 'item',
			additionalFields: {},
			options: { batchSize: 10 },
			requestOptions: fastRequests,
		};
		const { output } = await runNode(Degreed, {
			parameters: params,
			items,
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(String(output[2].json.error)).toMatch(/^Item 2: Invalid "verb/);
		expect(output.filter((o) => o.json.error === undefined).map((o) => o.json.id)).toHaveLength(3);
		expect(output[0].json).toMatchObject({
			actor: { mbox: 'mailto:learner1@acme.example' },
			timestamp: '2026-06-05T10:00:00Z',
		});
		// The three valid statements went out in one request.
		expect(statementPosts()).toHaveLength(1);
		expect(env.sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
			total: 3,
			unique: 3,
			duplicates: [],
		});

		// Sent again: the same ids, so nothing new is stored.
		await runNode(Degreed, {
			parameters: params,
			items: [statement(1)],
			credentials: env.credentials(),
		});
		expect(env.sandbox.ledger.writes('degreed', 'statement')).toMatchObject({
			unique: 3,
			duplicates: [],
		});
	});
});
