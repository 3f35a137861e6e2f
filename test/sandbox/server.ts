// The sandbox server: one Fastify instance hosting every provider emulator under /<provider>/<host>,
// with fault injection, a ledger and a control API under /_control.
//
// Hot path per provider request: one onRequest hook (a closure that already knows the route's
// provider, host and whether it is a token endpoint), a fault lookup only when plans are active,
// and one onResponse hook that bumps counters (and appends one compact entry in ledger mode 'all').
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import type {
	FastifyError,
	FastifyInstance,
	FastifyReply,
	FastifyRequest,
	onRequestHookHandler,
	RouteOptions,
} from 'fastify';
import qs from 'qs';
import { parse as parseSimpleQuery } from 'node:querystring';
import { Agent, request as undiciRequest } from 'undici';
import { Clock } from './clock';
import { startLatencyProxy } from './latency-proxy';
import type { LatencyProxy } from './latency-proxy';
import { registerControlApi } from './control';
import { FaultInjector } from './faults';
import type { FaultDecision, FaultState } from './faults';
import { Ledger } from './ledger';
import type { LedgerCounters, LedgerMode, RequestCounter } from './ledger';
import { allProviders } from './providers';
import { RateLimiter } from './rate-limit';
import { createRandom, deriveSeed } from './rng';
import { createSandboxTls } from './tls';
import type { SandboxTlsFiles } from './tls';
import { ProviderTokens } from './tokens';
import type {
	ProviderContext,
	SandboxLogger,
	SandboxProvider,
	SandboxRequestInfo,
	SeededRandom,
	TokenIssuer,
	WebhookResult,
} from './types';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

export interface SandboxOptions {
	/** 0 (default) = a random free port */
	port?: number;
	/** interface to listen on (default '127.0.0.1') */
	host?: string;
	/** seed of every random stream (fault shares, ctx.rng); default 1 */
	seed?: number;
	/** default: allProviders() */
	providers?: SandboxProvider[];
	/** request ledger mode (default 'all'; 'off' for benchmarks: counters only) */
	ledger?: LedgerMode;
	/** request entries kept in mode 'all' (default 200 000) */
	maxLedgerEntries?: number;
	https?: { key: string | Buffer; cert: string | Buffer };
	/**
	 * Serve HTTPS with a certificate made at start, signed by a throwaway CA (`sandbox.tls.caPath` for
	 * NODE_EXTRA_CA_CERTS, `sandbox.tls.ca` for undici's `connect: { ca }`). `altNames`: extra DNS names
	 * or IPs for the certificate (localhost, 127.0.0.1 and ::1 are always in). Ignored when `https` is given.
	 */
	tls?: boolean | { altNames?: string[] };
	/**
	 * Round-trip time in ms added by a TCP proxy in front of the server: 1 RTT per TCP connect, RTT/2
	 * per chunk each way (so TLS handshakes and every request pay too). `sandbox.url` / `urlFor` then
	 * point at the proxy; `sandbox.directUrl` skips it. Any value, 0 included, starts the proxy, so that
	 * `sandbox.setLatency(ms)` can change it later. `port` is then the proxy's port.
	 */
	latencyMs?: number;
	/** max JSON / form / other body size in bytes (default 16 MiB; multipart has its own limit) */
	bodyLimit?: number;
	/** the sandbox's own messages and emulators' ctx.log (default 'warn'; env SANDBOX_LOG overrides) */
	logLevel?: LogLevel;
	/** Fastify's own per-request logging (default off) */
	fastifyLogger?: boolean;
}

/** Multipart limits for providers that set `multipart` (see SandboxProvider in README). */
export const MULTIPART_LIMITS = { fileSize: 256 * 1024 * 1024, files: 10, fields: 200, parts: 210 };

/** `sandbox.counters()`: the ledger's counters plus tokens issued per provider and client. */
export interface SandboxCounters extends LedgerCounters {
	/** successful token requests: provider → client id → tokens issued */
	tokensIssued: Record<string, Record<string, number>>;
}

