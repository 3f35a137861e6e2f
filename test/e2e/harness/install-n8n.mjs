#!/usr/bin/env node
// Installs the n8n pinned in test/e2e/n8n-pin (package.json + package-lock.json) once into a
// per-user cache outside the clone, and prints the folder:
//
//   <cache>/n8n-<version>-<first 8 hex of sha256(package-lock.json)>/
//     package.json, package-lock.json, node_modules/ (n8n and its ~2,350 dependencies, ~2.9 GB),
//     .lp-install.json (written last, once the tree has been verified)
//
// <cache> is scripts/node24.mjs's cacheRoot: $LP_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache,
// + /n8n-nodes-learning-platforms. CI runs in a fresh clone, so a folder inside the repo would be
// gone every run; this one survives as long as the machine's home folder does.
//
// How (the only recipe that works on a machine that reaches nothing but the npm registry):
//   1. `npm ci --ignore-scripts` into a temporary sibling folder. Scripts stay off because the
//      Kafka client's install script downloads native sources from the internet and fails.
//   2. `npm rebuild sqlite3` (n8n's default database driver) under Node 24, compiled from source
//      against Node 24's headers (npm_config_nodedir from scripts/node24.mjs's node24Env()).
//      isolated-vm needs no build: it ships a Node 24 prebuild that it finds at run time.
//   3. Verify (below), write the marker, then rename the folder into place. A rename is atomic,
//      so an interrupted install leaves at most a `.n8n-…partial-<pid>` folder, never a half cache;
//      leftovers of dead processes are removed by the next install.
// Every use re-verifies the cache (under a second): the marker matches the lockfile, `n8n --version` under
// Node 24 prints the pinned version, and sqlite3 (with an in-memory query) and isolated-vm load.
// A cache that fails is installed again.
//
// Use: `node test/e2e/harness/install-n8n.mjs [--version X.Y.Z] [--force] [--json]` (Node 20 or 24), or
//      `import { ensureN8n } from './install-n8n.mjs'; const { dir } = await ensureN8n();`
//
// Another n8n version (compatibility runs, `npm run test:compat -- <version>`): `--version X.Y.Z`
// or LP_N8N_VERSION=X.Y.Z. There is no lockfile for it, so step 1 becomes
// `npm install n8n@X.Y.Z --ignore-scripts` (npm resolves its dependencies as a user's install
// would, the day it runs) into `<cache>/n8n-X.Y.Z-compat/`; steps 2 and 3 are the same. The pinned
// version given this way uses the pinned lockfile as usual.
// --force or LP_N8N_REINSTALL=1 reinstalls even a valid cache. Progress goes to stderr; stdout
// gets only the n8n folder (or, with --json, the JSON of ensureN8n()'s result).
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureNode24, node24Env } from '../../../scripts/node24.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const pinDir = path.resolve(here, '..', 'n8n-pin');
const MARKER = '.lp-install.json';
const INSTALL_TIMEOUT_MS = 40 * 60_000;

