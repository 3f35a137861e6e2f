/**
 * Canary secrets: distinctive values used as the credentials' secrets in the reliability tests
 * (and by anyone who calls `seedCanaries` + `canaryCredentials`). Every output item, error message,
 * error description and log line of a node run is scanned for them (`findCanaries`); a hit fails
 * the test. A canary is searched for as it is, URL-encoded, and inside HTTP Basic credentials.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { sharedTokenManager } from '../../nodes/shared/tokenManager';
import { DEGREED_DEMO, DegreedEmulator } from '../sandbox/providers/degreed';
import { LearnLinkEmulator } from '../sandbox/providers/learnlink';
import { MoodleEmulator } from '../sandbox/providers/moodle';
import { ScormCloudEmulator } from '../sandbox/providers/scormcloud';
import { PERCIPIO_SANDBOX, percipioProvider } from '../sandbox/providers/percipio';
import { PERCIPIO_DEMO } from '../sandbox/fixtures';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import type { SandboxProvider } from '../sandbox/types';

/** Defined once. Long and unmistakable, so a hit is never a coincidence. */
export const CANARY = {
	/** OAuth client secret (Percipio, Degreed). */
	clientSecret: 'CANARYclientSECRET-7d1f0c93b2a84e6f',
	/** Learn.link API secret (HTTP Basic password of the token request and of API calls). */
	apiSecret: 'CANARYapiSECRET-4be1a9d07c3f2e58',
	/** SCORM Cloud secret key (HTTP Basic password). */
	secretKey: 'CANARYbasicPASSWORD-93c5e0f1a7b2d846',
	/** Moodle web-service token (Moodle tokens are 32 hex characters). */
	moodleToken: 'ca0a4e7c1d2b3f4e5a6b7c8d9e0f1a2b',
	/** An access token: persisted on credentials and answered by hostile token endpoints. */
	token: 'CANARYzqTKNjw-0e8b2f6c4a1d9735',
	/** A webhook signing secret (Learn.link trigger) and postback password (SCORM Cloud trigger). */
	webhookSecret: 'CANARYwebhookSECRET-5f27c1e0d8a6b934',
	postbackPassword: 'CANARYpostbackPASSWORD-b8e4d2a61c97f053',
} as const;

export type CanaryProvider = 'percipio' | 'degreed' | 'learnlink' | 'scormcloud' | 'moodle';

export const CANARY_PROVIDERS: CanaryProvider[] = [
	'percipio',
	'degreed',
	'learnlink',
	'scormcloud',
	'moodle',
];

export const CANARY_IDS = {
	percipio: { clientId: 'canary-percipio-client' },
	degreed: { clientId: 'canary-degreed-client' },
	learnlink: { tenantId: 'eu-west-2_CanaryT1' },
	scormcloud: { appId: 'CANARYAPP1' },
} as const;

/** Makes the provider's emulator accept the canary credentials (call again after `sandbox.reset()`). */
export function seedCanaries(sandbox: Sandbox, provider: CanaryProvider): void {
	const emulator = sandbox.provider<SandboxProvider & { seed(data: unknown): void }>(provider);
	switch (provider) {
		case 'percipio':
			emulator.seed({
				clients: [
					{
						clientId: CANARY_IDS.percipio.clientId,
						clientSecret: CANARY.clientSecret,
						scopes: [PERCIPIO_DEMO.scope],
					},
				],
			});
			break;
		case 'degreed':
			emulator.seed({
				clients: [
					{
						clientId: CANARY_IDS.degreed.clientId,
						clientSecret: CANARY.clientSecret,
						scopes: [...DEGREED_DEMO.scopes],
					},
				],
			});
			break;
		case 'learnlink':
			emulator.seed({
				tenants: [{ tenantId: CANARY_IDS.learnlink.tenantId, apiSecret: CANARY.apiSecret }],
			});
			break;
		case 'scormcloud':
			emulator.seed({
				apps: [{ appId: CANARY_IDS.scormcloud.appId, secretKey: CANARY.secretKey }],
			});
			break;
		case 'moodle':
			emulator.seed({ tokens: [{ token: CANARY.moodleToken }] });
			break;
	}
}