/** `sandbox.tokens(provider)` is that provider's issuer; `sandbox.tokens.revokeAll()` etc. act on one or all providers. */
export interface TokenRegistry {
	(provider: string): TokenIssuer;
	revokeAll(provider?: string): number;
	expireAll(provider?: string): number;
	/** tokens issued, for one provider or all */
	issued(provider?: string): number;
}

export interface Sandbox {
	/** 'http://127.0.0.1:PORT' (no trailing slash); https with `tls`; the latency proxy's address with `latencyMs` */
	readonly url: string;
	readonly port: number;
	/** the server itself, without the latency proxy (same as `url` when there is none): for control calls */
	readonly directUrl: string;
	/** the CA and certificate files with `tls: true` (removed on close) */
	readonly tls?: SandboxTlsFiles;
	/** RTT added by the latency proxy; undefined without one */
	readonly latencyMs: number | undefined;
	/** Changes the proxy's RTT from now on (throws when the sandbox was started without `latencyMs`). */
	setLatency(ms: number): void;
	/** TCP connections the latency proxy accepted (0 without one): shows whether clients reuse connections */
	readonly connections: number;
	readonly seed: number;
	/** base URL of a provider host: urlFor('percipio', 'oauth') → 'http://127.0.0.1:PORT/percipio/oauth' */
	urlFor(provider: string, host: string): string;
	/** 'http://127.0.0.1:PORT/_control' */
	readonly controlUrl: string;
	readonly faults: FaultInjector;
	readonly ledger: Ledger;
	readonly tokens: TokenRegistry;
	readonly clock: Clock;
	/** provider instances by name */
	readonly providers: Readonly<Record<string, SandboxProvider>>;
	/** one provider instance, typed: sandbox.provider<PercipioEmulator>('percipio') */
	provider<T extends SandboxProvider = SandboxProvider>(name: string): T;
	/** the context given to a provider (to call ctx.rateLimit etc. from tests) */
	context(provider: string): ProviderContext;
	/** every (provider, host) with its base URL */
	mounts(): Array<{ provider: string; host: string; url: string }>;
	readonly app: FastifyInstance;
	/**
	 * Every counter now (requests by provider/host/status, 429s, token requests, tokens issued per client,
	 * writes by provider/kind, faults): cheap, no key lists. Diff two with `diffCounters(before, after)`.
	 */
	counters(): SandboxCounters;
	/** Clears faults, ledger, tokens, rate-limit windows and the clock, re-seeds random streams, resets every provider. */
	reset(): void;
	close(): Promise<void>;
}

interface Mount {
	provider: SandboxProvider;
	host: string;
	prefix: string;
	counter: RequestCounter;
}

/** request.sandbox; a class so every request's object has the same shape. */
class RequestInfo implements SandboxRequestInfo {
	fault?: string = undefined;
	faultId?: string = undefined;
	recorded = false;
	resetAfter = false;
	constructor(
		readonly provider: string,
		readonly host: string,
		readonly path: string,
		readonly at: number,
		readonly counter: RequestCounter,
		readonly tokenEndpoint: boolean,
	) {}
}

const QS_OPTIONS: qs.IParseOptions = { depth: 20, arrayLimit: 10_000, parameterLimit: 100_000 };
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;|\s*$)/i;
const kFormRaw = Symbol('sandbox.formRaw');
const LEVELS: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** Query strings: qs for PHP-style brackets (Moodle: values[0]=...), node's parser otherwise. */
function parseQuery(s: string): Record<string, unknown> {
	return s.includes('[') || s.includes('%5B') || s.includes('%5b')
		? qs.parse(s, QS_OPTIONS)
		: (parseSimpleQuery(s) as Record<string, unknown>);
}

