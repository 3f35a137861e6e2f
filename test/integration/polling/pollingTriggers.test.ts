// Each polling trigger against the sandbox while records are inserted at random moments (late ones
// with older timestamps and equal timestamps included): every record is emitted exactly once.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeType,
	IPollFunctions,
} from 'n8n-workflow';

import { DegreedTrigger } from '../../../nodes/Degreed/DegreedTrigger.node';
import { LearnLinkPollingTrigger } from '../../../nodes/LearnLink/LearnLinkPollingTrigger.node';
import { PercipioTrigger } from '../../../nodes/Percipio/PercipioTrigger.node';
import { ScormCloudPollingTrigger } from '../../../nodes/ScormCloud/ScormCloudPollingTrigger.node';
import { forgetRateLimiters } from '../../../nodes/shared/rateLimiter';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { DegreedEmulator, degreedSandboxCredential } from '../../sandbox/providers/degreed';
import { learnlinkProvider } from '../../sandbox/providers/learnlink';
import { percipioProvider } from '../../sandbox/providers/percipio';
import { scormCloudProvider } from '../../sandbox/providers/scormcloud';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { createExecuteContext } from '../../support/n8nContext';
import { credentialsFor as learnLinkCredentials } from '../learnlink/helpers';
import { credentialsFor as percipioCredentials } from '../percipio/helpers';
import { credentialsFor as scormCredentials } from '../scormcloud/helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		providers: [
			scormCloudProvider(),
			new DegreedEmulator({ requestsPerMinute: 100_000 }),
			learnlinkProvider(),
			percipioProvider(),
		],
		logLevel: 'silent',
		seed: 19,
	});
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	sharedTokenManager.clear();
	forgetRateLimiters();
	sandbox.provider('percipio').seed!({ reportPolls: 0 }); // reports ready at the first check (the wait itself: percipio unit test)
});

/** A poll context over the test execute context (n8n's real HTTP helper), in trigger mode. */
function pollContext(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	parameters: IDataObject,
	staticData: IDataObject,
): IPollFunctions {
	const { ctx } = createExecuteContext({ parameters, credentials, staticData });
	return {
		getNode: () => ctx.getNode(),
		getCredentials: ctx.getCredentials,
		getNodeParameter: (name: string, fallback?: unknown) => ctx.getNodeParameter(name, 0, fallback),
		getMode: () => 'trigger',
		getWorkflowStaticData: () => staticData,
		helpers: ctx.helpers,
		logger: ctx.logger,
	} as unknown as IPollFunctions;
}

/** A small seeded generator, so a failure replays. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface Case {
	title: string;
	node: new () => INodeType;
	event: string;
	provider: string;
	kind: string;
	credentials: () => Record<string, ICredentialDataDecryptedObject>;
	/** The inserted record's id as the trigger emits it. */
	emittedId: (json: IDataObject) => string;
	/** Whole-second timestamps (Learn.link activities). */
	seconds?: boolean;
}

const cases: Case[] = [
	{
		title: 'SCORM Cloud: registration updated',
		node: ScormCloudPollingTrigger,
		event: 'registrationUpdated',
		provider: 'scormcloud',
		kind: 'registration',
		credentials: () => ({ scormCloudApi: scormCredentials(sandbox) }),
		emittedId: (j) => String(j.id),
	},
	{
		title: 'SCORM Cloud: registration completed',
		node: ScormCloudPollingTrigger,
		event: 'registrationCompleted',
		provider: 'scormcloud',
		kind: 'registration',
		credentials: () => ({ scormCloudApi: scormCredentials(sandbox) }),
		emittedId: (j) => String(j.id),
	},
	{
		title: 'Degreed: new xAPI statement',
		node: DegreedTrigger,
		event: 'xapiStatement',
		provider: 'degreed',
		kind: 'statement',
		credentials: () => ({
			degreedApi: {
				...degreedSandboxCredential(sandbox),
				accessToken: '',
			} as ICredentialDataDecryptedObject,
		}),
		emittedId: (j) => String(j.id),
	},
	{
		title: 'Degreed: new completion',
		node: DegreedTrigger,
		event: 'completion',
		provider: 'degreed',
		kind: 'completion',
		credentials: () => ({
			degreedApi: {
				...degreedSandboxCredential(sandbox),
				accessToken: '',
			} as ICredentialDataDecryptedObject,
		}),
		emittedId: (j) => String(j.id),
	},
	{
		title: 'Learn.link: new completion',
		node: LearnLinkPollingTrigger,
		event: 'completion',
		provider: 'learnlink',
		kind: 'completion',
		credentials: () => ({ learnLinkApi: learnLinkCredentials(sandbox) }),
		emittedId: (j) => String(j.id),
	},
	{
		title: 'Learn.link: content updated',
		node: LearnLinkPollingTrigger,
		event: 'contentUpdated',
		provider: 'learnlink',
		kind: 'content',
		credentials: () => ({ learnLinkApi: learnLinkCredentials(sandbox) }),
		emittedId: (j) => String(j.id),
	},
	{
		title: 'Learn.link: new activity',
		node: LearnLinkPollingTrigger,
		event: 'activity',
		provider: 'learnlink',
		kind: 'activity',
		credentials: () => ({ learnLinkApi: learnLinkCredentials(sandbox) }),
		emittedId: (j) => String(j.id),
		seconds: true,
	},
	{
		title: 'Percipio: new learning activity',
		node: PercipioTrigger,
		event: 'learningActivity',
		provider: 'percipio',
		kind: 'activity',
		credentials: () => ({ percipioApi: percipioCredentials(sandbox) }),
		emittedId: (j) => String(j.userUuid),
	},
	{
		title: 'Percipio: new completion',
		node: PercipioTrigger,
		event: 'completion',
		provider: 'percipio',
		kind: 'activity',
		credentials: () => ({ percipioApi: percipioCredentials(sandbox) }),
		emittedId: (j) => String(j.userUuid),
	},
	{
		title: 'Percipio: user created or updated',
		node: PercipioTrigger,
		event: 'userUpdated',
		provider: 'percipio',
		kind: 'user',
		credentials: () => ({ percipioApi: percipioCredentials(sandbox) }),
		emittedId: (j) => String(j.id),
	},
	{
		title: 'Percipio: catalogue content updated',
		node: PercipioTrigger,
		event: 'contentUpdated',
		provider: 'percipio',
		kind: 'content',
		credentials: () => ({ percipioApi: percipioCredentials(sandbox) }),
		emittedId: (j) => String(j.id),
	},
];

