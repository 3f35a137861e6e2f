import { NodeApiError } from 'n8n-workflow';

import {
	PAGE_SIZE as THRIVE_PAGE,
	searchAudiences,
	searchContent,
	searchUserRefs,
	searchUsers as searchThriveUsers,
} from '../../../nodes/LearnLink/methods/listSearch';
import {
	PAGE_SIZE as PERCIPIO_PAGE,
	searchUsers as searchPercipioUsers,
} from '../../../nodes/Percipio/methods/listSearch';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { learnlinkProvider } from '../../sandbox/providers/learnlink';
import type { LearnLinkEmulator } from '../../sandbox/providers/learnlink';
import { percipioProvider } from '../../sandbox/providers/percipio';
import type { PercipioEmulator } from '../../sandbox/providers/percipio';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { credentialsFor as thriveCredentials } from '../learnlink/helpers';
import { credentialsFor as percipioCredentials } from '../percipio/helpers';
import { listError, lister, values } from './helpers';

let sandbox: Sandbox;
let percipio: PercipioEmulator;
let thrive: LearnLinkEmulator;

beforeAll(async () => {
	sandbox = await startSandbox({
		providers: [percipioProvider({ demoData: true }), learnlinkProvider()],
		logLevel: 'silent',
	});
	percipio = sandbox.provider<PercipioEmulator>('percipio');
	thrive = sandbox.provider<LearnLinkEmulator>('learnlink');
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sharedTokenManager.clear();
});

const tokenRequests = (provider: string) =>
	sandbox.ledger
		.requests({ provider })
		.filter((r) => /oauth2/.test(r.path) || /oauth2-provider/.test(r.path)).length;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('Percipio list search', () => {
	function addUsers(count: number): void {
		const [sample] = [...percipio.users.values()];
		for (let n = 0; n < count; n++)
			percipio.users.set(uuid(n), {
				...sample,
				id: uuid(n),
				externalUserId: `bulk-${n}`,
				loginName: `bulk${n}`,
				email: `bulk${n}@acme.example`,
				firstName: 'Bulk',
				lastName: `Learner ${n}`,
			});
	}

	test('users: offset pages to every user once; the token is the next offset', async () => {
		addUsers(PERCIPIO_PAGE + 3);
		const list = lister({ percipioApi: percipioCredentials(sandbox) });
		const pages = await list.all(searchPercipioUsers);
		expect(pages[0].paginationToken).toBe(String(PERCIPIO_PAGE));
		expect(new Set(values(pages))).toEqual(new Set(percipio.users.keys()));
		expect(values(pages)).toHaveLength(percipio.users.size);
	});

	test('users: the text is matched on the page (Percipio has no user search) by name, login and email', async () => {
		addUsers(5);
		const list = lister({ percipioApi: percipioCredentials(sandbox) });
		const page = await list.call(searchPercipioUsers, 'BULK3@');
		expect(values([page])).toEqual([uuid(3)]);
		expect(page.results[0].name).toBe(`Bulk Learner 3 <bulk3@acme.example> (${uuid(3)})`);
	});

	test('a token revoked between two pages is replaced', async () => {
		addUsers(PERCIPIO_PAGE + 3);
		const list = lister({ percipioApi: percipioCredentials(sandbox) });
		const first = await list.call(searchPercipioUsers);
		expect(tokenRequests('percipio')).toBe(1);
		sandbox.tokens.revokeAll('percipio');
		const second = await list.call(searchPercipioUsers, undefined, first.paginationToken);
		expect(tokenRequests('percipio')).toBe(2);
		expect(values([first, second])).toHaveLength(percipio.users.size);
	});

	test('a provider error is a readable message naming Percipio, without the secret', async () => {
		const list = lister({
			percipioApi: percipioCredentials(sandbox, { clientSecret: 'wrong-percipio-secret-42' }),
		});
		const error = await listError(list.call(searchPercipioUsers));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Percipio/);
		expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain(
			'wrong-percipio-secret-42',
		);
	});
});

describe('Learn.link list search', () => {
	function addUsers(count: number): void {
		const [sample] = [...thrive.users.values()];
		for (let n = 0; n < count; n++)
			thrive.users.set(`bulk-${n}`, {
				...sample,
				id: `bulk-${n}`,
				ref: `emp-bulk-${n}`,
				email: `bulk${n}@acme.example`,
				firstName: 'Bulk',
				lastName: `Learner ${n}`,
			});
	}

	test('users: page/perPage pages to every user once; the reference list gives references', async () => {
		addUsers(THRIVE_PAGE + 2);
		const list = lister({ learnLinkApi: thriveCredentials(sandbox) });
		const pages = await list.all(searchThriveUsers);
		expect(pages[0].paginationToken).toBe('2');
		expect(new Set(values(pages))).toEqual(new Set([...thrive.users.values()].map((u) => u.id)));
		const refs = await list.call(searchUserRefs, 'bulk7@');
		expect(values([refs])).toEqual(['emp-bulk-7']);
	});

	test('content and audiences: the text is matched on the page by title or name', async () => {
		const list = lister({ learnLinkApi: thriveCredentials(sandbox) });
		const [content] = [...thrive.contents.values()];
		const found = await list.call(searchContent, content.title.slice(0, 6));
		expect(values([found])).toContain(content.id);
		for (const r of found.results)
			expect(String(r.name).toLowerCase()).toContain(content.title.slice(0, 6).toLowerCase());
		const [audience] = [...thrive.audiences.values()];
		const audiences = await list.call(searchAudiences, audience.name);
		expect(values([audiences])).toContain(audience.id);
	});

	test('a token revoked between two pages is replaced', async () => {
		addUsers(THRIVE_PAGE + 2);
		const list = lister({ learnLinkApi: thriveCredentials(sandbox) });
		const first = await list.call(searchThriveUsers);
		const before = tokenRequests('learnlink');
		expect(before).toBeGreaterThan(0);
		sandbox.tokens.revokeAll('learnlink');
		const second = await list.call(searchThriveUsers, undefined, first.paginationToken);
		expect(tokenRequests('learnlink')).toBe(before + 1);
		expect(values([first, second])).toHaveLength(thrive.users.size);
	});

	test('a provider error is a readable message naming Learn.link, without the secret', async () => {
		const list = lister({
			learnLinkApi: thriveCredentials(sandbox, { apiSecret: 'wrong-thrive-secret-77' }),
		});
		const error = await listError(list.call(searchAudiences));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Learn\.link|Thrive/);
		expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain(
			'wrong-thrive-secret-77',
		);
	});
});
