/**
 * Issue #16, class 5: writes and deletes touch only the record asked for. Every look-up by a key
 * (external ID, username, reference, registration ID) that precedes an update, a delete or a
 * duplicate check is answered by the hostile provider with records that do not carry the key, carry
 * another one, or carry it twice: no write may land on such a record, and two matches are an error.
 */
import type { IDataObject } from 'n8n-workflow';

import { resetWorld, run, startWorld, stopWorld } from './harness';
import type { Provider, RunResult, World } from './harness';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

const WANTED = 'ext-1';
const failedItem = (r: RunResult) => !!r.error || r.output.some((o) => o.json.error !== undefined);
const writes = () => world.hostile.seen.filter((s) => s.method !== 'GET' && !/oauth/.test(s.path));
const FOREIGN = 'FOREIGN-RECORD';

/** What the provider answers a look-up by external ID with; `right` is the id a write may touch (if any). */
const DEGREED_ANSWERS: Array<{
	what: string;
	records: IDataObject[];
	right?: string;
	ambiguous?: boolean;
}> = [
	{
		what: 'a record without an external ID',
		records: [{ id: FOREIGN, type: 'content/courses', attributes: { title: 'Unrelated' } }],
	},
	{
		what: 'a record whose external ID is null',
		records: [{ id: FOREIGN, type: 'content/courses', attributes: { 'external-id': null } }],
	},
	{
		what: 'a record whose external ID is empty',
		records: [{ id: FOREIGN, type: 'content/courses', attributes: { 'external-id': '' } }],
	},
	{
		what: 'a record whose external ID is blank',
		records: [{ id: FOREIGN, type: 'content/courses', attributes: { 'external-id': '   ' } }],
	},
	{
		what: 'a record with another external ID',
		records: [{ id: FOREIGN, type: 'content/courses', attributes: { 'external-id': 'ext-10' } }],
	},
	{
		what: 'a record whose external ID only starts with it',
		records: [
			{ id: FOREIGN, type: 'content/courses', attributes: { 'external-id': `${WANTED}-old` } },
		],
	},
	{
		what: 'two records with the external ID',
		records: [
			{ id: 'A-1', type: 'content/courses', attributes: { 'external-id': WANTED } },
			{ id: 'B-1', type: 'content/courses', attributes: { 'external-id': WANTED.toUpperCase() } },
		],
		ambiguous: true,
	},
	{
		what: 'the right record after one without an external ID',
		records: [
			{ id: FOREIGN, type: 'content/courses', attributes: {} },
			{ id: 'RIGHT-1', type: 'content/courses', attributes: { 'external-id': WANTED } },
		],
		right: 'RIGHT-1',
	},
];

const DEGREED_OPS: Array<{ name: string; params: IDataObject; setup?: () => void }> = [
	{
		name: 'content.delete by external ID',
		params: {
			resource: 'content',
			operation: 'delete',
			contentType: 'courses',
			identifyBy: 'externalId',
			contentId: WANTED,
		},
	},
	{
		name: 'content.update by external ID',
		params: {
			resource: 'content',
			operation: 'update',
			contentType: 'courses',
			identifyBy: 'externalId',
			contentId: WANTED,
			updateFields: { title: 'Renamed' },
		},
	},
	{
		name: 'content.get by external ID',
		params: {
			resource: 'content',
			operation: 'get',
			contentType: 'courses',
			identifyBy: 'externalId',
			contentId: WANTED,
		},
	},
	{
		name: 'content.create, "Update It" when it exists',
		params: {
			resource: 'content',
			operation: 'create',
			contentType: 'courses',
			externalId: WANTED,
			title: 'Title',
			url: 'https://learn.example.com/x',
			ifExists: 'update',
			additionalFields: {},
		},
		setup: () =>
			world.hostile.on({
				method: 'POST',
				path: /\/api\/v2\/content\/courses$/,
				answer: () => ({
					status: 409,
					body: {
						errors: [{ status: '409', title: 'Conflict', detail: 'external-id already exists' }],
					},
				}),
			}),
	},
];

