// PostgreSQL and Redis for the queue-mode test, from Debian's packages, each in a throwaway folder
// on loopback and a free port. Installed with apt-get when missing (CI runs on a fresh machine), so
// the test needs root there (or a machine where both are already installed). Nothing here touches
// the machine's own clusters or services: the data directory, sockets and logs live in a temp
// folder that stop() removes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../harness/n8n';

/** How long each step took (ms), for the report. */
export interface ServiceTimings {
	aptMs: number;
	initdbMs: number;
	postgresStartMs: number;
	redisStartMs: number;
}

export interface Services {
	root: string;
	postgres: {
		host: string;
		port: number;
		user: string;
		database: string;
		bin: string;
		version: string;
	};
	redis: { host: string; port: number; version: string };
	timings: ServiceTimings;
	/** Runs one SQL statement in the n8n database with psql; returns what it printed (unaligned, tuples only). */
	psql(sql: string): string;
	/** Runs a query whose single value is JSON (e.g. `SELECT json_agg(t) FROM (...) t`) and parses it. */
	queryJson<T>(sql: string): T;
	/** Stops both servers and removes the folder. Safe to call twice. */
	stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The newest /usr/lib/postgresql/<version>/bin holding a server binary, if any. */
function findPostgresBin(): { bin: string; version: string } | undefined {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base)
		.filter(
			(v) =>
				existsSync(join(base, v, 'bin', 'postgres')) && existsSync(join(base, v, 'bin', 'initdb')),
		)
		.sort((a, b) => Number(b) - Number(a));
	return versions.length
		? { bin: join(base, versions[0], 'bin'), version: versions[0] }
		: undefined;
}

function findRedisServer(): string | undefined {
	for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
		if (existsSync(p)) return p;
	return undefined;
}