/** A credential of the provider pointing at the sandbox, with canary secrets. */
export function canaryCredentials(
	sandbox: Sandbox,
	provider: CanaryProvider,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	const base: Record<CanaryProvider, () => IDataObject> = {
		percipio: () => ({
			authMethod: 'oAuth2ClientCredentials',
			region: 'custom',
			apiBaseUrl: sandbox.urlFor('percipio', 'api'),
			tokenUrl: `${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
			allowInsecureHttp: false,
			organizationId: PERCIPIO_DEMO.orgId,
			clientId: CANARY_IDS.percipio.clientId,
			clientSecret: CANARY.clientSecret,
			scope: PERCIPIO_DEMO.scope,
			partnerName: PERCIPIO_SANDBOX.partnerName,
			serviceAccountToken: '',
			accessToken: '',
			issuedAt: '',
			expiresAt: '',
			issuedFor: '',
		}),
		degreed: () => ({
			environment: 'custom',
			tokenBaseUrl: sandbox.urlFor('degreed', 'oauth'),
			apiBaseUrl: sandbox.urlFor('degreed', 'api'),
			clientId: CANARY_IDS.degreed.clientId,
			clientSecret: CANARY.clientSecret,
			scopes: [...DEGREED_DEMO.scopes],
			extraScopes: '',
			clientAuthentication: 'body',
			allowInsecureHttp: false,
			accessToken: '',
			issuedAt: '',
			expiresAt: '',
		}),
		learnlink: () => ({
			environment: 'custom',
			publicApiUrl: sandbox.urlFor('learnlink', 'public'),
			usersApiUrl: sandbox.urlFor('learnlink', 'users'),
			allowInsecureHttp: false,
			tenantId: CANARY_IDS.learnlink.tenantId,
			validateTenantId: true,
			apiSecret: CANARY.apiSecret,
			clientId: '',
			authentication: 'oauth2',
			scopes: [],
			clientAuthentication: 'basic',
			grantBodyFormat: 'form',
			restV1Path: '/rest/v1',
			restV2Path: '/rest/v2',
			webhookSecret: CANARY.webhookSecret,
			accessToken: '',
			issuedAt: '',
			expiresAt: '',
			usersAccessToken: '',
			usersIssuedAt: '',
			usersExpiresAt: '',
		}),
		scormcloud: () => ({
			appId: CANARY_IDS.scormcloud.appId,
			secretKey: CANARY.secretKey,
			baseUrl: `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`,
			authMethod: 'basic',
			allowInsecureHttp: false,
			accessToken: '',
		}),
		moodle: () => ({
			siteUrl: sandbox.urlFor('moodle', 'site'),
			token: CANARY.moodleToken,
			allowInsecureHttp: false,
		}),
	};
	return { ...base[provider](), ...overrides } as ICredentialDataDecryptedObject;
}

/** Every form a canary may take on the wire or in text. */
function forms(secret: string): string[] {
	const out = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
	for (const user of [
		CANARY_IDS.learnlink.tenantId,
		CANARY_IDS.scormcloud.appId,
		CANARY_IDS.percipio.clientId,
		CANARY_IDS.degreed.clientId,
	]) {
		out.add(Buffer.from(`${user}:${secret}`).toString('base64'));
	}
	return [...out];
}

export interface CanaryHit {
	canary: string;
	where: string;
	excerpt: string;
}

/** The canaries each provider's credential holds (a node can only be asked to hide its own). */
export const CANARIES_OF: Record<CanaryProvider, Array<keyof typeof CANARY>> = {
	percipio: ['clientSecret', 'token'],
	degreed: ['clientSecret', 'token'],
	learnlink: ['apiSecret', 'webhookSecret', 'token'],
	scormcloud: ['secretKey', 'token'],
	moodle: ['moodleToken'],
};

/**
 * Looks for every canary (or `only` those) and `extra` secrets, e.g. the access tokens the sandbox issued during the
 * run) in `texts`, each labelled by where it came from. Returns the hits (empty = clean).
 */
export function findCanaries(
	texts: Array<{ where: string; text: string }>,
	extra: string[] = [],
	only?: Array<keyof typeof CANARY>,
): CanaryHit[] {
	const secrets: Array<[string, string]> = [
		...Object.entries(CANARY)
			.filter(([name]) => !only || only.includes(name as keyof typeof CANARY))
			.flatMap(([name, value]) => forms(value).map((f): [string, string] => [name, f])),
		...extra
			.filter((s) => s && s.length >= 8)
			.flatMap((s, i) => forms(s).map((f): [string, string] => [`issued token #${i + 1}`, f])),
	];
	const hits: CanaryHit[] = [];
	for (const { where, text } of texts) {
		for (const [name, form] of secrets) {
			const at = text.indexOf(form);
			if (at >= 0)
				hits.push({
					canary: name,
					where,
					excerpt: text.slice(Math.max(0, at - 60), at + form.length + 20),
				});
		}
	}
	return hits;
}

/** Flattens a node failure or output into labelled text for `findCanaries`. */
export function scanTexts(label: string, value: unknown): Array<{ where: string; text: string }> {
	if (value instanceof Error) {
		const e = value as Error & {
			description?: unknown;
			context?: unknown;
			cause?: unknown;
			httpCode?: unknown;
			errorResponse?: unknown;
			messages?: unknown;
		};
		let full = '';
		try {
			full = JSON.stringify({
				message: e.message,
				description: e.description,
				context: e.context,
				httpCode: e.httpCode,
				errorResponse: e.errorResponse,
				messages: e.messages,
				stack: e.stack,
				cause: String(e.cause ?? ''),
			});
		} catch {
			full = `${e.message} ${String(e.description)}`;
		}
		return [{ where: `${label}: error`, text: full }];
	}
	return [
		{ where: label, text: typeof value === 'string' ? value : (JSON.stringify(value) ?? '') },
	];
}

/** One sandbox with every provider's emulator (Degreed without its rate limit), canaries seeded. */
export async function startCanarySandbox(): Promise<Sandbox> {
	const sandbox = await startSandbox({
		providers: [
			percipioProvider({ demoData: true }),
			new DegreedEmulator({ requestsPerMinute: 0 }),
			new LearnLinkEmulator(),
			new ScormCloudEmulator(),
			new MoodleEmulator(),
		],
		logLevel: 'silent',
	});
	for (const p of CANARY_PROVIDERS) seedCanaries(sandbox, p);
	return sandbox;
}

/** Between tests: fresh sandbox state with the canaries seeded again, and no token cached. */
export function resetCanarySandbox(sandbox: Sandbox): void {
	sandbox.reset();
	sharedTokenManager.clear();
	for (const p of CANARY_PROVIDERS) seedCanaries(sandbox, p);
}