describe('Degreed: a look-up by external ID matches exactly one record, or none', () => {
	const cases = DEGREED_OPS.flatMap((op) =>
		DEGREED_ANSWERS.map((a) => [op.name, a.what, op, a] as const),
	);
	it.each(cases)('%s, answered with %s', async (_op, _what, op, answer) => {
		op.setup?.();
		world.hostile.on({
			method: 'GET',
			path: /\/api\/v2\/content\/courses$/,
			answer: () => ({ status: 200, body: { data: answer.records, links: {} } }),
		});
		world.hostile.on({
			path: /\/api\/v2\/content\/courses\/[^/]+$/,
			answer: (req) => ({
				status: req.method === 'DELETE' ? 204 : 200,
				body:
					req.method === 'DELETE'
						? undefined
						: {
								data: {
									id: req.path.split('/').pop(),
									type: 'content/courses',
									attributes: { 'external-id': WANTED, title: 'Renamed' },
								},
							},
			}),
		});
		const r = await run(world, 'degreed', op.params, { maxAttempts: 1 });
		const touched = writes()
			.filter((s) => /\/content\/courses\/[^/]+$/.test(s.path))
			.map((s) => s.path.split('/').pop());
		const shownIds = JSON.stringify(r.output);
		if (answer.right) {
			expect(touched.every((id) => id === answer.right)).toBe(true);
			expect(shownIds).not.toContain(FOREIGN);
		} else {
			expect(touched).toEqual([]);
			expect(failedItem(r)).toBe(true);
			expect(shownIds).not.toContain(`"id":"${FOREIGN}"`);
		}
		if (answer.ambiguous) expect(shownIds).toMatch(/more than one/i);
	});
});

describe('Degreed completion: the duplicate check after an interrupted create', () => {
	const ANSWERS: Array<[string, IDataObject[], boolean]> = [
		[
			'a record without user or content',
			[
				{
					id: FOREIGN,
					type: 'completions',
					attributes: { 'completed-at': '2026-06-01T10:00:00Z' },
				},
			],
			false,
		],
		[
			'a record of another user',
			[
				{
					id: FOREIGN,
					type: 'completions',
					attributes: {
						'completed-at': '2026-06-01T10:00:00Z',
						'user-id': 'someone@acme.example',
						'content-id': 'course-privacy-101',
					},
				},
			],
			false,
		],
		[
			'two matching records',
			[1, 2].map((n) => ({
				id: `${FOREIGN}-${n}`,
				type: 'completions',
				attributes: {
					'completed-at': '2026-06-01T10:00:00Z',
					'user-id': 'jane.doe@acme.example',
					'content-id': 'course-privacy-101',
				},
			})),
			true,
		],
	];
	it.each(ANSWERS)(
		"answered with %s: not reported as the item's completion",
		async (_what, records, ambiguous) => {
			world.hostile.on({
				method: 'POST',
				path: /\/api\/v2\/completions$/,
				times: 1,
				answer: () => ({ status: 503, body: { errors: [{ status: '503' }] } }),
			});
			world.hostile.on({
				method: 'POST',
				path: /\/api\/v2\/completions$/,
				answer: () => ({
					status: 201,
					body: {
						data: {
							id: 'NEW-1',
							type: 'completions',
							attributes: { 'user-id': 'jane.doe@acme.example' },
						},
					},
				}),
			});
			world.hostile.on({
				method: 'GET',
				path: /\/api\/v2\/completions$/,
				answer: () => ({ status: 200, body: { data: records, links: {} } }),
			});
			const r = await run(
				world,
				'degreed',
				{
					resource: 'completion',
					operation: 'create',
					userId: 'jane.doe@acme.example',
					userIdentifierType: 'Email',
					contentId: 'course-privacy-101',
					contentIdType: 'externalId',
					contentType: 'Course',
					completedAt: '2026-06-01T10:00:00Z',
					additionalFields: {},
				},
				{ maxAttempts: 3 },
			);
			expect(JSON.stringify(r.output)).not.toContain(`"id":"${FOREIGN}`);
			if (ambiguous) expect(failedItem(r)).toBe(true);
		},
	);
});

