import type { IDataObject } from 'n8n-workflow';

import { Degreed } from '../../../nodes/Degreed/Degreed.node';
import { runNode } from '../../support/n8nContext';
import { DEGREED_DEMO_LEARNERS } from '../../sandbox/providers/degreed';
import { fastRequests, resetDegreed, startDegreed } from './helpers';
import type { DegreedSandbox } from './helpers';

let env: DegreedSandbox;
beforeAll(async () => {
	env = await startDegreed();
});
afterAll(async () => await env.sandbox.close());
beforeEach(() => resetDegreed(env));

const users = DEGREED_DEMO_LEARNERS;
const courses = [
	'course-privacy-101',
	'course-remote-lead',
	'article-clear-email',
	'video-sql-intro',
];

describe('Degreed: a 1,000-completion sync under the rate limit', () => {
	it('sends every completion exactly once, paced under the limit, with short-lived tokens refreshed ahead of expiry', async () => {
		// Degreed's 70/min scaled up on both sides so the run takes seconds: the emulator enforces
		// 6,000 requests per 60 s window per client, the node paces at the same 6,000/min.
		const perMinute = 6000;
		env.emulator.configure({
			requestsPerMinute: perMinute,
			windowMs: 60_000,
			tokenLifetimeSeconds: 10,
		});
		const count = 1000;
		const items: IDataObject[] = Array.from({ length: count }, (_, n) => ({ n }));
		const started = Date.now();
		const { output } = await runNode(Degreed, {
			parameters: (i) => ({
				resource: 'completion',
				operation: 'create',
				userId: users[i % users.length],
				userIdentifierType: 'Email',
				contentId: courses[i % courses.length],
				contentIdType: 'externalId',
				contentType: 'Course',
				completedAt: new Date(Date.UTC(2026, 5, 1) + i * 60_000).toISOString(),
				additionalFields: { percentile: i % 101 },
				requestOptions: { requestsPerMinute: perMinute, concurrency: 8, maxRetryWaitSeconds: 30 },
			}),
			items,
			credentials: env.credentials(),
		});
		const seconds = (Date.now() - started) / 1000;
		const failures = output.filter((o) => o.json.error !== undefined);
		const writes = env.sandbox.ledger.writes('degreed', 'completion');
		const posts = env.sandbox.ledger.requests({
			provider: 'degreed',
			method: 'POST',
			path: '^/api/v2/completions$',
		});
		const status429 = posts.filter((p) => p.status === 429).length;
		const status401 = env.sandbox.ledger.requestCount('degreed', 'api', 401);
		const tokens = env.sandbox.ledger.tokenRequests('degreed');
		const rate = Math.round((posts.length / seconds) * 60);
		// The figures, for the record.
		process.stdout.write(
			`Degreed 1,000-completion sync: ${output.length} items in ${seconds.toFixed(1)} s (${rate}/min against a limit of ${perMinute}/min), ` +
				`${failures.length} failed, ${status429} answered 429 (${env.emulator.rateLimited} by the limit), ${posts.length} POSTs, ` +
				`${writes.unique} unique completions, ${writes.duplicates.length} duplicates, ${tokens} token requests (10 s tokens), ${status401} 401s\n`,
		);
		expect(output).toHaveLength(count);
		expect(failures).toHaveLength(0);
		expect(output.map((o) => (o.pairedItem as { item: number }).item)).toEqual(
			items.map((_, i) => i),
		);
		expect(writes).toMatchObject({ total: count, unique: count, duplicates: [] });
		// Pacing, not retries, kept the run under the limit: at most a handful of 429s, every one retried.
		expect(status429).toBeLessThanOrEqual(5);
		expect(posts.length).toBe(count + status429);
		// 10-second tokens (refreshed at 5 s) over a run of 10 s or more: refreshed ahead of expiry, never refused.
		expect(tokens).toBeGreaterThanOrEqual(2);
		expect(status401).toBe(0);
		expect(rate).toBeLessThanOrEqual(perMinute * 1.05);
	});

	it('a limit lower than the pace is absorbed: every 429 waits Retry-After and is resent, none fails', async () => {
		// The server allows 3 requests per 1-second window; the node is told 1,200/min (20/s). Its
		// first 4 requests leave together, before any X-Rate-Limit-* header has been seen, so the
		// fourth earns a 429; after that the headers pace the node.
		env.emulator.configure({ requestsPerMinute: 3, windowMs: 1000 });
		const items = Array.from({ length: 25 }, (_, n) => ({ n }));
		const { output } = await runNode(Degreed, {
			parameters: (i) => ({
				resource: 'completion',
				operation: 'create',
				userId: users[i % users.length],
				userIdentifierType: 'Email',
				contentId: 'course-safety',
				contentIdType: 'externalId',
				contentType: 'Course',
				completedAt: new Date(Date.UTC(2026, 6, 1) + i * 1000).toISOString(),
				additionalFields: {},
				requestOptions: { requestsPerMinute: 1200, concurrency: 4, maxRetryWaitSeconds: 30 },
			}),
			items,
			credentials: env.credentials(),
		});
		expect(output.filter((o) => o.json.error)).toHaveLength(0);
		expect(env.emulator.rateLimited).toBeGreaterThan(0);
		// Paced from the server's remaining budget, the node does not keep running into the limit.
		expect(env.emulator.rateLimited).toBeLessThan(10);
		expect(env.sandbox.ledger.writes('degreed', 'completion')).toMatchObject({
			total: 25,
			unique: 25,
			duplicates: [],
		});
		// The 429 answer is Degreed's documented one.
		const limited = env.sandbox.ledger
			.requests({ provider: 'degreed', method: 'POST' })
			.filter((r) => r.status === 429);
		expect(limited.length).toBe(env.emulator.rateLimited);
	});
});

