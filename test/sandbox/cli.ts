// `npm run sandbox`: every provider emulator on one port, until Ctrl-C.
//   --port N      (env SANDBOX_PORT, default 8787; 0 = random)
//   --host H      (env SANDBOX_HOST, default 127.0.0.1; 0.0.0.0 to reach it from a container)
//   --seed N      (env SANDBOX_SEED, default 1)
//   --ledger off  keep counters only (benchmarks)
//   --log LEVEL   silent | error | warn | info | debug (env SANDBOX_LOG)
//   --tls         HTTPS with a throwaway CA (its PEM path is printed: NODE_EXTRA_CA_CERTS=<path> for n8n)
//   --latency MS  round-trip time added by a TCP proxy in front of the server (connects, handshakes, every request)
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { startSandbox } from './server';
import type { LogLevel } from './server';

function intOption(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) {
		console.error(`--${name} must be a non-negative integer (got '${value}')`);
		process.exit(2);
	}
	return n;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			seed: { type: 'string' },
			ledger: { type: 'string' },
			log: { type: 'string' },
			tls: { type: 'boolean' },
			latency: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		console.log(
			'Usage: npm run sandbox -- [--port 8787] [--host 127.0.0.1] [--seed 1] [--ledger all|off] [--log warn] [--tls] [--latency 30]',
		);
		return;
	}
	const ledger = values.ledger ?? 'all';
	if (ledger !== 'all' && ledger !== 'off') {
		console.error(`--ledger must be 'all' or 'off' (got '${ledger}')`);
		process.exit(2);
	}
	const sandbox = await startSandbox({
		port: intOption('port', values.port ?? process.env.SANDBOX_PORT, 8787),
		host: values.host ?? process.env.SANDBOX_HOST ?? '127.0.0.1',
		seed: intOption('seed', values.seed ?? process.env.SANDBOX_SEED, 1),
		ledger,
		logLevel: (values.log as LogLevel | undefined) ?? 'info',
		tls: values.tls === true,
		latencyMs: values.latency === undefined ? undefined : intOption('latency', values.latency, 0),
	});

	const table = new Table({
		head: ['Provider', 'Host', 'Base URL'],
		style: { head: [], border: [] },
	});
	for (const m of sandbox.mounts()) table.push([m.provider, m.host, m.url]);
	console.log(
		`Learning-platform sandbox listening on ${sandbox.url} (seed ${sandbox.seed}, ledger ${sandbox.ledger.mode})`,
	);
	console.log(table.toString());
	if (sandbox.tls)
		console.log(
			`TLS: clients trust the CA in ${sandbox.tls.caPath} (n8n: NODE_EXTRA_CA_CERTS=${sandbox.tls.caPath})`,
		);
	if (sandbox.latencyMs !== undefined)
		console.log(
			`Latency: ${sandbox.latencyMs} ms per round trip through a proxy; the server without it: ${sandbox.directUrl}`,
		);
	console.log(
		`Control API: ${sandbox.controlUrl}  (GET /health, /faults, /ledger, /writes, /stats; POST /faults, /reset, /tokens/revoke, /tokens/expire, /seed)`,
	);
	for (const p of Object.values(sandbox.providers)) {
		if (p.demo)
			console.log(
				`${p.name} demo: ${Object.entries(p.demo)
					.map(([k, v]) => `${k}=${v}`)
					.join('  ')}`,
			);
	}
	console.log('Ctrl-C to stop.');

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the sandbox…`);
		const force = setTimeout(() => process.exit(1), 5000);
		force.unref();
		sandbox.close().then(
			() => process.exit(0),
			(e: unknown) => {
				console.error(e);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
	const err = e as Error & { code?: string };
	console.error(
		err.code === 'EADDRINUSE'
			? `The port is in use: ${err.message}. Use --port or SANDBOX_PORT.`
			: err,
	);
	process.exit(1);
});
