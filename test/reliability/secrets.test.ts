/**
 * Issue #9, secrets: the credentials' secrets are canaries (test/support/canaries.ts), and hostile
 * providers try to make the nodes repeat them: an error body that echoes the secret and the token,
 * a token endpoint whose error names the secret, a token endpoint that issues the canary token
 * followed by an HTML page (a wrong URL) that prints it. Every output item, error message, error
 * description, error context and log line of each run is scanned; one hit fails the test.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { Degreed } from '../../nodes/Degreed/Degreed.node';
import { LearnLink } from '../../nodes/LearnLink/LearnLink.node';
import { Moodle } from '../../nodes/Moodle/Moodle.node';
import { Percipio } from '../../nodes/Percipio/Percipio.node';
import { ScormCloud } from '../../nodes/ScormCloud/ScormCloud.node';
import { sharedTokenManager } from '../../nodes/shared/tokenManager';
import type { Sandbox } from '../sandbox/server';
import {
	CANARIES_OF,
	CANARY,
	CANARY_IDS,
	CANARY_PROVIDERS,
	canaryCredentials,
	findCanaries,
	resetCanarySandbox,
	scanTexts,
	startCanarySandbox,
} from '../support/canaries';
import type { CanaryProvider } from '../support/canaries';
import { createExecuteContext } from '../support/n8nContext';

let sandbox: Sandbox;
const PROVIDERS = CANARY_PROVIDERS;
const TOKEN_PROVIDERS: CanaryProvider[] = ['percipio', 'degreed', 'learnlink', 'scormcloud'];

beforeAll(async () => {
	sandbox = await startCanarySandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	resetCanarySandbox(sandbox);
});

const NODES: Record<
	CanaryProvider,
	{
		node: new () => INodeType;
		credential: string;
		api: { host: string; path: string };
		token?: { host: string; path: string };
		oauth?: IDataObject;
	}
> = {
	percipio: {
		node: Percipio,
		credential: 'percipioApi',
		api: { host: 'api', path: '.' },
		token: { host: 'oauth', path: 'token' },
	},
	degreed: {
		node: Degreed,
		credential: 'degreedApi',
		api: { host: 'api', path: '.' },
		token: { host: 'oauth', path: 'token' },
	},
	learnlink: {
		node: LearnLink,
		credential: 'learnLinkApi',
		api: { host: 'public', path: '^/rest/' },
		token: { host: 'public', path: '^/oauth2/token/' },
	},
	scormcloud: {
		node: ScormCloud,
		credential: 'scormCloudApi',
		api: { host: 'cloud', path: '/registrations' },
		token: { host: 'cloud', path: '/oauth/authenticate/application/token' },
		oauth: {
			authMethod: 'oauth',
			scopes: ['read', 'write'],
			extraScopes: '',
			expirationSeconds: 300,
		},
	},
	moodle: { node: Moodle, credential: 'moodleApi', api: { host: 'site', path: '.' } },
};

/** A write per provider (the main write path) and a read. */
const OPS: Record<CanaryProvider, IDataObject[]> = {
	percipio: [
		{
			resource: 'contentImport',
			operation: 'upsert',
			contentId: 'leak-1',
			title: 'Leak',
			contentType: 'COURSE',
			url: 'https://learn.example.com/1',
			language: 'en',
			duration: 60,
			additionalFields: {},
			options: {},
		},
		{ resource: 'user', operation: 'get', lookupBy: 'externalUserId', lookupValue: 'emp-1001' },
	],
	degreed: [
		{
			resource: 'completion',
			operation: 'create',
			userId: 'jane.doe@acme.example',
			userIdentifierType: 'Email',
			contentId: 'course-privacy-101',
			contentIdType: 'externalId',
			contentType: 'Course',
			completedAt: '2026-06-01T10:00:00Z',
			additionalFields: {},
		},
		{ resource: 'user', operation: 'getAll', returnAll: false, limit: 2, filters: {} },
	],
	learnlink: [
		{
			resource: 'completion',
			operation: 'create',
			userId: 'u-unknown',
			contentId: 'cnt-101',
			completedAt: '2026-06-01T10:00:00Z',
		},
		{ resource: 'user', operation: 'get', by: 'ref', ref: 'emp-1001', options: {} },
	],
	scormcloud: [
		{
			resource: 'registration',
			operation: 'create',
			courseId: 'course-safety-101',
			registrationId: 'leak-reg',
			learnerId: 'leak-learner',
			ifExists: 'returnExisting',
			postBack: {},
			additionalFields: {},
		},
		{ resource: 'registration', operation: 'get', registrationId: 'leak-reg', options: {} },
	],
	moodle: [
		{
			resource: 'percipio',
			operation: 'trackProgress',
			moodleUserId: 3,
			courseShortname: '4bd4fd4b-3a1c-4d6e-9a2f-6f3b2e1d0c9a',
			completionState: 2,
			additionalFields: {},
		},
		{ resource: 'user', operation: 'get', field: 'username', value: 'ada.lovelace' },
	],
};