function createLogger(scope: string, level: LogLevel): SandboxLogger {
	const n = LEVELS[level];
	const at = (l: number, fn: (...a: unknown[]) => void) =>
		l <= n ? (m: string, ...d: unknown[]) => fn(`[sandbox:${scope}] ${m}`, ...d) : () => {};
	return {
		error: at(1, console.error),
		warn: at(2, console.warn),
		info: at(3, console.error),
		debug: at(4, console.error),
	};
}

function destroySocket(socket: Socket | null | undefined): void {
	if (!socket || socket.destroyed) return;
	try {
		// RST, as a crashed peer or a dropped connection looks to the client (ECONNRESET)
		socket.resetAndDestroy();
	} catch {
		socket.destroy();
	}
}

function validateProviders(providers: SandboxProvider[]): void {
	const names = new Set<string>();
	for (const p of providers) {
		if (!/^[a-z0-9][a-z0-9-]*$/.test(p.name))
			throw new Error(`Provider name '${p.name}' must be lowercase letters, digits and dashes`);
		if (p.name.startsWith('_')) throw new Error(`Provider name '${p.name}' is reserved`);
		if (names.has(p.name)) throw new Error(`Two providers are named '${p.name}'`);
		names.add(p.name);
		if (p.hosts.length === 0) throw new Error(`Provider '${p.name}' has no hosts`);
		for (const h of p.hosts)
			if (!/^[a-z0-9][a-z0-9-]*$/.test(h))
				throw new Error(
					`Host '${h}' of provider '${p.name}' must be lowercase letters, digits and dashes`,
				);
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const providers = options.providers ?? allProviders();
	validateProviders(providers);
	const seed = options.seed ?? 1;
	const envLevel = process.env.SANDBOX_LOG as LogLevel | undefined;
	const logLevel: LogLevel =
		envLevel !== undefined && envLevel in LEVELS ? envLevel : (options.logLevel ?? 'warn');
	const log = createLogger('core', logLevel);
	const clock = new Clock();
	const now = () => clock.now();
	const ledger = new Ledger({
		mode: options.ledger ?? 'all',
		maxEntries: options.maxLedgerEntries,
	});
	const faults = new FaultInjector(seed, now);
	const rateLimiter = new RateLimiter(now);
	const webhookAgent = new Agent({ connections: 16 });

	const byName = new Map<string, SandboxProvider>(providers.map((p) => [p.name, p]));
	const tokenIssuers = new Map<string, ProviderTokens>(
		providers.map((p) => [p.name, new ProviderTokens(p.name, now)]),
	);
	const mounts: Mount[] = [];
	for (const p of providers)
		for (const host of p.hosts)
			mounts.push({
				provider: p,
				host,
				prefix: `/${p.name}/${host}`,
				counter: ledger.requestCounter(p.name, host),
			});
	const unmounted = ledger.requestCounter('', '');

	let baseUrl = '';
	let directUrl = '';
	let proxy: LatencyProxy | undefined;
	if (options.latencyMs !== undefined && !(options.latencyMs >= 0))
		throw new Error(`latencyMs must be >= 0 (got ${options.latencyMs})`);
	const tlsFiles =
		!options.https && options.tls
			? createSandboxTls(options.tls === true ? [] : (options.tls.altNames ?? []))
			: undefined;
	const httpsOptions =
		options.https ?? (tlsFiles ? { key: tlsFiles.key, cert: tlsFiles.cert } : undefined);
	const scheme = httpsOptions ? 'https' : 'http';

	// ---- provider contexts ----
	const randoms = new Map<string, { current: SeededRandom }>();
	const contexts = new Map<string, ProviderContext>();
	for (const p of providers) {
		const random = { current: createRandom(deriveSeed(seed, `provider:${p.name}`)) };
		randoms.set(p.name, random);
		const tokens = tokenIssuers.get(p.name) as ProviderTokens;
		const plog = createLogger(p.name, logLevel);
		const ctx: ProviderContext = {
			name: p.name,
			tokens,
			ledger,
			// a stable facade over a stream that reset() replaces
			rng: {
				float: () => random.current.float(),
				int: (a, b) => random.current.int(a, b),
				pick: (items) => random.current.pick(items),
				hex: (n) => random.current.hex(n),
				uuid: () => random.current.uuid(),
			},
			now,
			rateLimit: (key, o) => rateLimiter.check(`${p.name}\u0000${key}`, o),
			sendWebhook: (url, body, headers, o) => sendWebhook(p.name, url, body, headers, o?.timeoutMs),
			urlFor: (host) => `${baseUrl}/${p.name}/${host}`,
			publicUrl: (request, host) =>
				`${request.protocol}://${request.host}/${p.name}/${host ?? request.sandbox?.host ?? ''}`,
			log: plog,
		};
		contexts.set(p.name, ctx);
	}

	async function sendWebhook(
		provider: string,
		url: string,
		body: string | Buffer,
		headers: Record<string, string> = {},
		timeoutMs = 10_000,
	): Promise<WebhookResult> {
		const started = performance.now();
		const h: Record<string, string> = Object.keys(headers).some(
			(k) => k.toLowerCase() === 'content-type',
		)
			? headers
			: { 'content-type': 'application/json', ...headers };
		let result: WebhookResult;
		try {
			const res = await undiciRequest(url, {
				method: 'POST',
				body,
				headers: h,
				dispatcher: webhookAgent,
				headersTimeout: timeoutMs,
				bodyTimeout: timeoutMs,
			});
			const text = await res.body.text();
			result = { status: res.statusCode, body: text, durationMs: performance.now() - started };
		} catch (e) {
			const err = e as Error & { code?: string };
			result = {
				status: 0,
				body: '',
				error: err.code ? `${err.code}: ${err.message}` : err.message,
				durationMs: performance.now() - started,
			};
		}
		ledger.recordWebhook({
			at: now(),
			provider,
			url,
			status: result.status,
			error: result.error,
			durationMs: Math.round(result.durationMs * 100) / 100,
		});
		return result;
	}

	// ---- fastify ----
	const app = Fastify({
		// no logger, hence no per-request log lines, unless asked for
		logger: options.fastifyLogger ?? false,
		bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024,
		forceCloseConnections: true,
		routerOptions: { querystringParser: parseQuery },
		...(httpsOptions ? { https: { key: httpsOptions.key, cert: httpsOptions.cert } } : {}),
	}) as unknown as FastifyInstance;

	app.decorateRequest('sandbox', null as unknown as SandboxRequestInfo);
	app.decorateRequest('sandboxRaw', null);
	app.decorateRequest('rawBody', {
		getter(this: FastifyRequest) {
			const raw = (this as unknown as { sandboxRaw: Buffer | null }).sandboxRaw;
			if (raw) return raw;
			const form = (this.body as Record<symbol, string> | undefined)?.[kFormRaw];
			return form === undefined ? undefined : Buffer.from(form, 'utf8');
		},
	});

	// Body parsers: JSON (any application/*+json), forms through qs, anything else as a Buffer, so
	// that an emulator decides what a wrong content type gets (as a real JSON-only endpoint would).
	app.removeAllContentTypeParsers();
	app.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer' }, (req, body, done) => {
		const buf = body as Buffer;
		(req as unknown as { sandboxRaw: Buffer }).sandboxRaw = buf;
		if (buf.length === 0) return done(null, undefined);
		try {
			done(null, JSON.parse(buf.toString('utf8')));
		} catch (e) {
			const err = new Error(`Body is not valid JSON: ${(e as Error).message}`) as FastifyError;
			err.statusCode = 400;
			done(err, undefined);
		}
	});
	await app.register(formbody, {
		parser: (str) => {
			const parsed = qs.parse(str, QS_OPTIONS) as Record<string | symbol, unknown>;
			Object.defineProperty(parsed, kFormRaw, { value: str, enumerable: false });
			return parsed as Record<string, unknown>;
		},
	});
	app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
		(req as unknown as { sandboxRaw: Buffer }).sandboxRaw = body as Buffer;
		done(null, body);
	});

	// ---- per-request hooks ----
	function record(
		req: FastifyRequest,
		info: RequestInfo,
		status: number,
		durationMs: number,
	): void {
		info.recorded = true;
		let query = '';
		if (ledger.mode === 'all') {
			const q = req.url.indexOf('?');
			if (q !== -1) query = req.url.slice(q + 1);
		}
		ledger.recordRequest(
			info.counter,
			info.at,
			req.method,
			info.path,
			query,
			status,
			Math.round(durationMs * 100) / 100,
			info.fault,
			info.faultId,
		);
		if (info.tokenEndpoint) ledger.countTokenRequest(info.provider);
	}

	function sendStatusFault(reply: FastifyReply, plan: FaultState, mount: Mount): void {
		const status = plan.status as number;
		const message = plan.message ?? STATUS_CODES[status] ?? 'Error';
		const headers: Record<string, string> = { 'x-sandbox-fault': plan.id };
		const retryAfter =
			plan.retryAfter === undefined ? (status === 429 ? 1 : null) : plan.retryAfter;
		if (retryAfter !== null) headers['retry-after'] = String(retryAfter);
		if (plan.headers) Object.assign(headers, plan.headers);
		const body =
			plan.body !== undefined
				? plan.body
				: (mount.provider.errorBody?.(status, message, mount.host) ?? { message });
		reply.code(status).headers(headers);
		if (
			typeof body === 'string' &&
			!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
		)
			reply.type('text/plain; charset=utf-8');
		reply.send(body);
	}

	function applyFault(
		req: FastifyRequest,
		reply: FastifyReply,
		done: (err?: Error) => void,
		info: RequestInfo,
		d: FaultDecision,
		mount: Mount,
	): void {
		const t = d.terminal;
		if (d.latencyId !== null) ledger.countFault('latency');
		if (t === null) {
			info.fault = 'latency';
			info.faultId = d.latencyId ?? undefined;
			return done();
		}
		ledger.countFault(t.kind);
		info.fault = t.kind;
		info.faultId = t.id;
		if (t.kind === 'status') return sendStatusFault(reply, t, mount);
		if (t.kind === 'reset') {
			record(req, info, 0, reply.elapsedTime);
			reply.hijack();
			destroySocket(req.raw.socket);
			return; // the route never runs
		}
		info.resetAfter = true; // 'reset-after': see the onSend hook
		done();
	}

	function mountHook(mount: Mount, tokenEndpoint: boolean): onRequestHookHandler {
		const prefixLength = mount.prefix.length;
		const providerName = mount.provider.name;
		return function sandboxOnRequest(req, reply, done) {
			const url = req.url;
			const q = url.indexOf('?');
			const path = q === -1 ? url.slice(prefixLength) : url.slice(prefixLength, q);
			const info = new RequestInfo(
				providerName,
				mount.host,
				path || '/',
				now(),
				mount.counter,
				tokenEndpoint,
			);
			req.sandbox = info;
			if (faults.size === 0) return done();
			const d = faults.decide(
				providerName,
				mount.host,
				req.method,
				info.path,
				q === -1 ? url : url.slice(0, q),
			);
			if (d === null) return done();
			if (d.latencyMs > 0) setTimeout(applyFault, d.latencyMs, req, reply, done, info, d, mount);
			else applyFault(req, reply, done, info, d, mount);
		};
	}

	// Every provider route gets its own onRequest hook, built at registration time.
	app.addHook('onRoute', (route: RouteOptions) => {
		const url = route.url ?? '';
		const mount = mounts.find((m) => url === m.prefix || url.startsWith(`${m.prefix}/`));
		if (!mount) return;
		const hook = mountHook(mount, route.config?.tokenEndpoint === true);
		const existing =
			route.onRequest === undefined
				? []
				: Array.isArray(route.onRequest)
					? route.onRequest
					: [route.onRequest];
		route.onRequest = [hook, ...existing];
	});

	app.addHook('onSend', (req, reply, payload, done) => {
		const info = req.sandbox as RequestInfo | null;
		if (info !== null && info.resetAfter) {
			// the route ran (its write happened); the client never gets the answer
			record(req, info, reply.statusCode, reply.elapsedTime);
			destroySocket(req.raw.socket);
		}
		done(null, payload);
	});

	app.addHook('onResponse', (req, reply, done) => {
		const info = req.sandbox as RequestInfo | null;
		if (info !== null && !info.recorded) record(req, info, reply.statusCode, reply.elapsedTime);
		done();
	});

	function mountOf(url: string): Mount | undefined {
		return mounts.find(
			(m) => url === m.prefix || url.startsWith(`${m.prefix}/`) || url.startsWith(`${m.prefix}?`),
		);
	}

	app.setNotFoundHandler((req, reply) => {
		const q = req.url.indexOf('?');
		const pathname = q === -1 ? req.url : req.url.slice(0, q);
		const mount = mountOf(pathname);
		if (!req.sandbox && !pathname.startsWith('/_control')) {
			req.sandbox = mount
				? new RequestInfo(
						mount.provider.name,
						mount.host,
						pathname.slice(mount.prefix.length) || '/',
						now(),
						mount.counter,
						false,
					)
				: new RequestInfo('', '', pathname, now(), unmounted, false);
		}
		if (mount) {
			const message = `No route ${req.method} ${pathname.slice(mount.prefix.length) || '/'} in the ${mount.provider.name} emulator (host '${mount.host}')`;
			reply.code(404).send(mount.provider.errorBody?.(404, message, mount.host) ?? { message });
			return;
		}
		reply.code(404).send({
			message: `No sandbox route ${req.method} ${pathname}. Provider hosts are mounted under /<provider>/<host>: ${mounts.map((m) => m.prefix).join(', ')}; control API under /_control.`,
		});
	});

	app.setErrorHandler((error: FastifyError, req, reply) => {
		const status =
			error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600
				? error.statusCode
				: 500;
		const info = req.sandbox as RequestInfo | null;
		const provider = info && info.provider ? byName.get(info.provider) : undefined;
		if (status >= 500)
			createLogger(provider?.name ?? 'core', logLevel).error(
				`${req.method} ${req.url} failed:`,
				error,
			);
		const message = error.message || STATUS_CODES[status] || 'Error';
		reply
			.code(status)
			.send(provider?.errorBody?.(status, message, info?.host ?? '') ?? { message });
	});

	// ---- mount providers ----
	for (const m of mounts) {
		const ctx = contexts.get(m.provider.name) as ProviderContext;
		await app.register(
			async (scope) => {
				if (m.provider.multipart) {
					const limits =
						m.provider.multipart === true
							? MULTIPART_LIMITS
							: { ...MULTIPART_LIMITS, ...m.provider.multipart };
					await scope.register(multipart, { limits });
				}
				await m.provider.register(m.host, scope, ctx);
			},
			{ prefix: m.prefix },
		);
	}

	// ---- the sandbox object ----
	const issuer = (provider: string): TokenIssuer => {
		const t = tokenIssuers.get(provider);
		if (!t)
			throw new Error(`Unknown provider '${provider}' (known: ${[...byName.keys()].join(', ')})`);
		return t;
	};
	const issuersFor = (provider?: string) =>
		provider === undefined ? [...tokenIssuers.values()] : [issuer(provider)];
	const tokens: TokenRegistry = Object.assign(issuer, {
		revokeAll: (provider?: string) => issuersFor(provider).reduce((n, t) => n + t.revokeAll(), 0),
		expireAll: (provider?: string) => issuersFor(provider).reduce((n, t) => n + t.expireAll(), 0),
		issued: (provider?: string) => issuersFor(provider).reduce((n, t) => n + t.issued, 0),
	});

	let closed = false;
	const sandbox: Sandbox = {
		get url() {
			return baseUrl;
		},
		get port() {
			return Number(new URL(baseUrl).port);
		},
		get directUrl() {
			return directUrl;
		},
		tls: tlsFiles,
		get latencyMs() {
			return proxy?.latencyMs;
		},
		setLatency(ms: number) {
			if (!proxy)
				throw new Error(
					'This sandbox has no latency proxy: start it with latencyMs (0 is fine) to change latency later',
				);
			proxy.setLatency(ms);
		},
		get connections() {
			return proxy?.connections ?? 0;
		},
		seed,
		urlFor(provider, host) {
			const p = byName.get(provider);
			if (!p)
				throw new Error(`Unknown provider '${provider}' (known: ${[...byName.keys()].join(', ')})`);
			if (!p.hosts.includes(host))
				throw new Error(
					`Provider '${provider}' has no host '${host}' (hosts: ${p.hosts.join(', ')})`,
				);
			return `${baseUrl}/${provider}/${host}`;
		},
		get controlUrl() {
			return `${baseUrl}/_control`;
		},
		faults,
		ledger,
		tokens,
		clock,
		providers: Object.fromEntries(byName),
		provider<T extends SandboxProvider = SandboxProvider>(name: string): T {
			const p = byName.get(name);
			if (!p)
				throw new Error(`Unknown provider '${name}' (known: ${[...byName.keys()].join(', ')})`);
			return p as T;
		},
		context(provider) {
			const c = contexts.get(provider);
			if (!c) throw new Error(`Unknown provider '${provider}'`);
			return c;
		},
		mounts: () =>
			mounts.map((m) => ({
				provider: m.provider.name,
				host: m.host,
				url: `${baseUrl}${m.prefix}`,
			})),
		app,
		counters() {
			const tokensIssued: SandboxCounters['tokensIssued'] = {};
			for (const [name, t] of tokenIssuers)
				if (t.issued > 0) tokensIssued[name] = t.issuedByClient();
			return { ...ledger.snapshot(), tokensIssued };
		},
		reset() {
			faults.reset();
			ledger.clear();
			for (const t of tokenIssuers.values()) t.clear();
			rateLimiter.clear();
			clock.real();
			for (const [name, r] of randoms)
				r.current = createRandom(deriveSeed(seed, `provider:${name}`));
			for (const p of providers) p.reset?.();
		},
		async close() {
			if (closed) return;
			closed = true;
			await proxy?.close();
			await app.close();
			for (const p of providers) await p.close?.();
			await webhookAgent.close();
			tlsFiles?.dispose();
		},
	};

	await registerControlApi(app, sandbox, log);

	// With a latency proxy, the server takes a random port and the proxy the one asked for.
	const withProxy = options.latencyMs !== undefined;
	const listenHost = options.host ?? '127.0.0.1';
	const address = await app.listen({ port: withProxy ? 0 : (options.port ?? 0), host: listenHost });
	const addr = app.server.address();
	const port = typeof addr === 'object' && addr ? addr.port : Number(new URL(address).port);
	let host = listenHost;
	if (host === '0.0.0.0') host = '127.0.0.1';
	if (host === '::') host = '::1';
	const origin = (p: number) => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${p}`;
	directUrl = origin(port);
	baseUrl = directUrl;
	if (withProxy) {
		try {
			proxy = await startLatencyProxy({
				targetHost: host,
				targetPort: port,
				latencyMs: options.latencyMs as number,
				host: listenHost,
				port: options.port ?? 0,
			});
		} catch (e) {
			await app.close();
			tlsFiles?.dispose();
			throw e;
		}
		baseUrl = origin(proxy.port);
	}
	log.debug(`listening on ${baseUrl}`);
	return sandbox;
}