describe('Moodle: "Return the Existing User" returns only the user with that username', () => {
	const ANSWERS: Array<[string, IDataObject[]]> = [
		['a user without a username', [{ id: 91, firstname: 'Un', lastname: 'Related' }]],
		['a user with another username', [{ id: 91, username: 'new.user2' }]],
		['a user whose username is empty', [{ id: 91, username: '' }]],
		[
			'two users with the username',
			[
				{ id: 91, username: 'new.user' },
				{ id: 92, username: 'NEW.USER' },
			],
		],
	];
	it.each(ANSWERS)('the look-up answers %s', async (_what, users) => {
		world.hostile.on({
			path: /webservice/,
			body: /core_user_create_users/,
			answer: () => ({
				status: 200,
				body: {
					exception: 'invalid_parameter_exception',
					errorcode: 'invalidparameter',
					message: 'Invalid parameter value detected',
				},
			}),
		});
		world.hostile.on({
			path: /webservice/,
			body: /core_user_get_users_by_field/,
			answer: () => ({ status: 200, body: users }),
		});
		const r = await run(world, 'moodle', {
			resource: 'user',
			operation: 'create',
			username: 'new.user',
			firstname: 'New',
			lastname: 'User',
			email: 'new.user@example.com',
			passwordMode: 'createPassword',
			additionalFields: {},
			options: { ifExists: 'returnExisting' },
		});
		expect(r.output).toHaveLength(1);
		expect(r.output[0].json.id).toBeUndefined();
		expect(failedItem(r)).toBe(true);
	});
});

describe('an interrupted create is "found" only when the record found is the one asked for', () => {
	const CREATES: Array<{
		provider: Provider;
		name: string;
		params: IDataObject;
		post: RegExp;
		lookup: RegExp;
		key: string;
		wanted: string;
	}> = [
		{
			provider: 'percipio',
			name: 'user.create (external user ID)',
			params: {
				resource: 'user',
				operation: 'create',
				externalUserId: 'emp-7777',
				additionalFields: { firstName: 'Ada', loginName: 'ada.7777' },
			},
			post: /\/users$/,
			lookup: /\/external-user-id\//,
			key: 'externalUserId',
			wanted: 'emp-7777',
		},
		{
			provider: 'learnlink',
			name: 'user.create (reference)',
			params: {
				resource: 'user',
				operation: 'create',
				ref: 'emp-7777',
				firstName: 'Ada',
				lastName: 'L',
				email: 'ada.7777@example.com',
				additionalFields: {},
				options: {},
			},
			post: /\/rest\/v2\/users$/,
			lookup: /\/users\/ref\//,
			key: 'ref',
			wanted: 'emp-7777',
		},
		{
			provider: 'scormcloud',
			name: 'registration.create (registration ID)',
			params: {
				resource: 'registration',
				operation: 'create',
				courseId: 'course-safety-101',
				registrationId: 'reg-7777',
				learnerId: 'l-7777',
				learnerFirstName: 'A',
				learnerLastName: 'L',
				ifExists: 'returnExisting',
				postBack: {},
				additionalFields: {},
			},
			post: /\/registrations$/,
			lookup: /\/registrations\/reg-7777$/,
			key: 'id',
			wanted: 'reg-7777',
		},
	];
	const RECORDS: Array<[string, (c: (typeof CREATES)[number]) => IDataObject]> = [
		['a record without the key', () => ({ name: FOREIGN })],
		[
			'a record with another key',
			(c) => ({
				[c.key]: `${c.wanted}-other`,
				name: FOREIGN,
				...(c.key === 'id' ? {} : { id: FOREIGN }),
			}),
		],
	];
	const cases = CREATES.flatMap((c) =>
		RECORDS.map(([what, record]) => [`${c.provider} ${c.name}`, what, c, record] as const),
	);
	it.each(cases)('%s: the look-up answers %s', async (_l, _what, c, record) => {
		world.hostile.on({
			method: 'POST',
			path: c.post,
			times: 1,
			answer: () => ({ status: 503, body: { message: 'try again' } }),
		});
		world.hostile.on({
			method: 'GET',
			path: c.lookup,
			answer: () => ({ status: 200, body: record(c) }),
		});
		const r = await run(world, c.provider, c.params, { maxAttempts: 3 });
		expect(JSON.stringify(r.output)).not.toContain(FOREIGN);
		// The create was sent again (the record found was not this one) and landed.
		expect(
			world.hostile.seen.filter((s) => s.method === 'POST' && c.post.test(s.path)).length,
		).toBeGreaterThanOrEqual(2);
	});
});
