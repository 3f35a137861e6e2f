/**
 * Issue #16, class 1: a credential's token and secrets go only to the origins the admin configured.
 * Redirects (reads, writes, token requests), links handed back by the provider, Allowed Domains,
 * metadata addresses typed as a base URL, and path overrides that try to leave their route.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	API_PATH,
	PROVIDERS,
	TOKEN_PATH,
	TOKEN_PROVIDERS,
	credentialsFor,
	credentialsSentTo,
	leaksOf,
	preAuthenticate,
	resetWorld,
	run,
	shown,
	startWorld,
	stopWorld,
} from './harness';
import type { Provider, RunResult, World } from './harness';
import { READ, WRITES } from './ops';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

const REDIRECTS = [301, 302, 303, 307, 308];

const failed = (r: RunResult) => !!r.error || r.output.some((o) => o.json.error !== undefined);
const tempting = () =>
	world.foreign.on({
		answer: () => ({ status: 200, body: { id: 'foreign', data: [], deleted: true, result: 'ok' } }),
	});

describe('a redirected read never takes the credential to another origin', () => {
	const cases = PROVIDERS.flatMap((p) =>
		REDIRECTS.map((status) => [`${p} ${READ[p].name}`, status, p] as const),
	);
	it.each(cases)(
		'%s answered %i to another origin: nothing of the credential reaches it',
		async (_l, status, provider) => {
			tempting();
			world.hostile.on({
				path: API_PATH[provider],
				times: 1,
				answer: (req) => ({ status, headers: { location: `${world.foreign.origin}${req.url}` } }),
			});
			const r = await run(world, provider, READ[provider].params, {
				credentials: credentialsFor(world, provider),
			});
			expect(r.escaped).toEqual([]);
			expect(credentialsSentTo(world, world.foreign, provider)).toEqual([]);
			expect(leaksOf(world, provider, shown(r))).toEqual([]);
		},
	);
});

describe('writes and deletes are never redirected', () => {
	const cases = PROVIDERS.flatMap((p) =>
		WRITES[p].flatMap((op) =>
			REDIRECTS.map((status) => [`${p} ${op.name}`, status, p, op.params] as const),
		),
	);
	it.each(cases)(
		'%s answered %i: nothing is sent to the other origin and the item fails',
		async (_l, status, provider, params) => {
			tempting();
			world.hostile.on({
				path: API_PATH[provider],
				method: undefined,
				answer: (req) =>
					req.method === 'GET'
						? 'forward'
						: { status, headers: { location: `${world.foreign.origin}${req.url}` } },
			});
			const r = await run(world, provider, params as IDataObject);
			expect(r.escaped).toEqual([]);
			expect(world.foreign.seen.map((s) => `${s.method} ${s.url}`)).toEqual([]);
			expect(failed(r)).toBe(true);
			expect(JSON.stringify(r.output)).not.toContain('"deleted":true');
		},
	);
});

describe('a redirected token request never takes the client secret along', () => {
	const cases = TOKEN_PROVIDERS.flatMap((p) => REDIRECTS.map((status) => [p, status] as const));
	it.each(cases)(
		'%s node: token endpoint answers %i to another origin',
		async (provider, status) => {
			tempting();
			world.hostile.on({
				path: TOKEN_PATH[provider],
				times: 1,
				answer: (req) => ({ status, headers: { location: `${world.foreign.origin}${req.url}` } }),
			});
			const r = await run(world, provider, READ[provider].params, {
				credentials: credentialsFor(world, provider, {}, true),
			});
			expect(r.escaped).toEqual([]);
			expect(credentialsSentTo(world, world.foreign, provider)).toEqual([]);
			expect(leaksOf(world, provider, shown(r))).toEqual([]);
		},
	);
	it.each(cases)(
		'%s credential (preAuthentication / Test): token endpoint answers %i to another origin',
		async (provider, status) => {
			tempting();
			world.hostile.on({
				path: TOKEN_PATH[provider],
				times: 1,
				answer: (req) => ({ status, headers: { location: `${world.foreign.origin}${req.url}` } }),
			});
			const r = await preAuthenticate(provider, credentialsFor(world, provider, {}, true));
			expect(r.escaped).toEqual([]);
			expect(credentialsSentTo(world, world.foreign, provider)).toEqual([]);
			expect(leaksOf(world, provider, shown(r))).toEqual([]);
		},
	);
});

describe('links handed back by the provider are followed only on the configured API origin', () => {
	const LINKED: Array<{
		provider: Provider;
		name: string;
		params: IDataObject;
		path: RegExp;
		page: (next: string) => IDataObject;
	}> = [
		{
			provider: 'degreed',
			name: 'user.getAll (links.next)',
			params: { resource: 'user', operation: 'getAll', returnAll: true, filters: {}, options: {} },
			path: /\/api\/v2\/users$/,
			page: (next) => ({
				data: [{ id: 'u1', type: 'users', attributes: { 'first-name': 'A' } }],
				links: { next },
			}),
		},
		{
			provider: 'degreed',
			name: 'xapiStatement.getAll (more)',
			params: { resource: 'xapiStatement', operation: 'getAll', returnAll: true, options: {} },
			path: /\/xAPI\/statements$/,
			page: (next) => ({
				statements: [
					{
						id: '0b4f6d1e-6a0a-4c5e-9f1e-1a2b3c4d5e6f',
						verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
					},
				],
				more: next,
			}),
		},
		{
			provider: 'scormcloud',
			name: 'registration.getXapiStatements (more)',
			params: {
				resource: 'registration',
				operation: 'getXapiStatements',
				registrationId: 'reg-1',
				returnAll: true,
				filters: {},
			},
			path: /\/xAPIStatements$/,
			page: (next) => ({
				statements: [{ id: '0b4f6d1e-6a0a-4c5e-9f1e-1a2b3c4d5e6f' }],
				more: next,
			}),
		},
	];
	const VARIANTS: Array<[string, (foreign: string, hostile: string) => string]> = [
		['an absolute link to another origin', (f) => `${f}/steal?cursor=2`],
		['a protocol-relative link to another origin', (f) => `//${new URL(f).host}/steal?cursor=2`],
		[
			'a link whose user-info names the API host',
			(f, h) => `http://${new URL(h).host}@${new URL(f).host}/steal`,
		],
		[
			'a link to another port of the same address over https',
			(f) => `https://${new URL(f).host}/steal`,
		],
	];
	const cases = LINKED.flatMap((l) =>
		VARIANTS.map(([what, link]) => [`${l.provider} ${l.name}`, what, l, link] as const),
	);
	it.each(cases)('%s: %s', async (_l, _what, l, link) => {
		tempting();
		world.hostile.on({
			path: l.path,
			times: 1,
			answer: () => ({
				status: 200,
				body: l.page(link(world.foreign.origin, world.hostile.origin)),
			}),
		});
		const r = await run(world, l.provider, l.params);
		expect(r.escaped).toEqual([]);
		expect(credentialsSentTo(world, world.foreign, l.provider)).toEqual([]);
		expect(world.foreign.seen).toEqual([]);
	});
});

describe("the credential's Allowed Domains restricts every request made with it, token requests included", () => {
	const DOMAINS = ['example.com', '*.example.com'];
	const nodeCases = PROVIDERS.flatMap((p) =>
		DOMAINS.flatMap((d) =>
			[READ[p], WRITES[p][0]].map((op) => [`${p} ${op.name}`, d, p, op.params] as const),
		),
	);
	it.each(nodeCases)(
		'%s with Allowed Domains "%s": nothing is sent to 127.0.0.1',
		async (_l, domains, provider, params) => {
			const r = await run(world, provider, params as IDataObject, {
				credentials: credentialsFor(
					world,
					provider,
					{ allowedHttpRequestDomains: 'domains', allowedDomains: domains },
					provider === 'scormcloud',
				),
			});
			expect(r.escaped).toEqual([]);
			expect(world.hostile.seen.map((s) => `${s.method} ${s.path}`)).toEqual([]);
			expect(failed(r)).toBe(true);
		},
	);
	const tokenCases = TOKEN_PROVIDERS.flatMap((p) => DOMAINS.map((d) => [p, d] as const));
	it.each(tokenCases)(
		'%s credential Test with Allowed Domains "%s": no token request to 127.0.0.1',
		async (provider, domains) => {
			const r = await preAuthenticate(
				provider,
				credentialsFor(
					world,
					provider,
					{ allowedHttpRequestDomains: 'domains', allowedDomains: domains },
					true,
				),
			);
			expect(world.hostile.seen.map((s) => `${s.method} ${s.path}`)).toEqual([]);
			expect(r.error).toBeDefined();
		},
	);
});

describe('link-local and cloud metadata addresses typed as a base URL are refused', () => {
	const HOSTS = [
		'https://169.254.169.254',
		'https://169.254.169.254:443/latest',
		'https://[fd00:ec2::254]',
		'https://metadata.google.internal',
		'https://169.254.170.2',
		'https://[::ffff:a9fe:a9fe]',
	];
	const at: Record<Provider, (base: string) => IDataObject> = {
		percipio: (b) => ({ apiBaseUrl: b, tokenUrl: `${b}/oauth2-provider/token` }),
		degreed: (b) => ({ apiBaseUrl: b, tokenBaseUrl: b }),
		learnlink: (b) => ({ publicApiUrl: b, usersApiUrl: b }),
		scormcloud: (b) => ({ baseUrl: `${b}/api/v2` }),
		moodle: (b) => ({ siteUrl: b }),
	};
	const cases = PROVIDERS.flatMap((p) => HOSTS.map((h) => [p, h] as const));
	it.each(cases)('%s node with base URL %s: no request is attempted', async (provider, host) => {
		const r = await run(world, provider, READ[provider].params, {
			credentials: credentialsFor(world, provider, at[provider](host), provider === 'scormcloud'),
		});
		expect(r.escaped).toEqual([]);
		expect(failed(r)).toBe(true);
	});
	const tokenCases = TOKEN_PROVIDERS.flatMap((p) => HOSTS.map((h) => [p, h] as const));
	it.each(tokenCases)(
		'%s credential Test with base URL %s: no token request is attempted',
		async (provider, host) => {
			const r = await preAuthenticate(
				provider,
				credentialsFor(world, provider, at[provider](host), true),
			);
			expect(r.escaped).toEqual([]);
			expect(r.error).toBeDefined();
		},
	);
});

describe('path overrides cannot leave their route', () => {
	const BAD = [
		'/%2e%2e/%2e%2e/admin',
		'/xAPI/.%2e/.%2e/admin',
		'/xAPI\\..\\..\\admin',
		'/xAPI/%2E%2E/admin',
		'/xAPI/statements?debug=1',
		'/xAPI/statements#fragment',
		'http://127.0.0.1:1/xAPI/statements',
		'//127.0.0.1:1/xAPI/statements',
	];
	const SITES: Array<{
		provider: Provider;
		name: string;
		params: (bad: string) => IDataObject;
		credentials: (bad: string) => IDataObject;
	}> = [
		{
			provider: 'degreed',
			name: 'xAPI Statements Path option',
			params: (bad) => ({
				resource: 'xapiStatement',
				operation: 'getAll',
				returnAll: false,
				limit: 1,
				options: { statementsPath: bad },
			}),
			credentials: () => ({}),
		},
		{
			provider: 'learnlink',
			name: 'REST v1 Path of the credential',
			params: () => READ.learnlink.params,
			credentials: (bad) => ({
				restV1Path: bad.replace('/xAPI', '/rest').replace('/statements', '/v1'),
			}),
		},
	];
	const cases = SITES.flatMap((s) =>
		BAD.map((bad) => [`${s.provider} ${s.name}`, bad, s] as const),
	);
	it.each(cases)('%s = %s: refused, no request outside the route', async (_l, bad, site) => {
		const r = await run(world, site.provider, site.params(bad), {
			credentials: credentialsFor(world, site.provider, site.credentials(bad)),
		});
		expect(r.escaped).toEqual([]);
		const outside = world.hostile.seen.filter((s) => {
			const decoded = decodeURIComponent(s.path).replace(/\\/g, '/');
			return (
				/(^|\/)\.\.?(\/|$)/.test(decoded) ||
				/admin|debug=1|fragment/.test(s.url) ||
				!(API_PATH[site.provider].test(s.path) || TOKEN_PATH[site.provider].test(s.path))
			);
		});
		expect(outside.map((s) => `${s.method} ${s.url}`)).toEqual([]);
		expect(world.foreign.seen).toEqual([]);
		expect(failed(r)).toBe(true);
	});
});
