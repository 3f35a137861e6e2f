// n8n in queue mode from the pinned n8n (test/e2e/n8n-pin): one main (`n8n start`, which takes the
// production webhooks and enqueues executions in Redis/Bull) and workers (`n8n worker`, which run
// them), all on one PostgreSQL database, with this package installed as a community package in each
// process's own user folder (workers load nodes themselves). See README.md in this folder.
//
//   const cluster = await createQueueCluster({ pack });   // PostgreSQL + Redis + main's user folder
//   await cluster.main.importCredentials(...); await cluster.main.importWorkflow(...);
//   await cluster.startMain(); const a = await cluster.startWorker('A');
//   a.executionIds()  // the executions this worker ran, from its own log
//   await cluster.dispose();
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { createN8nInstance, freePort, type N8nInstance, type PackedPackage } from '../harness/n8n';
import { startServices, type Services } from './services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits for `promise` at most `ms`; the timer is cleared either way (no open handle left for jest). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]);
	clearTimeout(timer);
}

export interface ExecutionRow {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

/** One `n8n worker` process. */
export class QueueWorker {
	private readonly chunks: string[] = [];
	private exit: Promise<void>;
	exited = false;
	readonly startedAt = Date.now();
	readyMs = 0;

	constructor(
		readonly name: string,
		readonly instance: N8nInstance,
		readonly healthPort: number,
		readonly concurrency: number,
		private readonly child: ChildProcess,
	) {
		child.stdout!.on('data', (d: Buffer) => this.chunks.push(d.toString()));
		child.stderr!.on('data', (d: Buffer) => this.chunks.push(d.toString()));
		this.exit = new Promise((r) =>
			child.on('close', (code, signal) => {
				this.exited = true;
				this.chunks.push(`\n[cluster] worker ${name} exited (${code ?? signal})\n`);
				r();
			}),
		);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	logs(): string {
		return this.chunks.join('');
	}

	/**
	 * Executions this worker ran: the job processor logs `Worker started execution <id> (job <n>)`
	 * at info level, in this process's own output.
	 */
	executionIds(): string[] {
		return [...this.logs().matchAll(/Worker started execution (\S+) \(job /g)].map((m) => m[1]);
	}

	finishedExecutionIds(): string[] {
		return [...this.logs().matchAll(/Worker finished execution (\S+) \(job /g)].map((m) => m[1]);
	}

	/** Waits for the worker server's readiness probe (DB connected and migrated, Redis connected, queue set up). */
	async waitReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.exited)
				throw new Error(
					`worker ${this.name} exited before it was ready:\n${this.logs().slice(-4000)}`,
				);
			const ok = await fetch(`http://127.0.0.1:${this.healthPort}/healthz/readiness`)
				.then((r) => r.status === 200)
				.catch(() => false);
			if (ok) {
				this.readyMs = Date.now() - this.startedAt;
				return;
			}
			if (Date.now() > deadline)
				throw new Error(
					`worker ${this.name} not ready after ${timeoutMs} ms:\n${this.logs().slice(-4000)}`,
				);
			await sleep(250);
		}
	}

