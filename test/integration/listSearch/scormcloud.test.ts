import { NodeApiError } from 'n8n-workflow';

import { searchCourses, searchRegistrations } from '../../../nodes/ScormCloud/methods/listSearch';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { scormCloudProvider } from '../../sandbox/providers/scormcloud';
import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { credentialsFor, oauth } from '../scormcloud/helpers';
import { listError, lister, values } from './helpers';

let sandbox: Sandbox;
let emulator: ScormCloudEmulator;
const PAGE = 3;

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [scormCloudProvider({ pageSize: PAGE })] });
	emulator = sandbox.provider<ScormCloudEmulator>('scormcloud');
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sharedTokenManager.clear();
});

const tokenRequests = () =>
	sandbox.ledger.requests({ provider: 'scormcloud' }).filter((r) => /oauth/.test(r.path)).length;

describe('SCORM Cloud list search', () => {
	test('courses: pages follow SCORM Cloud\'s "more" token, which is sent alone, to every course once', async () => {
		emulator.seed({
			courses: [1, 2, 3, 4].map((n) => ({ id: `extra-${n}`, title: `Extra course ${n}` })),
		});
		const list = lister({ scormCloudApi: credentialsFor(sandbox) });
		const pages = await list.all(searchCourses);
		const expected = [...emulator.courses.keys()];
		expect(expected.length).toBeGreaterThan(PAGE);
		expect(pages.length).toBe(Math.ceil(expected.length / PAGE));
		expect(pages[0].paginationToken).toEqual(expect.any(String));
		expect(new Set(values(pages))).toEqual(new Set(expected));
		expect(values(pages)).toHaveLength(expected.length);
		expect(list.requests[1].qs).toEqual({ more: pages[0].paginationToken });
	});

	test('courses: the text is a server-side title filter', async () => {
		const course = [...emulator.courses.values()][0];
		const word = course.title.split(/\s+/)[0];
		const list = lister({ scormCloudApi: credentialsFor(sandbox) });
		const pages = await list.all(searchCourses, word);
		const expected = [...emulator.courses.values()]
			.filter((c) => c.title.toLowerCase().includes(word.toLowerCase()))
			.map((c) => c.id);
		expect(new Set(values(pages))).toEqual(new Set(expected));
		expect(list.requests[0].qs).toMatchObject({ filter: word, filterBy: 'title' });
		expect(pages[0].results[0].name).toContain(word);
	});

	test('registrations: "@" searches the learner email server-side; the entry names learner and course', async () => {
		const reg = [...emulator.registrations.values()].find((r) => r.learner.email)!;
		const list = lister({ scormCloudApi: credentialsFor(sandbox) });
		const pages = await list.all(searchRegistrations, reg.learner.email!);
		expect(values(pages)).toContain(reg.id);
		for (const id of values(pages))
			expect(emulator.registrations.get(id)?.learner.email).toBe(reg.learner.email);
		expect(list.requests[0].qs).toMatchObject({ filterBy: 'learner_email' });
	});

	test('a token revoked between two pages is replaced and the list goes on (OAuth)', async () => {
		const list = lister({ scormCloudApi: credentialsFor(sandbox, oauth(['read'])) });
		const first = await list.call(searchRegistrations);
		expect(first.paginationToken).toEqual(expect.any(String));
		expect(tokenRequests()).toBe(1);
		expect(sandbox.tokens.revokeAll('scormcloud')).toBeGreaterThan(0);
		const second = await list.call(searchRegistrations, undefined, first.paginationToken);
		expect(second.results.length).toBeGreaterThan(0);
		expect(tokenRequests()).toBe(2);
		expect(new Set([...values([first]), ...values([second])]).size).toBe(
			first.results.length + second.results.length,
		);
	});

	test('a provider error is a readable message naming SCORM Cloud, without the secret', async () => {
		const list = lister({
			scormCloudApi: credentialsFor(sandbox, { secretKey: 'a-wrong-secret-key-123' }),
		});
		const error = await listError(list.call(searchCourses));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^SCORM Cloud: /);
		expect(error.description).toMatch(/credential/i);
		expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain(
			'a-wrong-secret-key-123',
		);
	});
});
