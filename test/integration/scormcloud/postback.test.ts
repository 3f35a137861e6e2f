// The emulator's postbacks (as SCORM Cloud sends them) fed to the trigger's webhook(): for each
// authentication type and results format, the trigger accepts the right credentials, refuses
// wrong ones, and emits the registration.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { ScormCloudTrigger } from '../../../nodes/ScormCloud/ScormCloudTrigger.node';
import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import type { Sandbox } from '../../sandbox/server';
import { resetAll, run, startScormSandbox } from './helpers';
import { workflowOf } from '../../support/webhookWorkflow';

let sandbox: Sandbox;
let emulator: ScormCloudEmulator;
let receiver: { url: string; results: IWebhookResponseData[]; close: () => Promise<void> };

const TRIGGER = {
	authentication: 'basic',
	userName: 'pb-user',
	password: 'pb-pass-1',
	options: {},
};

/** An HTTP endpoint that hands each request to the trigger's webhook(), as n8n would. */
async function triggerEndpoint(parameters: IDataObject) {
	const results: IWebhookResponseData[] = [];
	// The workflow's static data, kept across deliveries as n8n does (replay protection lives there).
	const staticData: IDataObject = {};
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			let status = 200;
			const response = {
				status(code: number) {
					status = code;
					return response;
				},
				json(body: unknown) {
					res.writeHead(status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(body));
				},
				setHeader: (name: string, value: string) => res.setHeader(name, value),
			};
			const ctx = {
				getRequestObject: () => ({ headers: req.headers, rawBody: Buffer.concat(chunks) }),
				getResponseObject: () => response,
				getBodyData: () => ({}),
				getWorkflowStaticData: () => staticData,
				getWorkflow: () => workflowOf(staticData),
				getNode: () => ({ name: 'Trigger', type: 'trigger', typeVersion: 1, parameters: {} }),
				getNodeParameter: (name: string, fallback?: unknown) =>
					name in parameters ? parameters[name] : fallback,
			} as unknown as IWebhookFunctions;
			const result = await new ScormCloudTrigger().webhook.call(ctx);
			results.push(result);
			if (!result.noWebhookResponse) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{"message":"Workflow was started"}');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/x/postback`,
		results,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}

beforeAll(async () => {
	({ sandbox, emulator } = await startScormSandbox());
	receiver = await triggerEndpoint(TRIGGER);
});
afterAll(async () => {
	await receiver.close();
	await sandbox.close();
});
beforeEach(() => {
	resetAll(sandbox);
	receiver.results.length = 0;
});

async function register(id: string, postBack: IDataObject) {
	const { output } = await run(sandbox, {
		resource: 'registration',
		operation: 'create',
		courseId: 'course-safety-101',
		registrationId: id,
		learnerId: `learner-${id}`,
		ifExists: 'returnExisting',
		postBack: { url: receiver.url, ...postBack },
		additionalFields: {},
	});
	expect(output[0].json.created).toBe(true);
}

describe('postbacks from the emulator to the trigger', () => {
	it.each([
		['httpbasic', 'course', 'json', 'httpbasic'],
		['httpbasic', 'full', 'json', 'httpbasic'],
		['form', 'activity', 'form-json', 'form'],
	])(
		'authType %s, results %s: one item with the registration',
		async (authType, resultsFormat, format, seenAuth) => {
			await register(`pb-${authType}-${resultsFormat}`, {
				authType,
				resultsFormat,
				userName: 'pb-user',
				password: 'pb-pass-1',
			});
			const sent = await emulator.completeRegistration(`pb-${authType}-${resultsFormat}`, {
				score: 91,
			});
			expect(sent?.postback?.status).toBe(200);
			expect(receiver.results).toHaveLength(1);
			const item = receiver.results[0].workflowData?.[0][0].json as IDataObject;
			expect(item).toMatchObject({
				registrationId: `pb-${authType}-${resultsFormat}`,
				registrationCompletion: 'COMPLETED',
				registrationSuccess: 'PASSED',
				score: { scaled: 91 },
				postback: { format, authType: seenAuth },
			});
			if (resultsFormat === 'course') expect(item.activityDetails).toBeUndefined();
			else expect(item.activityDetails).toBeDefined();
			if (resultsFormat === 'full')
				expect((item.activityDetails as IDataObject).runtime).toBeDefined();
		},
	);

	it('legacy XML postbacks arrive as text with the registration id', async () => {
		await register('pb-legacy', {
			authType: 'httpbasic',
			resultsFormat: 'course',
			userName: 'pb-user',
			password: 'pb-pass-1',
			legacy: true,
		});
		await emulator.completeRegistration('pb-legacy', { score: 70 });
		const item = receiver.results[0].workflowData?.[0][0].json as IDataObject;
		expect(item.registrationId).toBe('pb-legacy');
		expect(String(item.xml)).toContain('<registrationreport');
	});

	it.each([
		['httpbasic', { userName: 'pb-user', password: 'wrong' }],
		['form', { userName: 'pb-user', password: 'wrong' }],
		['httpbasic', {}],
	])('authType %s with wrong or no credentials: 401, nothing emitted', async (authType, creds) => {
		await register(`pb-bad-${authType}-${Object.keys(creds).length}`, {
			authType,
			resultsFormat: 'course',
			...creds,
		});
		const sent = await emulator.completeRegistration(
			`pb-bad-${authType}-${Object.keys(creds).length}`,
			{ score: 50 },
		);
		expect(sent?.postback?.status).toBe(401);
		expect(receiver.results).toHaveLength(1);
		expect(receiver.results[0].workflowData).toBeUndefined();
	});

	it('the control route of the sandbox completes a registration and sends the postback (for tests of a real n8n)', async () => {
		await register('pb-control', {
			authType: 'httpbasic',
			resultsFormat: 'course',
			userName: 'pb-user',
			password: 'pb-pass-1',
		});
		const res = await fetch(`${sandbox.urlFor('scormcloud', 'control')}/complete`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ registrationId: 'pb-control', score: 99 }),
		});
		expect(res.status).toBe(200);
		expect(((await res.json()) as IDataObject).postback).toEqual({ status: 200 });
		expect(sandbox.ledger.webhooks('scormcloud')).toHaveLength(1);
		expect(receiver.results[0].workflowData?.[0][0].json).toMatchObject({
			registrationId: 'pb-control',
			score: { scaled: 99 },
		});
	});
});
