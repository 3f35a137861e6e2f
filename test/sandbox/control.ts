// The control API, under /_control: the same controls as the in-process Sandbox object, over HTTP,
// for the demo and for tests that drive a real n8n (another process) against the sandbox.
// Control requests are not faulted and not recorded in the ledger. Every answer is JSON.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { FaultPlanError } from './faults';
import type { FaultPlan } from './faults';
import type { LedgerMode } from './ledger';
import type { Sandbox } from './server';
import type { InsertRecord, SandboxLogger } from './types';

type Query = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function intParam(q: Query, name: string): number | undefined | Error {
	const v = one(q[name]);
	if (v === undefined || v === '') return undefined;
	const n = Number(v);
	return Number.isInteger(n) && n >= 0
		? n
		: new Error(`Query parameter '${name}' must be a non-negative integer (got '${v}')`);
}

function bad(
	reply: FastifyReply,
	status: number,
	message: string,
	extra: Record<string, unknown> = {},
) {
	return reply.code(status).send({ message, ...extra });
}

export async function registerControlApi(
	app: FastifyInstance,
	sandbox: Sandbox,
	log: SandboxLogger,
): Promise<void> {
	const started = Date.now();
	const knownProvider = (reply: FastifyReply, name: unknown): name is string | undefined => {
		if (name === undefined) return true;
		if (typeof name === 'string' && sandbox.providers[name]) return true;
		bad(
			reply,
			404,
			`Unknown provider '${String(name)}' (known: ${Object.keys(sandbox.providers).join(', ')})`,
		);
		return false;
	};
	const bodyOf = (body: unknown): Record<string, unknown> =>
		body && typeof body === 'object' && !Array.isArray(body)
			? (body as Record<string, unknown>)
			: {};

	await app.register(
		async (c) => {
			c.get('/health', async () => ({
				ok: true,
				url: sandbox.url,
				seed: sandbox.seed,
				ledger: sandbox.ledger.mode,
				providers: Object.values(sandbox.providers).map((p) => ({
					name: p.name,
					hosts: Object.fromEntries(p.hosts.map((h) => [h, sandbox.urlFor(p.name, h)])),
				})),
			}));

			// ---- faults ----
			c.get('/faults', async () => ({ faults: sandbox.faults.list() }));
			c.post('/faults', async (req, reply) => {
				if (req.body === undefined || req.body === null || typeof req.body !== 'object')
					return bad(reply, 400, 'Send a fault plan or an array of fault plans as JSON');
				try {
					const added = sandbox.faults.add(req.body as FaultPlan | FaultPlan[]);
					log.info(`faults added: ${added.map((f) => f.id).join(', ')}`);
					return reply.code(201).send({ added });
				} catch (e) {
					if (e instanceof FaultPlanError) return bad(reply, 400, e.message, { issues: e.issues });
					throw e;
				}
			});
			c.delete('/faults', async () => {
				const removed = sandbox.faults.list().length;
				sandbox.faults.clear();
				return { removed };
			});
			c.delete<{ Params: { id: string } }>('/faults/:id', async (req, reply) =>
				sandbox.faults.remove(req.params.id)
					? { removed: 1 }
					: bad(reply, 404, `No fault plan '${req.params.id}'`),
			);

			// ---- ledger ----
			c.get<{ Querystring: Query }>('/ledger', async (req, reply) => {
				const q = req.query;
				const since = intParam(q, 'since');
				const limit = intParam(q, 'limit');
				if (since instanceof Error) return bad(reply, 400, since.message);
				if (limit instanceof Error) return bad(reply, 400, limit.message);
				const path = one(q.path);
				if (path !== undefined) {
					try {
						new RegExp(path);
					} catch {
						return bad(reply, 400, `Query parameter 'path' is not a valid regular expression`);
					}
				}
				const entries = sandbox.ledger.requests({
					provider: one(q.provider),
					host: one(q.host),
					method: one(q.method),
					path,
					since,
					limit,
				});
				return {
					mode: sandbox.ledger.mode,
					lastSeq: sandbox.ledger.lastSeq,
					dropped: sandbox.ledger.dropped,
					entries,
				};
			});
			c.post('/ledger', async (req, reply) => {
				const mode = bodyOf(req.body).mode;
				if (mode !== 'all' && mode !== 'off')
					return bad(reply, 400, 'Send {"mode": "all" | "off"}');
				sandbox.ledger.mode = mode as LedgerMode;
				return { mode };
			});
			c.get<{ Querystring: Query }>('/writes', async (req, reply) => {
				const provider = one(req.query.provider);
				const kind = one(req.query.kind);
				if (!knownProvider(reply, provider)) return reply;
				if (provider !== undefined && kind !== undefined)
					return sandbox.ledger.writes(provider, kind);
				if (kind !== undefined) return bad(reply, 400, "Query parameter 'kind' needs 'provider'");
				return {
					writes: sandbox.ledger
						.writeKinds(provider)
						.map((k) => sandbox.ledger.writes(k.provider, k.kind)),
				};
			});
			c.get<{ Querystring: Query }>('/webhooks', async (req, reply) => {
				const provider = one(req.query.provider);
				if (!knownProvider(reply, provider)) return reply;
				return { webhooks: sandbox.ledger.webhooks(provider) };
			});
			// cheap snapshot for benchmarks: diff two of them (diffCounters in ledger.ts)
			c.get('/counters', async () => sandbox.counters());
			c.get('/stats', async () => {
				const tokens: Record<string, { issued: number; active: number; requests: number }> = {};
				for (const name of Object.keys(sandbox.providers)) {
					const t = sandbox.tokens(name);
					tokens[name] = {
						issued: t.issued,
						active: t.active,
						requests: sandbox.ledger.tokenRequests(name),
					};
				}
				return {
					uptimeMs: Date.now() - started,
					now: sandbox.clock.now(),
					activeFaults: sandbox.faults.size,
					tokens,
					...sandbox.ledger.stats(),
				};
			});

			// ---- state ----
			c.post('/reset', async () => {
				sandbox.reset();
				return { ok: true };
			});
			c.post('/tokens/revoke', async (req, reply) => {
				const provider = bodyOf(req.body).provider;
				if (!knownProvider(reply, provider)) return reply;
				return { revoked: sandbox.tokens.revokeAll(provider) };
			});
			c.post('/tokens/expire', async (req, reply) => {
				const provider = bodyOf(req.body).provider;
				if (!knownProvider(reply, provider)) return reply;
				return { expired: sandbox.tokens.expireAll(provider) };
			});
			c.post('/seed', async (req, reply) => {
				const { provider, data } = bodyOf(req.body);
				if (typeof provider !== 'string')
					return bad(reply, 400, 'Send {"provider": "<name>", "data": ...}');
				if (!knownProvider(reply, provider)) return reply;
				const p = sandbox.provider(provider);
				if (!p.seed) return bad(reply, 400, `The ${provider} emulator takes no seed data`);
				try {
					p.seed(data);
				} catch (e) {
					return bad(
						reply,
						400,
						`Seed rejected by the ${provider} emulator: ${(e as Error).message}`,
					);
				}
				return { ok: true };
			});
			c.post('/insert', async (req, reply) => {
				const { provider, kind, records } = bodyOf(req.body);
				if (typeof provider !== 'string' || typeof kind !== 'string' || !Array.isArray(records))
					return bad(
						reply,
						400,
						'Send {"provider": "<name>", "kind": "<kind>", "records": [{"id"?, "at"?}, ...]}',
					);
				if (!knownProvider(reply, provider)) return reply;
				const p = sandbox.provider(provider);
				if (!p.insert) return bad(reply, 400, `The ${provider} emulator inserts no records`);
				try {
					return reply.code(201).send({ ids: p.insert(kind, records as InsertRecord[]) });
				} catch (e) {
					return bad(
						reply,
						400,
						`Insert rejected by the ${provider} emulator: ${(e as Error).message}`,
					);
				}
			});
			c.post('/clock', async (req, reply) => {
				const b = bodyOf(req.body);
				if (b.real === true) sandbox.clock.real();
				if (b.freeze !== undefined) {
					if (b.freeze !== true && typeof b.freeze !== 'number')
						return bad(reply, 400, "'freeze' must be true or a time in ms since the epoch");
					sandbox.clock.freeze(b.freeze === true ? undefined : b.freeze);
				}
				if (b.advanceMs !== undefined) {
					if (typeof b.advanceMs !== 'number')
						return bad(reply, 400, "'advanceMs' must be a number");
					sandbox.clock.advance(b.advanceMs);
				}
				return { now: sandbox.clock.now(), frozen: sandbox.clock.frozen };
			});
		},
		{ prefix: '/_control' },
	);
}
