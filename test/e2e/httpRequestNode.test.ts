// Every credential in n8n's own HTTP Request node ("Predefined Credential Type"), in a real n8n with
// the packed package installed, against the sandbox, on every host the credential serves:
// Learn.link's public and users/webhooks hosts (OAuth2: one token per host; HTTP Basic), Percipio's
// API host (its token host minted the token), Degreed's API host (/api/v2 and /xAPI) and OAuth host
// (/oauth/logout takes the bearer), SCORM Cloud with HTTP Basic and with a scoped token, Moodle's
// wstoken. The HTTP Request node addresses requests as `uri`, not `url`: a credential that picks its
// token by `url` sent the public token to Learn.link's users host (two 401s, "Authorization failed").
//
// A recording proxy in front of the sandbox notes which Authorization (or wstoken) reached which
// provider host; the sandbox's token registries say which host and client each bearer was minted for.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createN8nInstance, packPackage, type N8nInstance, type WorkflowJson } from './harness/n8n';
import { PERCIPIO_DEMO } from '../sandbox/fixtures';
import { DEGREED_DEMO } from '../sandbox/providers/degreed';
import { LEARNLINK_DEMO, type LearnLinkEmulator } from '../sandbox/providers/learnlink';
import { MOODLE_DEMO } from '../sandbox/providers/moodle';
import { SCORMCLOUD_DEMO } from '../sandbox/providers/scormcloud';
import { startSandbox, type Sandbox } from '../sandbox/server';

interface Seen {
	provider: string;
	host: string;
	method: string;
	path: string;
	query: string;
	authorization: string;
}

let sandbox: Sandbox;
let n8n: N8nInstance;
let proxy: Server;
let proxyUrl: string;
const seen: Seen[] = [];

