import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { forgetRateLimiters } from '../../../nodes/shared/rateLimiter';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { DegreedEmulator, degreedSandboxCredential } from '../../sandbox/providers/degreed';
import type { DegreedEmulatorOptions } from '../../sandbox/providers/degreed';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';

export interface DegreedSandbox {
	sandbox: Sandbox;
	emulator: DegreedEmulator;
	credentials: (overrides?: IDataObject) => Record<string, ICredentialDataDecryptedObject>;
}

/** A sandbox with only the Degreed emulator; its rate limit is raised unless a test lowers it. */
export async function startDegreed(
	options: DegreedEmulatorOptions = { requestsPerMinute: 100_000 },
): Promise<DegreedSandbox> {
	const emulator = new DegreedEmulator(options);
	const sandbox = await startSandbox({ providers: [emulator], seed: 4 });
	const credentials = (overrides: IDataObject = {}) => ({
		degreedApi: {
			...degreedSandboxCredential(sandbox),
			allowInsecureHttp: false,
			accessToken: '',
			issuedAt: '',
			expiresAt: '',
			...overrides,
		} as ICredentialDataDecryptedObject,
	});
	return { sandbox, emulator, credentials };
}

/** Between tests: a fresh sandbox state, no token cached and no rate limit learned from a previous test. */
export function resetDegreed(env: DegreedSandbox): void {
	env.sandbox.reset();
	sharedTokenManager.clear();
	forgetRateLimiters();
}

/** Request Options that keep the node's pacing out of the way (tests about pacing set their own). */
export const fastRequests = { requestsPerMinute: 100_000, concurrency: 5, maxRetryWaitSeconds: 10 };
