/**
 * The fault soak: each provider's main write path driven through the real node (`runNode`, n8n's
 * own HTTP helper) against the in-process sandbox while it injects 5xx answers, connection resets
 * (before and after the server processed the write), 429 bursts with Retry-After, latency spikes,
 * and revokes every access token mid-run. The figures come from the sandbox's ledgers, never from
 * the node: what the server received and stored is the only evidence that counts.
 *
 * Used by `test/reliability/soak.test.ts` (2,000 records per provider, in CI) and by
 * `npm run soak` (`scripts/soak.ts`, 10,000 records per provider).
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { Degreed } from '../../nodes/Degreed/Degreed.node';
import { LearnLink } from '../../nodes/LearnLink/LearnLink.node';
import { Moodle } from '../../nodes/Moodle/Moodle.node';
import { Percipio } from '../../nodes/Percipio/Percipio.node';
import { ScormCloud } from '../../nodes/ScormCloud/ScormCloud.node';
import { sharedTokenManager } from '../../nodes/shared/tokenManager';
import type { FaultPlan } from '../sandbox/faults';
import { DEGREED_DEMO_LEARNERS, DegreedEmulator } from '../sandbox/providers/degreed';
import { LearnLinkEmulator } from '../sandbox/providers/learnlink';
import { MOODLE_DEMO, MoodleEmulator } from '../sandbox/providers/moodle';
import { percipioProvider } from '../sandbox/providers/percipio';
import { ScormCloudEmulator } from '../sandbox/providers/scormcloud';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { runNode } from '../support/n8nContext';
import { canaryCredentials, seedCanaries } from '../support/canaries';

export interface SoakOptions {
	records: number;
	/** Length of a latency spike (2 s in CI). */
	latencyMs?: number;
	/** Share of requests that get a latency spike. */
	latencyShare?: number;
	/** Items in flight at once (the node's Request Options → Concurrency). */
	concurrency?: number;
	seed?: number;
}

export interface SoakFigures {
	provider: string;
	writePath: string;
	records: number;
	outputItems: number;
	errorItems: number;
	written: number;
	duplicates: number;
	lost: number;
	/** Requests that reached the write route (first sends and resends). */
	writeAttempts: number;
	/** Other API requests (look-ups of writes whose answer was lost). */
	lookups: number;
	/** Attempts beyond one per record. */
	retries: number;
	faults: { '5xx': number; reset: number; 'reset-after': number; '429': number; latency: number };
	status401: number;
	tokenRequests: number;
	tokenRevokedAt: number | null;
	wallSeconds: number;
	errors: string[];
	/** Everything the node produced, for the secret scan. */
	texts: string[];
	/** Every access token the node sent, for the secret scan. */
	tokensSeen: string[];
}

interface ProviderSetup {
	name: string;
	writePath: string;
	/** provider-relative host(s) whose requests get the faults */
	hosts: string[];
	writeMatch: { method: string; path: RegExp };
	kind: string;
	node: new () => INodeType;
	credentialType: string;
	/** false: the credential has no access tokens to revoke (Moodle's static web-service token) */
	revokable: boolean;
	start(): Promise<Sandbox>;
	prepare(sandbox: Sandbox, records: number): void;
	credentials(sandbox: Sandbox): ICredentialDataDecryptedObject;
	parameters(i: number): IDataObject;
	expectedKeys?(records: number): string[];
}

const DEGREED_USERS = DEGREED_DEMO_LEARNERS;
const DEGREED_COURSES = [
	'course-privacy-101',
	'course-remote-lead',
	'article-clear-email',
	'video-sql-intro',
];
const minute = (i: number) => new Date(Date.UTC(2026, 5, 1) + i * 60_000).toISOString();
let learnLinkUsers: string[] = [];