const t0 = Date.now();
function elapsed(since = t0) {
	const s = Math.round((Date.now() - since) / 1000);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
function say(msg) {
	process.stderr.write(`[install-n8n ${elapsed()}] ${msg}\n`);
}

/** The n8n version pinned in test/e2e/n8n-pin/package.json. */
export function pinnedVersion() {
	const pkg = JSON.parse(fs.readFileSync(path.join(pinDir, 'package.json'), 'utf8'));
	const version = pkg.dependencies?.n8n;
	if (!/^\d+\.\d+\.\d+$/.test(version ?? ''))
		throw new Error(`${pinDir}/package.json must pin an exact n8n version, found ${version}`);
	return version;
}

/**
 * Version, lockfile hash and cache folder of the n8n to use: the pinned one, or `requested`
 * (default: $LP_N8N_VERSION) installed without a lockfile for a compatibility run.
 */
export function n8nCacheInfo(requested = process.env.LP_N8N_VERSION || undefined) {
	const version = pinnedVersion();
	if (requested && requested !== version) {
		if (!/^\d+\.\d+\.\d+$/.test(requested))
			throw new Error(`an n8n version is X.Y.Z, got "${requested}"`);
		const name = `n8n-${requested}-compat`;
		return {
			version: requested,
			lockHash: `compat-${requested}`,
			name,
			dir: path.join(cacheRoot, name),
			pinned: false,
		};
	}
	const lockPath = path.join(pinDir, 'package-lock.json');
	if (!fs.existsSync(lockPath))
		throw new Error(`${lockPath} is missing: the install must be reproducible from a lockfile.`);
	const lockHash = createHash('sha256').update(fs.readFileSync(lockPath)).digest('hex');
	const name = `n8n-${version}-${lockHash.slice(0, 8)}`;
	return { version, lockHash, name, dir: path.join(cacheRoot, name), pinned: true };
}

/**
 * Environment for npm and n8n child processes: Node 24 first on PATH, native builds against
 * Node 24's headers, and none of the npm_* variables that `npm run` exports to its scripts
 * (npm_config_local_prefix would make npm install into the repo instead of the cache folder,
 * npm_config_ignore_scripts from the project's .npmrc would turn `npm rebuild` into a no-op).
 */
export function childEnv(extra = {}) {
	const env = node24Env();
	for (const key of Object.keys(env)) {
		if (/^npm_/i.test(key) && key !== 'npm_config_nodedir') delete env[key];
		if (key === 'INIT_CWD') delete env[key];
	}
	return {
		...env,
		npm_config_yes: 'true', // the machine's npmrc says yes=false, which makes any npx abort
		npm_config_engine_strict: 'false',
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		...extra,
	};
}

function node24() {
	return ensureNode24().node;
}

/** Checks a tree; returns null when it is good, else the reason it is not. */
export function verifyN8n(dir, info = n8nCacheInfo()) {
	try {
		const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
		if (marker.lockHash !== info.lockHash) return 'it was installed from another lockfile';
	} catch {
		return 'it has no completion marker (never finished installing)';
	}
	return verifyTree(dir, info);
}

function verifyTree(dir, info) {
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(bin)) return `${bin} is missing`;
	const env = childEnv();
	// Generous limits: the first start of a fresh tree reads thousands of files, which on a loaded
	// machine has taken over a minute (a fresh install failed verification on a 60 s limit).
	const v = spawnSync(node24(), [bin, '--version'], {
		cwd: dir,
		env,
		encoding: 'utf8',
		timeout: 300_000,
	});
	const printed = (v.stdout ?? '').trim().split('\n').pop();
	if (v.status !== 0 || printed !== info.version)
		return `\`n8n --version\` under Node 24 printed "${printed}" (exit ${v.status}), expected ${info.version}: ${(v.stderr ?? '').slice(0, 400)}`;
	const probe = `
		const sqlite3 = require('sqlite3');
		const db = new sqlite3.Database(':memory:');
		db.get('select sqlite_version() as v', (err, row) => {
			if (err) { console.error(err); process.exit(2); }
			let hasIvm = true; // older n8n releases (2.0 …) have no isolated-vm
			try { require.resolve('isolated-vm'); } catch { hasIvm = false; }
			if (hasIvm) require('isolated-vm');
			console.log('ok sqlite ' + row.v);
			db.close();
		});`;
	const p = spawnSync(node24(), ['-e', probe], {
		cwd: dir,
		env,
		encoding: 'utf8',
		timeout: 300_000,
	});
	if (p.status !== 0 || !/^ok sqlite/m.test(p.stdout ?? ''))
		return `sqlite3/isolated-vm do not load under Node 24: ${(p.stderr || p.stdout || '').slice(0, 600)}`;
	return null;
}

let currentChild = null;

