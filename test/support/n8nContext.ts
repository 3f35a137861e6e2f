/**
 * A faithful stand-in for n8n's execution context, for integration tests that drive a node's
 * `execute` against the sandbox. Requests go through n8n's real outbound HTTP helper
 * (@n8n/backend-network, the code behind `this.helpers.httpRequest` in n8n 2.41), so status
 * handling, redirects, streams and errors behave as inside n8n. What n8n itself adds around a
 * node (credential persistence, expressions) is proven by the real-n8n tests in test/e2e.
 */
import 'reflect-metadata';
import { Container } from '@n8n/di';
import { OutboundHttp } from '@n8n/backend-network';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';

import type { HttpRequestFn } from '../../nodes/shared/types';
import { workflowOf } from './webhookWorkflow';

let httpRequestFn: HttpRequestFn | undefined;

/** n8n's own `helpers.httpRequest`, with a counter so tests can assert what was (not) sent. */
export function n8nHttpRequest(): HttpRequestFn {
	httpRequestFn ??= Container.get(OutboundHttp).requests().request as HttpRequestFn;
	return httpRequestFn;
}

export interface LogEntry {
	level: string;
	message: string;
	meta?: object;
}

export interface ContextOptions {
	/** Node parameters: one object for every item, or a function of the item index. */
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	items?: IDataObject[] | INodeExecutionData[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	nodeType?: string;
	/** The node's properties: lets `extractValue` apply a resource locator mode's URL regex, as n8n does. */
	properties?: INodeProperties[];
	/** The node's type version (default 1). */
	typeVersion?: number;
	nodeName?: string;
	staticData?: IDataObject;
}

export interface TestContext {
	ctx: IExecuteFunctions;
	/** Every request n8n's helper was asked to send (after the node added credentials). */
	requests: IHttpRequestOptions[];
	logs: LogEntry[];
}

function getPath(source: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
			source,
		);
}

/**
 * The node's parameters as they would stand in the workflow: a parameter whose value differs
 * between items (a test's function of the item index) is an expression there, so it is marked as
 * one (`={{ … }}`); the context's getNodeParameter still answers each item's own value.
 */
function asWorkflowParameters(
	paramsFor: (i: number) => IDataObject,
	itemCount: number,
): IDataObject {
	const first = paramsFor(0);
	const parameters: IDataObject = { ...first };
	for (let i = 1; i < itemCount; i++) {
		const other = paramsFor(i);
		for (const key of new Set([...Object.keys(first), ...Object.keys(other)])) {
			if (JSON.stringify(first[key]) !== JSON.stringify(other[key]))
				parameters[key] = '={{ a value per item }}';
		}
	}
	return parameters;
}

/**
 * What n8n-core's `extractValue` does for a resource locator: a plain value (a workflow saved
 * before the locator existed) comes back unchanged; `{ __rl, mode, value }` gives its value, passed
 * through the mode's `extractValue` regex (By URL) when the mode has one.
 */
function extractLocatorValue(value: unknown, name: string, properties: INodeProperties[]): unknown {
	if (!value || typeof value !== 'object' || !('mode' in value) || !('value' in value))
		return value;
	const locator = value as { mode: string; value: unknown };
	const mode = properties
		.filter((p) => p.name === name)
		.flatMap((p) => p.modes ?? [])
		.find((m) => m.name === locator.mode && m.extractValue);
	if (!mode?.extractValue) return locator.value;
	const match = new RegExp(String(mode.extractValue.regex)).exec(String(locator.value));
	if (!match)
		throw new Error(
			`ERROR: ${name} parameter's value is invalid. This is likely because the URL entered is incorrect`,
		);
	return match[1];
}