export const SOAK_PROVIDERS: ProviderSetup[] = [
	{
		name: 'percipio',
		writePath: 'Percipio Content Import (POST …/content, keyed by content_id)',
		hosts: ['api'],
		writeMatch: { method: 'POST', path: /\/content$/ },
		kind: 'content',
		node: Percipio,
		credentialType: 'percipioApi',
		revokable: true,
		start: async () =>
			await startSandbox({
				providers: [percipioProvider({ demoData: false })],
				logLevel: 'silent',
			}),
		prepare: (sandbox) => seedCanaries(sandbox, 'percipio'),
		credentials: (sandbox) => canaryCredentials(sandbox, 'percipio'),
		parameters: (i) => ({
			resource: 'contentImport',
			operation: 'upsert',
			contentId: `soak-${String(i).padStart(5, '0')}`,
			title: `Soak course ${i}`,
			contentType: 'COURSE',
			url: `https://learn.example.com/soak/${i}`,
			language: 'en',
			duration: 600 + (i % 100),
			additionalFields: {},
			options: {},
		}),
		expectedKeys: (n) => Array.from({ length: n }, (_, i) => `soak-${String(i).padStart(5, '0')}`),
	},
	{
		name: 'degreed',
		writePath: 'Degreed Completions (POST /api/v2/completions; no key: a lost answer is looked up)',
		hosts: ['api'],
		writeMatch: { method: 'POST', path: /^\/api\/v2\/completions$/ },
		kind: 'completion',
		node: Degreed,
		credentialType: 'degreedApi',
		revokable: true,
		start: async () =>
			await startSandbox({
				providers: [new DegreedEmulator({ requestsPerMinute: 0 })],
				logLevel: 'silent',
			}),
		prepare: (sandbox) => seedCanaries(sandbox, 'degreed'),
		credentials: (sandbox) => canaryCredentials(sandbox, 'degreed'),
		parameters: (i) => ({
			resource: 'completion',
			operation: 'create',
			userId: DEGREED_USERS[i % DEGREED_USERS.length],
			userIdentifierType: 'Email',
			contentId: DEGREED_COURSES[i % DEGREED_COURSES.length],
			contentIdType: 'externalId',
			contentType: 'Course',
			completedAt: minute(i),
			additionalFields: {},
		}),
	},
	{
		name: 'learnlink',
		writePath:
			'Learn.link Completions (POST /rest/v1/learning/completions, deduplicated by user|content|time)',
		hosts: ['public'],
		writeMatch: { method: 'POST', path: /^\/rest\/v1\/learning\/completions$/ },
		kind: 'completion',
		node: LearnLink,
		credentialType: 'learnLinkApi',
		revokable: true,
		start: async () =>
			await startSandbox({ providers: [new LearnLinkEmulator()], logLevel: 'silent' }),
		prepare: (sandbox) => {
			seedCanaries(sandbox, 'learnlink');
			sandbox.provider<LearnLinkEmulator>('learnlink').seed({ rateLimitPerMinute: null });
			learnLinkUsers = [...sandbox.provider<LearnLinkEmulator>('learnlink').users.values()].map(
				(u) => u.id,
			);
		},
		credentials: (sandbox) => canaryCredentials(sandbox, 'learnlink'),
		parameters: (i) => ({
			resource: 'completion',
			operation: 'create',
			userId: learnLinkUsers[i % learnLinkUsers.length],
			contentId: ['cnt-101', 'cnt-102', 'cnt-103', 'cnt-104'][i % 4],
			completedAt: minute(i),
		}),
	},
	{
		name: 'scormcloud',
		writePath: 'SCORM Cloud Registrations (POST /api/v2/registrations, keyed by registrationId)',
		hosts: ['cloud'],
		writeMatch: { method: 'POST', path: /\/registrations$/ },
		kind: 'registration',
		node: ScormCloud,
		credentialType: 'scormCloudApi',
		revokable: true,
		start: async () =>
			await startSandbox({ providers: [new ScormCloudEmulator()], logLevel: 'silent' }),
		prepare: (sandbox) => seedCanaries(sandbox, 'scormcloud'),
		credentials: (sandbox) =>
			canaryCredentials(sandbox, 'scormcloud', {
				authMethod: 'oauth',
				scopes: ['read', 'write'],
				extraScopes: '',
				expirationSeconds: 300,
			}),
		parameters: (i) => ({
			resource: 'registration',
			operation: 'create',
			courseId: 'course-safety-101',
			registrationId: `soak-reg-${i}`,
			learnerId: `soak-learner-${i}`,
			learnerFirstName: 'Soak',
			learnerLastName: `Learner ${i}`,
			ifExists: 'returnExisting',
			postBack: {},
			additionalFields: {},
		}),
		expectedKeys: (n) => Array.from({ length: n }, (_, i) => `soak-reg-${i}`),
	},
	{
		name: 'moodle',
		writePath: 'Moodle percipio_progress_tracking (POST server.php, upsert per user and course)',
		hosts: ['site'],
		writeMatch: { method: 'POST', path: /\/webservice\/rest\/server\.php$/ },
		kind: 'progress',
		node: Moodle,
		credentialType: 'moodleApi',
		revokable: false,
		start: async () =>
			await startSandbox({ providers: [new MoodleEmulator()], logLevel: 'silent' }),
		prepare: (sandbox, records) => {
			seedCanaries(sandbox, 'moodle');
			const emulator = sandbox.provider<MoodleEmulator>('moodle');
			for (let i = 0; i < records; i++)
				emulator.addUser({ id: 100_000 + i, username: `soak.learner${i}` });
		},
		credentials: (sandbox) => canaryCredentials(sandbox, 'moodle'),
		parameters: (i) => ({
			resource: 'percipio',
			operation: 'trackProgress',
			moodleUserId: 100_000 + i,
			courseShortname: MOODLE_DEMO.percipioContentId,
			completionState: 2,
			additionalFields: { finalgrade: i % 101, percentcomplete: 100, timecompleted: minute(i) },
		}),
		expectedKeys: (n) =>
			Array.from({ length: n }, (_, i) => `${100_000 + i}:${MOODLE_DEMO.percipioContentId}`),
	},
];