describe.each(cases)('$title', (c) => {
	test('records inserted at random moments during 30 polls are each emitted exactly once', async () => {
		const random = rng(c.title.length * 7919);
		const start = Date.now() - 60_000;
		const overlapMinutes = 5;
		const parameters = {
			event: c.event,
			startFrom: 'date',
			startDate: new Date(start).toISOString(),
			options: { maxRecords: 4, overlapMinutes },
			requestOptions: { requestsPerMinute: 100_000 },
		};
		const staticData: IDataObject = {};
		const trigger = new c.node();
		const inserted: string[] = [];
		const emitted: string[] = [];
		const times: number[] = [];
		let n = 0;
		const insert = (at: number) => {
			const id = `${c.kind}-${++n}`;
			const ids = sandbox.provider(c.provider).insert!(c.kind, [{ id, at }]);
			inserted.push(...ids);
			times.push(at);
		};
		const poll = async () => {
			const out = await trigger.poll!.call(pollContext(c.credentials(), parameters, staticData));
			for (const item of out?.[0] ?? []) emitted.push(c.emittedId(item.json));
		};
		for (let round = 0; round < 30; round++) {
			const count = Math.floor(random() * 4); // 0–3 records before this poll
			for (let k = 0; k < count; k++) {
				const now = Date.now();
				const r = random();
				let at: number;
				if (r < 0.25 && times.length)
					at = times[Math.floor(random() * times.length)]; // an equal timestamp
				else if (r < 0.5)
					at = Math.max(start + 1000, now - Math.floor(random() * 0.8 * overlapMinutes * 60_000)); // late: older than what was emitted
				else at = now;
				if (c.seconds) at = Math.floor(at / 1000) * 1000;
				insert(at);
			}
			await poll();
			// the state stays small: only keys of the overlap, never the whole history
			expect(JSON.stringify(staticData).length).toBeLessThan(20_000);
		}
		for (let drain = 0; drain < 30 && new Set(emitted).size < inserted.length; drain++)
			await poll(); // the bounded batches' backlog
		await poll();
		expect(inserted.length).toBeGreaterThan(20);
		expect([...emitted].sort()).toEqual([...inserted].sort());
	});
});

describe('failures leave the cursor where it was', () => {
	test('Percipio: a report still in progress is waited for; a failed report throws, emits nothing, and the next poll catches up', async () => {
		const percipio = sandbox.provider('percipio');
		const parameters = {
			event: 'completion',
			startFrom: 'date',
			startDate: new Date(Date.now() - 60_000).toISOString(),
			requestOptions: { requestsPerMinute: 100_000 },
		};
		const staticData: IDataObject = {};
		const trigger = new PercipioTrigger();
		const poll = async () =>
			await trigger.poll!.call(
				pollContext({ percipioApi: percipioCredentials(sandbox) }, parameters, staticData),
			);
		const [first] = percipio.insert!('activity', [{ id: 'wait-1', at: Date.now() - 1000 }]);
		percipio.seed!({ reportPolls: 2 }); // "pending", "in progress", then the rows
		expect((await poll())?.[0].map((i) => i.json.userUuid)).toEqual([first]);
		const before = JSON.stringify(staticData);
		percipio.insert!('activity', [{ id: 'wait-2', at: Date.now() - 500 }]);
		percipio.seed!({ reportPolls: 0, reportOutcome: 'FAILED' });
		await expect(poll()).rejects.toThrow(/ended with status FAILED/);
		expect(JSON.stringify(staticData)).toBe(before);
		percipio.seed!({ reportOutcome: null });
		expect((await poll())?.[0].map((i) => i.json.userUuid)).toEqual(['wait-2']);
	});

	test('SCORM Cloud: a bad follow-up page throws with the state untouched; the next poll emits the whole window once', async () => {
		const scorm = sandbox.provider('scormcloud');
		scorm.seed!({ pageSize: 2 });
		const parameters = {
			event: 'registrationUpdated',
			startFrom: 'date',
			startDate: new Date(Date.now() - 60_000).toISOString(),
			requestOptions: { maxAttempts: 1 },
		};
		const staticData: IDataObject = {};
		const trigger = new ScormCloudPollingTrigger();
		const poll = async () =>
			await trigger.poll!.call(
				pollContext({ scormCloudApi: scormCredentials(sandbox) }, parameters, staticData),
			);
		const ids = scorm.insert!(
			'registration',
			[1, 2, 3, 4, 5].map((n) => ({ id: `fail-${n}`, at: Date.now() - 10_000 + n })),
		);
		sandbox.faults.add({
			match: { provider: 'scormcloud', method: 'GET', path: '/registrations$' },
			kind: 'status',
			status: 400,
			message: 'bad continuation token',
			skip: 1,
			count: 1,
		}); // a bad second page (not retried)
		await expect(poll()).rejects.toThrow();
		expect(staticData).toEqual({});
		expect((await poll())?.[0].map((i) => i.json.id)).toEqual(ids);
		expect(await poll()).toBeNull();
	});
});
