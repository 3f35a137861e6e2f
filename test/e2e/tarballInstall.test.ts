// The README's "Install today" tarball route, followed literally in a fresh n8n user folder:
// `npm pack` → `npm install --omit=peer <tgz>` inside <userfolder>/.n8n/nodes (what a user types;
// no harness shortcut unpacks anything) → the pinned n8n started with that user folder → the
// package's nodes and credentials are listed, a workflow of the package runs, and input validation
// (zod, which n8n provides: the package does not depend on it) names the bad field.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { allProviders } from '../sandbox/providers';
import { SCORMCLOUD_DEMO } from '../sandbox/providers/scormcloud';
import {
	createN8nInstance,
	nodeType,
	packPackage,
	repoRoot,
	type N8nInstance,
	type PackedPackage,
	type WorkflowJson,
} from './harness/n8n';

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};

let pack: PackedPackage;
let n8n: N8nInstance;
let sandbox: Sandbox;
let nodesDir: string;
let npmInstall: { status: number | null; output: string };

/** The environment a user's shell would give npm: none of the npm_* variables `npm run` sets for this repo. */
function userEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env))
		if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
	return { ...env, npm_config_update_notifier: 'false' };
}

beforeAll(async () => {
	pack = await packPackage();
	// A bare n8n: its user folder has no nodes folder, no package installed. Debug level: n8n then
	// logs which packages it loaded.
	n8n = await createN8nInstance({ pack: false, env: { N8N_LOG_LEVEL: 'debug' } });
	nodesDir = join(n8n.userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const r = spawnSync('npm', ['install', '--omit=peer', '--no-audit', '--no-fund', pack.tarball], {
		cwd: nodesDir,
		env: userEnv(),
		encoding: 'utf8',
		timeout: 300_000,
	});
	npmInstall = { status: r.status, output: `${r.stdout}${r.stderr}` };
	sandbox = await startSandbox({ port: 0, providers: allProviders() });
	await n8n.importCredentials([
		{
			id: 'TarballScorm01',
			name: 'SCORM Cloud sandbox (tarball)',
			type: 'scormCloudApi',
			data: {
				appId: SCORMCLOUD_DEMO.appId,
				secretKey: SCORMCLOUD_DEMO.secretKey,
				baseUrl: `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`,
				authMethod: 'basic',
			},
		},
	]);
}, 900_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

test('npm install of the tarball in ~/.n8n/nodes succeeds and installs the package, without any runtime dependency', () => {
	expect({
		status: npmInstall.status,
		errors: npmInstall.output.split('\n').filter((l) => /npm (error|ERR!)/.test(l)),
	}).toEqual({ status: 0, errors: [] });
	const installed = join(nodesDir, 'node_modules', pack.name);
	expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version).toBe(
		pack.version,
	);
	for (const file of [...packageJson.n8n.nodes, ...packageJson.n8n.credentials])
		expect(existsSync(join(installed, file))).toBe(true);
	// zod and n8n-workflow come from n8n itself: nothing else was installed beside the package.
	const dependencies = JSON.parse(readFileSync(join(nodesDir, 'package.json'), 'utf8'))
		.dependencies as Record<string, string>;
	expect(Object.keys(dependencies)).toEqual([pack.name]);
	expect(existsSync(join(nodesDir, 'node_modules', 'zod'))).toBe(false);
	expect(existsSync(join(nodesDir, 'node_modules', 'n8n-workflow'))).toBe(false);
});

const ping: WorkflowJson = {
	id: 'TarballPing0001',
	name: 'Tarball install: SCORM Cloud ping',
	active: false,
	connections: { Start: { main: [[{ node: 'Ping', type: 'main', index: 0 }]] } },
	settings: {},
	nodes: [
		{
			id: 't1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 't2',
			name: 'Ping',
			type: nodeType('scormCloud'),
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'ping', operation: 'ping' },
			credentials: {
				scormCloudApi: { id: 'TarballScorm01', name: 'SCORM Cloud sandbox (tarball)' },
			},
		},
	],
};

const badInput: WorkflowJson = {
	id: 'TarballBadIn001',
	name: 'Tarball install: a blank registration id',
	active: false,
	connections: { Start: { main: [[{ node: 'Registration', type: 'main', index: 0 }]] } },
	settings: {},
	nodes: [
		{
			id: 'u1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'u2',
			name: 'Registration',
			type: nodeType('scormCloud'),
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'registration', operation: 'get', registrationId: '   ' },
			credentials: {
				scormCloudApi: { id: 'TarballScorm01', name: 'SCORM Cloud sandbox (tarball)' },
			},
		},
	],
};

describe('n8n started with that user folder', () => {
	beforeAll(async () => {
		await n8n.start();
	}, 600_000);
	afterAll(async () => {
		await n8n.stop();
	});

	test('lists every node and credential of the package', async () => {
		const nodes = new Set(
			(await n8n.rest<Array<{ name: string }>>('GET', '/types/nodes.json')).map((t) => t.name),
		);
		const credentials = new Set(
			(await n8n.rest<Array<{ name: string }>>('GET', '/types/credentials.json')).map(
				(t) => t.name,
			),
		);
		const ours = [...nodes].filter((t) => t.startsWith(`${pack.name}.`) && !t.endsWith('Tool'));
		expect(ours.length).toBe(packageJson.n8n.nodes.length);
		const credentialNames = packageJson.n8n.credentials
			.map((f) => f.split('/').pop()!.split('.')[0])
			.map((c) => c.charAt(0).toLowerCase() + c.slice(1));
		expect(credentialNames.filter((c) => !credentials.has(c))).toEqual([]);
		expect(n8n.logs()).toMatch(
			new RegExp(
				`(Loaded all credentials and nodes from|Lazy-loading nodes and credentials from) ${pack.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`,
			),
		);
	});
});

describe('n8n execute with that user folder', () => {
	test('a workflow of the package runs (Manual Trigger → SCORM Cloud Ping)', async () => {
		await n8n.importWorkflow(ping);
		const run = await n8n.execute(ping.id);
		expect({ ok: run.ok, error: run.error?.message, nodeErrors: run.nodeErrors() }).toEqual({
			ok: true,
			error: undefined,
			nodeErrors: [],
		});
		expect(run.output('Ping')).toEqual([
			expect.objectContaining({ apiMessage: expect.stringContaining(SCORMCLOUD_DEMO.appId) }),
		]);
	});

	test('zod validation names the bad field and nothing is sent', async () => {
		const before = sandbox.ledger.requests({ provider: 'scormcloud' }).length;
		await n8n.importWorkflow(badInput);
		const run = await n8n.execute(badInput.id);
		expect(run.ok).toBe(false);
		const errors = run.nodeErrors();
		expect(errors.map((e) => e.node)).toEqual(['Registration']);
		// The message validateInput() builds from zod's issue: the field's path and zod's message.
		expect(errors[0].error.message).toMatch(
			/Invalid "registrationId" registration ID must not be empty/i,
		);
		expect(sandbox.ledger.requests({ provider: 'scormcloud' }).length).toBe(before);
	});
});
