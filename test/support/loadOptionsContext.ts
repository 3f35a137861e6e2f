/**
 * n8n's load-options context (what the editor's resource-locator lists call) for tests: the
 * node's parameters, its credential, and n8n's real outbound HTTP helper, counting requests.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
} from 'n8n-workflow';

import { n8nHttpRequest } from './n8nContext';

export interface LoadOptionsTest {
	ctx: ILoadOptionsFunctions;
	requests: IHttpRequestOptions[];
}

export function createLoadOptionsContext(options: {
	credentials: Record<string, ICredentialDataDecryptedObject>;
	parameters?: IDataObject;
	nodeType?: string;
}): LoadOptionsTest {
	const requests: IHttpRequestOptions[] = [];
	const http = n8nHttpRequest();
	const parameters = options.parameters ?? {};
	const node: INode = {
		id: 'list-node',
		name: 'List Test',
		type: options.nodeType ?? 'n8n-nodes-learning-platforms.test',
		typeVersion: 2,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: Object.fromEntries(
			Object.keys(options.credentials).map((type) => [
				type,
				{ id: `cred-${type}`, name: `Test ${type}` },
			]),
		),
	};
	const ctx = {
		getNode: () => node,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCurrentNodeParameter: (name: string) => parameters[name],
		getCredentials: async (type: string) => {
			const data = options.credentials[type];
			if (!data) throw new Error(`Test context: no credential of type ${type}`);
			return { ...data };
		},
		logger: {
			debug: () => undefined,
			info: () => undefined,
			warn: () => undefined,
			error: () => undefined,
		},
		helpers: {
			httpRequest: async (request: IHttpRequestOptions) => {
				requests.push(request);
				return await http(request);
			},
		},
	} as unknown as ILoadOptionsFunctions;
	return { ctx, requests };
}
