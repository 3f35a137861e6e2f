// Return All over an offset list with x-total-count: pages after the first go out in parallel
// (Request Options → Concurrency), the output keeps the list's order, every record once.
import type { IDataObject } from 'n8n-workflow';

import type { PercipioEmulator } from '../../sandbox/providers/percipio';
import type { Sandbox } from '../../sandbox/server';
import { ORG, resetAll, run, startPercipioSandbox } from './helpers';

const USERS = `/user-management/v1/organizations/${ORG}/users`;
let sandbox: Sandbox;
let emulator: PercipioEmulator;

beforeAll(async () => {
	({ sandbox, emulator } = await startPercipioSandbox());
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	resetAll(sandbox);
	emulator.users.clear();
	const updatedAt = '2026-01-01T00:00:00.000Z';
	for (let i = 0; i < 1234; i++) {
		const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
		emulator.users.set(id, { id, externalUserId: `emp-${i}`, updatedAt });
	}
});

const usersPages = () =>
	sandbox.ledger.requests({ provider: 'percipio', host: 'api', path: new RegExp(`${USERS}$`) });

describe('parallel paging (Percipio users, offset + x-total-count)', () => {
	test('every record once and in order; pages overlap, at most Concurrency at a time', async () => {
		// Every page waits 40 ms at the sandbox, so pages sent together are in flight together.
		sandbox.faults.add({
			match: { provider: 'percipio', path: `${USERS}$` },
			kind: 'latency',
			latencyMs: 40,
			count: 1000,
		});
		const { output } = await run(sandbox, {
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
			options: { pageSize: 100 },
			requestOptions: { concurrency: 4, maxRetryWaitSeconds: 5 },
		});
		expect(output.map((o) => o.json.externalUserId)).toEqual(
			Array.from({ length: 1234 }, (_, i) => `emp-${i}`),
		);
		const pages = usersPages();
		expect(pages).toHaveLength(13);
		expect(new Set(pages.map((p) => new URLSearchParams(p.query).get('offset'))).size).toBe(13);
		// Arrival times: after the first page, requests come in groups, never more than 4 within one 40 ms wait.
		const arrivals = pages.slice(1).map((p) => p.at);
		const maxTogether = Math.max(
			...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 35).length),
		);
		expect(maxTogether).toBeGreaterThan(1);
		expect(maxTogether).toBeLessThanOrEqual(4);
	});

	test('Concurrency 1 pages one at a time, same output', async () => {
		const { output } = await run(sandbox, {
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
			options: { pageSize: 500 },
			requestOptions: { concurrency: 1 },
		});
		expect(output.map((o) => o.json.externalUserId)).toEqual(
			Array.from({ length: 1234 }, (_, i) => `emp-${i}`),
		);
		expect(usersPages().map((p) => new URLSearchParams(p.query).get('offset'))).toEqual([
			'0',
			'500',
			'1000',
		]);
	});

	test('a page that fails fails the list cleanly: the error, no partial output', async () => {
		sandbox.faults.add({
			match: { provider: 'percipio', path: `${USERS}$` },
			kind: 'status',
			status: 400,
			skip: 5,
			count: 1,
		});
		await expect(
			run(sandbox, {
				resource: 'user',
				operation: 'getAll',
				returnAll: true,
				options: { pageSize: 100 },
				requestOptions: { concurrency: 4 },
			}),
		).rejects.toMatchObject({ httpCode: '400' });
		// No page beyond the window after the failed one was requested.
		expect(usersPages().length).toBeLessThanOrEqual(6 + 4);
	});

	test('with Continue On Fail the failed list becomes one error item', async () => {
		sandbox.faults.add({
			match: { provider: 'percipio', path: `${USERS}$` },
			kind: 'status',
			status: 400,
			skip: 3,
			count: 1,
		});
		const { output } = await run(
			sandbox,
			{
				resource: 'user',
				operation: 'getAll',
				returnAll: true,
				options: { pageSize: 100 },
				requestOptions: { concurrency: 4 },
			},
			{ continueOnFail: true },
		);
		expect(output).toHaveLength(1);
		expect((output[0].json as IDataObject).error).toEqual(expect.any(String));
	});
});
