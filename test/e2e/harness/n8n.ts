// A real n8n (the version pinned in test/e2e/n8n-pin) with this package installed the way users
// get it: as a community package unpacked from the `npm pack` tarball. Used by the jest e2e tests,
// the demo and the benchmark. See test/e2e/README.md.
//
//   const pack = await packPackage();                // build + npm pack, once per process
//   const n8n = await createN8nInstance({ pack });   // throwaway N8N_USER_FOLDER
//   await n8n.importCredentials([...]); await n8n.importWorkflow(wf);
//   const run = await n8n.execute(wf.id);            // `n8n execute --id … --rawOutput`, parsed
//   await n8n.start(); await n8n.testCredential({...}); await n8n.activateWorkflow(id);
//   await n8n.callWebhook('path', { method: 'POST', body }); await n8n.stop();
//   n8n.logs(); await n8n.dispose();
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
};
/** `n8n-nodes-learning-platforms`: node types in workflows are `${PACKAGE_NAME}.<nodeName>`. */
export const PACKAGE_NAME = packageJson.name;
/** Node type string as n8n knows it for a node of this package. */
export const nodeType = (nodeName: string): string => `${PACKAGE_NAME}.${nodeName}`;

/* ------------------------------------------------------------------------------------------ */
/* n8n install (cached per user by install-n8n.mjs)                                            */
/* ------------------------------------------------------------------------------------------ */

export interface N8nInstall {
	/** Cache folder holding node_modules/n8n. */
	dir: string;
	/** node_modules/n8n/bin/n8n, run with `node` (Node 24). */
	n8nBin: string;
	/** Node 24 binary and its folder (first on PATH for n8n). */
	node: string;
	nodeBinDir: string;
	version: string;
}

let installPromise: Promise<N8nInstall> | undefined;

/** Runs test/e2e/harness/install-n8n.mjs (installs once, minutes; later calls ≈1 s to verify). */
export function ensureN8nInstalled(): Promise<N8nInstall> {
	installPromise ??= new Promise<N8nInstall>((resolvePromise, reject) => {
		const child = spawn(process.execPath, [join(__dirname, 'install-n8n.mjs'), '--json'], {
			cwd: repoRoot,
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code !== 0)
				return reject(new Error(`install-n8n.mjs failed (exit ${code}); see its output above`));
			try {
				resolvePromise(JSON.parse(out.trim().split('\n').pop() ?? '') as N8nInstall);
			} catch {
				reject(new Error(`install-n8n.mjs printed no JSON: ${out.slice(-500)}`));
			}
		});
	});
	return installPromise;
}

/* ------------------------------------------------------------------------------------------ */
/* Build + pack this package                                                                   */
/* ------------------------------------------------------------------------------------------ */

export interface PackedPackage {
	/** Path of the .tgz made by `npm pack`. */
	tarball: string;
	/**
	 * The tarball unpacked under the repo's node_modules/.cache, so its files can be required in
	 * tests (`n8n-workflow` then resolves from the repo) without racing a rebuild of dist/.
	 */
	dir: string;
	name: string;
	version: string;
	/** package.json `n8n.nodes` / `n8n.credentials` of the packed package (dist paths). */
	nodes: string[];
	credentials: string[];
}

/**
 * The caller's environment without what would change how npm or n8n behave: the npm_* variables
 * `npm run` exports (they would redirect npm's prefix or config), and jest's NODE_ENV=test and
 * JEST_* (with NODE_ENV=test n8n refuses to load nodes: "Not available in tests"). n8n then runs
 * with NODE_ENV unset, as after `npm install -g n8n`.
 */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env))
		if (!/^(npm_|JEST_)/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE_ENV') env[k] = v;
	return { ...env, ...extra };
}

let packPromise: Promise<PackedPackage> | undefined;

const isAlive = (pid: number): boolean => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
};

/**
 * A cross-process lock (a folder holding the owner's pid): several test processes share this
 * working tree, and a build empties dist/ while another process may be packing it.
 */