export function createExecuteContext(options: ContextOptions): TestContext {
	const requests: IHttpRequestOptions[] = [];
	const logs: LogEntry[] = [];
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((item) =>
		item && typeof item === 'object' && 'json' in item
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
	const paramsFor = (i: number) =>
		typeof options.parameters === 'function' ? options.parameters(i) : options.parameters;
	const credentialEntries = Object.keys(options.credentials ?? {});
	const node: INode = {
		id: 'test-node',
		name: options.nodeName ?? 'Test Node',
		type: options.nodeType ?? 'n8n-nodes-learning-platforms.test',
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: asWorkflowParameters(paramsFor, items.length) as INode['parameters'],
		credentials: Object.fromEntries(
			credentialEntries.map((type) => [type, { id: `cred-${type}`, name: `Test ${type}` }]),
		),
	};
	const http = n8nHttpRequest();
	const staticData = options.staticData ?? {};
	const binaryStore = new Map<string, Buffer>();

	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		getNodeParameter: (
			name: string,
			itemIndex: number,
			fallback?: unknown,
			parameterOptions?: { extractValue?: boolean },
		) => {
			const value = getPath(paramsFor(itemIndex), name);
			if (value === undefined) {
				if (fallback !== undefined) return fallback;
				throw new Error(`Test context: parameter "${name}" was not given`);
			}
			return parameterOptions?.extractValue
				? extractLocatorValue(value, name, options.properties ?? [])
				: value;
		},
		getCredentials: async (type: string) => {
			const data = options.credentials?.[type];
			if (!data) throw new Error(`Test context: no credential of type ${type}`);
			return { ...data };
		},
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => undefined,
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => workflowOf(staticData),
		getMode: () => 'manual',
		logger: {
			debug: (message: string, meta?: object) => logs.push({ level: 'debug', message, meta }),
			info: (message: string, meta?: object) => logs.push({ level: 'info', message, meta }),
			warn: (message: string, meta?: object) => logs.push({ level: 'warn', message, meta }),
			error: (message: string, meta?: object) => logs.push({ level: 'error', message, meta }),
		},
		helpers: {
			httpRequest: async (request: IHttpRequestOptions) => {
				requests.push(request);
				return await http(request);
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				data: INodeExecutionData[],
				meta: { itemData: { item: number } },
			) => data.map((entry) => ({ ...entry, pairedItem: meta.itemData })),
			assertBinaryData: (itemIndex: number, property: string) => {
				const binary = items[itemIndex]?.binary?.[property];
				if (!binary) throw new Error(`Item ${itemIndex} has no binary property "${property}"`);
				return binary;
			},
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				const binary = items[itemIndex]?.binary?.[property];
				if (!binary) throw new Error(`Item ${itemIndex} has no binary property "${property}"`);
				return Buffer.from(binary.data, 'base64');
			},
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => {
				const id = `bin-${binaryStore.size}`;
				binaryStore.set(id, data);
				return {
					data: data.toString('base64'),
					fileName,
					mimeType: mimeType ?? 'application/octet-stream',
					fileSize: String(data.length),
				};
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, requests, logs };
}

const SECRET_FIELD = /secret|password|token|api_?key/i;
const NOT_A_SECRET = /(url|format|path|method|type|lifetime|expiration|expires|issued|scope)s?$/i;

/** Every secret a test's credentials carry (client secrets, tokens, API keys), as they may appear. */
function credentialSecrets(
	credentials: ContextOptions['credentials'],
): Array<{ field: string; value: string }> {
	const out: Array<{ field: string; value: string }> = [];
	for (const [type, data] of Object.entries(credentials ?? {})) {
		for (const [key, value] of Object.entries(data ?? {})) {
			if (
				typeof value !== 'string' ||
				value.length < 8 ||
				!SECRET_FIELD.test(key) ||
				NOT_A_SECRET.test(key)
			)
				continue;
			out.push({ field: `${type}.${key}`, value });
			if (encodeURIComponent(value) !== value)
				out.push({ field: `${type}.${key} (URL-encoded)`, value: encodeURIComponent(value) });
		}
	}
	return out;
}

/**
 * Every node run of the test suite is a secret check: no credential secret may appear in an output
 * item, an error (message, description, context) or a log line. A leak fails the test that ran it.
 */
function assertNoSecretLeak(
	secrets: Array<{ field: string; value: string }>,
	where: string,
	value: unknown,
): void {
	if (!secrets.length) return;
	let text: string;
	try {
		text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
	} catch {
		text = String(value);
	}
	const hit = secrets.find((s) => text.includes(s.value));
	if (hit) throw new Error(`Secret leak: the credential field ${hit.field} appears in ${where}`);
}

/** Runs a node's `execute` in a test context and returns its first output. */
export async function runNode(
	NodeClass: new () => INodeType,
	options: ContextOptions,
): Promise<TestContext & { output: INodeExecutionData[] }> {
	const node = new NodeClass();
	const test = createExecuteContext({ properties: node.description.properties, ...options });
	if (!node.execute) throw new Error('Node has no execute method');
	const secrets = credentialSecrets(options.credentials);
	let result: INodeExecutionData[][];
	try {
		result = (await node.execute.call(test.ctx)) as INodeExecutionData[][];
	} catch (error) {
		const e = error as Error & { description?: unknown; context?: unknown };
		assertNoSecretLeak(secrets, 'the error message', e.message);
		assertNoSecretLeak(secrets, 'the error description', e.description);
		assertNoSecretLeak(secrets, 'the error context', e.context);
		assertNoSecretLeak(secrets, 'the log', test.logs);
		throw error;
	}
	assertNoSecretLeak(secrets, 'the node output', result[0]);
	assertNoSecretLeak(secrets, 'the log', test.logs);
	return { ...test, output: result[0] };
}

/**
 * Runs a credential's `preAuthentication` as n8n does: `this` carries only `helpers.httpRequest`.
 * Returns what n8n would persist on the credential.
 */
export async function runPreAuthentication(
	CredentialClass: new () => ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const credential = new CredentialClass();
	if (!credential.preAuthentication) throw new Error(`${credential.name} has no preAuthentication`);
	return (await credential.preAuthentication.call(
		{ helpers: { httpRequest: n8nHttpRequest() } } as never,
		data,
	)) as IDataObject;
}

/** Applies a credential's function-style `authenticate` to a request, as n8n does before sending. */
export async function applyAuthenticate(
	CredentialClass: new () => ICredentialType,
	data: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const credential = new CredentialClass();
	if (typeof credential.authenticate !== 'function')
		throw new Error(`${credential.name} needs a function-style authenticate for this helper`);
	return await credential.authenticate(data, request);
}
