/**
 * The hostile suite's world: the all-provider sandbox (realistic tokens and answers) behind a
 * hostile proxy that records every raw request and can answer anything, plus a foreign origin
 * (another port) that must never receive a credential. Nodes, credentials and triggers run
 * in-process through the shared test context; every request the nodes hand to n8n's HTTP helper is
 * checked to stay on 127.0.0.1 (a guard: a defect may try another host, and no test may reach one).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { Degreed } from '../../nodes/Degreed/Degreed.node';
import { LearnLink } from '../../nodes/LearnLink/LearnLink.node';
import { Moodle } from '../../nodes/Moodle/Moodle.node';
import { Percipio } from '../../nodes/Percipio/Percipio.node';
import { ScormCloud } from '../../nodes/ScormCloud/ScormCloud.node';
import { forgetRateLimiters } from '../../nodes/shared/rateLimiter';
import { DegreedApi } from '../../credentials/DegreedApi.credentials';
import { LearnLinkApi } from '../../credentials/LearnLinkApi.credentials';
import { MoodleApi } from '../../credentials/MoodleApi.credentials';
import { PercipioApi } from '../../credentials/PercipioApi.credentials';
import { ScormCloudApi } from '../../credentials/ScormCloudApi.credentials';
import type { Sandbox } from '../sandbox/server';
import {
	CANARY,
	CANARY_IDS,
	CANARY_PROVIDERS,
	canaryCredentials,
	resetCanarySandbox,
	startCanarySandbox,
} from '../support/canaries';
import type { CanaryProvider } from '../support/canaries';
import { createExecuteContext, n8nHttpRequest } from '../support/n8nContext';
import { HostileServer } from './hostileServer';
import type { SeenRequest } from './hostileServer';

export type Provider = CanaryProvider;
export const PROVIDERS: Provider[] = CANARY_PROVIDERS;
export const TOKEN_PROVIDERS: Provider[] = ['percipio', 'degreed', 'learnlink', 'scormcloud'];

export interface World {
	sandbox: Sandbox;
	hostile: HostileServer;
	foreign: HostileServer;
}

export async function startWorld(): Promise<World> {
	const sandbox = await startCanarySandbox();
	const upstream = new URL(sandbox.urlFor('percipio', 'api')).origin;
	const hostile = await HostileServer.start(upstream);
	const foreign = await HostileServer.start();
	return { sandbox, hostile, foreign };
}

export async function stopWorld(world: World): Promise<void> {
	await world.hostile.close();
	await world.foreign.close();
	await world.sandbox.close();
}

export function resetWorld(world: World): void {
	resetCanarySandbox(world.sandbox);
	world.hostile.reset();
	world.foreign.reset();
	forgetRateLimiters();
}

export const NODE: Record<
	Provider,
	{
		node: new () => INodeType;
		credential: string;
		credentialClass: new () => ICredentialType;
		label: RegExp;
	}
> = {
	percipio: {
		node: Percipio,
		credential: 'percipioApi',
		credentialClass: PercipioApi,
		label: /percipio/i,
	},
	degreed: {
		node: Degreed,
		credential: 'degreedApi',
		credentialClass: DegreedApi,
		label: /degreed/i,
	},
	learnlink: {
		node: LearnLink,
		credential: 'learnLinkApi',
		credentialClass: LearnLinkApi,
		label: /learn\.?link|thrive/i,
	},
	scormcloud: {
		node: ScormCloud,
		credential: 'scormCloudApi',
		credentialClass: ScormCloudApi,
		label: /scorm/i,
	},
	moodle: { node: Moodle, credential: 'moodleApi', credentialClass: MoodleApi, label: /moodle/i },
};

/** Paths on the hostile proxy: every API request of a provider, and its token endpoint. */
export const API_PATH: Record<Provider, RegExp> = {
	percipio: /^\/percipio\/api\//,
	degreed: /^\/degreed\/api\//,
	learnlink: /^\/learnlink\/(public|users)\/rest\//,
	scormcloud: /^\/scormcloud\/cloud\/api\/v2\/(?!oauth\/)/,
	moodle: /^\/moodle\/site\/webservice\//,
};
export const TOKEN_PATH: Record<Provider, RegExp> = {
	percipio: /^\/percipio\/oauth\//,
	degreed: /^\/degreed\/oauth\//,
	learnlink: /^\/learnlink\/(public|users)\/oauth2\/token/,
	scormcloud: /^\/scormcloud\/cloud\/api\/v2\/oauth\//,
	moodle: /^$/,
};

/** SCORM Cloud uses OAuth only when asked; the token cases ask. */
export const OAUTH: Partial<Record<Provider, IDataObject>> = {
	scormcloud: {
		authMethod: 'oauth',
		scopes: ['read', 'write'],
		extraScopes: '',
		expirationSeconds: 300,
	},
};