function run(
	cmd: string,
	args: string[],
	options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): { status: number | null; output: string } {
	const r = spawnSync(cmd, args, {
		encoding: 'utf8',
		timeout: options.timeoutMs ?? 120_000,
		env: options.env ?? process.env,
	});
	return {
		status: r.status,
		output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`,
	};
}

/**
 * apt-get install of the packages that are missing (postgresql, redis-server). A failure is an
 * error with apt's output, never a skip: the test cannot say anything without them. Services are
 * not started by the install where a policy-rc.d forbids it (containers); either way this module
 * starts its own servers on free ports.
 */
function ensurePackages(): number {
	const missing: string[] = [];
	if (!findPostgresBin()) missing.push('postgresql');
	if (!findRedisServer()) missing.push('redis-server');
	if (!missing.length) return 0;
	const started = Date.now();
	if (!isRoot())
		throw new Error(
			`queue-mode test: ${missing.join(' and ')} missing and this process is not root, so apt-get cannot install them. Install them (apt-get install -y ${missing.join(' ')}) or run as root.`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
			timeoutMs: 600_000,
			env,
		});
	let r = install();
	if (r.status !== 0) {
		// A fresh machine may have no package lists yet.
		const update = run('apt-get', ['update'], { timeoutMs: 300_000, env });
		r = install();
		if (r.status !== 0)
			throw new Error(
				`queue-mode test: apt-get install -y ${missing.join(' ')} failed (exit ${r.status}).\napt-get update:\n${update.output.slice(-2000)}\napt-get install:\n${r.output.slice(-3000)}`,
			);
	}
	if (!findPostgresBin() || !findRedisServer())
		throw new Error(
			`queue-mode test: apt-get installed ${missing.join(' ')} but the binaries are not where Debian puts them (/usr/lib/postgresql/<version>/bin, /usr/bin/redis-server)`,
		);
	return Date.now() - started;
}

/** Redis answers PING with +PONG once it accepts connections. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
		let data = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('data', (d) => {
			data += d.toString();
			if (data.includes('\r\n')) done(data.startsWith('+PONG'));
		});
		socket.on('error', () => done(false));
	});
}

/** Every started server, stopped if the process exits without stop() (a crashed run). */
const cleanups = new Set<() => void>();
process.on('exit', () => {
	for (const c of cleanups) {
		try {
			c();
		} catch {
			/* best effort */
		}
	}
});

export async function startServices(): Promise<Services> {
	const aptMs = ensurePackages();
	const pg = findPostgresBin()!;
	const redisServer = findRedisServer()!;
	const root = mkdtempSync(join(tmpdir(), 'lp-queue-services-'));
	const pgDir = join(root, 'pg');
	const dataDir = join(pgDir, 'data');
	mkdirSync(pgDir, { recursive: true });
	// PostgreSQL refuses to run as root: as root, its folder belongs to the `postgres` user the
	// Debian package creates, and its commands run through runuser.
	let asPostgres = (cmd: string, args: string[]): [string, string[]] => [cmd, args];
	if (isRoot()) {
		const id = run('id', ['-u', 'postgres']);
		const gid = run('id', ['-g', 'postgres']);
		if (id.status !== 0)
			throw new Error(
				`queue-mode test: no 'postgres' user (the postgresql package creates it): ${id.output}`,
			);
		chownSync(root, Number(id.output.trim()), Number(gid.output.trim()));
		chownSync(pgDir, Number(id.output.trim()), Number(gid.output.trim()));
		asPostgres = (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
	}
	const pgPort = await freePort();
	const redisPort = await freePort();
	let redis: ChildProcess | undefined;
	let pgStarted = false;
	const stopPostgresSync = (mode: 'fast' | 'immediate') => {
		if (!pgStarted) return;
		const [c, a] = asPostgres(join(pg.bin, 'pg_ctl'), [
			'stop',
			'-D',
			dataDir,
			'-m',
			mode,
			'-w',
			'-t',
			'30',
		]);
		const r = run(c, a, { timeoutMs: 40_000 });
		if (r.status === 0 || /no server running|does not exist/i.test(r.output)) pgStarted = false;
	};
	const emergency = () => {
		stopPostgresSync('immediate');
		if (redis?.pid && redis.exitCode === null) redis.kill('SIGKILL');
		rmSync(root, { recursive: true, force: true });
	};
	cleanups.add(emergency);
	const timings: ServiceTimings = { aptMs, initdbMs: 0, postgresStartMs: 0, redisStartMs: 0 };
	try {
		// Redis first: it starts in milliseconds and runs beside initdb. No persistence: a throwaway queue.
		let t = Date.now();
		const redisDir = join(root, 'redis');
		mkdirSync(redisDir);
		redis = spawn(
			redisServer,
			[
				'--port',
				String(redisPort),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				redisDir,
				'--logfile',
				join(redisDir, 'redis.log'),
			],
			{
				stdio: 'ignore',
			},
		);
		let redisExit: string | undefined;
		redis.on('exit', (code, signal) => (redisExit = String(code ?? signal)));

		t = Date.now();
		const [ic, ia] = asPostgres(join(pg.bin, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
			'--locale=C',
			'--no-sync',
			'--no-instructions',
		]);
		const init = run(ic, ia);
		if (init.status !== 0)
			throw new Error(
				`queue-mode test: initdb failed (exit ${init.status}):\n${init.output.slice(-3000)}`,
			);
		timings.initdbMs = Date.now() - t;

		// Durability is not needed for a throwaway database: fsync and synchronous commit off.
		t = Date.now();
		const serverOptions = [
			`-p ${pgPort}`,
			`-k ${pgDir}`,
			"-c listen_addresses='127.0.0.1'",
			'-c fsync=off',
			'-c synchronous_commit=off',
			'-c full_page_writes=off',
			'-c max_connections=200',
		].join(' ');
		const [sc, sa] = asPostgres(join(pg.bin, 'pg_ctl'), [
			'start',
			'-D',
			dataDir,
			'-l',
			join(pgDir, 'postgres.log'),
			'-w',
			'-t',
			'60',
			'-o',
			serverOptions,
		]);
		const start = run(sc, sa, { timeoutMs: 90_000 });
		pgStarted = true;
		if (start.status !== 0) {
			const log = existsSync(join(pgDir, 'postgres.log'))
				? readFileSync(join(pgDir, 'postgres.log'), 'utf8')
				: '';
			throw new Error(
				`queue-mode test: PostgreSQL did not start (exit ${start.status}):\n${start.output.slice(-2000)}\n${log.slice(-2000)}`,
			);
		}
		const psqlBase = [
			'-h',
			'127.0.0.1',
			'-p',
			String(pgPort),
			'-U',
			'postgres',
			'-v',
			'ON_ERROR_STOP=1',
			'-X',
			'-q',
		];
		const created = run(join(pg.bin, 'psql'), [
			...psqlBase,
			'-d',
			'postgres',
			'-c',
			'CREATE DATABASE n8n',
		]);
		if (created.status !== 0)
			throw new Error(`queue-mode test: CREATE DATABASE failed: ${created.output}`);
		timings.postgresStartMs = Date.now() - t;

		t = Date.now();
		for (;;) {
			if (redisExit !== undefined) {
				const log = existsSync(join(redisDir, 'redis.log'))
					? readFileSync(join(redisDir, 'redis.log'), 'utf8')
					: '';
				throw new Error(
					`queue-mode test: redis-server exited (${redisExit}):\n${log.slice(-2000)}`,
				);
			}
			if (await redisPing(redisPort)) break;
			if (Date.now() - t > 30_000)
				throw new Error('queue-mode test: redis-server does not answer PING after 30 s');
			await sleep(50);
		}
		timings.redisStartMs = Date.now() - t;

		const redisVersion = run(redisServer, ['--version']).output.match(/v=(\S+)/)?.[1] ?? 'unknown';
		const psql = (sql: string): string => {
			const r = run(join(pg.bin, 'psql'), [...psqlBase, '-d', 'n8n', '-A', '-t', '-c', sql], {
				timeoutMs: 30_000,
			});
			if (r.status !== 0)
				throw new Error(`psql failed (exit ${r.status}) for ${sql}:\n${r.output}`);
			return r.output.trim();
		};
		let stopped = false;
		return {
			root,
			postgres: {
				host: '127.0.0.1',
				port: pgPort,
				user: 'postgres',
				database: 'n8n',
				bin: pg.bin,
				version: pg.version,
			},
			redis: { host: '127.0.0.1', port: redisPort, version: redisVersion },
			timings,
			psql,
			queryJson<T>(sql: string): T {
				const out = psql(sql);
				return JSON.parse(out || 'null') as T;
			},
			async stop() {
				if (stopped) return;
				stopped = true;
				stopPostgresSync('fast');
				if (pgStarted) stopPostgresSync('immediate');
				if (redis && redis.exitCode === null && redis.signalCode === null) {
					const exited = new Promise((r) => redis!.once('exit', r));
					redis.kill('SIGTERM');
					let timer: NodeJS.Timeout | undefined;
					await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
					clearTimeout(timer);
					if (redis.exitCode === null && redis.signalCode === null) redis.kill('SIGKILL');
				}
				rmSync(root, { recursive: true, force: true });
				cleanups.delete(emergency);
			},
		};
	} catch (e) {
		emergency();
		cleanups.delete(emergency);
		throw e;
	}
}
