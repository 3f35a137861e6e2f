import {
	camel,
	kebab,
	listItems,
	nextLink,
	singleItem,
	toAttributes,
} from '../../../nodes/Degreed/transport/jsonapi';
import { parseDegreedError } from '../../../nodes/Degreed/transport/profile';
import {
	buildStatement,
	canonicalJson,
	normalizeTimestamp,
	statementIdFor,
	statementSchema,
} from '../../../nodes/Degreed/transport/xapi';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const xapiValidate: (s: unknown) => unknown[] = require('@learninglocker/xapi-validation').default;

describe('JSON:API mapping', () => {
	it('converts names both ways', () => {
		expect(kebab('learningMinutes')).toBe('learning-minutes');
		expect(kebab('imageUrl')).toBe('image-url');
		expect(kebab('external-id')).toBe('external-id');
		expect(camel('degreed-url')).toBe('degreedUrl');
		expect(
			toAttributes({
				externalId: 'x',
				durationType: 'Days',
				summary: '',
				url: undefined,
				obsolete: false,
			}),
		).toEqual({ 'external-id': 'x', 'duration-type': 'Days', obsolete: false });
	});

	it('flattens resources into plain items (attributes camelCase, relationships as ids)', () => {
		const body = {
			links: {
				self: 'https://api.degreed.com/api/v2/completions',
				next: 'https://api.degreed.com/api/v2/completions?limit=5&next=plErSU',
			},
			data: [
				{
					type: 'completions',
					id: 'zQZ',
					attributes: { 'completed-at': '2026-01-01T00:00:00Z', 'is-verified': true },
					relationships: {
						user: { data: { type: 'users', id: 'U1' } },
						skills: { data: [{ id: 'S1' }, { id: 'S2' }] },
					},
				},
			],
		};
		expect(listItems(body)).toEqual([
			{
				id: 'zQZ',
				type: 'completions',
				completedAt: '2026-01-01T00:00:00Z',
				isVerified: true,
				userId: 'U1',
				skillsIds: ['S1', 'S2'],
			},
		]);
		expect(nextLink(body)).toBe('https://api.degreed.com/api/v2/completions?limit=5&next=plErSU');
		expect(nextLink({ links: { next: '' } })).toBeUndefined();
		expect(singleItem({ data: { id: 'c1', type: 'content', attributes: { title: 'T' } } })).toEqual(
			{ id: 'c1', type: 'content', title: 'T' },
		);
		expect(singleItem(undefined)).toEqual({});
	});

	it("reads Degreed's JSON:API errors and OAuth errors", () => {
		const quota = {
			errors: [
				{
					id: 'c2e2f849',
					code: 'quota-exceeded',
					status: 429,
					title: 'API calls quota exceeded.',
					detail: 'Maximum 70 requests allowed per 1m.',
				},
			],
		};
		expect(parseDegreedError({ statusCode: 429, headers: {}, body: quota })).toEqual({
			message: 'API calls quota exceeded. Maximum 70 requests allowed per 1m.',
			description: undefined,
			code: 'quota-exceeded',
		});
		const bad = {
			errors: [
				{
					code: 'bad-request',
					status: 400,
					detail: 'Invalid user identifier: x',
					source: 'user-id',
				},
				{ title: 'Second' },
			],
		};
		expect(parseDegreedError({ statusCode: 400, headers: {}, body: JSON.stringify(bad) })).toEqual({
			message: 'Invalid user identifier: x (user-id)',
			description: 'Second',
			code: 'bad-request',
		});
		expect(
			parseDegreedError({
				statusCode: 403,
				headers: {},
				body: { error: 'invalid_scope', error_description: 'nope' },
			}),
		).toEqual({ message: 'nope', code: 'invalid_scope' });
		expect(
			parseDegreedError({ statusCode: 502, headers: {}, body: '<html>Bad gateway</html>' }),
		).toEqual({ message: '<html>Bad gateway</html>' });
	});
});

describe('xAPI statements', () => {
	it('derives the id from the content, whatever the key order, and from an idempotency key when given', () => {
		const a = {
			actor: { mbox: 'mailto:a@b.example', objectType: 'Agent' },
			verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
			object: { id: 'https://x.example/1' },
		};
		const b = {
			object: { id: 'https://x.example/1' },
			verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
			actor: { objectType: 'Agent', mbox: 'mailto:a@b.example' },
		};
		expect(canonicalJson(a)).toBe(canonicalJson(b));
		expect(statementIdFor(a)).toBe(statementIdFor({ ...b, id: 'ignored' }));
		expect(statementIdFor(a, 'reg-1')).toBe(statementIdFor(b, 'reg-1'));
		expect(statementIdFor(a, 'reg-1')).not.toBe(statementIdFor(a));
	});

	it('simple fields build statements that both validators accept; no timestamp is invented', () => {
		const s = buildStatement({
			actorType: 'account',
			accountHomePage: 'https://hr.acme.example',
			accountName: 'E1001',
			verb: 'passed',
			activityId: 'https://x.example/c',
			scoreRaw: 8,
			scoreMin: 0,
			scoreMax: 10,
			language: 'fr-CA',
		});
		const withId = { ...s, id: statementIdFor(s) };
		expect(xapiValidate(withId)).toEqual([]);
		expect(statementSchema.safeParse(withId).success).toBe(true);
		expect(s.timestamp).toBeUndefined();
		expect(s.context).toEqual({ language: 'fr-CA' });
		expect(normalizeTimestamp('2026-06-01T10:30:00')).toBe('2026-06-01T10:30:00Z');
		expect(normalizeTimestamp('2026-06-01T10:30:00+02:00')).toBe('2026-06-01T10:30:00+02:00');
	});

	it.each([
		[
			'agent without identifier',
			{
				actor: { name: 'x' },
				verb: { id: 'http://v.example/x' },
				object: { id: 'https://o.example' },
			},
		],
		[
			'verb id not an IRI',
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'passed' },
				object: { id: 'https://o.example' },
			},
		],
		[
			'raw outside min/max',
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://v.example/x' },
				object: { id: 'https://o.example' },
				result: { score: { raw: 11, min: 0, max: 10 } },
			},
		],
		[
			'bad registration',
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://v.example/x' },
				object: { id: 'https://o.example' },
				context: { registration: 'abc' },
			},
		],
		[
			'revision with an agent object',
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://v.example/x' },
				object: { objectType: 'Agent', mbox: 'mailto:c@d.example' },
				context: { revision: '2' },
			},
		],
		[
			'language map key',
			{
				actor: { mbox: 'mailto:a@b.example' },
				verb: { id: 'http://v.example/x', display: { 'not a tag!': 'x' } },
				object: { id: 'https://o.example' },
			},
		],
	])(
		'%s: rejected by the node schema and by @learninglocker/xapi-validation',
		(_name, statement) => {
			expect(statementSchema.safeParse(statement).success).toBe(false);
			expect(xapiValidate(statement).length).toBeGreaterThan(0);
		},
	);
});
