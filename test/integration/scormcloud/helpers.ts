import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ScormCloud } from '../../../nodes/ScormCloud/ScormCloud.node';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { SCORMCLOUD_DEMO, scormCloudProvider } from '../../sandbox/providers/scormcloud';
import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { runNode } from '../../support/n8nContext';

export { SCORMCLOUD_DEMO };

export async function startScormSandbox(): Promise<{
	sandbox: Sandbox;
	emulator: ScormCloudEmulator;
}> {
	const sandbox = await startSandbox({ providers: [scormCloudProvider()] });
	return { sandbox, emulator: sandbox.provider<ScormCloudEmulator>('scormcloud') };
}

export function resetAll(sandbox: Sandbox): void {
	sandbox.reset();
	sharedTokenManager.clear();
}

export const baseUrl = (sandbox: Sandbox) => `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`;

export function credentialsFor(
	sandbox: Sandbox,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		appId: SCORMCLOUD_DEMO.appId,
		secretKey: SCORMCLOUD_DEMO.secretKey,
		baseUrl: baseUrl(sandbox),
		authMethod: 'basic',
		allowInsecureHttp: false,
		accessToken: '',
		...overrides,
	};
}

export const oauth = (
	scopes: string[] = ['read', 'write', 'delete'],
	expirationSeconds = 300,
): IDataObject => ({ authMethod: 'oauth', scopes, extraScopes: '', expirationSeconds });

/** Runs the SCORM Cloud node with request options tuned for tests (fast retries). */
export async function run(
	sandbox: Sandbox,
	parameters: IDataObject | ((i: number) => IDataObject),
	options: {
		items?: IDataObject[] | INodeExecutionData[];
		credentials?: IDataObject;
		continueOnFail?: boolean;
	} = {},
) {
	const withDefaults = (p: IDataObject): IDataObject => ({
		requestOptions: { maxRetryWaitSeconds: 5 },
		...p,
	});
	return await runNode(ScormCloud, {
		parameters:
			typeof parameters === 'function'
				? (i: number) => withDefaults(parameters(i))
				: withDefaults(parameters),
		items: options.items,
		credentials: { scormCloudApi: credentialsFor(sandbox, options.credentials) },
		continueOnFail: options.continueOnFail,
		nodeType: 'n8n-nodes-learning-platforms.scormCloud',
	});
}

/** The ledger's requests to the SCORM Cloud API, as "METHOD path?query status". */
export function apiCalls(sandbox: Sandbox, path?: RegExp): string[] {
	return sandbox.ledger
		.requests({ provider: 'scormcloud', host: 'cloud', path })
		.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''} ${r.status}`);
}