/** Forwards every request to the sandbox unchanged and remembers where its credential went. */
async function startRecordingProxy(target: string): Promise<Server> {
	const to = new URL(target);
	const server = createServer((req: IncomingMessage, res) => {
		const url = new URL(req.url ?? '/', 'http://proxy');
		const [, provider = '', host = '', ...rest] = url.pathname.split('/');
		seen.push({
			provider,
			host,
			method: req.method ?? '',
			path: `/${rest.join('/')}`,
			query: url.search.replace(/^\?/, ''),
			authorization: String(req.headers.authorization ?? ''),
		});
		const upstream = httpRequest(
			{
				hostname: to.hostname,
				port: to.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: to.host },
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return server;
}

const at = (provider: string, host: string) => `${proxyUrl}/${provider}/${host}`;

const CREDENTIALS = {
	learnlinkOauth: { id: 'HttpE2eLearnLinkO', name: 'Learn.link OAuth2', type: 'learnLinkApi' },
	learnlinkBasic: { id: 'HttpE2eLearnLinkB', name: 'Learn.link Basic', type: 'learnLinkApi' },
	percipio: { id: 'HttpE2ePercipio01', name: 'Percipio', type: 'percipioApi' },
	degreed: { id: 'HttpE2eDegreed001', name: 'Degreed', type: 'degreedApi' },
	scormBasic: { id: 'HttpE2eScormBasic', name: 'SCORM Cloud Basic', type: 'scormCloudApi' },
	scormOauth: { id: 'HttpE2eScormOauth', name: 'SCORM Cloud token', type: 'scormCloudApi' },
	moodle: { id: 'HttpE2eMoodle0001', name: 'Moodle', type: 'moodleApi' },
} as const;
type CredentialKey = keyof typeof CREDENTIALS;

function credentialData(): Record<CredentialKey, Record<string, unknown>> {
	const learnlink = {
		environment: 'custom',
		publicApiUrl: at('learnlink', 'public'),
		usersApiUrl: at('learnlink', 'users'),
		tenantId: LEARNLINK_DEMO.tenantId,
		apiSecret: LEARNLINK_DEMO.apiSecret,
		scopes: ['api/all'],
	};
	const scorm = {
		appId: SCORMCLOUD_DEMO.appId,
		secretKey: SCORMCLOUD_DEMO.secretKey,
		baseUrl: `${at('scormcloud', 'cloud')}/api/v2`,
	};
	return {
		learnlinkOauth: { ...learnlink, authentication: 'oauth2' },
		learnlinkBasic: { ...learnlink, authentication: 'basic' },
		percipio: {
			authMethod: 'oAuth2ClientCredentials',
			region: 'custom',
			apiBaseUrl: at('percipio', 'api'),
			tokenUrl: `${at('percipio', 'oauth')}/oauth2-provider/token`,
			organizationId: PERCIPIO_DEMO.orgId,
			clientId: PERCIPIO_DEMO.clientId,
			clientSecret: PERCIPIO_DEMO.clientSecret,
			scope: PERCIPIO_DEMO.scope,
		},
		degreed: {
			environment: 'custom',
			tokenBaseUrl: at('degreed', 'oauth'),
			apiBaseUrl: at('degreed', 'api'),
			clientId: DEGREED_DEMO.clientId,
			clientSecret: DEGREED_DEMO.clientSecret,
			scopes: [...DEGREED_DEMO.scopes],
			extraScopes: '',
			clientAuthentication: 'body',
		},
		scormBasic: { ...scorm, authMethod: 'basic' },
		scormOauth: {
			...scorm,
			authMethod: 'oauth',
			scopes: ['read', 'write', 'delete'],
			expirationSeconds: 300,
		},
		moodle: { siteUrl: at('moodle', 'site'), token: MOODLE_DEMO.token },
	};
}

interface Call {
	name: string;
	credential: CredentialKey;
	method: 'GET' | 'POST';
	url: () => string;
	query?: Record<string, string>;
	body?: () => unknown;
}

/** One HTTP Request node per credential and host, in this order (Degreed's logout last: it ends the token). */
const CALLS: Call[] = [
	{
		name: 'Learn.link public (OAuth2)',
		credential: 'learnlinkOauth',
		method: 'GET',
		url: () => `${at('learnlink', 'public')}/rest/v1/users`,
		query: { page: '1', perPage: '1' },
	},
	{
		name: 'Learn.link users (OAuth2)',
		credential: 'learnlinkOauth',
		method: 'POST',
		url: () => `${at('learnlink', 'users')}/webhooks`,
		body: () => lifecycleEvent('e2e-http-oauth'),
	},
	{
		name: 'Learn.link public (Basic)',
		credential: 'learnlinkBasic',
		method: 'GET',
		url: () => `${at('learnlink', 'public')}/rest/v1/users`,
		query: { page: '1', perPage: '1' },
	},
	{
		name: 'Learn.link users (Basic)',
		credential: 'learnlinkBasic',
		method: 'POST',
		url: () => `${at('learnlink', 'users')}/webhooks`,
		body: () => lifecycleEvent('e2e-http-basic'),
	},
	{
		name: 'Percipio API',
		credential: 'percipio',
		method: 'GET',
		url: () =>
			`${at('percipio', 'api')}/user-management/v1/organizations/${PERCIPIO_DEMO.orgId}/users`,
		query: { max: '1' },
	},
	{
		name: 'Degreed API',
		credential: 'degreed',
		method: 'GET',
		url: () => `${at('degreed', 'api')}/api/v2/users`,
		query: { limit: '1' },
	},
	{
		name: 'Degreed xAPI',
		credential: 'degreed',
		method: 'GET',
		url: () => `${at('degreed', 'api')}/xAPI/statements`,
		query: { limit: '1' },
	},
	{
		name: 'SCORM Cloud (Basic)',
		credential: 'scormBasic',
		method: 'GET',
		url: () => `${at('scormcloud', 'cloud')}/api/v2/courses`,
	},
	{
		name: 'SCORM Cloud (token)',
		credential: 'scormOauth',
		method: 'GET',
		url: () => `${at('scormcloud', 'cloud')}/api/v2/courses`,
	},
	{
		name: 'Moodle',
		credential: 'moodle',
		method: 'GET',
		url: () => `${at('moodle', 'site')}/webservice/rest/server.php`,
		query: { wsfunction: 'core_webservice_get_site_info' },
	},
	{
		name: 'Degreed OAuth host (logout)',
		credential: 'degreed',
		method: 'POST',
		url: () => `${at('degreed', 'oauth')}/oauth/logout`,
		body: () => ({}),
	},
];

function lifecycleEvent(id: string) {
	return {
		id,
		timestamp: new Date().toISOString(),
		eventType: 'user_updated',
		content: { user: { ref: 'emp-1001', jobTitle: 'Principal Engineer' } },
	};
}

function workflow(): WorkflowJson {
	const nodes: Array<Record<string, unknown>> = [
		{
			id: 'b1f0c6de-0000-4000-8000-000000000000',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections: Record<string, unknown> = {};
	let previous = 'Start';
	CALLS.forEach((call, n) => {
		const credential = CREDENTIALS[call.credential];
		const body = call.body?.();
		nodes.push({
			id: `b1f0c6de-0000-4000-8000-${String(n + 1).padStart(12, '0')}`,
			name: call.name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [220 * (n + 1), 0],
			executeOnce: true,
			parameters: {
				method: call.method,
				url: call.url(),
				authentication: 'predefinedCredentialType',
				nodeCredentialType: credential.type,
				sendQuery: !!call.query,
				queryParameters: {
					parameters: Object.entries(call.query ?? {}).map(([name, value]) => ({ name, value })),
				},
				...(body === undefined
					? {}
					: { sendBody: true, specifyBody: 'json', jsonBody: JSON.stringify(body) }),
				// The status is asserted below, so a refusal is an output, not a stopped workflow.
				options: { response: { response: { fullResponse: true, neverError: true } } },
			},
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		});
		connections[previous] = { main: [[{ node: call.name, type: 'main', index: 0 }]] };
		previous = call.name;
	});
	return {
		id: 'HttpRequestNodeE2e',
		name: "Every credential in n8n's HTTP Request node",
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The sandbox's grant for a bearer that reached `provider`, or undefined (not a bearer, or not minted by that provider). */
function grantOf(provider: string, authorization: string) {
	const verified = sandbox.context(provider).tokens.verify(authorization);
	return verified.ok ? verified.grant : undefined;
}
const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const to = (provider: string, host: string, path: RegExp) =>
	seen.filter((s) => s.provider === provider && s.host === host && path.test(s.path));

let statuses: Record<string, number>;

beforeAll(async () => {
	sandbox = await startSandbox({ logLevel: 'silent' });
	proxy = await startRecordingProxy(sandbox.directUrl);
	proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	n8n = await createN8nInstance({ pack: await packPackage() });
	const data = credentialData();
	await n8n.importCredentials(
		(Object.keys(CREDENTIALS) as CredentialKey[]).map((key) => ({
			...CREDENTIALS[key],
			data: data[key],
		})),
	);
	await n8n.importWorkflow(workflow());
	const run = await n8n.execute('HttpRequestNodeE2e');
	expect(run.nodeErrors()).toEqual([]);
	statuses = Object.fromEntries(
		CALLS.map((call) => [call.name, Number(run.output(call.name)[0]?.statusCode)]),
	);
	expect(run.cli.output).not.toContain(LEARNLINK_DEMO.apiSecret);
});

afterAll(async () => {
	await n8n?.dispose();
	await new Promise((resolve) => proxy?.close(resolve));
	await sandbox?.close();
});

test('every credential and host answered success in the HTTP Request node', () => {
	expect(statuses).toEqual({
		'Learn.link public (OAuth2)': 200,
		'Learn.link users (OAuth2)': 202,
		'Learn.link public (Basic)': 200,
		'Learn.link users (Basic)': 202,
		'Percipio API': 200,
		'Degreed API': 200,
		'Degreed xAPI': 200,
		'SCORM Cloud (Basic)': 200,
		'SCORM Cloud (token)': 200,
		Moodle: 200,
		'Degreed OAuth host (logout)': 200,
	});
});

test("Learn.link: each host got its own host's token (OAuth2), or the tenant's Basic credentials", () => {
	const publicCalls = to('learnlink', 'public', /^\/rest\/v1\/users$/);
	const usersCalls = to('learnlink', 'users', /^\/webhooks$/);
	const bearers = (calls: Seen[]) => calls.filter((s) => /^bearer /i.test(s.authorization));
	expect(bearers(publicCalls).map((s) => grantOf('learnlink', s.authorization)?.clientId)).toEqual([
		`public:${LEARNLINK_DEMO.tenantId}`,
	]);
	expect(bearers(usersCalls).map((s) => grantOf('learnlink', s.authorization)?.clientId)).toEqual([
		`users:${LEARNLINK_DEMO.tenantId}`,
	]);
	const basicAuth = basic(LEARNLINK_DEMO.tenantId, LEARNLINK_DEMO.apiSecret);
	expect(publicCalls.filter((s) => s.authorization === basicAuth)).toHaveLength(1);
	expect(usersCalls.filter((s) => s.authorization === basicAuth)).toHaveLength(1);
	// No refused attempt: the right token went out the first time.
	expect(
		sandbox.ledger.requests({ provider: 'learnlink' }).filter((r) => r.status === 401),
	).toEqual([]);
	expect(sandbox.provider<LearnLinkEmulator>('learnlink').events.has('e2e-http-oauth')).toBe(true);
});

test("Percipio and Degreed: the token their token host minted reached their API host (and Degreed's OAuth host)", () => {
	const percipio = to('percipio', 'api', /\/users$/);
	expect(percipio).toHaveLength(1);
	expect(grantOf('percipio', percipio[0].authorization)?.clientId).toBe(PERCIPIO_DEMO.clientId);
	expect(
		seen.filter((s) => s.provider === 'percipio' && s.host === 'oauth').map((s) => s.path),
	).toEqual(['/oauth2-provider/token']);

	const degreedApi = to('degreed', 'api', /^\/(api\/v2\/users|xAPI\/statements)$/);
	expect(degreedApi.map((s) => s.path)).toEqual(['/api/v2/users', '/xAPI/statements']);
	const token = degreedApi[0].authorization;
	expect(degreedApi[1].authorization).toBe(token);
	const logout = to('degreed', 'oauth', /^\/oauth\/logout$/);
	expect(logout.map((s) => s.authorization)).toEqual([token]);
	// The logout revoked it: proof it was a live Degreed token.
	expect(grantOf('degreed', token)).toBeUndefined();
	expect(to('degreed', 'oauth', /^\/oauth\/token$/)).toHaveLength(1);
});

test('SCORM Cloud: App ID + Secret Key as Basic, or the scoped token, as the credential says', () => {
	const courses = to('scormcloud', 'cloud', /^\/api\/v2\/courses$/);
	expect(courses).toHaveLength(2);
	expect(courses[0].authorization).toBe(basic(SCORMCLOUD_DEMO.appId, SCORMCLOUD_DEMO.secretKey));
	expect(grantOf('scormcloud', courses[1].authorization)).toMatchObject({
		scopes: ['read', 'write', 'delete'],
	});
});

test('Moodle: the wstoken in the query (JSON format), nothing in the Authorization header', () => {
	const calls = to('moodle', 'site', /^\/webservice\/rest\/server\.php$/);
	expect(calls).toHaveLength(1);
	const query = new URLSearchParams(calls[0].query);
	expect(query.get('wstoken')).toBe(MOODLE_DEMO.token);
	expect(query.get('moodlewsrestformat')).toBe('json');
	expect(query.get('wsfunction')).toBe('core_webservice_get_site_info');
	expect(calls[0].authorization).toBe('');
});

test("no provider's credential reached another provider's host", () => {
	for (const s of seen) {
		const token = /^bearer\s+(\S+)/i.exec(s.authorization)?.[1];
		if (token) expect(token.startsWith(`sbx.${s.provider}.`)).toBe(true);
		if (s.provider !== 'moodle') expect(s.query).not.toContain('wstoken');
	}
});
