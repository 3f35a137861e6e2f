// Smoke test against a real n8n (pinned in test/e2e/n8n-pin): the `npm pack` tarball installed as a
// community package loads cleanly, every node and credential in package.json's `n8n` field is
// known to n8n, and workflows run with the package installed. See test/e2e/README.md.

import { basename, dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startSandbox } from '../sandbox/server';
import { allProviders } from '../sandbox/providers';
import { SCORMCLOUD_DEMO } from '../sandbox/providers/scormcloud';
import {
	createN8nInstance,
	nodeType,
	packPackage,
	PACKAGE_NAME,
	type N8nInstance,
	type PackedPackage,
	type WorkflowJson,
} from './harness/n8n';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The instance n8n makes of a node / credential file: `new (require(file)[<basename before the first dot>])()`.
 * Loaded from the unpacked tarball (pack.dir), so `n8n-workflow` resolves from the repo's node_modules.
 */
function loadClass(dir: string, distPath: string): Record<string, unknown> {
	const className = basename(distPath).split('.')[0];
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(join(dir, distPath)) as Record<string, new () => Record<string, unknown>>;
	if (typeof mod[className] !== 'function')
		throw new Error(`${distPath} does not export class ${className}`);
	return new mod[className]();
}

let pack: PackedPackage;
let n8n: N8nInstance;
let nodeNames: string[] = [];
let credentialNames: string[] = [];

beforeAll(async () => {
	pack = await packPackage();
	nodeNames = pack.nodes.map((p) => (loadClass(pack.dir, p).description as { name: string }).name);
	credentialNames = pack.credentials.map((p) => loadClass(pack.dir, p).name as string);
	// debug level: n8n then logs which packages it scanned, and every line carries its level.
	n8n = await createN8nInstance({ pack, env: { N8N_LOG_LEVEL: 'debug' } });
});

afterAll(async () => {
	await n8n?.dispose();
});

