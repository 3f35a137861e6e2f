/**
 * Issue #16, class 6: triggers fail closed. Driven through each trigger's real `webhook()` with
 * raw bytes as n8n receives them: a blank signing secret or Basic user/password refuses every
 * delivery (no execution, a clear message, no secret echoed); a body limit that is not a positive
 * number means the default, never "no limit"; a replay window that is not a number means the
 * default, never "off"; the replay memory is bounded in entries and in time, and a delivery's cost
 * does not grow with it; both triggers run the guards from one shared module.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { LearnLinkTrigger } from '../../nodes/LearnLink/LearnLinkTrigger.node';
import { signThriveBody } from '../support/testOnlyHelpers';
import { ScormCloudTrigger } from '../../nodes/ScormCloud/ScormCloudTrigger.node';
import { MAX_REMEMBERED_DELIVERIES, forgetDeliveries } from '../../nodes/shared/replayMemory';
import { DEFAULT_MAX_BODY_KB } from '../../nodes/shared/webhookGuards';
import { CANARY } from '../support/canaries';
import { workflowOf } from '../support/webhookWorkflow';
import { leaksIn } from './harness';

type Value = IDataObject[string];

interface Delivery {
	body: Buffer;
	headers: Record<string, string>;
}

async function deliver(
	trigger: { webhook?: unknown },
	params: IDataObject,
	d: Delivery,
	staticData: IDataObject = {},
	credential: IDataObject = { webhookSecret: CANARY.webhookSecret },
) {
	let status = 200;
	let sent: unknown;
	const response = {
		status: (s: number) => ((status = s), response),
		json: (b: unknown) => ((sent = b), response),
		setHeader: () => response,
		send: (b: unknown) => ((sent = b), response),
		end: () => response,
	};
	const ctx = {
		getRequestObject: () => ({
			headers: { 'content-length': String(d.body.length), ...d.headers },
			rawBody: d.body,
		}),
		getResponseObject: () => response,
		getBodyData: () => ({}),
		getHeaderData: () => d.headers,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in params ? params[name] : fallback,
		getCredentials: async () => credential,
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => workflowOf(staticData),
		getNode: () => ({ name: 'Trigger', type: 'trigger', typeVersion: 1, parameters: {} }),
		helpers: {
			returnJsonArray: (v: IDataObject | IDataObject[]) =>
				(Array.isArray(v) ? v : [v]).map((json) => ({ json })),
		},
	} as unknown as IWebhookFunctions;
	const result = (await (
		trigger as { webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> }
	).webhook.call(ctx)) as IWebhookResponseData;
	return { status, sent, executes: !!result.workflowData, result };
}

beforeEach(() => forgetDeliveries());

const thrive = new LearnLinkTrigger();
const scorm = new ScormCloudTrigger();
const event = (id: string, extra: IDataObject = {}) =>
	Buffer.from(
		JSON.stringify({
			id,
			eventType: 'content.completed',
			dispatchedAt: new Date().toISOString(),
			content: { userId: 'u1' },
			...extra,
		}),
	);
const signed = (body: Buffer, secret: string) => ({
	body,
	headers: { 'content-type': 'application/json', 'x-hmac-signature': signThriveBody(body, secret) },
});
const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const registration = (id: string, extra: IDataObject = {}) =>
	Buffer.from(
		JSON.stringify({
			id,
			registrationCompletion: 'COMPLETED',
			registrationSuccess: 'PASSED',
			...extra,
		}),
	);
const USER = 'postback-user';
const scormParams = (options: IDataObject = {}) => ({
	userName: USER,
	password: CANARY.postbackPassword,
	options,
});
const thriveParams = (options: IDataObject = {}) => ({
	secretSource: 'parameter',
	webhookSecret: CANARY.webhookSecret,
	options,
	events: [],
});

describe('Learn.link trigger: no signing secret, no delivery', () => {
	const BLANK: Array<[string, Value]> = [
		['empty', ''],
		['one space', ' '],
		['spaces and tabs', ' \t '],
		['a newline', '\n'],
		['absent', undefined],
	];
	const DELIVERIES: Array<[string, (body: Buffer, secret: string) => Delivery]> = [
		['unsigned', (body) => ({ body, headers: { 'content-type': 'application/json' } })],
		['signed with the blank secret itself', (body, secret) => signed(body, secret)],
		['signed with an empty key', (body) => signed(body, '')],
		['signed with the real secret', (body) => signed(body, CANARY.webhookSecret)],
	];
	const SOURCES = ['parameter', 'credential'] as const;
	const cases = SOURCES.flatMap((source) =>
		BLANK.flatMap(([what, secret]) =>
			DELIVERIES.map(([how, make]) => [source, what, how, secret, make] as const),
		),
	);
	it.each(cases)(
		'secret from the %s is %s; a delivery %s → 500, no execution',
		async (source, _what, _how, secret, make) => {
			const params =
				source === 'parameter'
					? { secretSource: 'parameter', webhookSecret: secret, options: {}, events: [] }
					: { secretSource: 'credential', options: {}, events: [] };
			const r = await deliver(
				thrive,
				params,
				make(event(`e-${source}`), typeof secret === 'string' ? secret : ''),
				{},
				{ webhookSecret: source === 'credential' ? secret : CANARY.webhookSecret },
			);
			expect(r.executes).toBe(false);
			expect(r.status).toBe(500);
			expect(JSON.stringify(r.sent)).toMatch(/no signing secret/i);
			expect(leaksIn(JSON.stringify(r.sent), [CANARY.webhookSecret])).toEqual([]);
		},
	);
});

describe('SCORM Cloud trigger: no user name or password, no delivery', () => {
	const CONFIGS: Array<[string, IDataObject]> = [
		['an empty user name', { userName: '', password: CANARY.postbackPassword }],
		['a blank user name', { userName: '  ', password: CANARY.postbackPassword }],
		['an empty password', { userName: USER, password: '' }],
		['a blank password', { userName: USER, password: ' \t' }],
		['both empty', { userName: '', password: '' }],
		['both absent', {}],
		[
			'"Authentication: None" saved by an older version, no credentials',
			{ authentication: 'none' },
		],
		[
			'"Authentication: None" saved with an empty password',
			{ authentication: 'none', userName: USER, password: '' },
		],
	];
	const DELIVERIES: Array<[string, (cfg: IDataObject) => Delivery]> = [
		[
			'without credentials',
			() => ({ body: registration('r1'), headers: { 'content-type': 'application/json' } }),
		],
		[
			'with the configured (blank) values as Basic',
			(cfg) => ({
				body: registration('r1'),
				headers: {
					'content-type': 'application/json',
					authorization: basic(String(cfg.userName ?? ''), String(cfg.password ?? '')),
				},
			}),
		],
		[
			'with Basic ":"',
			() => ({
				body: registration('r1'),
				headers: { 'content-type': 'application/json', authorization: basic('', '') },
			}),
		],
		[
			'with empty form fields',
			() => ({
				body: Buffer.from(
					new URLSearchParams({
						data: JSON.stringify({ id: 'r1' }),
						userName: '',
						password: '',
					}).toString(),
				),
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			}),
		],
	];
	const cases = CONFIGS.flatMap(([what, cfg]) =>
		DELIVERIES.map(([how, make]) => [what, how, cfg, make] as const),
	);
	it.each(cases)('%s; a postback %s → 500, no execution', async (_what, _how, cfg, make) => {
		const r = await deliver(scorm, { ...cfg, options: {} }, make(cfg));
		expect(r.executes).toBe(false);
		expect(r.status).toBe(500);
		expect(JSON.stringify(r.sent)).toMatch(/user name and password/i);
	});

	it('the trigger offers no unauthenticated mode', () => {
		expect(scorm.description.properties.find((p) => p.name === 'authentication')).toBeUndefined();
		expect(JSON.stringify(scorm.description.properties)).not.toMatch(/"value":"none"/);
	});
});

describe('a body limit that is not a positive number means the default, never "no limit"', () => {
	const LIMITS: Array<[string, Value]> = [
		['text', 'abc'],
		['NaN', Number.NaN],
		['negative', -5],
		['zero', 0],
		['Infinity', Number.POSITIVE_INFINITY],
		['an empty string', ''],
		['null', null],
		['an object', {}],
		['an overflowing number', '1e999'],
	];
	const oversize = (make: (pad: string) => Buffer) =>
		make('x'.repeat(DEFAULT_MAX_BODY_KB * 1024 + 10));
	const cases = LIMITS.flatMap(([what, limit]) => [
		['learnlink', what, limit] as const,
		['scormcloud', what, limit] as const,
	]);
	it.each(cases)(
		'%s trigger, Max Body Size %s: a body over the default is refused with 413',
		async (trigger, _what, limit) => {
			const r =
				trigger === 'learnlink'
					? await deliver(
							thrive,
							thriveParams({ maxBodyKb: limit }),
							signed(
								oversize((pad) => event('big', { pad })),
								CANARY.webhookSecret,
							),
						)
					: await deliver(scorm, scormParams({ maxBodyKb: limit }), {
							body: oversize((pad) => registration('big', { pad })),
							headers: {
								'content-type': 'application/json',
								authorization: basic(USER, CANARY.postbackPassword),
							},
						});
			expect([r.status, r.executes]).toEqual([413, false]);
		},
	);
	it.each(cases)(
		'%s trigger, Max Body Size %s: a small delivery still goes through',
		async (trigger, _what, limit) => {
			const r =
				trigger === 'learnlink'
					? await deliver(
							thrive,
							thriveParams({ maxBodyKb: limit }),
							signed(event(`small-${String(limit)}`), CANARY.webhookSecret),
						)
					: await deliver(scorm, scormParams({ maxBodyKb: limit }), {
							body: registration(`small-${String(limit)}`),
							headers: {
								'content-type': 'application/json',
								authorization: basic(USER, CANARY.postbackPassword),
							},
						});
			expect(r.executes).toBe(true);
		},
	);
});

describe('a replay window that is not a number means the default, never "off"', () => {
	const WINDOWS: Array<[string, Value]> = [
		['text', 'abc'],
		['negative', -1],
		['NaN', Number.NaN],
		['an object', {}],
		['an empty string', ''],
	];
	const cases = WINDOWS.flatMap(([what, w]) => [
		['learnlink', what, w] as const,
		['scormcloud', what, w] as const,
	]);
	it.each(cases)('%s trigger, Replay Window %s: a replay is refused', async (trigger, _what, w) => {
		const staticData: IDataObject = {};
		const d =
			trigger === 'learnlink'
				? signed(event('replayed'), CANARY.webhookSecret)
				: {
						body: registration('replayed'),
						headers: {
							'content-type': 'application/json',
							authorization: basic(USER, CANARY.postbackPassword),
						},
					};
		const params =
			trigger === 'learnlink'
				? thriveParams({ replayWindowSeconds: w })
				: scormParams({ replayWindowSeconds: w });
		const t = trigger === 'learnlink' ? thrive : scorm;
		expect((await deliver(t, params, d, staticData)).executes).toBe(true);
		const replay = await deliver(t, params, d, staticData);
		expect([replay.status, replay.executes]).toEqual([401, false]);
	});
});

describe('the replay memory is bounded in entries and in time, and cheap per delivery', () => {
	const TRIGGERS = [
		[
			'learnlink',
			(n: number) =>
				deliver(thrive, thriveParams(), signed(event(`bulk-${n}`), CANARY.webhookSecret), shared),
		] as const,
		[
			'scormcloud',
			(n: number) =>
				deliver(
					scorm,
					scormParams(),
					{
						body: registration(`bulk-${n}`),
						headers: {
							'content-type': 'application/json',
							authorization: basic(USER, CANARY.postbackPassword),
						},
					},
					shared,
				),
		] as const,
	];
	let shared: IDataObject = {};
	beforeEach(() => (shared = {}));
	const field = (t: string) => (t === 'learnlink' ? 'seenEvents' : 'seenPostbacks');

	it.each(TRIGGERS)(
		'%s: %i distinct deliveries leave at most the bound in the static data',
		async (t, send) => {
			for (let n = 0; n < MAX_REMEMBERED_DELIVERIES + 150; n++)
				expect((await send(n)).executes).toBe(true);
			expect(Object.keys(shared[field(t)] as IDataObject).length).toBeLessThanOrEqual(
				MAX_REMEMBERED_DELIVERIES,
			);
		},
	);

	it.each(TRIGGERS)('%s: entries whose window has passed are dropped', async (t, send) => {
		expect((await send(1)).executes).toBe(true);
		// What another process reads back later from the database: the same entries, now expired.
		const stored = shared[field(t)] as Record<string, number>;
		shared = {
			[field(t)]: Object.fromEntries(Object.keys(stored).map((key) => [key, Date.now() - 1])),
		};
		forgetDeliveries();
		expect((await send(2)).executes).toBe(true);
		expect(
			Object.values(shared[field(t)] as Record<string, number>).every(
				(until) => until > Date.now(),
			),
		).toBe(true);
	});

	it.each(TRIGGERS)(
		'%s: a delivery costs no more with a full memory than with an empty one',
		async (_t, send) => {
			const time = async (from: number, count: number) => {
				const started = process.hrtime.bigint();
				for (let n = from; n < from + count; n++) await send(n);
				return Number(process.hrtime.bigint() - started) / count;
			};
			await time(0, 50);
			const empty = await time(100, 200);
			for (let n = 1000; n < 1000 + MAX_REMEMBERED_DELIVERIES; n++) await send(n);
			const full = await time(5000, 200);
			// Generous for a busy machine: a scan of the whole memory per delivery is far slower.
			expect(full).toBeLessThan(empty * 4 + 200_000);
		},
	);
});

describe('both triggers run the guards from one shared module', () => {
	it.each([['LearnLink/LearnLinkTrigger.node.ts'], ['ScormCloud/ScormCloudTrigger.node.ts']])(
		'%s imports the shared guards and repeats none of them',
		(file) => {
			const source = readFileSync(join(__dirname, '../../nodes', file), 'utf8');
			expect(source).toMatch(/from '\.\.\/shared\/webhookGuards'/);
			expect(source).not.toMatch(/content-length|timingSafeEqual|rawBody|\.status\(\d/);
		},
	);
});
