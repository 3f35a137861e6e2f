/**
 * Issue #9, webhook triggers: the Learn.link (Thrive) signature and the SCORM Cloud postback Basic
 * credentials, driven through each trigger's real `webhook()` with a fake IWebhookFunctions.
 * Refused deliveries answer 401/413 and return no workflow data (= no execution).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { LearnLinkTrigger } from '../../nodes/LearnLink/LearnLinkTrigger.node';
import { verifyThriveSignature } from '../../nodes/LearnLink/trigger/signature';
import { signThriveBody } from '../support/testOnlyHelpers';
import { ScormCloudTrigger, safeEqual } from '../../nodes/ScormCloud/ScormCloudTrigger.node';
import { CANARY, findCanaries } from '../support/canaries';
import { workflowOf } from '../support/webhookWorkflow';

interface Delivery {
	body: Buffer;
	headers: Record<string, string>;
}

async function deliver(
	trigger: { webhook?: unknown },
	params: IDataObject,
	d: Delivery,
	staticData: IDataObject = {},
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
			body: safeJson(d.body),
		}),
		getResponseObject: () => response,
		getBodyData: () => safeJson(d.body) ?? {},
		getHeaderData: () => d.headers,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in params ? params[name] : fallback,
		getCredentials: async () => ({ webhookSecret: CANARY.webhookSecret }),
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
const safeJson = (b: Buffer) => {
	try {
		return JSON.parse(b.toString('utf8')) as IDataObject;
	} catch {
		return undefined;
	}
};

describe('Learn.link (Thrive) trigger: signed events only', () => {
	const trigger = new LearnLinkTrigger();
	const params = {
		secretSource: 'credential',
		options: { replayWindowSeconds: 300, maxBodyKb: 64 },
		events: [],
	};
	const event = (id: string, at = new Date().toISOString()) =>
		Buffer.from(
			JSON.stringify({
				id,
				eventType: 'content.completed',
				dispatchedAt: at,
				content: { userId: 'u1' },
			}),
		);
	const signed = (body: Buffer, secret: string = CANARY.webhookSecret) => ({
		body,
		headers: {
			'content-type': 'application/json',
			'x-hmac-signature': signThriveBody(body, secret),
		},
	});

	it('a correctly signed event starts one execution', async () => {
		const r = await deliver(trigger, params, signed(event('evt-ok')));
		expect(r.executes).toBe(true);
	});

	it.each([
		['missing signature', (b: Buffer) => ({ body: b, headers: {} })],
		['signed with the wrong secret', (b: Buffer) => signed(b, 'not-the-secret')],
		[
			'truncated signature',
			(b: Buffer) => ({
				body: b,
				headers: { 'x-hmac-signature': signThriveBody(b, CANARY.webhookSecret).slice(0, 40) },
			}),
		],
		[
			'signature one character short (length mismatch)',
			(b: Buffer) => ({
				body: b,
				headers: { 'x-hmac-signature': signThriveBody(b, CANARY.webhookSecret).slice(0, -1) },
			}),
		],
		[
			'signature of another body (tampered)',
			(b: Buffer) => ({
				body: Buffer.concat([b.subarray(0, b.length - 1), Buffer.from(',"x":1}')]),
				headers: signed(b).headers,
			}),
		],
		['empty signature header', (b: Buffer) => ({ body: b, headers: { 'x-hmac-signature': '' } })],
		[
			'signature with non-hex characters',
			(b: Buffer) => ({ body: b, headers: { 'x-hmac-signature': `sha256=${'z'.repeat(64)}` } }),
		],
		[
			'an overlong signature',
			(b: Buffer) => ({
				body: b,
				headers: { 'x-hmac-signature': `${signThriveBody(b, CANARY.webhookSecret)}00` },
			}),
		],
	])('%s → 401, no execution, the secret not echoed', async (_what, make) => {
		const r = await deliver(trigger, params, make(event('evt-bad')));
		expect(r.status).toBe(401);
		expect(r.executes).toBe(false);
		expect(findCanaries([{ where: 'response', text: JSON.stringify(r.sent) }])).toEqual([]);
	});

	it('a replayed event (same signed bytes) → 401, no second execution; a stale one → 401', async () => {
		const staticData: IDataObject = {};
		const d = signed(event('evt-replay'));
		expect((await deliver(trigger, params, d, staticData)).executes).toBe(true);
		const replay = await deliver(trigger, params, d, staticData);
		expect([replay.status, replay.executes]).toEqual([401, false]);
		const stale = await deliver(
			trigger,
			params,
			signed(event('evt-old', new Date(Date.now() - 3_600_000).toISOString())),
			staticData,
		);
		expect([stale.status, stale.executes]).toEqual([401, false]);
	});

	it('replay protection is on by default (no window configured): a replay → 401, no second execution; only window 0 turns it off (documented as not recommended)', async () => {
		const staticData: IDataObject = {};
		const d = signed(event('evt-replay-default'));
		const defaults = { ...params, options: { maxBodyKb: 64 } };
		expect((await deliver(trigger, defaults, d, staticData)).executes).toBe(true);
		const replay = await deliver(trigger, defaults, d, staticData);
		expect([replay.status, replay.executes]).toEqual([401, false]);
		const stale = await deliver(
			trigger,
			defaults,
			signed(event('evt-old-default', new Date(Date.now() - 600_000).toISOString())),
			staticData,
		);
		expect([stale.status, stale.executes]).toEqual([401, false]);
		const off = { ...params, options: { maxBodyKb: 64, replayWindowSeconds: 0 } };
		const o = signed(event('evt-replay-off'));
		expect((await deliver(trigger, off, o, {})).executes).toBe(true);
	});

	it('an oversize body is refused with 413 before any signature work, by declared and by actual length', async () => {
		const big = Buffer.from(JSON.stringify({ id: 'big', pad: 'x'.repeat(70 * 1024) }));
		const declared = await deliver(trigger, params, signed(big));
		expect([declared.status, declared.executes]).toEqual([413, false]);
		const lying = await deliver(trigger, params, {
			body: big,
			headers: { ...signed(big).headers, 'content-length': '10' },
		});
		expect([lying.status, lying.executes]).toEqual([413, false]);
	});

	it('the comparison is timing-safe over equal-length buffers; length mismatches never throw', () => {
		const source = readFileSync(
			join(__dirname, '../../nodes/LearnLink/trigger/signature.ts'),
			'utf8',
		);
		expect(source).toMatch(/timingSafeEqual\(given, expected\)/);
		expect(source).toMatch(/if \(given\.length !== expected\.length\) return/);
		const body = Buffer.from('{}');
		for (const header of [
			'sha256=',
			'sha256=ab',
			`sha256=${'a'.repeat(62)}`,
			`sha256=${'a'.repeat(66)}`,
			'a'.repeat(10_000),
			'\u0000',
			'sha256=ÿÿ',
		]) {
			expect(() => verifyThriveSignature(body, header, CANARY.webhookSecret)).not.toThrow();
			expect(verifyThriveSignature(body, header, CANARY.webhookSecret).ok).toBe(false);
		}
	});
});

describe('SCORM Cloud postback trigger: Basic credentials', () => {
	const trigger = new ScormCloudTrigger();
	const params = {
		authentication: 'basic',
		userName: 'postback-user',
		password: CANARY.postbackPassword,
		options: { maxBodyKb: 64 },
	};
	const body = Buffer.from(
		JSON.stringify({
			id: 'reg-1',
			registrationCompletion: 'COMPLETED',
			registrationSuccess: 'PASSED',
			learner: { id: 'l1' },
		}),
	);
	const basic = (user: string, password: string) =>
		`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
	const post = (authorization?: string, b = body) => ({
		body: b,
		headers: {
			'content-type': 'application/json',
			...(authorization === undefined ? {} : { authorization }),
		},
	});

	it('the right credentials start one execution', async () => {
		const r = await deliver(trigger, params, post(basic('postback-user', CANARY.postbackPassword)));
		expect(r.executes).toBe(true);
	});

	it.each([
		['missing Authorization', undefined],
		['wrong password', basic('postback-user', 'guess')],
		['wrong user', basic('someone', CANARY.postbackPassword)],
		['truncated password', basic('postback-user', CANARY.postbackPassword.slice(0, 10))],
		['password with one more character', basic('postback-user', `${CANARY.postbackPassword}x`)],
		['empty Basic value', 'Basic '],
		['not Base64', 'Basic !!!!'],
		['Bearer instead of Basic', `Bearer ${CANARY.postbackPassword}`],
	])('%s → 401, no execution, the password not echoed', async (_what, authorization) => {
		const r = await deliver(trigger, params, post(authorization));
		expect(r.status).toBe(401);
		expect(r.executes).toBe(false);
		expect(findCanaries([{ where: 'response', text: JSON.stringify(r.sent) }])).toEqual([]);
	});

	it('a replayed postback with valid credentials → 401, no second execution (replay protection on by default)', async () => {
		const staticData: IDataObject = {};
		const d = post(basic('postback-user', CANARY.postbackPassword));
		expect((await deliver(trigger, params, d, staticData)).executes).toBe(true);
		const replay = await deliver(trigger, params, d, staticData);
		expect([replay.status, replay.executes]).toEqual([401, false]);
		expect(
			findCanaries([
				{ where: 'response', text: JSON.stringify(replay.sent) },
				{ where: 'static data', text: JSON.stringify(staticData) },
			]),
		).toEqual([]);
		// Only a window of 0 turns the protection off (documented as not recommended).
		const off = { ...params, options: { maxBodyKb: 64, replayWindowSeconds: 0 } };
		expect((await deliver(trigger, off, d, {})).executes).toBe(true);
	});

	it('an oversize postback is refused with 413 (declared and actual length), even with valid credentials', async () => {
		const big = Buffer.from(JSON.stringify({ id: 'reg-big', pad: 'x'.repeat(70 * 1024) }));
		const r = await deliver(
			trigger,
			params,
			post(basic('postback-user', CANARY.postbackPassword), big),
		);
		expect([r.status, r.executes]).toEqual([413, false]);
		const lying = await deliver(trigger, params, {
			body: big,
			headers: {
				...post(basic('postback-user', CANARY.postbackPassword), big).headers,
				'content-length': '5',
			},
		});
		expect([lying.status, lying.executes]).toEqual([413, false]);
	});

	it('the comparison is timing-safe (timingSafeEqual on equal-length SHA-256 digests); length mismatches never throw', () => {
		// The comparison lives once, in the guards both triggers share.
		const source = readFileSync(join(__dirname, '../../nodes/shared/webhookGuards.ts'), 'utf8');
		expect(source).toMatch(/createHash\('sha256'\)\.update\(a, 'utf8'\)\.digest\(\)/);
		expect(source).toMatch(/timingSafeEqual\(ha, hb\)/);
		for (const [a, b] of [
			['', 'x'],
			['short', 'a much longer value'],
			['ä', 'a'],
			['x'.repeat(100_000), 'x'],
		]) {
			expect(() => safeEqual(a, b)).not.toThrow();
			expect(safeEqual(a, b)).toBe(false);
		}
		expect(safeEqual(CANARY.postbackPassword, CANARY.postbackPassword)).toBe(true);
	});
});