async function withRepoLock<T>(
	name: string,
	fn: () => T | Promise<T>,
	timeoutMs = 15 * 60_000,
): Promise<T> {
	const lock = join(
		tmpdir(),
		`lp-${name}-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`,
	);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(join(lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const pid = Number(
				existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : 0,
			);
			const ageMs = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if ((pid && !isAlive(pid)) || (!pid && ageMs > 30_000)) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`${lock} is held by process ${pid} for too long`);
			await sleep(500);
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Builds the package (`node scripts/build.mjs`) and packs it with `npm pack` into a temp folder.
 * The result is memoised for the process. Skip the build with `{ buildFresh: true }` or
 * LP_E2E_BUILD_FRESH=1 when dist/ was just built (.ci/run does that). Build and pack run under a
 * lock shared by all processes using this working tree.
 */
export function packPackage(options: { buildFresh?: boolean } = {}): Promise<PackedPackage> {
	packPromise ??= (async () => {
		const buildFresh = options.buildFresh ?? process.env.LP_E2E_BUILD_FRESH === '1';
		const env = cleanEnv({
			PATH: `${dirname(process.execPath)}${delimiter}${join(repoRoot, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
		});
		// The tarball lives as long as this process (tests install it); leftovers of processes that
		// were killed before their exit handler ran are removed by the next one.
		for (const d of readdirSync(tmpdir())) {
			const m = /^lp-pack-(\d+)-/.exec(d);
			if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1])))
				rmSync(join(tmpdir(), d), { recursive: true, force: true });
		}
		const dest = mkdtempSync(join(tmpdir(), `lp-pack-${process.pid}-`));
		process.once('exit', () => rmSync(dest, { recursive: true, force: true }));
		const info = await withRepoLock('build-pack', () => {
			if (!buildFresh) {
				const b = spawnSync(process.execPath, ['scripts/build.mjs'], {
					cwd: repoRoot,
					env,
					encoding: 'utf8',
					timeout: 300_000,
				});
				if (b.status !== 0)
					throw new Error(`build failed (exit ${b.status}):\n${b.stdout}\n${b.stderr}`);
			} else if (!existsSync(join(repoRoot, 'dist'))) {
				throw new Error('buildFresh was set but dist/ does not exist: run `npm run build` first');
			}
			const p = spawnSync(
				'npm',
				['pack', '--ignore-scripts', '--json', '--pack-destination', dest],
				{ cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 },
			);
			if (p.status !== 0) throw new Error(`npm pack failed (exit ${p.status}):\n${p.stderr}`);
			return (
				JSON.parse(p.stdout) as Array<{ filename: string; name: string; version: string }>
			)[0];
		});
		const tarball = join(dest, info.filename);
		// Unpacked copy for tests; leftovers of finished processes are removed.
		const unpackRoot = join(repoRoot, 'node_modules', '.cache', 'lp-e2e-pack');
		mkdirSync(unpackRoot, { recursive: true });
		for (const d of readdirSync(unpackRoot)) {
			const pid = Number(d.split('-')[0]);
			if (pid && pid !== process.pid && !isAlive(pid))
				rmSync(join(unpackRoot, d), { recursive: true, force: true });
		}
		const dir = join(unpackRoot, `${process.pid}-${Date.now()}`);
		mkdirSync(dir, { recursive: true });
		const t = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], {
			encoding: 'utf8',
		});
		if (t.status !== 0) throw new Error(`cannot unpack ${tarball}: ${t.stderr}`);
		// The n8n field of the packed package.json, not the working tree's.
		const packed = JSON.parse(
			readFileSync(join(dir, 'package.json'), 'utf8'),
		) as typeof packageJson;
		return {
			tarball,
			dir,
			name: info.name,
			version: info.version,
			nodes: packed.n8n?.nodes ?? [],
			credentials: packed.n8n?.credentials ?? [],
		};
	})();
	packPromise.catch(() => (packPromise = undefined));
	return packPromise;
}

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/** What `n8n import:credentials` takes: data is plain, n8n encrypts it with the instance key. */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
	[key: string]: unknown;
}

/** An exported credential (`export:credentials --decrypted`): data is plain. */
export interface ExportedCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
	[key: string]: unknown;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface CliResult {
	args: string[];
	code: number | null;
	signal: NodeJS.Signals | null;
	/** stdout and stderr interleaved in arrival order (n8n logs to stdout). */
	output: string;
	stdout: string;
	durationMs: number;
}

export interface NodeRunError {
	message: string;
	description?: string;
	node?: string;
	[key: string]: unknown;
}

export interface ExecutionResult {
	/** finished, no error in the run data, status 'success' (or, on n8n 2.0/2.1, every node run a success: see isRunOk). Judged from the JSON, not the exit code. */
	ok: boolean;
	status: string | undefined;
	finished: boolean | undefined;
	/** The workflow-level error (`data.resultData.error`), if any. */
	error: NodeRunError | undefined;
	lastNodeExecuted: string | undefined;
	/** The full run JSON printed by n8n. */
	run: RunJson;
	/** Items' `json` of a node's output: `output('Percipio')`, or another output/run index. */
	output(nodeName: string, outputIndex?: number, runIndex?: number): Array<Record<string, unknown>>;
	/** Errors of each node that failed (`runData[node][i].error`). */
	nodeErrors(): Array<{ node: string; error: NodeRunError }>;
	cli: CliResult;
}

export interface RunJson {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					error?: NodeRunError;
					executionStatus?: string;
					data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
				}>
			>;
			error?: NodeRunError;
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}

export interface CreateN8nOptions {
	/** Extra environment for every n8n process of this instance (wins over the harness defaults). */
	env?: Record<string, string | undefined>;
	/** HTTP port for `start()`; a free one is picked by default. */
	port?: number;
	/** The packed package to install; packs this repo by default. `false`: a bare n8n. */
	pack?: PackedPackage | false;
}

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

export function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolvePort(port));
		});
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/**
 * Finds the run JSON in n8n's output. `execute --rawOutput` prints it with JSON.stringify(…, null, 2)
 * through the logger (stdout), among other log lines; on failure it is printed after
 * "Execution error:". At the default log level the top-level braces are lines of their own;
 * at N8N_LOG_LEVEL=debug the first line is prefixed ("12:00:00.000   info    {") and the last
 * suffixed ("} { "file": … }"). Nested lines are indented, so only top-level braces start a line.
 */
export function parseRunJson(output: string): RunJson | undefined {
	const lines = output.split('\n');
	let found: RunJson | undefined;
	for (let i = 0; i < lines.length; i++) {
		if (!(lines[i] === '{' || /^\d\d:\d\d:\d\d\.\d{3}\s+\w+\s+\{$/.test(lines[i]))) continue;
		let end = i + 1;
		while (end < lines.length && !lines[end].startsWith('}')) end++;
		if (end >= lines.length) break;
		try {
			const parsed = JSON.parse(['{', ...lines.slice(i + 1, end), '}'].join('\n')) as RunJson;
			if (parsed && typeof parsed === 'object' && parsed.data?.resultData) found = parsed;
			i = end;
		} catch {
			/* not the run JSON */
		}
	}
	return found;
}

/**
 * Whether the run succeeded. n8n 2.41 prints the final `status: 'success'`. n8n 2.0 and 2.1 print
 * the execution object before its status is updated, so a finished run still says `status:
 * 'running'` (a failed one too, without `finished`); there the verdict comes from what the run
 * itself recorded: `finished: true`, no workflow error, and every node run `executionStatus:
 * 'success'` without an error.
 */
export function isRunOk(run: RunJson): boolean {
	const rd = run.data.resultData;
	if (run.finished !== true || rd.error) return false;
	if (run.status === 'success') return true;
	if (run.status !== 'running') return false;
	const nodeRuns = Object.values(rd.runData).flat();
	return nodeRuns.length > 0 && nodeRuns.every((r) => r.executionStatus === 'success' && !r.error);
}

function makeExecutionResult(run: RunJson, cli: CliResult): ExecutionResult {
	const rd = run.data.resultData;
	const error = rd.error;
	return {
		ok: isRunOk(run),
		status: run.status,
		finished: run.finished,
		error,
		lastNodeExecuted: rd.lastNodeExecuted,
		run,
		cli,
		output(nodeName, outputIndex = 0, runIndex = 0) {
			const nodeRuns = rd.runData[nodeName];
			if (!nodeRuns)
				throw new Error(
					`node "${nodeName}" did not run; ran: ${Object.keys(rd.runData).join(', ')}`,
				);
			const items = nodeRuns[runIndex]?.data?.main?.[outputIndex] ?? [];
			return items.map((it) => it.json);
		},
		nodeErrors() {
			const errors: Array<{ node: string; error: NodeRunError }> = [];
			for (const [node, runs] of Object.entries(rd.runData))
				for (const r of runs) if (r.error) errors.push({ node, error: r.error });
			return errors;
		},
	};
}

// A signal would end this process without 'exit' handlers, leaving the n8n processes (their own
// process groups) running: exit instead, unless the program (the demo) handles the signal itself.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	process.on(sig, () => {
		if (process.listenerCount(sig) === 1) process.exit(sig === 'SIGINT' ? 130 : 143);
	});
}

/** A UUID-shaped id derived from `seed`. */
function uuidFrom(seed: string): string {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Every live n8n process of this jest worker / process, killed on exit so nothing outlives the run. */
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
	for (const c of liveChildren) {
		try {
			if (c.pid) process.kill(-c.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
});

/* ------------------------------------------------------------------------------------------ */
/* Seed: a user folder whose database has all migrations applied, made once per n8n install     */
/* ------------------------------------------------------------------------------------------ */

const SEED_FILES = /^(config|database\.sqlite(-wal|-shm)?)$/;

async function ensureSeed(install: N8nInstall, env: NodeJS.ProcessEnv): Promise<string> {
	// Sibling of the install: <cache>/n8n-<version>-<hash>.seed/.n8n/{config,database.sqlite*}
	const seed = `${install.dir}.seed`;
	if (existsSync(join(seed, '.n8n', 'database.sqlite'))) return seed;
	const staging = `${seed}.partial-${process.pid}-${Date.now()}`;
	mkdirSync(staging, { recursive: true });
	try {
		// Any command that opens the database runs the ~200 migrations (seconds); list:workflow does little else.
		const r = spawnSync(install.node, [install.n8nBin, 'list:workflow'], {
			env: { ...env, N8N_USER_FOLDER: staging, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			encoding: 'utf8',
			timeout: 180_000,
		});
		if (!existsSync(join(staging, '.n8n', 'database.sqlite')))
			throw new Error(
				`could not create the seed database (exit ${r.status}):\n${r.stdout}\n${r.stderr}`,
			);
		for (const f of readdirSync(join(staging, '.n8n')))
			if (!SEED_FILES.test(f)) rmSync(join(staging, '.n8n', f), { recursive: true, force: true });
		for (const f of readdirSync(staging))
			if (f !== '.n8n') rmSync(join(staging, f), { recursive: true, force: true });
		try {
			renameSync(staging, seed);
		} catch {
			/* another process made it first */
		}
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
	return seed;
}

/* ------------------------------------------------------------------------------------------ */
/* Instance                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export const OWNER = {
	email: 'owner@lp-e2e.test',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-Passw0rd',
} as const;
const BROWSER_ID = 'lp-e2e-harness';

export class N8nInstance {
	private readonly logChunks: string[] = [];
	private server: ChildProcess | undefined;
	private serverExit: Promise<void> | undefined;
	private cookie: string | undefined;

	constructor(
		readonly install: N8nInstall,
		/** N8N_USER_FOLDER; n8n's files are in `${userFolder}/.n8n`. */
		readonly userFolder: string,
		readonly port: number,
		/** The environment every n8n process of this instance gets (a broker port is added per process). */
		readonly env: NodeJS.ProcessEnv,
		readonly pack: PackedPackage | undefined,
	) {}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Everything every n8n process of this instance printed, each run headed by `$ n8n <args>`. */
	logs(): string {
		return this.logChunks.join('');
	}

	private async processEnv(): Promise<NodeJS.ProcessEnv> {
		// Each process gets its own task-broker port, so a CLI run beside a started server (or
		// another test run on the machine) never collides on n8n's default 5679.
		return {
			...this.env,
			N8N_RUNNERS_BROKER_PORT: this.env.N8N_RUNNERS_BROKER_PORT ?? String(await freePort()),
		};
	}

	private spawnN8n(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
		this.logChunks.push(`\n$ n8n ${args.join(' ')}\n`);
		const child = spawn(this.install.node, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group: a forced stop also ends its task-runner children
		});
		liveChildren.add(child);
		child.on('exit', () => liveChildren.delete(child));
		return child;
	}

	/** Runs `n8n <args>` to its end. Never throws for a non-zero exit: the caller judges. */
	async run(
		args: string[],
		{ timeoutMs = 180_000 }: { timeoutMs?: number } = {},
	): Promise<CliResult> {
		const started = Date.now();
		const child = this.spawnN8n(args, await this.processEnv());
		let output = '';
		let stdout = '';
		child.stdout!.on('data', (d: Buffer) => {
			const s = d.toString();
			output += s;
			stdout += s;
			this.logChunks.push(s);
		});
		child.stderr!.on('data', (d: Buffer) => {
			const s = d.toString();
			output += s;
			this.logChunks.push(s);
		});
		const timer = setTimeout(() => {
			this.logChunks.push(
				`\n[harness] n8n ${args[0]} still running after ${timeoutMs} ms: killed\n`,
			);
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		}, timeoutMs);
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
			child.on('close', (c, s) => r([c, s])),
		);
		clearTimeout(timer);
		// The task runner is a child of n8n in the same group; make sure none is left.
		try {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* group already gone */
		}
		return { args, code, signal, output, stdout, durationMs: Date.now() - started };
	}

	private async runOk(args: string[]): Promise<CliResult> {
		const r = await this.run(args);
		if (r.code !== 0)
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${r.code ?? r.signal}):\n${r.output.slice(-3000)}`,
			);
		return r;
	}

	private tmpFile(name: string, content: unknown): string {
		const dir = join(this.userFolder, 'harness-io');
		mkdirSync(dir, { recursive: true });
		const file = join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
		writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	}

	/** `n8n import:credentials`: each `{ id, name, type, data }` with plain data; n8n encrypts it. */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = this.tmpFile('credentials.json', credentials);
		try {
			await this.runOk(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow` of one workflow (or several); each needs an `id`. */
	async importWorkflow(workflow: WorkflowJson | WorkflowJson[]): Promise<void> {
		const list = Array.isArray(workflow) ? workflow : [workflow];
		for (const wf of list)
			if (!wf.id) throw new Error(`workflow "${wf.name}" has no id: n8n execute needs one`);
		// n8n 2.0 (compatibility runs) rejects a workflow without these two on import; later versions
		// fill them in. The versionId is derived from the id so an import stays reproducible.
		const complete = list.map((wf) => ({
			active: false,
			versionId: uuidFrom(`version:${wf.id}`),
			...wf,
		}));
		const file = this.tmpFile('workflows.json', complete);
		try {
			await this.runOk(['import:workflow', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
		this.ensureHistoryVersions(complete.map((wf) => wf.id));
	}

	/**
	 * n8n activates a workflow's version from its history (`workflow_history`). n8n 2.41's import
	 * records that version; 2.0 and 2.1 do not (activation then answers 404 "Version not found"), so
	 * the version the import stored is recorded here, as those versions' editor would on save.
	 * Nothing is written where n8n recorded it itself. Only the SQLite database is patched: the
	 * compatibility runs use it, and an instance on another database (queue mode's PostgreSQL)
	 * has no SQLite file to open (opening one would create an empty database).
	 */
	private ensureHistoryVersions(workflowIds: string[]): void {
		if ((this.env.DB_TYPE ?? 'sqlite') !== 'sqlite') return;
		const file = join(this.userFolder, '.n8n', 'database.sqlite');
		if (!existsSync(file)) throw new Error(`n8n's SQLite database is missing: ${file}`);
		const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
		const db = new DatabaseSync(file);
		try {
			db.exec('PRAGMA busy_timeout = 10000');
			const insert = db.prepare(
				`INSERT INTO workflow_history ("versionId", "workflowId", "authors", "nodes", "connections")
				 SELECT w."versionId", w.id, 'lp-e2e harness (import)', w.nodes, w.connections FROM workflow_entity w
				 WHERE w.id = ? AND NOT EXISTS (SELECT 1 FROM workflow_history h WHERE h."versionId" = w."versionId")`,
			);
			for (const id of workflowIds) insert.run(id);
		} finally {
			db.close();
		}
	}

	/**
	 * `n8n execute --id <id> --rawOutput`, judged by the JSON n8n printed (n8n has segfaulted on exit
	 * after a successful run). Throws only when no run JSON was printed at all.
	 */
	async execute(
		workflowId: string,
		{ timeoutMs = 180_000 }: { timeoutMs?: number } = {},
	): Promise<ExecutionResult> {
		const cli = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
		const run = parseRunJson(cli.stdout) ?? parseRunJson(cli.output);
		if (!run)
			throw new Error(
				`n8n execute printed no run data (exit ${cli.code ?? cli.signal}):\n${cli.output.slice(-3000)}`,
			);
		return makeExecutionResult(run, cli);
	}

	/** `n8n export:credentials --all --decrypted`: what the credentials hold now (tokens persisted by n8n included). */
	async exportCredentials(): Promise<ExportedCredential[]> {
		const file = join(this.userFolder, 'harness-io', `export-${Date.now()}.json`);
		mkdirSync(dirname(file), { recursive: true });
		await this.runOk(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
		try {
			return JSON.parse(readFileSync(file, 'utf8')) as ExportedCredential[];
		} finally {
			rmSync(file, { force: true });
		}
	}

	/* ----------------------------------- server ----------------------------------- */

	get running(): boolean {
		return this.server !== undefined;
	}

	/**
	 * `n8n start` on 127.0.0.1:<port>; resolves once /healthz answers and the REST routes are
	 * mounted, then sets up the owner (or logs in, on a second start) so `rest()` is authenticated.
	 */
	async start({ timeoutMs = 180_000 }: { timeoutMs?: number } = {}): Promise<void> {
		if (this.server) throw new Error('already started');
		const child = this.spawnN8n(['start'], await this.processEnv());
		this.server = child;
		let exited = false;
		child.stdout!.on('data', (d: Buffer) => this.logChunks.push(d.toString()));
		child.stderr!.on('data', (d: Buffer) => this.logChunks.push(d.toString()));
		this.serverExit = new Promise((r) =>
			child.on('close', (code, signal) => {
				exited = true;
				this.logChunks.push(`\n[harness] n8n start exited (${code ?? signal})\n`);
				r();
			}),
		);
		const deadline = Date.now() + timeoutMs;
		const waitFor = async (what: string, probe: () => Promise<boolean>) => {
			for (;;) {
				if (exited)
					throw new Error(
						`n8n start exited while waiting for ${what}:\n${this.logs().slice(-3000)}`,
					);
				if (await probe().catch(() => false)) return;
				if (Date.now() > deadline) {
					await this.stop();
					throw new Error(
						`n8n start: no ${what} after ${timeoutMs} ms:\n${this.logs().slice(-3000)}`,
					);
				}
				await sleep(250);
			}
		};
		await waitFor('/healthz', async () => (await fetch(`${this.baseUrl}/healthz`)).status === 200);
		// REST controllers are mounted a few seconds after /healthz: an unauthenticated GET /rest/login
		// answers 401 then (404 before).
		await waitFor(
			'REST routes',
			async () => (await fetch(`${this.baseUrl}/rest/login`)).status === 401,
		);
		await this.signIn();
	}

	private async signIn(): Promise<void> {
		this.cookie = undefined;
		const setup = await this.rawRest('POST', '/rest/owner/setup', OWNER);
		if (setup.status === 200) return;
		const login = await this.rawRest('POST', '/rest/login', {
			emailOrLdapLoginId: OWNER.email,
			password: OWNER.password,
		});
		if (login.status !== 200)
			throw new Error(
				`owner setup (${setup.status}: ${await setup.text()}) and login (${login.status}: ${await login.text()}) both failed`,
			);
	}

	private async rawRest(method: string, path: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = {
			'browser-id': BROWSER_ID,
			accept: 'application/json',
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const res = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const auth = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		return res;
	}

	/**
	 * Authenticated REST call (`/rest/...` or `/types/...`) as the owner; returns the parsed body, unwrapping
	 * n8n's `{ data }` envelope. Throws with n8n's message on a non-2xx answer.
	 */
	async rest<T = unknown>(
		method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
		path: string,
		body?: unknown,
	): Promise<T> {
		if (!this.server || !this.cookie) throw new Error('start() the instance first');
		const res = await this.rawRest(method, path, body);
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 1000)}`);
		const parsed = text ? (JSON.parse(text) as unknown) : undefined;
		return (
			parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'data' in parsed
				? (parsed as { data: T }).data
				: parsed
		) as T;
	}

	/**
	 * `POST /rest/credentials/test` — n8n runs the credential type's test (and preAuthentication).
	 * With an `id` of an imported credential, n8n merges `data` over the stored data; without, it
	 * tests the given data as is. n8n 2.0 and 2.1 test stored credentials only (403 without an id):
	 * there the data is saved as a temporary credential, tested by its id, and deleted.
	 */
	async testCredential(credential: {
		id?: string;
		name?: string;
		type: string;
		data?: Record<string, unknown>;
	}): Promise<{ status: 'OK' | 'Error'; message: string }> {
		type Answer = { status: 'OK' | 'Error'; message: string };
		const name = credential.name ?? `test ${credential.type}`;
		const data = credential.data ?? {};
		if (!this.server || !this.cookie) throw new Error('start() the instance first');
		const res = await this.rawRest('POST', '/rest/credentials/test', {
			credentials: { id: credential.id ?? '', name, type: credential.type, data },
		});
		const text = await res.text();
		if (res.status === 403 && !credential.id) {
			const temp = await this.rest<{ id: string }>('POST', '/rest/credentials', {
				name,
				type: credential.type,
				data,
			});
			try {
				return await this.rest<Answer>('POST', '/rest/credentials/test', {
					credentials: { id: temp.id, name, type: credential.type, data },
				});
			} finally {
				await this.rest('DELETE', `/rest/credentials/${temp.id}`);
			}
		}
		if (!res.ok)
			throw new Error(`POST /rest/credentials/test → ${res.status}: ${text.slice(0, 1000)}`);
		const parsed = JSON.parse(text) as { data?: Answer } & Answer;
		return parsed.data ?? parsed;
	}

	/**
	 * Publishes (activates) an imported workflow and waits until n8n reports it published, so its
	 * production webhooks and triggers are live. n8n 2.41 publishes through an outbox that a
	 * poller applies (every N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS, 1 s here).
	 */
	async activateWorkflow(
		workflowId: string,
		{ timeoutMs = 60_000 }: { timeoutMs?: number } = {},
	): Promise<void> {
		const wf = await this.rest<{ versionId: string }>('GET', `/rest/workflows/${workflowId}`);
		await this.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: wf.versionId });
		await this.waitForPublication(workflowId, ['published'], timeoutMs);
	}

	async deactivateWorkflow(
		workflowId: string,
		{ timeoutMs = 60_000 }: { timeoutMs?: number } = {},
	): Promise<void> {
		await this.rest('POST', `/rest/workflows/${workflowId}/deactivate`, {});
		await this.waitForPublication(workflowId, ['not_published'], timeoutMs);
	}

	private async waitForPublication(
		workflowId: string,
		wanted: string[],
		timeoutMs: number,
	): Promise<void> {
		type Status = {
			status: string;
			triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
		};
		const deadline = Date.now() + timeoutMs;
		let last: Status | undefined;
		while (Date.now() < deadline) {
			const probe = await this.rawRest('GET', `/rest/workflows/${workflowId}/publication-status`);
			if (probe.status === 404 && !(await this.hasPublicationStatus())) {
				// n8n before the publication outbox (2.0, 2.1; compatibility runs) activates within the
				// activate call itself, which fails when a trigger cannot start: the workflow's `active` is the state.
				const wf = await this.rest<{ active: boolean }>('GET', `/rest/workflows/${workflowId}`);
				if (wf.active === wanted.includes('published')) return;
				throw new Error(`workflow ${workflowId}: active ${wf.active} (wanted ${wanted.join('/')})`);
			}
			const text = await probe.text();
			if (!probe.ok)
				throw new Error(
					`GET /rest/workflows/${workflowId}/publication-status → ${probe.status}: ${text.slice(0, 1000)}`,
				);
			const parsed = JSON.parse(text) as { data?: Status } & Status;
			last = parsed.data ?? parsed;
			if (wanted.includes(last.status)) return;
			if (last.status === 'failed' || last.status === 'partial') break;
			await sleep(250);
		}
		throw new Error(
			`workflow ${workflowId}: publication status ${JSON.stringify(last)} (wanted ${wanted.join('/')})`,
		);
	}

	private publicationStatusRoute: boolean | undefined;

	/** Whether this n8n has the publication-status route (2.41 does; 2.0 and 2.1 do not), from its own files. */
	private async hasPublicationStatus(): Promise<boolean> {
		this.publicationStatusRoute ??= existsSync(
			join(this.install.dir, 'node_modules', 'n8n', 'dist', 'workflows', 'workflows.controller.js'),
		)
			? readFileSync(
					join(
						this.install.dir,
						'node_modules',
						'n8n',
						'dist',
						'workflows',
						'workflows.controller.js',
					),
					'utf8',
				).includes('publication-status')
			: true;
		return this.publicationStatusRoute;
	}

	/** Production webhook URL of a Webhook/trigger node `path`. */
	webhookUrl(path: string): string {
		return `${this.baseUrl}/webhook/${path.replace(/^\//, '')}`;
	}

	/** Calls the production webhook URL (plain fetch; no n8n auth cookie). */
	async callWebhook(path: string, init: RequestInit = {}): Promise<Response> {
		return await fetch(this.webhookUrl(path), init);
	}

	/** Stops `n8n start` (SIGTERM, then SIGKILL of its process group after `graceMs`). */
	async stop({ graceMs = 20_000 }: { graceMs?: number } = {}): Promise<void> {
		const child = this.server;
		if (!child) return;
		this.server = undefined;
		this.cookie = undefined;
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		// The grace timer is cleared once n8n has exited: left running, it kept jest waiting up to 20 s
		// after the last test ("did not exit one second after the test run").
		let graceTimer: NodeJS.Timeout | undefined;
		const grace = new Promise<boolean>(
			(resolve) => (graceTimer = setTimeout(() => resolve(true), graceMs)),
		);
		const killed = await Promise.race([this.serverExit!.then(() => false), grace]);
		clearTimeout(graceTimer);
		try {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* group already gone */
		}
		if (killed) {
			this.logChunks.push(`\n[harness] n8n start did not stop within ${graceMs} ms: killed\n`);
			await this.serverExit;
		}
	}

	/** Stops the server if running and removes the user folder (kept when LP_E2E_KEEP=1). */
	async dispose(): Promise<void> {
		await this.stop();
		if (process.env.LP_E2E_KEEP === '1') {
			process.stderr.write(`[n8n harness] LP_E2E_KEEP=1: keeping ${this.userFolder}\n`);
			return;
		}
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/**
 * Environment every n8n process gets (callers' `env` wins):
 * - PATH: Node 24 first (n8n 2.36+ needs Node >= 24; its task runner is started with `node` from PATH).
 * - N8N_USER_FOLDER: the throwaway folder (config with the encryption key, SQLite DB, nodes/).
 * - N8N_DIAGNOSTICS_ENABLED / N8N_VERSION_NOTIFICATIONS_ENABLED / N8N_PERSONALIZATION_ENABLED=false:
 *   no telemetry, version checks or survey (they would try to reach n8n's servers and log DNS errors).
 * - N8N_DISABLED_MODULES=mcp-registry: its start-up refresh fetches a server list from n8n's API and
 *   logs a stack trace when offline; nothing here uses it.
 * - N8N_LISTEN_ADDRESS=127.0.0.1, N8N_HOST=127.0.0.1, N8N_PORT, N8N_PROTOCOL=http: loopback only, on a
 *   free port; webhook URLs n8n derives from them are then http://127.0.0.1:<port>/webhook/….
 * - N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS=1000: n8n 2.41 applies a publish (activation)
 *   from an outbox polled every 15 s by default; 1 s makes activateWorkflow() quick.
 * - N8N_RUNNERS_BROKER_PORT: set per process (free port), see processEnv().
 * - NO_COLOR=1: plain log lines to search.
 * - NODE_COMPILE_CACHE: Node's on-disk compile cache beside the install; each n8n process requires
 *   thousands of modules, and the cache saves roughly 0.5–1 s per process.
 * - N8N_COMMUNITY_PACKAGES_ENABLED=true: the default, stated because the package is loaded that way.
 */
export async function createN8nInstance(options: CreateN8nOptions = {}): Promise<N8nInstance> {
	const install = await ensureN8nInstalled();
	const pack = options.pack === false ? undefined : (options.pack ?? (await packPackage()));
	const port = options.port ?? (await freePort());
	const userFolder = mkdtempSync(join(tmpdir(), 'lp-n8n-'));
	const env: NodeJS.ProcessEnv = cleanEnv({
		PATH: `${install.nodeBinDir}${delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// Older n8n releases (compatibility runs) do not have this module and refuse to start when it is named.
		N8N_DISABLED_MODULES: existsSync(
			join(install.dir, 'node_modules', 'n8n', 'dist', 'modules', 'mcp-registry'),
		)
			? 'mcp-registry'
			: undefined,
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
		NO_COLOR: '1',
		NODE_COMPILE_CACHE: join(dirname(install.dir), 'node-compile-cache'),
	});
	for (const [k, v] of Object.entries(options.env ?? {})) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	try {
		// Start from a database with the migrations already applied (copied, so instances never share it).
		const seed = await ensureSeed(install, env);
		cpSync(join(seed, '.n8n'), join(userFolder, '.n8n'), { recursive: true });
		if (pack) {
			// The community-package layout n8n itself produces when a user installs the package.
			const nodesDir = join(userFolder, '.n8n', 'nodes');
			const pkgDir = join(nodesDir, 'node_modules', pack.name);
			mkdirSync(pkgDir, { recursive: true });
			const t = spawnSync('tar', ['-xzf', pack.tarball, '-C', pkgDir, '--strip-components=1'], {
				encoding: 'utf8',
			});
			if (t.status !== 0) throw new Error(`cannot unpack ${pack.tarball}: ${t.stderr}`);
			writeFileSync(
				join(nodesDir, 'package.json'),
				JSON.stringify(
					{ name: 'installed-nodes', private: true, dependencies: { [pack.name]: pack.version } },
					null,
					2,
				),
			);
		}
	} catch (e) {
		rmSync(userFolder, { recursive: true, force: true });
		throw e;
	}
	return new N8nInstance(install, userFolder, port, env, pack);
}