	/** SIGTERM (n8n waits for running jobs up to N8N_GRACEFUL_SHUTDOWN_TIMEOUT), then SIGKILL of the group. */
	async stop(graceMs = 20_000): Promise<void> {
		if (!this.exited && this.child.pid) {
			try {
				process.kill(this.child.pid, 'SIGTERM');
			} catch {
				/* gone */
			}
			await within(this.exit, graceMs);
		}
		try {
			if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
		} catch {
			/* group already gone */
		}
		await this.exit;
	}
}

export interface QueueClusterOptions {
	pack: PackedPackage;
	/** Extra environment for every n8n process (main and workers). */
	env?: Record<string, string>;
}

/** Every worker process of this jest process, killed on exit so none outlives a crashed run. */
const liveWorkers = new Set<QueueWorker>();
process.on('exit', () => {
	for (const w of liveWorkers) {
		try {
			if (w.pid) process.kill(-w.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
});

export class QueueCluster {
	readonly workers: QueueWorker[] = [];
	readonly timings: Record<string, number> = {};

	constructor(
		readonly services: Services,
		readonly main: N8nInstance,
		readonly env: Record<string, string>,
		private readonly pack: PackedPackage,
	) {}

	async startMain(): Promise<void> {
		const t = Date.now();
		await this.main.start();
		this.timings.mainStartMs = Date.now() - t;
	}

	/**
	 * Starts `n8n worker --concurrency=<n>` in a user folder of its own (the package installed there
	 * as a community package, as on a separate machine) with the cluster's environment, its own
	 * task-runner broker port and its own health port, and waits until it is ready.
	 */
	async startWorker(
		name: string,
		{ concurrency = 2, timeoutMs = 180_000 }: { concurrency?: number; timeoutMs?: number } = {},
	): Promise<QueueWorker> {
		const instance = await createN8nInstance({ pack: this.pack, env: this.env });
		dropSqlite(instance);
		const healthPort = await freePort();
		const env: NodeJS.ProcessEnv = {
			...instance.env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
		const child = spawn(
			instance.install.node,
			[instance.install.n8nBin, 'worker', `--concurrency=${concurrency}`],
			{
				cwd: instance.userFolder,
				env,
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true, // own process group: a forced stop also ends its task runner
			},
		);
		const worker = new QueueWorker(name, instance, healthPort, concurrency, child);
		liveWorkers.add(worker);
		this.workers.push(worker);
		await worker.waitReady(timeoutMs);
		this.timings[`worker${name}ReadyMs`] = worker.readyMs;
		return worker;
	}

	async stopWorker(worker: QueueWorker): Promise<void> {
		await worker.stop();
		liveWorkers.delete(worker);
	}

	/** execution_entity rows (optionally of some workflows), oldest first. */
	executions(workflowIds?: string[]): ExecutionRow[] {
		const where = workflowIds?.length
			? `WHERE "workflowId" IN (${workflowIds.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')})`
			: '';
		return (
			this.services.queryJson<ExecutionRow[] | null>(
				`SELECT json_agg(t ORDER BY t.id::bigint) FROM (SELECT id::text AS id, "workflowId", status, finished, mode, "startedAt", "stoppedAt" FROM execution_entity ${where}) t`,
			) ?? []
		);
	}

	/** The stored run data (n8n's `flatted` text) of executions, by id. */
	executionData(ids: string[]): Map<string, string> {
		if (!ids.length) return new Map();
		const rows =
			this.services.queryJson<Array<{ id: string; data: string }> | null>(
				`SELECT json_agg(t) FROM (SELECT "executionId"::text AS id, data FROM execution_data WHERE "executionId" IN (${ids.map((i) => Number(i)).join(',')})) t`,
			) ?? [];
		return new Map(rows.map((r) => [r.id, r.data]));
	}

	/** Waits until `count` executions of the workflows exist and none is still new/running/waiting. */
	async waitForExecutions(
		workflowIds: string[],
		count: number,
		timeoutMs: number,
		{ settleMs = 0 }: { settleMs?: number } = {},
	): Promise<ExecutionRow[]> {
		const deadline = Date.now() + timeoutMs;
		let rows: ExecutionRow[] = [];
		for (;;) {
			rows = this.executions(workflowIds);
			const done = rows.filter((r) => !['new', 'running', 'waiting', 'unknown'].includes(r.status));
			if (rows.length >= count && done.length === rows.length) break;
			if (Date.now() > deadline) {
				throw new Error(
					`waited ${timeoutMs} ms for ${count} finished executions of ${workflowIds.join(', ')}; have ${JSON.stringify(rows.map((r) => [r.id, r.status]))}\n${this.logTail()}`,
				);
			}
			await sleep(500);
		}
		if (settleMs) {
			// Anything more that shows up (a duplicate execution) is then seen by the caller.
			await sleep(settleMs);
			rows = this.executions(workflowIds);
		}
		return rows;
	}

	logTail(chars = 3000): string {
		return [
			`--- main ---\n${this.main.logs().slice(-chars)}`,
			...this.workers.map((w) => `--- worker ${w.name} ---\n${w.logs().slice(-chars)}`),
		].join('\n');
	}

	async dispose(): Promise<void> {
		const errors: unknown[] = [];
		// All n8n processes stop at once (each may wait for its graceful shutdown).
		await Promise.all([
			...this.workers.map((w) => this.stopWorker(w).catch((e) => errors.push(e))),
			this.main.stop().catch((e) => errors.push(e)),
		]);
		await this.main.dispose().catch((e) => errors.push(e));
		for (const w of this.workers) await w.instance.dispose().catch((e) => errors.push(e));
		await this.services.stop().catch((e) => errors.push(e));
		if (errors.length) throw errors[0];
	}
}

/** The seed's SQLite database is not used in queue mode (PostgreSQL is): removed so nothing can fall back to it. */
function dropSqlite(instance: N8nInstance): void {
	for (const f of ['database.sqlite', 'database.sqlite-wal', 'database.sqlite-shm'])
		rmSync(join(instance.userFolder, '.n8n', f), { force: true });
}

/**
 * PostgreSQL + Redis, and the main's user folder (not started: import credentials and workflows
 * first, which also runs n8n's migrations on the empty database).
 *
 * Environment of every n8n process, on top of the harness's (test/e2e/README.md):
 * - EXECUTIONS_MODE=queue; QUEUE_BULL_REDIS_HOST/PORT: Bull's queue in this Redis.
 * - DB_TYPE=postgresdb, DB_POSTGRESDB_*: the one shared database (trust auth on loopback).
 * - N8N_ENCRYPTION_KEY: the same key everywhere, or workers cannot decrypt credentials. It is the
 *   key in the harness seed's `config` file, which every user folder is copied from (n8n refuses
 *   to start when the env key and the file's key differ).
 * - OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true: manual runs go to workers too (n8n's recommended
 *   setting; the main then starts no task runner).
 * - N8N_GRACEFUL_SHUTDOWN_TIMEOUT=10: a quicker stop at the end.
 * - N8N_DISABLE_UI=true: the editor is not needed; saves seconds of `n8n start`.
 */
export async function createQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
	const t = Date.now();
	const services = await startServices();
	const servicesMs = Date.now() - t;
	try {
		let env: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: services.redis.host,
			QUEUE_BULL_REDIS_PORT: String(services.redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: services.postgres.host,
			DB_POSTGRESDB_PORT: String(services.postgres.port),
			DB_POSTGRESDB_DATABASE: services.postgres.database,
			DB_POSTGRESDB_USER: services.postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_DISABLE_UI: 'true',
			...options.env,
		};
		const main = await createN8nInstance({ pack: options.pack, env });
		dropSqlite(main);
		const key = (
			JSON.parse(readFileSync(join(main.userFolder, '.n8n', 'config'), 'utf8')) as {
				encryptionKey: string;
			}
		).encryptionKey;
		env = { ...env, N8N_ENCRYPTION_KEY: key };
		main.env.N8N_ENCRYPTION_KEY = key;
		const cluster = new QueueCluster(services, main, env, options.pack);
		Object.assign(cluster.timings, services.timings, { servicesMs });
		return cluster;
	} catch (e) {
		await services.stop();
		throw e;
	}
}
