// SCORM Cloud's synthetic registrations (benchmarks): 100,000 pageable in seconds without being stored,
// and, for any filter and order, listed exactly as the same records would be if they were stored.
import { Agent, request } from 'undici';
import { SCORMCLOUD_DEMO, scormCloudProvider } from '../../sandbox/providers/scormcloud';
import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';

let sandbox: Sandbox;
let emulator: ScormCloudEmulator;
let api: string;
const agent = new Agent({ connections: 4 });
const authorization = `Basic ${Buffer.from(`${SCORMCLOUD_DEMO.appId}:${SCORMCLOUD_DEMO.secretKey}`).toString('base64')}`;

beforeAll(async () => {
	sandbox = await startSandbox({ providers: [scormCloudProvider()], ledger: 'off' });
	emulator = sandbox.provider<ScormCloudEmulator>('scormcloud');
	api = `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`;
});
afterAll(async () => {
	await agent.close();
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

type Reg = {
	id: string;
	createdDate: string;
	updated: string;
	course: { id: string };
	learner: { id: string };
	registrationCompletion: string;
	score?: { scaled: number };
};

async function get(path: string, method: 'GET' | 'HEAD' | 'DELETE' = 'GET') {
	const res = await request(`${api}${path}`, {
		method,
		headers: { authorization },
		dispatcher: agent,
	});
	const text = await res.body.text();
	return {
		status: res.statusCode,
		headers: res.headers,
		body: text ? JSON.parse(text) : undefined,
	};
}

/** Every page of a listing, following `more` (which must be sent alone). */
async function listAll(query: string): Promise<{ records: Reg[]; pages: number; total?: string }> {
	const first = await get(`/registrations?${query}`);
	expect(first.status).toBe(200);
	const records: Reg[] = [...first.body.registrations];
	let more: string | undefined = first.body.more;
	let pages = 1;
	while (more) {
		const page = await get(`/registrations?more=${more}`);
		expect(page.status).toBe(200);
		records.push(...page.body.registrations);
		more = page.body.more;
		pages++;
	}
	return { records, pages, total: first.headers['x-total-count'] as string | undefined };
}

test('100,000 registrations page through the emulator in seconds, none of them stored', async () => {
	emulator.configure({ registrations: 100_000 });
	const storedBefore = emulator.registrations.size;
	const started = performance.now();
	const { records, pages, total } = await listAll('includeTotalCount=true');
	const seconds = (performance.now() - started) / 1000;
	console.log(
		`paged ${records.length} registrations in ${pages} pages of ${emulator.pageSize}: ${seconds.toFixed(2)} s (${Math.round(records.length / seconds)} records/s), heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`,
	);

	expect(records.length).toBe(100_000 + storedBefore);
	expect(total).toBe(String(100_000 + storedBefore));
	expect(pages).toBe(Math.ceil(records.length / emulator.pageSize));
	expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
	// default order: created_desc, the stored demo registrations (2026) before the synthetic ones (from Dec 2025)
	for (let i = 1; i < records.length; i++)
		expect(records[i - 1].createdDate >= records[i].createdDate).toBe(true);
	expect(records[storedBefore].id).toBe('syn-0099999');
	expect(records.at(-1)?.id).toBe('syn-0000000');
	expect(emulator.registrations.size).toBe(storedBefore);
	expect(seconds).toBeLessThan(30);
});

test('any filter and order lists synthetic registrations exactly as if they were stored', async () => {
	emulator.configure({ registrations: 600, pageSize: 37 });
	const queries = [
		'orderBy=created_asc',
		'orderBy=updated_desc&courseId=course-privacy-201',
		'since=2025-12-01T00:03:00Z&until=2026-01-30T00:00:00Z&includeTotalCount=true',
		'tags=sample&orderBy=updated_asc&includeTotalCount=true',
		'filter=learner-grace&filterBy=learner_id',
		'datetimeFilter=updated&since=2025-12-01T00:05:00.400Z&orderBy=created_desc',
	];
	const lazily = [];
	for (const q of queries) lazily.push(await listAll(q));
	for (const l of lazily) expect(l.records.length).toBeGreaterThan(0);
	expect(lazily[0].records.length).toBe(608);
	expect(lazily[1].records.every((r) => r.course.id === 'course-privacy-201')).toBe(true);
	expect(lazily[3].records.length).toBe(60); // every tenth is tagged 'sample'

	// Store every synthetic registration (a lookup by id turns one into a stored record), list again.
	for (let i = 0; i < 600; i++)
		expect((await get(`/registrations/syn-${String(i).padStart(7, '0')}`)).status).toBe(200);
	expect(emulator.registrations.size).toBe(608);
	for (const [n, q] of queries.entries()) {
		const stored = await listAll(q);
		expect(stored.records).toEqual(lazily[n].records);
		expect(stored.total).toBe(lazily[n].total);
	}
});

test('synthetic registrations answer get, HEAD and delete like stored ones; their ids are taken', async () => {
	emulator.configure({ registrations: 10 });
	const one = await get('/registrations/syn-0000003');
	expect(one.status).toBe(200);
	expect(one.body).toMatchObject({
		id: 'syn-0000003',
		registrationCompletion: 'COMPLETED',
		learner: { id: 'learner-katherine-3' },
	});
	expect((await get('/registrations/syn-0000004', 'HEAD')).status).toBe(200);
	expect((await get('/registrations/syn-0000010', 'HEAD')).status).toBe(404); // beyond the count
	expect((await get('/registrations/syn-0000005', 'DELETE')).status).toBe(204);
	expect((await get('/registrations/syn-0000005')).status).toBe(404);
	const created = await request(`${api}/registrations`, {
		method: 'POST',
		headers: { authorization, 'content-type': 'application/json' },
		body: JSON.stringify({
			courseId: 'course-safety-101',
			registrationId: 'syn-0000006',
			learner: { id: 'x' },
		}),
		dispatcher: agent,
	});
	expect(created.statusCode).toBe(400);
	await created.body.text();
	const { records } = await listAll('orderBy=created_asc&filter=syn-&filterBy=registration_id');
	expect(records.map((r) => r.id)).toEqual([
		'syn-0000000',
		'syn-0000001',
		'syn-0000002',
		'syn-0000003',
		'syn-0000004',
		'syn-0000006',
		'syn-0000007',
		'syn-0000008',
		'syn-0000009',
	]);
	// the same data twice: deterministic from the index
	const again = (await get('/registrations/syn-0000007')).body;
	sandbox.reset();
	emulator.configure({ registrations: 10 });
	expect((await get('/registrations/syn-0000007')).body).toEqual(again);
	// over the control API too, and 0 removes them
	const seeded = await request(`${sandbox.controlUrl}/seed`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ provider: 'scormcloud', data: { syntheticRegistrations: 0 } }),
		dispatcher: agent,
	});
	expect(seeded.statusCode).toBe(200);
	await seeded.body.text();
	expect((await get('/registrations/syn-0000001')).status).toBe(404);
});
