import { createHmac } from 'node:crypto';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { LearnLinkTrigger } from '../../../nodes/LearnLink/LearnLinkTrigger.node';
import { eventIdentity, verifyThriveSignature } from '../../../nodes/LearnLink/trigger/signature';
import { signThriveBody } from '../../support/testOnlyHelpers';
import { MAX_REMEMBERED_DELIVERIES, rememberDelivery } from '../../../nodes/shared/replayMemory';
import { workflowOf } from '../../support/webhookWorkflow';

const SECRET = 'whsec-0123456789abcdef';
// Dispatched now: replay protection (on by default) refuses events dispatched outside its window.
const dispatchedAt = new Date().toISOString();
const event = {
	eventType: 'content.completed',
	tenantId: 'eu-west-2_AbcdEfghI',
	createdAt: '2026-11-23T10:00:00.000Z',
	dispatchedAt,
	user: { id: 'u1', reference: 'emp-1', email: 'a@example.com' },
	content: { id: 'c1', title: 'Intro', type: 'video', urls: [] },
};
// Bytes as Thrive might send them: spacing and key order that a re-serialisation would not keep.
const rawText = `{"eventType": "content.completed",  "tenantId":"eu-west-2_AbcdEfghI","createdAt":"2026-11-23T10:00:00.000Z","dispatchedAt":"${dispatchedAt}","user":{"id":"u1","reference":"emp-1","email":"a@example.com"},"content":{"id":"c1","title":"Intro","type":"video","urls":[]}}`;
const raw = Buffer.from(rawText);
const goodHeader = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;

describe('verifyThriveSignature', () => {
	it('accepts the HMAC-SHA256 of the raw body with the shared secret', () => {
		expect(signThriveBody(raw, SECRET)).toBe(goodHeader);
		expect(verifyThriveSignature(raw, goodHeader, SECRET)).toEqual({ ok: true });
		expect(
			verifyThriveSignature(raw, goodHeader.toUpperCase().replace('SHA256=', 'sha256='), SECRET),
		).toEqual({ ok: true });
		expect(verifyThriveSignature(raw, [goodHeader], SECRET)).toEqual({ ok: true });
	});

	it('rejects a signature made with another secret', () => {
		expect(verifyThriveSignature(raw, signThriveBody(raw, 'another-secret'), SECRET)).toEqual({
			ok: false,
			reason: 'mismatch',
		});
	});

	it('rejects a missing or malformed header', () => {
		expect(verifyThriveSignature(raw, undefined, SECRET)).toEqual({ ok: false, reason: 'missing' });
		expect(verifyThriveSignature(raw, '', SECRET)).toEqual({ ok: false, reason: 'missing' });
		expect(verifyThriveSignature(raw, 'sha256=abc', SECRET)).toEqual({
			ok: false,
			reason: 'malformed',
		});
		expect(verifyThriveSignature(raw, `sha1=${'a'.repeat(40)}`, SECRET)).toEqual({
			ok: false,
			reason: 'malformed',
		});
		expect(verifyThriveSignature(raw, goodHeader, '')).toEqual({ ok: false, reason: 'noSecret' });
	});

	it('rejects a tampered body (one byte changed)', () => {
		const tampered = Buffer.from(rawText.replace('content.completed', 'content.completeD'));
		expect(verifyThriveSignature(tampered, goodHeader, SECRET)).toEqual({
			ok: false,
			reason: 'mismatch',
		});
	});

	it('fails on a re-serialised body: only the bytes as received verify', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawText)));
		expect(reserialised.equals(raw)).toBe(false);
		expect(verifyThriveSignature(reserialised, goodHeader, SECRET)).toEqual({
			ok: false,
			reason: 'mismatch',
		});
	});
});

describe('replay cache', () => {
	it('identifies an event by id, else by content without dispatchedAt', () => {
		expect(eventIdentity({ id: 'e1', a: 1 })).toBe('id:e1');
		expect(eventIdentity({ ...event, dispatchedAt: 'x' })).toBe(
			eventIdentity({ ...event, dispatchedAt: 'y' }),
		);
		expect(eventIdentity(event)).not.toBe(eventIdentity({ ...event, eventType: 'content.passed' }));
	});

	it('remembers until expiry and stays bounded', () => {
		const cache = {};
		expect(rememberDelivery(cache, 'a', 1000, 2000)).toBe(true);
		expect(rememberDelivery(cache, 'a', 1500, 2500)).toBe(false);
		expect(rememberDelivery(cache, 'a', 2001, 3000)).toBe(true);
		for (let i = 0; i < MAX_REMEMBERED_DELIVERIES + 50; i++)
			rememberDelivery(cache, `k${i}`, 2001, 10_000 + i);
		expect(Object.keys(cache)).toHaveLength(MAX_REMEMBERED_DELIVERIES);
	});
});

