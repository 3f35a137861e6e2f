import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import {
	ScormCloudTrigger,
	parsePostback,
	postbackDigest,
	safeEqual,
} from '../../../nodes/ScormCloud/ScormCloudTrigger.node';
import { MAX_REMEMBERED_DELIVERIES, rememberDelivery } from '../../../nodes/shared/replayMemory';
import { workflowOf } from '../../support/webhookWorkflow';

const registration = {
	id: 'reg-1',
	registrationCompletion: 'COMPLETED',
	registrationSuccess: 'PASSED',
	score: { scaled: 92 },
	course: { id: 'c1' },
	learner: { id: 'l1' },
};

interface Call {
	status?: number;
	body?: unknown;
	headers: Record<string, string>;
}

function webhookContext(options: {
	parameters: IDataObject;
	headers: Record<string, string>;
	raw: string;
	staticData?: IDataObject;
}) {
	const call: Call = { headers: {} };
	const res = {
		status(code: number) {
			call.status = code;
			return res;
		},
		json(body: unknown) {
			call.body = body;
			return res;
		},
		setHeader(name: string, value: string) {
			call.headers[name.toLowerCase()] = value;
		},
	};
	const staticData = options.staticData ?? {};
	const req = {
		headers: { 'content-length': String(Buffer.byteLength(options.raw)), ...options.headers },
		rawBody: Buffer.from(options.raw),
	};
	const ctx = {
		getRequestObject: () => req,
		getResponseObject: () => res,
		getBodyData: () => ({}),
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => workflowOf(staticData),
		getNode: () => ({ name: 'Trigger', type: 'trigger', typeVersion: 1, parameters: {} }),
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in options.parameters ? options.parameters[name] : fallback,
	} as unknown as IWebhookFunctions;
	return { ctx, call };
}

const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const params = {
	authentication: 'basic',
	userName: 'pb-user',
	password: 'pb-pass-123',
	options: {},
};

async function run(
	parameters: IDataObject,
	headers: Record<string, string>,
	raw: string,
	staticData: IDataObject = {},
) {
	const { ctx, call } = webhookContext({ parameters, headers, raw, staticData });
	const result = await new ScormCloudTrigger().webhook.call(ctx);
	return { result, call };
}

describe('parsePostback: the three forms SCORM Cloud posts', () => {
	it('httpbasic: the JSON body is the registration', () => {
		expect(
			parsePostback(Buffer.from(JSON.stringify(registration)), 'application/json; charset=UTF-8'),
		).toEqual({ format: 'json', data: registration });
	});
	it('form: the registration JSON URL-encoded in "data", with userName and password fields', () => {
		const body = new URLSearchParams({
			data: JSON.stringify(registration),
			userName: 'u',
			password: 'p',
		}).toString();
		expect(
			parsePostback(Buffer.from(body), 'application/x-www-form-urlencoded; charset=UTF-8'),
		).toEqual({ format: 'form-json', data: registration, formUser: 'u', formPassword: 'p' });
	});
	it('legacy: XML, as the body or in "data"', () => {
		const xml =
			'<?xml version="1.0"?><registrationreport format="course" regid="reg-9"></registrationreport>';
		expect(parsePostback(Buffer.from(xml), 'text/xml')).toEqual({ format: 'xml', xml });
		expect(
			parsePostback(
				Buffer.from(new URLSearchParams({ data: xml }).toString()),
				'application/x-www-form-urlencoded',
			),
		).toMatchObject({ format: 'xml' });
	});
	it('refuses what is neither', () => {
		expect(parsePostback(Buffer.from('not json'), 'application/json')).toEqual({
			error: 'the postback body is neither JSON nor XML',
		});
		expect(parsePostback(Buffer.from('a=1'), 'application/x-www-form-urlencoded')).toEqual({
			error: 'the form postback has no "data" field',
		});
		expect(parsePostback(Buffer.from('[1]'), 'application/json')).toEqual({
			error: 'the postback JSON is not an object',
		});
	});
});

describe('safeEqual', () => {
	it('compares exactly', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abd')).toBe(false);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual('', '')).toBe(true);
	});
});