/** The fault mix of the issue, scaled to the run: ids name the kind so the ledger can count them. */
export function faultPlans(
	provider: string,
	hosts: string[],
	records: number,
	options: SoakOptions,
): FaultPlan[] {
	const plans: FaultPlan[] = [];
	for (const host of hosts) {
		const match = { provider, host };
		// Latency spikes add up with the rest and do not end the evaluation.
		plans.push({
			id: `latency-${host}`,
			kind: 'latency',
			latencyMs: options.latencyMs ?? 2000,
			share: options.latencyShare ?? 0.003,
			match,
		});
		// 429 bursts: a run of consecutive requests answered 429 with Retry-After: 1.
		for (const at of [0.15, 0.45, 0.75])
			plans.push({
				id: `429-${host}-${at}`,
				kind: 'status',
				status: 429,
				retryAfter: 1,
				skip: Math.floor(records * at),
				count: 25,
				match,
			});
		// Plans are tried in order and the first that fires ends the evaluation, so each share is
		// conditioned on the earlier ones not firing: overall 10 % 5xx and 3 % resets per request.
		let taken = 0;
		const share = (overall: number) => {
			const conditional = overall / (1 - taken);
			taken += overall;
			return conditional;
		};
		// 10 % 5xx (502/503/504), without Retry-After: the node backs off with full jitter.
		for (const status of [502, 503, 504])
			plans.push({
				id: `5xx-${status}-${host}`,
				kind: 'status',
				status,
				retryAfter: null,
				share: share(0.1 / 3),
				match,
			});
		// 3 % resets: half before the server ran the route, half after it processed the write.
		plans.push({ id: `reset-${host}`, kind: 'reset', share: share(0.015), match });
		plans.push({ id: `reset-after-${host}`, kind: 'reset-after', share: share(0.015), match });
	}
	return plans;
}

function textsOf(output: INodeExecutionData[]): string[] {
	return output.map((o) => JSON.stringify(o.json));
}