function webhookContext(options: {
	body: Buffer | undefined;
	headers?: Record<string, string>;
	parameters?: IDataObject;
	staticData?: IDataObject;
	credentials?: IDataObject;
}) {
	const response: { status?: number; body?: unknown } = {};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
	};
	const parameters: IDataObject = {
		subscriptionType: 'completion_subscription',
		events: [],
		secretSource: 'parameter',
		webhookSecret: SECRET,
		options: {},
		...options.parameters,
	};
	const staticData = options.staticData ?? {};
	const ctx = {
		getRequestObject: () => ({
			headers: {
				'content-type': 'application/json',
				...(options.body ? { 'content-length': String(options.body.length) } : {}),
				...options.headers,
			},
			rawBody: options.body,
		}),
		getResponseObject: () => res,
		getNodeParameter: (name: string, fallback?: unknown) =>
			parameters[name] === undefined ? fallback : parameters[name],
		getCredentials: async () => options.credentials ?? {},
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => workflowOf(staticData),
		getNode: () => ({ name: 'Trigger', type: 'trigger', typeVersion: 1, parameters: {} }),
		helpers: { returnJsonArray: (data: IDataObject) => [{ json: data }] },
	} as unknown as IWebhookFunctions;
	return { ctx, response, staticData };
}

