import { NodeApiError } from 'n8n-workflow';

import {
	PAGE_SIZE,
	searchCompletions,
	searchContent,
	searchContentExternalIds,
	searchUserEmails,
	searchUsers,
} from '../../../nodes/Degreed/methods/listSearch';
import { resetDegreed, startDegreed } from '../degreed/helpers';
import type { DegreedSandbox } from '../degreed/helpers';
import { listError, lister, values } from './helpers';

let env: DegreedSandbox;

beforeAll(async () => {
	env = await startDegreed();
});
afterAll(async () => await env.sandbox.close());
beforeEach(() => resetDegreed(env));

const tokenRequests = () =>
	env.sandbox.ledger.requests({ provider: 'degreed' }).filter((r) => /oauth\/token/.test(r.path))
		.length;

function addUsers(count: number): void {
	for (let n = 0; n < count; n++) {
		env.emulator.users.set(`B${n}`, {
			id: `B${n}`,
			attributes: {
				'first-name': 'Bulk',
				'last-name': `Learner ${n}`,
				email: `bulk${n}@acme.example`,
				'employee-id': `E-B${n}`,
				'is-active': true,
			},
		});
	}
}

describe('Degreed list search', () => {
	test('users: pages follow the links.next cursor (the paginationToken) to every user once', async () => {
		addUsers(PAGE_SIZE + 5);
		const list = lister(env.credentials());
		const pages = await list.all(searchUsers);
		expect(pages.length).toBe(Math.ceil(env.emulator.users.size / PAGE_SIZE));
		expect(pages[0].paginationToken).toMatch(/^https?:\/\/.+next=/);
		expect(new Set(values(pages))).toEqual(new Set(env.emulator.users.keys()));
		expect(values(pages)).toHaveLength(env.emulator.users.size);
	});

	test('users: a full email is filtered by Degreed (filter[email]); other text on the page only', async () => {
		const [first] = [...env.emulator.users.values()];
		const email = String(first.attributes.email);
		const list = lister(env.credentials());
		const exact = await list.call(searchUsers, email.toUpperCase());
		expect(values([exact])).toEqual([first.id]);
		const apiRequests = () => list.requests.filter((r) => String(r.url).includes('/api/v2/users'));
		expect(apiRequests()[0].qs).toMatchObject({ 'filter[email]': email.toUpperCase() });
		const partial = await list.call(searchUsers, String(first.attributes['last-name']).slice(0, 4));
		expect(values([partial])).toContain(first.id);
		expect(apiRequests()[1].qs).not.toHaveProperty('filter[email]');
		const byEmail = await list.call(searchUserEmails, email);
		expect(values([byEmail])).toEqual([email]);
	});

	test('content: title search on the page; the external-ID list gives external IDs', async () => {
		const list = lister(env.credentials());
		const found = await list.call(searchContent, 'sql');
		expect(found.results.map((r) => r.value)).toEqual(['C4']);
		expect(found.results[0].name).toMatch(/Intro to SQL/);
		const external = await list.call(searchContentExternalIds, 'privacy');
		expect(values([external])).toEqual(['course-privacy-101']);
	});

	test('completions: every completion is listed; the text narrows to one learner', async () => {
		const list = lister(env.credentials());
		const all = values(await list.all(searchCompletions));
		expect(new Set(all)).toEqual(new Set(env.emulator.completions.keys()));
		const some = [...env.emulator.completions.values()][0];
		const mine = values(await list.all(searchCompletions, String(some.attributes.email)));
		expect(mine).toContain(some.id);
		for (const id of mine)
			expect(env.emulator.completions.get(id)?.attributes.email).toBe(some.attributes.email);
	});

	test('a token revoked between two pages is replaced and the cursor still works', async () => {
		addUsers(PAGE_SIZE + 5);
		const list = lister(env.credentials());
		const first = await list.call(searchUsers);
		expect(tokenRequests()).toBe(1);
		expect(env.sandbox.tokens.revokeAll('degreed')).toBeGreaterThan(0);
		const second = await list.call(searchUsers, undefined, first.paginationToken);
		expect(tokenRequests()).toBe(2);
		expect(values([first, second])).toHaveLength(env.emulator.users.size);
	});

	test('a token that points off the API host is not followed', async () => {
		const list = lister(env.credentials());
		const page = await list.call(
			searchUsers,
			undefined,
			'https://attacker.example/api/v2/users?next=x',
		);
		expect(page.results).toEqual([]);
		expect(list.requests.filter((r) => String(r.url).includes('attacker'))).toHaveLength(0);
	});

	test('a provider error is a readable message naming Degreed and the missing scope', async () => {
		const list = lister(env.credentials({ scopes: ['content:read'], extraScopes: '' }));
		const error = await listError(list.call(searchUsers));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Degreed: /);
		expect(`${error.message} ${error.description ?? ''}`).toMatch(/scope|permission/i);
	});
});
