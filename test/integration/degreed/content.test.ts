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

const create = (overrides: IDataObject = {}) => ({
	resource: 'content',
	operation: 'create',
	contentType: 'courses',
	title: 'Negotiation Basics',
	externalId: 'course-negotiation',
	url: 'https://learn.acme.example/courses/negotiation',
	ifExists: 'error',
	additionalFields: {
		summary: 'Win-win deals',
		duration: 90,
		durationType: 'Minutes',
		language: 'en',
		imageUrl: 'https://learn.acme.example/img/n.png',
	},
	requestOptions: fastRequests,
	...overrides,
});

describe('Degreed content against the sandbox', () => {
	it('create sends the JSON:API document (type content/courses, kebab-case attributes) and returns a plain item', async () => {
		const { output, requests } = await runNode(Degreed, {
			parameters: create(),
			credentials: env.credentials(),
		});
		const post = requests.find((r) => r.method === 'POST' && String(r.url).includes('/api/v2/'));
		expect(String(post?.url)).toMatch(/\/degreed\/api\/api\/v2\/content\/courses$/);
		expect(post?.body).toEqual({
			data: {
				type: 'content/courses',
				attributes: {
					title: 'Negotiation Basics',
					'external-id': 'course-negotiation',
					url: 'https://learn.acme.example/courses/negotiation',
					summary: 'Win-win deals',
					duration: 90,
					'duration-type': 'Minutes',
					language: 'en',
					'image-url': 'https://learn.acme.example/img/n.png',
				},
			},
		});
		expect(output[0].json).toMatchObject({
			type: 'content',
			title: 'Negotiation Basics',
			externalId: 'course-negotiation',
			contentType: 'Course',
			durationType: 'Minutes',
			imageUrl: 'https://learn.acme.example/img/n.png',
		});
		expect(env.sandbox.ledger.writes('degreed', 'content')).toMatchObject({
			total: 1,
			keys: ['course-negotiation'],
		});
	});

	it('a duplicate external ID (409) is "already exists" by default, or returns / updates the existing content', async () => {
		const failed = await runNode(Degreed, {
			parameters: create({ externalId: 'course-privacy-101', url: '' }),
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(failed.output[0].json.error).toBe(
			'Degreed: content with the external ID "course-privacy-101" already exists (Conflict Content with external-id "course-privacy-101" already exists. (data.attributes.external-id))',
		);
		expect(failed.output[0].json.httpCode).toBe('409');
		expect(String(failed.output[0].json.description)).toMatch(/If Content Exists/);

		const returned = await runNode(Degreed, {
			parameters: create({ externalId: 'course-privacy-101', url: '', ifExists: 'returnExisting' }),
			credentials: env.credentials(),
		});
		expect(returned.output[0].json).toMatchObject({
			id: 'C1',
			title: 'Data Privacy Essentials',
			externalId: 'course-privacy-101',
		});

		const updated = await runNode(Degreed, {
			parameters: create({
				externalId: 'course-privacy-101',
				url: '',
				title: 'Data Privacy Essentials (2026)',
				ifExists: 'update',
			}),
			credentials: env.credentials(),
		});
		const patch = updated.requests.find((r) => r.method === 'PATCH');
		expect(String(patch?.url)).toMatch(/\/api\/v2\/content\/courses\/C1$/);
		expect((patch?.body as IDataObject).data).toMatchObject({
			type: 'content/courses',
			id: 'C1',
			attributes: { title: 'Data Privacy Essentials (2026)', summary: 'Win-win deals' },
		});
		expect(((patch?.body as IDataObject).data as IDataObject).attributes).not.toHaveProperty(
			'external-id',
		);
		expect(updated.output[0].json).toMatchObject({
			id: 'C1',
			title: 'Data Privacy Essentials (2026)',
		});
		// Never a second record for the key.
		expect(env.sandbox.ledger.writes('degreed', 'content')).toMatchObject({
			total: 0,
			duplicates: [],
		});
		expect(
			[...env.emulator.content.values()].filter(
				(c) => c.attributes['external-id'] === 'course-privacy-101',
			),
		).toHaveLength(1);
	});

	it('a create whose answer was lost is found by its external ID, not created twice', async () => {
		env.sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'degreed', host: 'api', method: 'POST' },
		});
		const { output } = await runNode(Degreed, {
			parameters: create(),
			credentials: env.credentials(),
		});
		expect(output[0].json).toMatchObject({
			externalId: 'course-negotiation',
			title: 'Negotiation Basics',
		});
		expect(env.sandbox.ledger.writes('degreed', 'content')).toMatchObject({
			total: 1,
			duplicates: [],
		});
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', host: 'api', method: 'POST' }),
		).toHaveLength(1);
		expect(env.sandbox.ledger.requests({ provider: 'degreed', method: 'GET' })[0].query).toBe(
			'filter%5Bexternal_id%5D=course-negotiation&limit=2',
		);
	});

	it('get by Degreed ID or external ID, list with filters and paging, update and delete by external ID', async () => {
		const creds = env.credentials();
		const byId = await runNode(Degreed, {
			parameters: {
				resource: 'content',
				operation: 'get',
				contentType: 'any',
				identifyBy: 'id',
				contentId: 'C3',
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(byId.output[0].json).toMatchObject({
			id: 'C3',
			contentType: 'Article',
			title: 'Writing Clear Emails',
		});
		const byExternal = await runNode(Degreed, {
			parameters: {
				resource: 'content',
				operation: 'get',
				contentType: 'videos',
				identifyBy: 'externalId',
				contentId: 'video-sql-intro',
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(byExternal.output[0].json).toMatchObject({ id: 'C4', title: 'Intro to SQL' });

		const courses = await runNode(Degreed, {
			parameters: {
				resource: 'content',
				operation: 'getAll',
				contentType: 'courses',
				returnAll: true,
				options: { pageSize: 1 },
				filters: {},
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(courses.output.map((o) => o.json.id)).toEqual(['C1', 'C2', 'C8']);
		const restricted = await runNode(Degreed, {
			parameters: {
				resource: 'content',
				operation: 'getAll',
				contentType: 'any',
				returnAll: true,
				options: { includeRestricted: true, modifiedAfter: '2020-01-01' },
				filters: {},
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(restricted.output).toHaveLength(8);
		const q =
			env.sandbox.ledger.requests({ provider: 'degreed', path: '^/api/v2/content$' }).pop()
				?.query ?? '';
		expect(decodeURIComponent(q)).toBe(
			'limit=1000&filter[modified_after]=2020-01-01&filter[include_restricted]=true',
		);

		const updated = await runNode(Degreed, {
			parameters: {
				resource: 'content',
				operation: 'update',
				contentType: 'videos',
				identifyBy: 'externalId',
				contentId: 'video-sql-intro',
				updateFields: { title: 'Intro to SQL (v2)', duration: 15 },
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(updated.output[0].json).toMatchObject({
			id: 'C4',
			title: 'Intro to SQL (v2)',
			duration: 15,
		});

		const deleted = await runNode(Degreed, {
			parameters: {
				resource: 'content',
				operation: 'delete',
				contentType: 'podcasts',
				identifyBy: 'externalId',
				contentId: 'podcast-sec-12',
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(deleted.output[0].json).toEqual({ id: 'C6', deleted: true });
		expect(env.emulator.content.has('C6')).toBe(false);
	});

	it('IDs in paths are encoded: "../users" cannot change the route', async () => {
		const { output } = await runNode(Degreed, {
			parameters: {
				resource: 'content',
				operation: 'get',
				contentType: 'any',
				identifyBy: 'id',
				contentId: '../users',
				requestOptions: fastRequests,
			},
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.httpCode).toBe('404');
		const last = env.sandbox.ledger.requests({ provider: 'degreed' }).pop();
		expect(last?.path).toBe('/api/v2/content/..%2Fusers');
	});

	it('bad input (title missing, URL not a URL) is refused before sending', async () => {
		const { output } = await runNode(Degreed, {
			parameters: (i) => create(i === 0 ? { title: '' } : { url: 'not a url' }),
			items: [{}, {}],
			credentials: env.credentials(),
			continueOnFail: true,
		});
		expect(output[0].json.error).toBe('Item 0: Invalid "title" must not be empty');
		expect(output[1].json.error).toMatch(/^Item 1: Invalid "url" must be a full URL/);
		expect(env.sandbox.ledger.requests({ provider: 'degreed' })).toHaveLength(0);
	});
});

describe('Degreed users against the sandbox', () => {
	it('get and list users (filter[...] and paging)', async () => {
		const creds = env.credentials();
		const one = await runNode(Degreed, {
			parameters: {
				resource: 'user',
				operation: 'get',
				userId: 'U2',
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(one.output[0].json).toMatchObject({
			id: 'U2',
			type: 'users',
			firstName: 'Omar',
			email: 'omar.haddad@acme.example',
			employeeId: 'E1002',
		});
		const filtered = await runNode(Degreed, {
			parameters: {
				resource: 'user',
				operation: 'getAll',
				returnAll: true,
				filters: { filter: [{ name: 'email', value: 'li.wei@acme.example' }] },
				options: {},
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(filtered.output.map((o) => o.json.id)).toEqual(['U3']);
		expect(
			decodeURIComponent(
				env.sandbox.ledger.requests({ provider: 'degreed', path: '^/api/v2/users$' }).pop()
					?.query ?? '',
			),
		).toBe('limit=1000&filter[email]=li.wei@acme.example');
		const paged = await runNode(Degreed, {
			parameters: {
				resource: 'user',
				operation: 'getAll',
				returnAll: false,
				limit: 5,
				filters: {},
				options: { pageSize: 2 },
				requestOptions: fastRequests,
			},
			credentials: creds,
		});
		expect(paged.output.map((o) => o.json.id)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5']);
		// 5 records at 2 per page: 3 requests, and no fourth once the limit is reached.
		expect(
			env.sandbox.ledger.requests({ provider: 'degreed', path: '^/api/v2/users$' }),
		).toHaveLength(1 + 3);
	});

	it('a key without users:read gets a clear token error naming the scope', async () => {
		const creds = env.credentials({
			clientId: 'sandbox-degreed-content-reader',
			clientSecret: 'sandbox-degreed-content-reader-secret',
			scopes: ['users:read', 'content:read'],
		});
		const { output } = await runNode(Degreed, {
			parameters: {
				resource: 'user',
				operation: 'get',
				userId: 'U1',
				requestOptions: fastRequests,
			},
			credentials: creds,
			continueOnFail: true,
		});
		expect(String(output[0].json.error)).toMatch(
			/^Degreed: could not get an access token with the credential "Test degreedApi": the API key lacks scope users:read/,
		);
		expect(JSON.stringify(output)).not.toContain('sandbox-degreed-content-reader-secret');
	});
});