test('the packed tarball holds every file listed in the n8n field', () => {
	const listing = spawnSync('tar', ['-tzf', pack.tarball], { encoding: 'utf8' }).stdout.split('\n');
	for (const file of [...pack.nodes, ...pack.credentials])
		expect(listing).toContain(`package/${file}`);
	expect(listing).toContain('package/package.json');
	// Community packages are installed without dev tooling: nothing but the runtime files ships.
	expect(listing.filter((f) => /^package\/(src|test|nodes|credentials)\//.test(f))).toEqual([]);
});

describe('n8n start with the package installed', () => {
	beforeAll(async () => {
		await n8n.start();
	});
	afterAll(async () => {
		await n8n.stop();
	});

	test('n8n scans the package folder and loads the package', () => {
		expect(n8n.logs()).toMatch(
			new RegExp(
				`(Loaded all credentials and nodes from|Lazy-loading nodes and credentials from) ${escape(PACKAGE_NAME)}\\b`,
			),
		);
	});

	test('n8n logs no warning or error about the package', () => {
		// The user cache folder's name contains the package name too; take it out of the lines first.
		const cache = dirname(n8n.install.dir);
		const ours = [PACKAGE_NAME, ...nodeNames.map((n) => nodeType(n)), ...credentialNames]
			.map(escape)
			.join('|');
		const about = new RegExp(`(${ours})\\b`);
		const loaderFailure =
			/Failed to load package|Class could not be found|Unrecognized (node|credential) type|Skipping package|Cannot find module|is already loaded|failed to load/i;
		const bad = n8n
			.logs()
			.split('\n')
			.map((l) => l.split(cache).join('<cache>'))
			.filter((l) => /^\d\d:\d\d:\d\d\.\d{3}\s+(warn|error)\s/.test(l))
			.filter((l) => about.test(l) || loaderFailure.test(l));
		expect(bad).toEqual([]);
	});

	test('every node listed in package.json is a node type n8n knows', async () => {
		const types = await n8n.rest<Array<{ name: string }>>('GET', '/types/nodes.json');
		const known = new Set(types.map((t) => t.name));
		expect(known.size).toBeGreaterThan(100); // n8n's own nodes are there: the endpoint answered for real
		expect(nodeNames.map(nodeType).filter((t) => !known.has(t))).toEqual([]);
		// …and n8n knows no node of this package that package.json does not list (n8n adds a
		// `<name>Tool` variant of each node marked usableAsTool, for AI agents).
		const listed = new Set(nodeNames.flatMap((n) => [nodeType(n), nodeType(`${n}Tool`)]));
		expect([...known].filter((t) => t.startsWith(`${PACKAGE_NAME}.`) && !listed.has(t))).toEqual(
			[],
		);
	});

	test('every credential listed in package.json is a credential type n8n knows', async () => {
		const types = await n8n.rest<Array<{ name: string }>>('GET', '/types/credentials.json');
		const known = new Set(types.map((t) => t.name));
		expect(known.size).toBeGreaterThan(100);
		expect(credentialNames.filter((c) => !known.has(c))).toEqual([]);
	});
});

describe('n8n execute with the package installed', () => {
	test('a Manual Trigger workflow runs (CLI execution loads the package too)', async () => {
		const wf: WorkflowJson = {
			id: 'lpSmokeBuiltIn01',
			name: 'smoke: built-in nodes',
			nodes: [
				{
					id: 'b7a1c7e2-0000-4000-8000-000000000001',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'b7a1c7e2-0000-4000-8000-000000000002',
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [220, 0],
					parameters: {
						assignments: {
							assignments: [{ id: 'a1', name: 'sum', value: '={{ 1 + 1 }}', type: 'number' }],
						},
					},
				},
			],
			connections: { Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
			settings: {},
		};
		await n8n.importWorkflow(wf);
		const run = await n8n.execute(wf.id);
		expect({ ok: run.ok, error: run.error?.message }).toEqual({ ok: true, error: undefined });
		expect(run.output('Set')).toEqual([{ sum: 2 }]);
	});

	test('a workflow of this package runs against the sandbox (Manual Trigger → SCORM Cloud Ping, Basic auth)', async () => {
		const sandbox = await startSandbox({ port: 0, providers: allProviders() });
		try {
			await n8n.importCredentials([
				{
					id: 'SmokeScormCred1',
					name: 'SCORM Cloud sandbox (smoke)',
					type: 'scormCloudApi',
					data: {
						appId: SCORMCLOUD_DEMO.appId,
						secretKey: SCORMCLOUD_DEMO.secretKey,
						baseUrl: `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`,
						authMethod: 'basic',
					},
				},
			]);
			const wf: WorkflowJson = {
				id: 'SmokeScormPing1',
				name: 'Smoke: SCORM Cloud ping',
				active: false,
				connections: { Start: { main: [[{ node: 'Ping', type: 'main', index: 0 }]] } },
				settings: {},
				nodes: [
					{
						id: 'a1',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: 'a2',
						name: 'Ping',
						type: nodeType('scormCloud'),
						typeVersion: 1,
						position: [220, 0],
						parameters: { resource: 'ping', operation: 'ping' },
						credentials: {
							scormCloudApi: { id: 'SmokeScormCred1', name: 'SCORM Cloud sandbox (smoke)' },
						},
					},
				],
			};
			await n8n.importWorkflow(wf);
			const run = await n8n.execute(wf.id);
			expect({ ok: run.ok, error: run.error?.message, nodeErrors: run.nodeErrors() }).toEqual({
				ok: true,
				error: undefined,
				nodeErrors: [],
			});
			expect(run.output('Ping')).toEqual([
				expect.objectContaining({ apiMessage: expect.stringContaining(SCORMCLOUD_DEMO.appId) }),
			]);
			const pings = sandbox.ledger
				.requests({ provider: 'scormcloud' })
				.filter((r) => r.path === '/api/v2/ping');
			expect(pings.map((r) => r.status)).toEqual([200]);
			expect(n8n.logs()).not.toMatch(/Unrecognized node type/);
		} finally {
			await sandbox.close();
		}
	});
});