describe('LearnLinkTrigger.webhook', () => {
	const trigger = new LearnLinkTrigger();

	it('emits a correctly signed event as one item', async () => {
		const { ctx } = webhookContext({ body: raw, headers: { 'x-hmac-signature': goodHeader } });
		const result = await trigger.webhook.call(ctx);
		expect(result.workflowData).toEqual([[{ json: event }]]);
	});

	it.each([
		['missing', {}, 'Missing x-hmac-signature header'],
		[
			'bad',
			{ 'x-hmac-signature': signThriveBody(raw, 'wrong') },
			'Invalid x-hmac-signature signature',
		],
	])('answers 401 and starts nothing for a %s signature', async (_label, headers, message) => {
		const { ctx, response } = webhookContext({ body: raw, headers });
		const result = await trigger.webhook.call(ctx);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ status: 401, body: { message } });
	});

	it('answers 401 for a tampered body, and when no raw body is available', async () => {
		const tampered = webhookContext({
			body: Buffer.from(rawText.replace('emp-1', 'emp-2')),
			headers: { 'x-hmac-signature': goodHeader },
		});
		expect((await trigger.webhook.call(tampered.ctx)).workflowData).toBeUndefined();
		expect(tampered.response.status).toBe(401);
		const noRaw = webhookContext({ body: undefined, headers: { 'x-hmac-signature': goodHeader } });
		expect((await trigger.webhook.call(noRaw.ctx)).workflowData).toBeUndefined();
		expect(noRaw.response.status).toBe(401);
	});

	it('refuses a body over the size bound with 413 before verifying', async () => {
		const big = Buffer.from(JSON.stringify({ ...event, padding: 'x'.repeat(3000) }));
		const { ctx, response } = webhookContext({
			body: big,
			headers: { 'x-hmac-signature': signThriveBody(big, SECRET) },
			parameters: { options: { maxBodyKb: 2 } },
		});
		expect((await trigger.webhook.call(ctx)).workflowData).toBeUndefined();
		expect(response.status).toBe(413);
	});

	it('reads the secret from the credential when asked', async () => {
		const { ctx } = webhookContext({
			body: raw,
			headers: { 'x-hmac-signature': goodHeader },
			parameters: { secretSource: 'credential', webhookSecret: 'ignored' },
			credentials: { webhookSecret: SECRET },
		});
		expect((await trigger.webhook.call(ctx)).workflowData).toHaveLength(1);
	});

	it('acknowledges but ignores events not selected', async () => {
		const { ctx, response } = webhookContext({
			body: raw,
			headers: { 'x-hmac-signature': goodHeader },
			parameters: { events: ['content.passed'] },
		});
		expect((await trigger.webhook.call(ctx)).workflowData).toBeUndefined();
		expect(response).toEqual({ status: 200, body: { message: 'Event content.completed ignored' } });
	});

	it('replay protection is on by default (300 s): a replay within the window is 401 and starts nothing; a stale or undated event is 401', async () => {
		const staticData: IDataObject = {};
		const sign = (b: Buffer) => ({ 'x-hmac-signature': signThriveBody(b, SECRET) });
		const first = webhookContext({
			body: raw,
			headers: { 'x-hmac-signature': goodHeader },
			staticData,
		});
		expect((await trigger.webhook.call(first.ctx)).workflowData).toHaveLength(1);
		const replay = webhookContext({
			body: raw,
			headers: { 'x-hmac-signature': goodHeader },
			staticData,
		});
		expect(await trigger.webhook.call(replay.ctx)).toEqual({ noWebhookResponse: true });
		expect(replay.response).toEqual({
			status: 401,
			body: {
				message: 'Replayed event refused: this event was already received within the replay window',
			},
		});
		// The same event re-sent with a new dispatchedAt (a fresh signature) is still the same event.
		const resent = Buffer.from(
			JSON.stringify({ ...event, dispatchedAt: new Date(Date.now() + 1000).toISOString() }),
		);
		const again = webhookContext({ body: resent, headers: sign(resent), staticData });
		expect((await trigger.webhook.call(again.ctx)).workflowData).toBeUndefined();
		expect(again.response.status).toBe(401);
		const staleBody = Buffer.from(
			JSON.stringify({
				...event,
				eventType: 'content.passed',
				dispatchedAt: new Date(Date.now() - 301_000).toISOString(),
			}),
		);
		const stale = webhookContext({ body: staleBody, headers: sign(staleBody), staticData });
		expect((await trigger.webhook.call(stale.ctx)).workflowData).toBeUndefined();
		expect(stale.response.status).toBe(401);
		const { dispatchedAt: _d, ...undatedEvent } = { ...event, eventType: 'content.passed' };
		void _d;
		const undated = Buffer.from(JSON.stringify(undatedEvent));
		const noDate = webhookContext({ body: undated, headers: sign(undated), staticData });
		expect((await trigger.webhook.call(noDate.ctx)).workflowData).toBeUndefined();
		expect(noDate.response.status).toBe(401);
		// Another event inside the window still runs; the cache holds only accepted events.
		const other = Buffer.from(
			JSON.stringify({ ...event, id: 'evt-2', dispatchedAt: new Date().toISOString() }),
		);
		expect(
			(
				await trigger.webhook.call(
					webhookContext({ body: other, headers: sign(other), staticData }).ctx,
				)
			).workflowData,
		).toHaveLength(1);
		expect(Object.keys(staticData.seenEvents as IDataObject)).toHaveLength(2);
	});

	it('the replay window is configurable; 0 turns the protection off (not recommended: a replay runs again)', async () => {
		const staticData: IDataObject = {};
		const off = { parameters: { options: { replayWindowSeconds: 0 } }, staticData };
		expect(
			(
				await trigger.webhook.call(
					webhookContext({ body: raw, headers: { 'x-hmac-signature': goodHeader }, ...off }).ctx,
				)
			).workflowData,
		).toHaveLength(1);
		expect(
			(
				await trigger.webhook.call(
					webhookContext({ body: raw, headers: { 'x-hmac-signature': goodHeader }, ...off }).ctx,
				)
			).workflowData,
		).toHaveLength(1);
		const old = Buffer.from(
			JSON.stringify({ ...event, dispatchedAt: new Date(Date.now() - 3_000_000).toISOString() }),
		);
		const wide = { parameters: { options: { replayWindowSeconds: 3600 } }, staticData: {} };
		expect(
			(
				await trigger.webhook.call(
					webhookContext({
						body: old,
						headers: { 'x-hmac-signature': signThriveBody(old, SECRET) },
						...wide,
					}).ctx,
				)
			).workflowData,
		).toHaveLength(1);
	});

	it('the node offers the window with 300 s as its default', () => {
		const options = trigger.description.properties.find((p) => p.name === 'options');
		const window = (options?.options as Array<{ name: string; default: unknown }>).find(
			(o) => o.name === 'replayWindowSeconds',
		);
		expect(window?.default).toBe(300);
	});

	it('webhook lifecycle only stores the URL and never calls Thrive', async () => {
		const data: IDataObject = {};
		const calls: unknown[] = [];
		const hook = {
			getWorkflowStaticData: () => data,
			getWorkflow: () => workflowOf(data),
			getNodeWebhookUrl: () => 'https://n8n.example/webhook/abc/webhook',
			getNodeParameter: () => 'completion_subscription',
			helpers: {
				httpRequest: (r: unknown) => calls.push(r),
				httpRequestWithAuthentication: (r: unknown) => calls.push(r),
			},
		} as never;
		const methods = trigger.webhookMethods.default;
		expect(await methods.checkExists.call(hook)).toBe(false);
		expect(await methods.create.call(hook)).toBe(true);
		expect(await methods.checkExists.call(hook)).toBe(true);
		expect(await methods.delete.call(hook)).toBe(true);
		expect(data).toEqual({});
		expect(calls).toHaveLength(0);
	});
});