/** Runs one provider's soak and returns the figures; throws nothing the test should not see. */
export async function soakProvider(
	setup: ProviderSetup,
	options: SoakOptions,
): Promise<SoakFigures> {
	const sandbox = await setup.start();
	try {
		setup.prepare(sandbox, options.records);
		sandbox.faults.add(faultPlans(setup.name, setup.hosts, options.records, options));
		const items = Array.from({ length: options.records }, (_, n) => ({ n }));
		let tokenRevokedAt: number | null = null;
		// Token revoked mid-run: once half the records are stored, every token of the provider dies.
		const watcher = setup.revokable
			? setInterval(() => {
					if (
						tokenRevokedAt === null &&
						sandbox.ledger.writes(setup.name, setup.kind).unique >= options.records / 2
					) {
						tokenRevokedAt = sandbox.ledger.writes(setup.name, setup.kind).unique;
						sandbox.tokens.revokeAll(setup.name);
					}
				}, 10)
			: undefined;
		const started = Date.now();
		let output: INodeExecutionData[] = [];
		let requests: Array<{ headers?: unknown }> = [];
		let logs: Array<{ message: string; meta?: object }> = [];
		const errors: string[] = [];
		try {
			const result = await runNode(setup.node, {
				parameters: (i) => ({
					...setup.parameters(i),
					// Enough attempts for a record that meets several faults in a row; pacing off (the sandbox has no limit here).
					requestOptions: {
						concurrency: options.concurrency ?? 16,
						maxAttempts: 12,
						maxRetryWaitSeconds: 120,
						requestsPerMinute: 10_000_000,
						timeoutSeconds: 30,
					},
				}),
				items,
				credentials: { [setup.credentialType]: setup.credentials(sandbox) },
				continueOnFail: true,
				nodeType: `n8n-nodes-learning-platforms.${setup.name}`,
			});
			({ output, requests, logs } = result);
		} catch (error) {
			const e = error as Error & { description?: string };
			errors.push(`${e.message}${e.description ? ` — ${e.description}` : ''}`);
		} finally {
			if (watcher) clearInterval(watcher);
		}
		const wallSeconds = (Date.now() - started) / 1000;
		const writes = sandbox.ledger.writes(setup.name, setup.kind);
		const apiRequests = setup.hosts.flatMap((host) =>
			sandbox.ledger.requests({ provider: setup.name, host }),
		);
		const writeAttempts = apiRequests.filter(
			(r) => r.method === setup.writeMatch.method && setup.writeMatch.path.test(r.path),
		).length;
		const fired = (prefix: string) =>
			sandbox.faults
				.list()
				.filter((f) => f.id.startsWith(prefix))
				.reduce((n, f) => n + f.fired, 0);
		const errorItems = output.filter((o) => o.json.error !== undefined);
		for (const o of errorItems)
			errors.push(
				`item ${(o.pairedItem as { item: number }).item}: ${String(o.json.error)} ${String(o.json.description ?? '')}`,
			);
		let lost = options.records - writes.unique;
		if (setup.expectedKeys) {
			const stored = new Set(writes.keys);
			lost = setup.expectedKeys(options.records).filter((k) => !stored.has(k)).length;
		}
		const tokensSeen = new Set<string>();
		for (const r of requests) {
			const auth = String((r.headers as IDataObject | undefined)?.Authorization ?? '');
			const m = /^Bearer (.+)$/.exec(auth);
			if (m) tokensSeen.add(m[1]);
		}
		return {
			provider: setup.name,
			writePath: setup.writePath,
			records: options.records,
			outputItems: output.length,
			errorItems: errorItems.length,
			written: writes.unique,
			duplicates: writes.duplicates.length,
			lost,
			writeAttempts,
			lookups: apiRequests.length - writeAttempts,
			retries: writeAttempts - options.records,
			faults: {
				'5xx': fired('5xx-'),
				reset: fired('reset-') - fired('reset-after-'),
				'reset-after': fired('reset-after-'),
				'429': fired('429-'),
				latency: fired('latency-'),
			},
			status401: apiRequests.filter((r) => r.status === 401).length,
			tokenRequests: sandbox.ledger.tokenRequests(setup.name),
			tokenRevokedAt,
			wallSeconds,
			errors,
			texts: [
				...textsOf(output),
				...errors,
				...logs.map((l) => `${l.message} ${l.meta ? JSON.stringify(l.meta) : ''}`),
			],
			tokensSeen: [...tokensSeen],
		};
	} finally {
		await sandbox.close();
	}
}

/** All providers at once (each with its own sandbox), as a night's workflows would run. */
export async function soakAll(options: SoakOptions, only?: string[]): Promise<SoakFigures[]> {
	sharedTokenManager.clear();
	const started = Date.now();
	const rows = await Promise.all(
		SOAK_PROVIDERS.filter((p) => !only || only.includes(p.name)).map(
			async (p) => await soakProvider(p, options),
		),
	);
	totalWallSeconds = (Date.now() - started) / 1000;
	return rows;
}

export let totalWallSeconds = 0;

/** The figures as a Markdown table (the README quotes it). */
export function figuresTable(rows: SoakFigures[]): string {
	const head = [
		'provider',
		'records',
		'written once',
		'duplicates',
		'lost',
		'error items',
		'write attempts',
		'retries',
		'look-ups',
		'5xx',
		'resets (before)',
		'resets (after write)',
		'429',
		'2 s spikes',
		'401 (revoked)',
		'token requests',
		'wall time',
	];
	const lines = rows.map((r) =>
		[
			r.provider,
			r.records,
			r.written,
			r.duplicates,
			r.lost,
			r.errorItems,
			r.writeAttempts,
			r.retries,
			r.lookups,
			r.faults['5xx'],
			r.faults.reset,
			r.faults['reset-after'],
			r.faults['429'],
			r.faults.latency,
			r.tokenRevokedAt === null ? 'n/a (static token)' : r.status401,
			r.tokenRequests,
			`${r.wallSeconds.toFixed(1)} s`,
		].join(' | '),
	);
	return [
		`| ${head.join(' | ')} |`,
		`|${head.map(() => '---').join('|')}|`,
		...lines.map((l) => `| ${l} |`),
	].join('\n');
}