describe('Degreed: paging cursors', () => {
	it('a cursor that expired (2 minutes idle) restarts the list cleanly: every record once', async () => {
		env.sandbox.clock.freeze();
		env.emulator.onApiRequest = (n) => {
			// After the first page, two minutes and a second pass before the next-page call.
			if (n === 2) env.sandbox.clock.advance(121_000);
		};
		const { output } = await runNode(Degreed, {
			parameters: {
				resource: 'completion',
				operation: 'getAll',
				returnAll: true,
				options: { pageSize: 4 },
				filters: {},
				requestOptions: fastRequests,
			},
			credentials: env.credentials(),
		});
		const ids = output.map((o) => o.json.id);
		expect(ids).toHaveLength(10);
		expect(new Set(ids).size).toBe(10);
		expect(env.emulator.expiredCursors).toBe(1);
		const requests = env.sandbox.ledger.requests({
			provider: 'degreed',
			path: '^/api/v2/completions$',
		});
		expect(requests.map((r) => r.status)).toEqual([200, 410, 200, 200, 200]);
		expect(requests.filter((r) => !/next=/.test(r.query))).toHaveLength(2);
	});

	it('a cursor idle for less than 2 minutes is still served (no restart, no duplicate requests)', async () => {
		env.sandbox.clock.freeze();
		env.emulator.configure({ tokenLifetimeSeconds: 3600 });
		env.emulator.onApiRequest = (n) => {
			if (n > 1) env.sandbox.clock.advance(110_000);
		};
		const { output } = await runNode(Degreed, {
			parameters: {
				resource: 'user',
				operation: 'getAll',
				returnAll: true,
				options: { pageSize: 2 },
				filters: {},
				requestOptions: fastRequests,
			},
			credentials: env.credentials(),
		});
		expect(output.map((o) => o.json.email)).toHaveLength(6);
		expect(env.emulator.expiredCursors).toBe(0);
		expect(
			env.sandbox.ledger
				.requests({ provider: 'degreed', path: '^/api/v2/users$' })
				.map((r) => r.status),
		).toEqual([200, 200, 200]);
	});
});