/** Everything a hostile provider might try to make us repeat. */
const ECHO = {
	message: `Bad request from client ${CANARY_IDS.percipio.clientId} with secret ${CANARY.clientSecret}, api secret ${CANARY.apiSecret}, key ${CANARY.secretKey}, wstoken=${CANARY.moodleToken}`,
	authorization: `Bearer ${CANARY.token}`,
	token: CANARY.token,
	basic: `Basic ${Buffer.from(`${CANARY_IDS.scormcloud.appId}:${CANARY.secretKey}`).toString('base64')}`,
	errors: [
		{
			status: 400,
			title: `token ${CANARY.token} rejected`,
			detail: `secret=${CANARY.clientSecret}`,
		},
	],
	exception: 'invalid_parameter_exception',
	errorcode: 'invalidparameter',
	debuginfo: `wstoken ${CANARY.moodleToken} secret ${CANARY.apiSecret}`,
};
const HTML = `<!doctype html><html><body><h1>Welcome to the portal</h1><p>Session: ${CANARY.token}</p><form><input name="client_secret" value="${CANARY.clientSecret}"><input type="hidden" name="wstoken" value="${CANARY.moodleToken}"> ${CANARY.apiSecret} ${CANARY.secretKey}</form></body></html>`;

/** The node's own secrets and every token it sent, searched in everything it produced. */
async function leaks(provider: CanaryProvider, params: IDataObject) {
	const { seen, tokens } = await run(provider, params);
	return { seen, hits: findCanaries(seen, tokens, CANARIES_OF[provider]) };
}

/** Runs a node, with and without Continue On Fail, and returns every text it produced and every token it sent. */
async function run(
	provider: CanaryProvider,
	params: IDataObject,
): Promise<{ seen: Array<{ where: string; text: string }>; tokens: string[] }> {
	const tokens = new Set<string>();
	const { node, credential, oauth } = NODES[provider];
	const out: Array<{ where: string; text: string }> = [];
	for (const continueOnFail of [true, false]) {
		sharedTokenManager.clear();
		const test = createExecuteContext({
			parameters: {
				requestOptions: { maxAttempts: 2, maxRetryWaitSeconds: 1, requestsPerMinute: 1_000_000 },
				...params,
			},
			credentials: { [credential]: canaryCredentials(sandbox, provider, oauth ?? {}) },
			continueOnFail,
			nodeType: `n8n-nodes-learning-platforms.${provider}`,
		});
		const label = `${provider} ${String(params.resource)}.${String(params.operation)} continueOnFail=${continueOnFail}`;
		try {
			const result = (await new node().execute!.call(test.ctx)) as Array<
				Array<{ json: IDataObject }>
			>;
			out.push(...scanTexts(`${label} output`, result));
		} catch (error) {
			out.push(...scanTexts(label, error));
		}
		out.push(
			...test.logs.map((l) => ({
				where: `${label} log`,
				text: `${l.level} ${l.message} ${JSON.stringify(l.meta ?? {})}`,
			})),
		);
		for (const r of test.requests) {
			const m = /^Bearer (.+)$/.exec(
				String((r.headers as IDataObject | undefined)?.Authorization ?? ''),
			);
			if (m) tokens.add(m[1]);
		}
	}
	return { seen: out, tokens: [...tokens] };
}

/** The token endpoint issues the canary token, so the echoes below repeat the node's own token. */
function issueCanaryToken(provider: CanaryProvider): void {
	const token = NODES[provider].token;
	if (token)
		sandbox.faults.add({
			kind: 'status',
			status: 200,
			retryAfter: null,
			body: { access_token: CANARY.token, token_type: 'Bearer', expires_in: 3600 },
			headers: { 'content-type': 'application/json' },
			match: { provider, ...token },
		});
}

