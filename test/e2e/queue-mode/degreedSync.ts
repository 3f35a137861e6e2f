// The Degreed completions sync of queue mode, shared by queue-mode.test.ts (the e2e test) and
// bench/queue.ts (the 3-worker Auto concurrency measurement of issue #20): the workflow, the ledger
// keys it must write, and the rate-limit figures read from the sandbox's ledger.
import { nodeType, type WorkflowJson } from '../harness/n8n';
import { DEGREED_DEMO_LEARNERS, type DegreedEmulator } from '../../sandbox/providers/degreed';
import type { ExecutionRow, QueueCluster } from './cluster';

/** Demo learners (by email) and courses (by external id) of the Degreed emulator. */
export const USERS = DEGREED_DEMO_LEARNERS;
export const COURSES = ['course-privacy-101', 'course-remote-lead', 'course-onboarding'];

export interface SyncWorkflowOptions {
	id: string;
	name: string;
	path: string;
	credentialId: string;
	credentialName: string;
	/** the Degreed node's Request Options (Concurrency, Requests Per Minute ...) */
	requestOptions: Record<string, number>;
	/** the Webhook node's id; workflows active at the same time need distinct ones */
	webhookId?: string;
}

/**
 * Webhook (responds at once; main enqueues) → Code (`count` completions whose completion times
 * differ per execution `run`, both from the POST body) → Degreed "Completion → Create".
 */
export function syncWorkflow(o: SyncWorkflowOptions): WorkflowJson {
	const jsCode = `
const { run, count } = $input.first().json.body;
const users = ${JSON.stringify(USERS)};
const courses = ${JSON.stringify(COURSES)};
const base = Date.UTC(2026, 9, 1) + Number(run) * 86400000;
return Array.from({ length: Number(count) }, (_, i) => ({
  json: { run, email: users[i % users.length], course: courses[i % courses.length], completedAt: new Date(base + i * 60000).toISOString() },
}));`;
	return {
		id: o.id,
		name: o.name,
		active: false,
		nodes: [
			{
				id: 'a1f0c7de-0000-4000-8000-000000000001',
				name: 'Sync Request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: o.webhookId ?? 'b2e1d8ef-0000-4000-8000-000000000001',
				parameters: {
					httpMethod: 'POST',
					path: o.path,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: 'a1f0c7de-0000-4000-8000-000000000002',
				name: 'Completions',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { mode: 'runOnceForAllItems', jsCode },
			},
			{
				id: 'a1f0c7de-0000-4000-8000-000000000003',
				name: 'Record Completion',
				type: nodeType('degreed'),
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'completion',
					operation: 'create',
					userId: '={{ $json.email }}',
					userIdentifierType: 'Email',
					contentId: '={{ $json.course }}',
					contentIdType: 'externalId',
					contentType: 'Course',
					completedAt: '={{ $json.completedAt }}',
					additionalFields: { percentile: 90 },
					requestOptions: o.requestOptions,
				},
				credentials: { degreedApi: { id: o.credentialId, name: o.credentialName } },
			},
		],
		connections: {
			'Sync Request': { main: [[{ node: 'Completions', type: 'main', index: 0 }]] },
			Completions: { main: [[{ node: 'Record Completion', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The ledger keys (`<user id>|<content id>|<completed-at>`) the runs must write, each once. */
export function expectedKeys(
	emulator: DegreedEmulator,
	runs: number[],
	recordsPerExecution: number,
): string[] {
	const userId = (email: string) =>
		[...emulator.users.values()].find((u) => u.attributes.email === email)!.id;
	const contentId = (externalId: string) =>
		[...emulator.content.values()].find((c) => c.attributes['external-id'] === externalId)!.id;
	const keys: string[] = [];
	for (const run of runs) {
		const base = Date.UTC(2026, 9, 1) + run * 86_400_000;
		for (let i = 0; i < recordsPerExecution; i++) {
			keys.push(
				`${userId(USERS[i % USERS.length])}|${contentId(COURSES[i % COURSES.length])}|${new Date(base + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
			);
		}
	}
	return keys.sort();
}

/**
 * Error texts of failed executions, for a failure message: n8n stores run data in `flatted` form
 * (a JSON array whose strings are entries of their own), so the messages are strings of that array.
 */
export function errorTexts(cluster: QueueCluster, rows: ExecutionRow[]): string[] {
	const data = cluster.executionData(rows.map((e) => e.id));
	return rows.flatMap((e) => {
		let entries: unknown[] = [];
		try {
			entries = JSON.parse(data.get(e.id) ?? '[]') as unknown[];
		} catch {
			/* not flatted */
		}
		const texts = entries
			.filter(
				(v): v is string =>
					typeof v === 'string' &&
					/error|fail|refus|invalid|denied|timeout/i.test(v) &&
					v.length < 2000,
			)
			.map((v) => v.split('\n')[0]);
		return [`execution ${e.id}: ${[...new Set(texts)].slice(0, 8).join(' | ')}`];
	});
}

/** Max number of timestamps inside any window of `ms`. */
export function peakInWindow(times: number[], ms: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	for (let i = 0, j = 0; i < sorted.length; i++) {
		while (sorted[i] - sorted[j] >= ms) j++;
		best = Math.max(best, i - j + 1);
	}
	return best;
}

export interface LimitFigures {
	/** fixed windows as the server counted them (reconstructed from the ledger) */
	serverWindows: number;
	/** requests accepted in each server window, in order (the last one may be partial) */
	acceptedPerServerWindow: number[];
	peakAcceptedPerServerWindow: number;
	/** most requests accepted / offered (429s included) in any sliding window of windowMs */
	peakAcceptedPerSlidingWindow: number;
	peakOfferedPerSlidingWindow: number;
	acceptedPerSecond: number;
	allowedPerSecond: number;
}

/**
 * How the API requests of a run sat against a fixed-window limit of `perWindow` per `windowMs`.
 * 401s are not counted by the server's limiter; 429s are counted (offered) but not accepted.
 */
export function limitFigures(
	api: Array<{ at: number; status: number }>,
	perWindow: number,
	windowMs: number,
): LimitFigures {
	const accepted = api.filter((r) => r.status !== 429 && r.status !== 401);
	// The server's fixed windows: one starts with the first counted request after the previous ended.
	const counted = api.filter((r) => r.status !== 401).sort((a, b) => a.at - b.at);
	const perServerWindow: number[] = [];
	let windowStart = -Infinity;
	for (const r of counted) {
		if (r.at >= windowStart + windowMs) {
			perServerWindow.push(0);
			windowStart = r.at;
		}
		if (r.status !== 429) perServerWindow[perServerWindow.length - 1]++;
	}
	const span = accepted.length ? accepted[accepted.length - 1].at - accepted[0].at : 0;
	return {
		serverWindows: perServerWindow.length,
		acceptedPerServerWindow: perServerWindow,
		peakAcceptedPerServerWindow: Math.max(0, ...perServerWindow),
		peakAcceptedPerSlidingWindow: peakInWindow(
			accepted.map((r) => r.at),
			windowMs,
		),
		peakOfferedPerSlidingWindow: peakInWindow(
			counted.map((r) => r.at),
			windowMs,
		),
		acceptedPerSecond: Math.round((accepted.length / Math.max(1, span / 1000)) * 100) / 100,
		allowedPerSecond: perWindow / (windowMs / 1000),
	};
}