/** The credential of `provider`, pointing at the hostile proxy. */
export function credentialsFor(
	world: World,
	provider: Provider,
	overrides: IDataObject = {},
	oauth = false,
): ICredentialDataDecryptedObject {
	const sandboxOrigin = new URL(
		world.sandbox.urlFor(
			provider,
			world.sandbox.mounts().find((m) => m.provider === provider)!.host,
		),
	).origin;
	const base = canaryCredentials(world.sandbox, provider, oauth ? (OAUTH[provider] ?? {}) : {});
	const pointed: IDataObject = {};
	for (const [key, value] of Object.entries(base))
		pointed[key] =
			typeof value === 'string' ? value.split(sandboxOrigin).join(world.hostile.origin) : value;
	return { ...pointed, ...overrides } as ICredentialDataDecryptedObject;
}

/** The secrets a provider's credential holds (its own; the tokens it was issued are added per run). */
export const OWN_SECRETS: Record<Provider, string[]> = {
	percipio: [CANARY.clientSecret],
	degreed: [CANARY.clientSecret],
	learnlink: [CANARY.apiSecret, CANARY.webhookSecret],
	scormcloud: [CANARY.secretKey],
	moodle: [CANARY.moodleToken],
};
/** The user half of Basic credentials, and other identifiers that are not secret. */
export const USER_OF: Record<Provider, string> = {
	percipio: CANARY_IDS.percipio.clientId,
	degreed: CANARY_IDS.degreed.clientId,
	learnlink: CANARY_IDS.learnlink.tenantId,
	scormcloud: CANARY_IDS.scormcloud.appId,
	moodle: '',
};
const NOT_SECRET = [...Object.values(USER_OF), 'CANARYAPP1', 'eu-west-2_CanaryT1'].filter(Boolean);

export interface RunResult {
	output: INodeExecutionData[];
	error?: Error & { description?: unknown; context?: unknown };
	logs: Array<{ level: string; message: string; meta?: object }>;
	requests: IHttpRequestOptions[];
	/** requests a defect tried to send off 127.0.0.1 (stopped by the guard) */
	escaped: string[];
	elapsedMs: number;
	timedOut: boolean;
}

export interface RunOptions {
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	maxRetryWaitSeconds?: number;
	maxAttempts?: number;
	/** cancel the execution after this many ms */
	cancelAfterMs?: number;
	/** give up waiting for the run after this many ms (the case then fails on `timedOut`) */
	deadlineMs?: number;
	items?: IDataObject[];
}

function loopback(url: string | undefined): boolean {
	try {
		const host = new URL(url ?? '').hostname;
		return host === '127.0.0.1' || host === 'localhost';
	} catch {
		return false;
	}
}

/** n8n's real HTTP helper, refusing (and recording) anything not addressed to 127.0.0.1. */
export function guardedHttp(escaped: string[]) {
	const http = n8nHttpRequest();
	return async (request: IHttpRequestOptions) => {
		const url = request.baseURL
			? `${request.baseURL.replace(/\/+$/, '')}/${String(request.url).replace(/^\/+/, '')}`
			: request.url;
		if (!loopback(url)) {
			escaped.push(`${request.method ?? 'GET'} ${url}`);
			throw Object.assign(new Error('connect ECONNREFUSED (test guard: non-loopback address)'), {
				code: 'ECONNREFUSED',
			});
		}
		return await http(request);
	};
}

/** Runs a provider's node with the given parameters against the hostile world. */
export async function run(
	world: World,
	provider: Provider,
	parameters: IDataObject,
	options: RunOptions = {},
): Promise<RunResult> {
	const { node, credential } = NODE[provider];
	const test = createExecuteContext({
		parameters: {
			...parameters,
			requestOptions: {
				maxAttempts: options.maxAttempts ?? 2,
				maxRetryWaitSeconds: options.maxRetryWaitSeconds ?? 1,
				requestsPerMinute: 1_000_000,
				...((parameters.requestOptions as IDataObject) ?? {}),
			},
		},
		items: options.items,
		credentials: { [credential]: options.credentials ?? credentialsFor(world, provider) },
		continueOnFail: options.continueOnFail ?? true,
		nodeType: `n8n-nodes-learning-platforms.${provider}`,
	});
	const escaped: string[] = [];
	const http = guardedHttp(escaped);
	const ctx = test.ctx as unknown as {
		helpers: { httpRequest: (r: IHttpRequestOptions) => Promise<unknown> };
		getExecutionCancelSignal: () => AbortSignal | undefined;
	};
	ctx.helpers.httpRequest = async (request) => {
		test.requests.push(request);
		return await http(request);
	};
	const abort = new AbortController();
	ctx.getExecutionCancelSignal = () => abort.signal;
	const timers: NodeJS.Timeout[] = [];
	if (options.cancelAfterMs !== undefined)
		timers.push(setTimeout(() => abort.abort(), options.cancelAfterMs));
	const started = Date.now();
	let output: INodeExecutionData[] = [];
	let error: RunResult['error'];
	let timedOut = false;
	const execution = (async () => {
		try {
			output = ((await new node().execute!.call(test.ctx)) as INodeExecutionData[][])[0] ?? [];
		} catch (e) {
			error = e as RunResult['error'];
		}
	})();
	await Promise.race([
		execution,
		new Promise<void>((resolve) => {
			const t = setTimeout(() => {
				timedOut = true;
				abort.abort();
				resolve();
			}, options.deadlineMs ?? 8_000);
			t.unref();
			timers.push(t);
		}),
	]);
	for (const t of timers) clearTimeout(t);
	return {
		output,
		error,
		logs: test.logs,
		requests: test.requests,
		escaped,
		elapsedMs: Date.now() - started,
		timedOut,
	};
}

