import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { LearnLink } from '../../../nodes/LearnLink/LearnLink.node';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { LEARNLINK_DEMO, learnlinkProvider } from '../../sandbox/providers/learnlink';
import type { LearnLinkEmulator } from '../../sandbox/providers/learnlink';
import { runNode } from '../../support/n8nContext';

export { LEARNLINK_DEMO };

export async function startLearnLinkSandbox(): Promise<{
	sandbox: Sandbox;
	emulator: LearnLinkEmulator;
}> {
	const sandbox = await startSandbox({ providers: [learnlinkProvider()], logLevel: 'silent' });
	return { sandbox, emulator: sandbox.provider<LearnLinkEmulator>('learnlink') };
}

export function credentialsFor(
	sandbox: Sandbox,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		publicApiUrl: sandbox.urlFor('learnlink', 'public'),
		usersApiUrl: sandbox.urlFor('learnlink', 'users'),
		allowInsecureHttp: false,
		tenantId: LEARNLINK_DEMO.tenantId,
		validateTenantId: true,
		apiSecret: LEARNLINK_DEMO.apiSecret,
		clientId: '',
		authentication: 'oauth2',
		scopes: [],
		clientAuthentication: 'basic',
		grantBodyFormat: 'form',
		restV1Path: '/rest/v1',
		restV2Path: '/rest/v2',
		webhookSecret: '',
		accessToken: '',
		issuedAt: '',
		expiresAt: '',
		usersAccessToken: '',
		usersIssuedAt: '',
		usersExpiresAt: '',
		...overrides,
	};
}

/** Fast retries for fault tests. */
export const fastRetries = {
	requestOptions: { maxAttempts: 4, maxRetryWaitSeconds: 5, concurrency: 5 },
};

export async function run(
	sandbox: Sandbox,
	parameters: IDataObject | ((i: number) => IDataObject),
	options: { items?: IDataObject[]; continueOnFail?: boolean; credentials?: IDataObject } = {},
) {
	return await runNode(LearnLink, {
		parameters:
			typeof parameters === 'function'
				? (i: number) => ({ ...fastRetries, ...parameters(i) })
				: { ...fastRetries, ...parameters },
		items: options.items,
		continueOnFail: options.continueOnFail,
		credentials: { learnLinkApi: credentialsFor(sandbox, options.credentials) },
		nodeType: 'n8n-nodes-learning-platforms.learnLink',
	});
}

export function resetAll(sandbox: Sandbox): void {
	sandbox.reset();
	sharedTokenManager.clear();
}