describe('SCORM Cloud Trigger webhook', () => {
	it('emits one item for a JSON postback with the right HTTP Basic credentials', async () => {
		const { result, call } = await run(
			params,
			{ 'content-type': 'application/json', authorization: basic('pb-user', 'pb-pass-123') },
			JSON.stringify(registration),
		);
		expect(call.status).toBeUndefined();
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData?.[0]).toHaveLength(1);
		const json = result.workflowData?.[0][0].json as IDataObject;
		expect(json).toMatchObject({
			...registration,
			registrationId: 'reg-1',
			postback: { format: 'json', authType: 'httpbasic' },
		});
	});

	it('accepts form authentication (userName/password fields)', async () => {
		const body = new URLSearchParams({
			data: JSON.stringify(registration),
			userName: 'pb-user',
			password: 'pb-pass-123',
		}).toString();
		const { result } = await run(
			params,
			{ 'content-type': 'application/x-www-form-urlencoded' },
			body,
		);
		expect((result.workflowData?.[0][0].json as IDataObject).postback).toMatchObject({
			format: 'form-json',
			authType: 'form',
		});
	});

	it.each([
		['a wrong password', { authorization: basic('pb-user', 'wrong') }],
		['a wrong user', { authorization: basic('someone', 'pb-pass-123') }],
		['no credentials at all', {}],
	])('answers 401 and starts nothing for %s', async (_label, auth) => {
		const { result, call } = await run(
			params,
			{ 'content-type': 'application/json', ...auth },
			JSON.stringify(registration),
		);
		expect(call.status).toBe(401);
		expect(call.headers['www-authenticate']).toContain('Basic');
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
	});

	it('refuses form fields with a wrong password', async () => {
		const body = new URLSearchParams({
			data: JSON.stringify(registration),
			userName: 'pb-user',
			password: 'nope',
		}).toString();
		const { result, call } = await run(
			params,
			{ 'content-type': 'application/x-www-form-urlencoded' },
			body,
		);
		expect(call.status).toBe(401);
		expect(result.workflowData).toBeUndefined();
	});

	it('refuses a body over the size bound with 413', async () => {
		const big = JSON.stringify({ ...registration, padding: 'x'.repeat(3000) });
		const { result, call } = await run(
			{ ...params, options: { maxBodyKb: 1 } },
			{ 'content-type': 'application/json', authorization: basic('pb-user', 'pb-pass-123') },
			big,
		);
		expect(call.status).toBe(413);
		expect(result.workflowData).toBeUndefined();
	});

	it('answers 400 to an unreadable body from an authenticated sender', async () => {
		const { result, call } = await run(
			params,
			{ 'content-type': 'application/json', authorization: basic('pb-user', 'pb-pass-123') },
			'{oops',
		);
		expect(call.status).toBe(400);
		expect(result.workflowData).toBeUndefined();
	});

	it('"Only When: Completed" acknowledges other postbacks without starting the workflow', async () => {
		const incomplete = { ...registration, registrationCompletion: 'INCOMPLETE' };
		const { result, call } = await run(
			{ ...params, options: { onlyWhen: 'completed' } },
			{ 'content-type': 'application/json', authorization: basic('pb-user', 'pb-pass-123') },
			JSON.stringify(incomplete),
		);
		expect(call.status).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('keeps legacy XML as text with the registration id', async () => {
		const xml =
			'<?xml version="1.0"?><registrationreport format="course" regid="reg-9"><complete>complete</complete></registrationreport>';
		const { result } = await run(
			params,
			{ 'content-type': 'text/xml', authorization: basic('pb-user', 'pb-pass-123') },
			xml,
		);
		expect(result.workflowData?.[0][0].json).toMatchObject({
			registrationId: 'reg-9',
			xml,
			postback: { format: 'xml', authType: 'httpbasic' },
		});
	});
});

describe('SCORM Cloud Trigger replay protection', () => {
	const auth = {
		'content-type': 'application/json',
		authorization: basic('pb-user', 'pb-pass-123'),
	};

	it('is on by default (300 s): an identical postback with valid credentials is refused with 401 and starts nothing', async () => {
		const staticData: IDataObject = {};
		const first = await run(params, auth, JSON.stringify(registration), staticData);
		expect(first.result.workflowData).toHaveLength(1);
		const replay = await run(params, auth, JSON.stringify(registration), staticData);
		expect(replay.call.status).toBe(401);
		expect(replay.call.body).toEqual({
			message:
				'Replayed postback refused: an identical postback was accepted within the replay window',
		});
		expect(replay.result).toEqual({ noWebhookResponse: true });
		// The same content through form authentication is the same postback.
		const form = new URLSearchParams({
			data: JSON.stringify(registration),
			userName: 'pb-user',
			password: 'pb-pass-123',
		}).toString();
		const viaForm = await run(
			params,
			{ 'content-type': 'application/x-www-form-urlencoded' },
			form,
			staticData,
		);
		expect([viaForm.call.status, viaForm.result.workflowData]).toEqual([401, undefined]);
		// New progress of the same registration is a new postback.
		const progressed = await run(
			params,
			auth,
			JSON.stringify({ ...registration, score: { scaled: 95 } }),
			staticData,
		);
		expect(progressed.result.workflowData).toHaveLength(1);
		// Only digests are stored, never the body or the form credentials.
		const stored = JSON.stringify(staticData);
		expect(stored).not.toContain('pb-pass-123');
		expect(stored).not.toContain('reg-1');
		expect(Object.keys(staticData.seenPostbacks as IDataObject)).toHaveLength(2);
	});

	it('remembers nothing for refused (unauthenticated) postbacks', async () => {
		const staticData: IDataObject = {};
		const wrong = await run(
			params,
			{ 'content-type': 'application/json', authorization: basic('pb-user', 'wrong') },
			JSON.stringify(registration),
			staticData,
		);
		expect(wrong.call.status).toBe(401);
		expect(staticData.seenPostbacks).toBeUndefined();
		expect(
			(await run(params, auth, JSON.stringify(registration), staticData)).result.workflowData,
		).toHaveLength(1);
	});

	it('the window is configurable; 0 turns it off (a replay then runs again)', async () => {
		const staticData: IDataObject = {};
		const off = { ...params, options: { replayWindowSeconds: 0 } };
		expect(
			(await run(off, auth, JSON.stringify(registration), staticData)).result.workflowData,
		).toHaveLength(1);
		expect(
			(await run(off, auth, JSON.stringify(registration), staticData)).result.workflowData,
		).toHaveLength(1);
		const options = new ScormCloudTrigger().description.properties.find(
			(p) => p.name === 'options',
		);
		expect(
			(options?.options as Array<{ name: string; default: unknown }>).find(
				(o) => o.name === 'replayWindowSeconds',
			)?.default,
		).toBe(300);
	});

	it('forgets a digest after the window and keeps the cache bounded', () => {
		const cache = {};
		const digest = postbackDigest({ format: 'json', data: registration });
		expect(
			postbackDigest({ format: 'form-json', data: registration, formUser: 'u', formPassword: 'p' }),
		).toBe(digest);
		expect(rememberDelivery(cache, digest, 1000, 2000)).toBe(true);
		expect(rememberDelivery(cache, digest, 1999, 3000)).toBe(false);
		expect(rememberDelivery(cache, digest, 2000, 3000)).toBe(true);
		for (let i = 0; i < MAX_REMEMBERED_DELIVERIES + 25; i++)
			rememberDelivery(cache, `d${i}`, 2000, 10_000 + i);
		expect(Object.keys(cache)).toHaveLength(MAX_REMEMBERED_DELIVERIES);
	});
});

describe('SCORM Cloud Trigger webhook lifecycle', () => {
	it('registers nothing at SCORM Cloud (no such API): it remembers the URL it listens on', async () => {
		const staticData: IDataObject = {};
		let url = 'https://n8n.example.com/webhook/abc/postback';
		const hook = { getWorkflowStaticData: () => staticData, getNodeWebhookUrl: () => url } as never;
		const methods = new ScormCloudTrigger().webhookMethods.default;
		expect(await methods.checkExists.call(hook)).toBe(false);
		expect(await methods.create.call(hook)).toBe(true);
		expect(staticData.webhookUrl).toBe(url);
		expect(await methods.checkExists.call(hook)).toBe(true);
		url = 'https://n8n.example.com/webhook-test/abc/postback';
		expect(await methods.checkExists.call(hook)).toBe(false);
		staticData.seenPostbacks = { abc: 1 };
		expect(await methods.delete.call(hook)).toBe(true);
		expect(staticData.webhookUrl).toBeUndefined();
		expect(staticData.seenPostbacks).toBeUndefined();
	});
});