function run(cmd, args, { cwd, env, logFile, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const log = fs.openSync(logFile, 'a');
		fs.writeSync(log, `\n$ ${cmd} ${args.join(' ')}\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', log, log] });
		currentChild = child;
		const beat = setInterval(
			() => say(`${label}: still running (${elapsed(started)} for this step)…`),
			30_000,
		);
		const timer = setTimeout(() => {
			say(`${label}: no end after ${INSTALL_TIMEOUT_MS / 60_000} minutes, stopping it`);
			child.kill('SIGTERM');
		}, INSTALL_TIMEOUT_MS);
		const stop = (err) => {
			currentChild = null;
			clearInterval(beat);
			clearTimeout(timer);
			fs.closeSync(log);
			if (err) {
				const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
				reject(new Error(`${label} failed (${err}); last lines of ${logFile}:\n${tail}`));
			} else {
				say(`${label}: done in ${elapsed(started)}`);
				resolve();
			}
		};
		child.on('error', (e) => stop(e.message));
		child.on('exit', (code, signal) => stop(code === 0 ? null : `exit ${code ?? signal}`));
	});
}

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
};

/** A lock folder beside the cache entry, so two test runs never install the same n8n at once. */
let heldLock = null;

async function withLock(info, fn) {
	const lock = `${info.dir}.lock`;
	fs.mkdirSync(cacheRoot, { recursive: true });
	let waitedSince = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			heldLock = lock;
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			const pid = Number(
				fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0,
			);
			const ageMs =
				Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if ((pid && !alive(pid)) || (!pid && ageMs > 60_000)) {
				say(`removing the stale lock of process ${pid || '?'}`);
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!waitedSince) {
				waitedSince = Date.now();
				say(`process ${pid || '?'} is installing ${info.name}; waiting for it`);
			} else if (Date.now() - waitedSince > INSTALL_TIMEOUT_MS + 60_000) {
				throw new Error(
					`waited too long for ${lock} (process ${pid}); remove it if that process is gone`,
				);
			}
			await new Promise((r) => setTimeout(r, 2_000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
		heldLock = null;
	}
}

function removeLeftovers(info) {
	for (const entry of fs.readdirSync(cacheRoot)) {
		const m = entry.match(/^\.(.+)\.(?:partial|trash)-(\d+)$/);
		if (m && m[1] === info.name && !alive(Number(m[2]))) {
			say(`removing ${entry}, left by an interrupted install`);
			fs.rmSync(path.join(cacheRoot, entry), { recursive: true, force: true });
		}
	}
}

/** Rebuilds what needs a build step in a tree made by `npm ci --ignore-scripts`, verifies it and writes the marker. */
/**
 * Another finished tree in the cache with the same sqlite3 version, built for the same Node 24:
 * its compiled addon is what `npm rebuild` would make, so copying it saves the compile (2–9 minutes).
 */
function reuseSqliteBuild(dir) {
	const version = (d) => {
		try {
			return JSON.parse(
				fs.readFileSync(path.join(d, 'node_modules', 'sqlite3', 'package.json'), 'utf8'),
			).version;
		} catch {
			return undefined;
		}
	};
	const wanted = version(dir);
	const node = spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout.trim();
	for (const entry of fs.readdirSync(cacheRoot)) {
		const other = path.join(cacheRoot, entry);
		if (!entry.startsWith('n8n-') || other === dir || !fs.existsSync(path.join(other, MARKER)))
			continue;
		const built = path.join(other, 'node_modules', 'sqlite3', 'build');
		let marker;
		try {
			marker = JSON.parse(fs.readFileSync(path.join(other, MARKER), 'utf8'));
		} catch {
			continue;
		}
		if (
			!wanted ||
			version(other) !== wanted ||
			marker.node !== node ||
			!fs.existsSync(path.join(built, 'Release', 'node_sqlite3.node'))
		)
			continue;
		fs.cpSync(built, path.join(dir, 'node_modules', 'sqlite3', 'build'), { recursive: true });
		return entry;
	}
	return null;
}

export async function finishTree(
	dir,
	info = n8nCacheInfo(),
	logFile = path.join(dir, 'install.log'),
) {
	const reused = info.pinned ? null : reuseSqliteBuild(dir);
	if (reused) {
		say(`sqlite3: reusing the compiled addon of ${reused} (same sqlite3 version, same Node)`);
		const bad = verifyTree(dir, info);
		if (!bad) return writeMarker(dir, info);
		say(`the reused sqlite3 does not work (${bad}); compiling it`);
	}
	say('npm rebuild sqlite3 (compiles SQLite for Node 24, about 2 minutes)');
	// build_from_source: skip prebuild-install's download attempt (only the npm registry is reachable).
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
		cwd: dir,
		env: childEnv({ npm_config_build_from_source: 'true' }),
		logFile,
		label: 'npm rebuild sqlite3',
	});
	const bad = verifyTree(dir, info);
	if (bad) throw new Error(`the fresh install does not work: ${bad}`);
	writeMarker(dir, info);
}

function writeMarker(dir, info) {
	fs.writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify(
			{
				version: info.version,
				lockHash: info.lockHash,
				node: spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout.trim(),
				finishedAt: new Date().toISOString(),
			},
			null,
			2,
		),
	);
}

async function install(info) {
	removeLeftovers(info);
	const staging = path.join(cacheRoot, `.${info.name}.partial-${process.pid}`);
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	const cleanup = () => fs.rmSync(staging, { recursive: true, force: true });
	const onSignal = (sig) => {
		currentChild?.kill('SIGKILL');
		say(`${sig}: removing the unfinished install`);
		cleanup();
		if (heldLock) fs.rmSync(heldLock, { recursive: true, force: true });
		process.kill(process.pid, sig);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		const logFile = path.join(staging, 'install.log');
		say(`installing n8n ${info.version} into ${info.dir}`);
		say(
			'this happens once per lockfile and takes minutes (about 5–9 for npm ci and 2 for sqlite3; ~2.9 GB)',
		);
		if (info.pinned) {
			for (const f of ['package.json', 'package-lock.json'])
				fs.copyFileSync(path.join(pinDir, f), path.join(staging, f));
			await run(
				'npm',
				[
					'ci',
					'--ignore-scripts',
					'--prefer-offline',
					'--no-audit',
					'--no-fund',
					'--loglevel=warn',
				],
				{
					cwd: staging,
					env: childEnv(),
					logFile,
					label: 'npm ci --ignore-scripts',
				},
			);
		} else {
			// n8n-nodes-base before 2.36 takes xlsx as a tarball from cdn.sheetjs.com, which is not the
			// npm registry; the registry's last xlsx stands in (only the Spreadsheet File node uses it).
			fs.writeFileSync(
				path.join(staging, 'package.json'),
				JSON.stringify(
					{ name: 'n8n-compat', private: true, overrides: { xlsx: '0.18.5' } },
					null,
					2,
				),
			);
			await run(
				'npm',
				[
					'install',
					`n8n@${info.version}`,
					'--save-exact',
					'--ignore-scripts',
					'--prefer-offline',
					'--no-audit',
					'--no-fund',
					'--loglevel=warn',
				],
				{
					cwd: staging,
					env: childEnv(),
					logFile,
					label: `npm install n8n@${info.version} --ignore-scripts`,
				},
			);
		}
		await finishTree(staging, info, logFile);
		let trash = null;
		if (fs.existsSync(info.dir)) {
			trash = path.join(cacheRoot, `.${info.name}.trash-${process.pid}`);
			fs.renameSync(info.dir, trash);
		}
		fs.renameSync(staging, info.dir);
		if (trash) fs.rmSync(trash, { recursive: true, force: true });
		say(`installed and verified n8n ${info.version} in ${elapsed()}`);
	} catch (e) {
		cleanup();
		throw e;
	} finally {
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
	}
}

/**
 * Makes sure the pinned n8n is installed and works, installing it when needed.
 * @param {{ force?: boolean, version?: string }} [options] force: reinstall even a valid cache (also
 *   LP_N8N_REINSTALL=1); version: another n8n than the pinned one (default $LP_N8N_VERSION)
 * @returns {Promise<{ dir: string, n8nBin: string, node: string, nodeBinDir: string, version: string }>}
 *   dir: the install folder; n8nBin: node_modules/n8n/bin/n8n (run it with `node`, Node 24);
 *   node / nodeBinDir: the Node 24 binary and its folder (put it first on PATH for n8n).
 */
export async function ensureN8n({
	force = process.env.LP_N8N_REINSTALL === '1',
	version = undefined,
} = {}) {
	const info = n8nCacheInfo(version);
	const { node } = ensureNode24();
	const result = {
		dir: info.dir,
		n8nBin: path.join(info.dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		node,
		nodeBinDir: path.dirname(node),
		version: info.version,
	};
	let reason = force
		? 'a reinstall was asked for'
		: fs.existsSync(info.dir)
			? verifyN8n(info.dir, info)
			: 'it is not installed yet';
	if (!reason) return result;
	await withLock(info, async () => {
		// Another process may have installed it while we waited for the lock.
		if (!force && fs.existsSync(info.dir) && !verifyN8n(info.dir, info)) return;
		say(`(re)installing ${info.name}: ${reason}`);
		await install(info);
	});
	reason = verifyN8n(info.dir, info);
	if (reason) throw new Error(`n8n in ${info.dir} still fails verification: ${reason}`);
	return result;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const vAt = args.indexOf('--version');
	ensureN8n({
		force: args.includes('--force') || undefined,
		version: vAt >= 0 ? args[vAt + 1] : undefined,
	})
		.then((r) => {
			process.stdout.write(args.includes('--json') ? `${JSON.stringify(r)}\n` : `${r.dir}\n`);
		})
		.catch((e) => {
			say(`FAILED: ${e.message}`);
			process.exit(1);
		});
}
