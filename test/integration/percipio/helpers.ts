import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Percipio } from '../../../nodes/Percipio/Percipio.node';
import { sharedTokenManager } from '../../../nodes/shared/tokenManager';
import { PERCIPIO_DEMO } from '../../sandbox/fixtures';
import { PERCIPIO_SANDBOX, percipioProvider } from '../../sandbox/providers/percipio';
import type { PercipioEmulator } from '../../sandbox/providers/percipio';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { runNode } from '../../support/n8nContext';

export { PERCIPIO_DEMO, PERCIPIO_SANDBOX };

export async function startPercipioSandbox(): Promise<{
	sandbox: Sandbox;
	emulator: PercipioEmulator;
}> {
	const sandbox = await startSandbox({ providers: [percipioProvider({ demoData: true })] });
	return { sandbox, emulator: sandbox.provider<PercipioEmulator>('percipio') };
}

export function resetAll(sandbox: Sandbox): void {
	sandbox.reset();
	sharedTokenManager.clear();
}

export function credentialsFor(
	sandbox: Sandbox,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		authMethod: 'oAuth2ClientCredentials',
		region: 'custom',
		apiBaseUrl: sandbox.urlFor('percipio', 'api'),
		tokenUrl: `${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
		allowInsecureHttp: false,
		organizationId: PERCIPIO_DEMO.orgId,
		clientId: PERCIPIO_DEMO.clientId,
		clientSecret: PERCIPIO_DEMO.clientSecret,
		scope: PERCIPIO_DEMO.scope,
		partnerName: PERCIPIO_SANDBOX.partnerName,
		serviceAccountToken: '',
		accessToken: '',
		issuedAt: '',
		expiresAt: '',
		issuedFor: '',
		...overrides,
	};
}

/** Runs the Percipio node with request options tuned for tests (fast, bounded retries). */
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
	return await runNode(Percipio, {
		parameters:
			typeof parameters === 'function'
				? (i: number) => withDefaults(parameters(i))
				: withDefaults(parameters),
		items: options.items,
		credentials: { percipioApi: credentialsFor(sandbox, options.credentials) },
		continueOnFail: options.continueOnFail,
		nodeType: 'n8n-nodes-learning-platforms.percipio',
	});
}

/** The ledger's requests to the Percipio API host, as "METHOD path?query status". */
export function apiCalls(sandbox: Sandbox, path?: RegExp): string[] {
	return sandbox.ledger
		.requests({ provider: 'percipio', host: 'api', path })
		.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''} ${r.status}`);
}

export const ORG = PERCIPIO_DEMO.orgId;
export const PARTNER = PERCIPIO_SANDBOX.partnerName;
export const IX = `/content-aggregation/v1/partners/${PARTNER}`;

export const course = (n: number, extra: IDataObject = {}): IDataObject => ({
	id: `ext-course-${String(n).padStart(3, '0')}`,
	title: `Course ${n}`,
	url: `https://learn.example.com/courses/${n}`,
	seconds: 600 + n,
	...extra,
});

/** Content Import parameters mapping each input item (as n8n expressions would). */
export const importParams =
	(
		items: IDataObject[],
		options: IDataObject = {},
		additional: (item: IDataObject) => IDataObject = () => ({}),
	) =>
	(i: number): IDataObject => ({
		resource: 'contentImport',
		operation: 'upsert',
		contentId: items[i].id,
		title: items[i].title,
		contentType: 'COURSE',
		url: items[i].url,
		language: 'en',
		duration: items[i].seconds,
		additionalFields: additional(items[i]),
		options,
	});