describe('no canary in outputs, errors or logs, whatever the provider sends back', () => {
	const cases = PROVIDERS.flatMap((p) =>
		OPS[p].map((op, i) => [`${p} ${i === 0 ? 'write' : 'read'}`, p, op] as const),
	);

	it.each(cases)(
		'%s: an error body echoing the secrets and the token',
		async (_l, provider, op) => {
			issueCanaryToken(provider);
			sandbox.faults.add({
				kind: 'status',
				status: 400,
				retryAfter: null,
				body: ECHO,
				headers: { 'x-echo-authorization': ECHO.authorization },
				match: { provider, ...NODES[provider].api },
			});
			const { seen, hits } = await leaks(provider, op);
			expect(seen.some((t) => /error/i.test(t.text))).toBe(true);
			expect(hits).toEqual([]);
		},
	);

	it.each(cases)(
		'%s: a wrong URL answering an HTML page that prints the token and the secrets',
		async (_l, provider, op) => {
			issueCanaryToken(provider);
			sandbox.faults.add({
				kind: 'status',
				status: 200,
				retryAfter: null,
				body: HTML,
				headers: { 'content-type': 'text/html; charset=utf-8' },
				match: { provider, ...NODES[provider].api },
			});
			const { hits } = await leaks(provider, op);
			expect(hits).toEqual([]);
		},
	);

	it.each(cases)('%s: the same page behind a 404 and a 500', async (_l, provider, op) => {
		issueCanaryToken(provider);
		sandbox.faults.add({
			kind: 'status',
			status: 404,
			retryAfter: null,
			body: HTML,
			headers: { 'content-type': 'text/html' },
			count: 2,
			match: { provider, ...NODES[provider].api },
		});
		sandbox.faults.add({
			kind: 'status',
			status: 500,
			retryAfter: null,
			body: HTML,
			headers: { 'content-type': 'text/html' },
			match: { provider, ...NODES[provider].api },
		});
		const { hits } = await leaks(provider, op);
		expect(hits).toEqual([]);
	});

	const tokenCases = TOKEN_PROVIDERS.map((p) => [p, p] as const);

	it.each(tokenCases)('%s: a token endpoint error that names the secret', async (_l, provider) => {
		sandbox.faults.add({
			kind: 'status',
			status: 401,
			retryAfter: null,
			body: {
				error: 'invalid_client',
				error_description: `client ${CANARY_IDS.percipio.clientId} secret ${CANARY.clientSecret} / ${CANARY.apiSecret} / ${CANARY.secretKey} is wrong`,
				message: `Basic ${ECHO.basic}`,
			},
			match: { provider, ...NODES[provider].token! },
		});
		const { seen, hits } = await leaks(provider, OPS[provider][1]);
		expect(seen.some((t) => /token/i.test(t.text))).toBe(true);
		expect(hits).toEqual([]);
	});

	it.each(tokenCases)(
		'%s: a token endpoint that issues the canary token, then an API that echoes it in a 401, a 400 and an HTML page',
		async (_l, provider) => {
			issueCanaryToken(provider);
			sandbox.faults.add({
				kind: 'status',
				status: 401,
				retryAfter: null,
				body: { message: `token ${CANARY.token} is not valid`, authorization: ECHO.authorization },
				count: 1,
				match: { provider, ...NODES[provider].api },
			});
			sandbox.faults.add({
				kind: 'status',
				status: 400,
				retryAfter: null,
				body: { message: `you sent Authorization: Bearer ${CANARY.token}`, token: CANARY.token },
				count: 2,
				match: { provider, ...NODES[provider].api },
			});
			sandbox.faults.add({
				kind: 'status',
				status: 200,
				retryAfter: null,
				body: HTML,
				headers: { 'content-type': 'text/html' },
				match: { provider, ...NODES[provider].api },
			});
			const { hits } = await leaks(provider, OPS[provider][1]);
			// The hostile token was really used: the API requests carried it.
			expect(
				sandbox.ledger.requests({ provider, host: NODES[provider].api.host }).length,
			).toBeGreaterThan(0);
			expect(hits).toEqual([]);
		},
	);
});
