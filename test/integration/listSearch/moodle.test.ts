import { NodeApiError } from 'n8n-workflow';

import { PAGE_SIZE, searchCourses, searchUsers } from '../../../nodes/Moodle/methods/listSearch';
import { MOODLE_DEMO, moodleProvider } from '../../sandbox/providers/moodle';
import type { MoodleEmulator } from '../../sandbox/providers/moodle';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { listError, lister, values } from './helpers';

let sandbox: Sandbox;
let emulator: MoodleEmulator;
const credentials = (token: string = MOODLE_DEMO.token) => ({
	moodleApi: { siteUrl: sandbox.urlFor('moodle', 'site'), token, allowInsecureHttp: false },
});

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [moodleProvider()], seed: 7 });
	emulator = sandbox.provider<MoodleEmulator>('moodle');
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('Moodle list search', () => {
	test('users: every user once over pages of PAGE_SIZE, each with its profile URL; the token walks to the end', async () => {
		for (let n = 0; n < PAGE_SIZE + 7; n++)
			emulator.addUser({
				username: `bulk${n}`,
				firstname: 'Bulk',
				lastname: `User ${n}`,
				email: `bulk${n}@academy.example`,
			});
		const list = lister(credentials());
		const pages = await list.all(searchUsers);
		expect(pages.length).toBeGreaterThanOrEqual(2);
		expect(pages[0].results).toHaveLength(PAGE_SIZE);
		expect(pages[0].paginationToken).toBe(String(PAGE_SIZE));
		expect(pages.at(-1)?.paginationToken).toBeUndefined();
		const ids = values(pages);
		const expected = [...emulator.users.values()]
			.filter((u) => u.id !== 1)
			.map((u) => String(u.id));
		expect(new Set(ids)).toEqual(new Set(expected));
		expect(ids).toHaveLength(expected.length);
		const first = pages[0].results[0];
		expect(first.url).toBe(
			`${sandbox.urlFor('moodle', 'site')}/user/profile.php?id=${String(first.value)}`,
		);
		expect(first.name).toMatch(/<.+@.+> \(\d+\)$/);
	});

	test('users: the search text goes to Moodle as an email LIKE pattern and only matches come back', async () => {
		emulator.addUser({
			username: 'zed',
			firstname: 'Zed',
			lastname: 'Searchable',
			email: 'zed.searchable@academy.example',
		});
		const list = lister(credentials());
		const page = await list.call(searchUsers, 'searchable');
		expect(page.results.map((r) => r.name)).toEqual([
			expect.stringContaining('zed.searchable@academy.example'),
		]);
		const sent = new URLSearchParams(String(list.requests.at(-1)?.body ?? ''));
		expect(sent.get('wsfunction')).toBe('core_user_get_users');
		expect(sent.get('criteria[0][value]')).toBe('%searchable%');
	});

	test('courses: without text the site course is left out; with text Moodle searches server-side, page by page', async () => {
		const list = lister(credentials());
		const all = values(await list.all(searchCourses));
		const courses = [...emulator.courses.values()].filter((c) => c.format !== 'site');
		expect(new Set(all)).toEqual(new Set(courses.map((c) => String(c.id))));
		const target = courses[0];
		const word = target.fullname.split(/\s+/)[0];
		const found = await list.call(searchCourses, word);
		expect(found.results.length).toBeGreaterThan(0);
		for (const r of found.results)
			expect(String(r.name).toLowerCase()).toContain(word.toLowerCase());
		expect(found.results.map((r) => r.value)).toContain(String(target.id));
		expect(found.results[0].url).toMatch(/\/course\/view\.php\?id=\d+$/);
		const sent = new URLSearchParams(String(list.requests.at(-1)?.body ?? ''));
		expect([
			sent.get('wsfunction'),
			sent.get('criteriavalue'),
			sent.get('page'),
			sent.get('perpage'),
		]).toEqual(['core_course_search_courses', word, '0', String(PAGE_SIZE)]);
	});

	test('a Moodle error (invalid token) is a readable NodeApiError without the token', async () => {
		const list = lister(credentials('ffffffffffffffffffffffffffffffff'));
		const error = await listError(list.call(searchCourses));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Moodle: /);
		expect(error.message).toMatch(/token/i);
		expect(`${error.message} ${error.description ?? ''}`).not.toContain(
			'ffffffffffffffffffffffffffffffff',
		);
	});
});
