import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { runPoll, timeOf } from '../../../nodes/shared/pollTrigger';
import type { PollEvent, PollTriggerConfig } from '../../../nodes/shared/pollTrigger';

interface Fake {
	records: IDataObject[];
	failOnPage?: number;
	pageSize: number;
	windows: Array<{ since: number; until: number }>;
}

/** A source with pages of `pageSize`, optionally throwing on one page (a 5xx or a bad page). */
function source(fake: Fake): PollTriggerConfig<Fake> {
	const event: PollEvent<Fake> = {
		name: 'Thing',
		value: 'thing',
		description: '',
		async *fetch(f, window) {
			f.windows.push(window);
			const rows = f.records.filter(
				(r) =>
					Date.parse(String(r.updated)) >= window.since &&
					Date.parse(String(r.updated)) <= window.until,
			);
			for (let p = 0; p * f.pageSize < rows.length; p++) {
				if (f.failOnPage === p) throw new Error('HTTP 503 on page ' + p);
				yield rows.slice(p * f.pageSize, (p + 1) * f.pageSize);
			}
		},
		id: (r) => String(r.id),
		at: (r) => timeOf(r.updated),
	};
	return { events: [event], client: async () => fake, defaultOverlapMinutes: 5 };
}

function context(
	params: IDataObject,
	staticData: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
): IPollFunctions {
	return {
		getNode: () => ({
			id: 'n',
			name: 'T',
			type: 't',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in params ? params[name] : fallback,
		getMode: () => mode,
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({}),
		helpers: {},
	} as unknown as IPollFunctions;
}

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const idsOf = (out: Awaited<ReturnType<typeof runPoll>>) =>
	out ? out[0].map((i) => i.json.id) : [];

describe('runPoll', () => {
	test('first activation starts from now: older records are not emitted, new ones are', async () => {
		const fake: Fake = { records: [{ id: 'old', updated: at(60) }], pageSize: 10, windows: [] };
		const data: IDataObject = {};
		expect(await runPoll(context({}, data), source(fake))).toBeNull();
		fake.records.push({ id: 'new', updated: new Date(Date.now() + 10).toISOString() });
		await new Promise((r) => setTimeout(r, 20));
		expect(idsOf(await runPoll(context({}, data), source(fake)))).toEqual(['new']);
		expect(await runPoll(context({}, data), source(fake))).toBeNull();
	});

	test('a start date catches up in batches, oldest first', async () => {
		const fake: Fake = {
			records: [1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, updated: at(100 - n) })),
			pageSize: 2,
			windows: [],
		};
		const data: IDataObject = {};
		const params = { startFrom: 'date', startDate: at(200), options: { maxRecords: 2 } };
		expect(idsOf(await runPoll(context(params, data), source(fake)))).toEqual(['r1', 'r2']);
		expect(idsOf(await runPoll(context(params, data), source(fake)))).toEqual(['r3', 'r4']);
		expect(idsOf(await runPoll(context(params, data), source(fake)))).toEqual(['r5']);
		expect(await runPoll(context(params, data), source(fake))).toBeNull();
	});

	test('manual mode returns the newest few and never touches the state', async () => {
		const fake: Fake = {
			records: Array.from({ length: 8 }, (_, n) => ({ id: `r${n}`, updated: at(60 - n) })),
			pageSize: 3,
			windows: [],
		};
		const data: IDataObject = {};
		const params = { startFrom: 'date', startDate: at(600) };
		const sample = await runPoll(context(params, data, 'manual'), source(fake));
		expect(idsOf(sample)).toEqual(['r7', 'r6', 'r5', 'r4', 'r3']);
		expect(data).toEqual({});
		expect(idsOf(await runPoll(context(params, data), source(fake)))).toHaveLength(8); // nothing was consumed
	});

	test('an error on a later page throws, emits nothing and leaves the state as it was', async () => {
		const fake: Fake = {
			records: Array.from({ length: 6 }, (_, n) => ({ id: `r${n}`, updated: at(60 - n) })),
			pageSize: 2,
			windows: [],
		};
		const data: IDataObject = {};
		const params = { startFrom: 'date', startDate: at(600) };
		expect(
			idsOf(await runPoll(context({ ...params, options: { maxRecords: 2 } }, data), source(fake))),
		).toEqual(['r0', 'r1']);
		const before = JSON.stringify(data);
		fake.failOnPage = 1;
		await expect(runPoll(context(params, data), source(fake))).rejects.toThrow('503');
		expect(JSON.stringify(data)).toBe(before);
		fake.failOnPage = undefined;
		expect(idsOf(await runPoll(context(params, data), source(fake)))).toEqual([
			'r2',
			'r3',
			'r4',
			'r5',
		]);
	});

	test('a restart from the persisted state continues where it stopped; changing the event or start starts over', async () => {
		const fake: Fake = {
			records: [
				{ id: 'a', updated: at(30) },
				{ id: 'b', updated: at(20) },
			],
			pageSize: 10,
			windows: [],
		};
		const params = { startFrom: 'date', startDate: at(600) };
		const data: IDataObject = {};
		expect(idsOf(await runPoll(context(params, data), source(fake)))).toEqual(['a', 'b']);
		const persisted = JSON.parse(JSON.stringify(data)) as IDataObject; // what the database holds
		fake.records.push({ id: 'c', updated: at(10) });
		expect(idsOf(await runPoll(context(params, persisted), source(fake)))).toEqual(['c']);
		expect(fake.windows.at(-1)!.since).toBe(
			Date.parse(String(fake.records[1].updated)) - 5 * 60_000,
		);
		const moved = { ...params, startDate: at(25) };
		expect(idsOf(await runPoll(context(moved, persisted), source(fake)))).toEqual(['b', 'c']);
	});

	test('a window of more than 500 pages fails the poll unless the source is oldest first, which drains it batch by batch', async () => {
		const records = Array.from({ length: 501 }, (_, n) => ({
			id: `r${String(n).padStart(3, '0')}`,
			updated: new Date(Date.now() - 600_000 + n).toISOString(),
		}));
		const params = { startFrom: 'date', startDate: at(60), options: { maxRecords: 10 } };
		const whole: Fake = { records, pageSize: 1, windows: [] };
		const data: IDataObject = {};
		await expect(runPoll(context(params, data), source(whole))).rejects.toThrow(
			'More than 500 pages',
		);
		expect(data).toEqual({});
		const config = source({ records, pageSize: 1, windows: [] });
		config.events[0].ascending = true;
		expect(idsOf(await runPoll(context(params, data), config))).toEqual(
			records.slice(0, 10).map((r) => r.id),
		);
		expect(idsOf(await runPoll(context(params, data), config))).toEqual(
			records.slice(10, 20).map((r) => r.id),
		);
	});
});