/** Runs a credential's preAuthentication (what its Test button and n8n's token refresh call). */
export async function preAuthenticate(
	provider: Provider,
	data: ICredentialDataDecryptedObject,
	deadlineMs = 8000,
): Promise<{ result?: IDataObject; error?: Error; escaped: string[]; elapsedMs: number }> {
	const credential = new NODE[provider].credentialClass();
	const escaped: string[] = [];
	const started = Date.now();
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(
			() =>
				reject(new Error(`test deadline: preAuthentication still running after ${deadlineMs} ms`)),
			deadlineMs,
		);
		timer.unref();
	});
	try {
		const result = (await Promise.race([
			credential.preAuthentication!.call(
				{ helpers: { httpRequest: guardedHttp(escaped) } } as never,
				data,
			),
			deadline,
		])) as IDataObject;
		return { result, escaped, elapsedMs: Date.now() - started };
	} catch (error) {
		return { error: error as Error, escaped, elapsedMs: Date.now() - started };
	} finally {
		clearTimeout(timer);
	}
}

/** Every text a run showed: output items, error message/description/context, log lines. */
export function shown(result: {
	output?: INodeExecutionData[];
	error?: unknown;
	logs?: RunResult['logs'];
	result?: IDataObject;
}): string {
	const parts: string[] = [];
	if (result.output) parts.push(JSON.stringify(result.output));
	if (result.result) parts.push(JSON.stringify(result.result));
	if (result.error) {
		const e = result.error as Error & {
			description?: unknown;
			context?: unknown;
			messages?: unknown;
		};
		parts.push(
			String(e.message),
			String(e.description ?? ''),
			safeJson(e.context),
			safeJson(e.messages),
		);
	}
	for (const l of result.logs ?? []) parts.push(`${l.level} ${l.message} ${safeJson(l.meta)}`);
	return parts.join('\n');
}

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? '';
	} catch {
		return String(value);
	}
}

/**
 * Nothing of the credential's own secrets (nor a fragment of one) and none of the tokens it sent
 * (whole: the sandbox's tokens share a structured prefix, so their fragments are not telling).
 */
export function leaksOf(
	world: World,
	provider: Provider,
	text: string,
	extra: string[] = [],
): string[] {
	return [
		...leaksIn(text, [...OWN_SECRETS[provider], ...extra], USER_OF[provider]),
		...leaksIn(text, sentTokens(world.hostile.seen), USER_OF[provider], false),
	];
}

/** Bearer tokens and Basic credentials the node sent (to the hostile proxy): secrets too. */
export function sentTokens(seen: SeenRequest[]): string[] {
	const out = new Set<string>();
	for (const r of seen) {
		const m = /^Bearer\s+(.+)$/i.exec(String(r.headers.authorization ?? ''));
		if (m && m[1].length >= 8) out.add(m[1].trim());
	}
	return [...out];
}

/**
 * Every form of each secret that must never be shown: as is, URL-encoded, Base64, Base64 of
 * `user:secret` (with and without `Basic `), and each 6-character fragment of the raw secret that
 * is not also part of an identifier (a fragment left at a truncation cut is still a leak).
 */
export function leaksIn(text: string, secrets: string[], user = '', fragments = true): string[] {
	const hits: string[] = [];
	for (const secret of secrets.filter((s) => s && s.length >= 8)) {
		const forms = [
			secret,
			encodeURIComponent(secret),
			Buffer.from(secret).toString('base64'),
			Buffer.from(`${user}:${secret}`).toString('base64'),
		];
		for (const f of forms) if (text.includes(f)) hits.push(`full form of ${secret.slice(0, 3)}…`);
		for (let i = 0; fragments && i + 6 <= secret.length; i++) {
			const fragment = secret.slice(i, i + 6);
			if (NOT_SECRET.some((n) => n.includes(fragment))) continue;
			if (text.includes(fragment)) {
				hits.push(`fragment "${fragment}"`);
				break;
			}
		}
	}
	return hits;
}

/** Whether any request to `server` carried a credential of `provider` (Authorization, a secret or a token anywhere). */
export function credentialsSentTo(
	world: World,
	server: HostileServer,
	provider: Provider,
	extra: string[] = [],
): string[] {
	const out: string[] = [];
	for (const r of server.seen) {
		if (r.headers.authorization) out.push(`${r.method} ${r.url}: Authorization header`);
		const hits = leaksOf(
			world,
			provider,
			`${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`,
			extra,
		);
		if (hits.length) out.push(`${r.method} ${r.url}: ${hits.join(', ')}`);
	}
	return out;
}
