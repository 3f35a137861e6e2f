// Shared by the sandbox unit tests: a tiny provider that writes records (to exercise the write ledger
// and faults around writes) and an undici client.
import type { FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { PERCIPIO_DEMO } from '../../sandbox/fixtures';
import type { Sandbox } from '../../sandbox/server';
import type { ProviderContext, SandboxProvider } from '../../sandbox/types';

/** POST /items {key} creates (201) or, for a known key, updates (200): an idempotent write. */
export class ItemsProvider implements SandboxProvider {
	readonly name = 'items';
	readonly hosts = ['api'];
	readonly multipart = true;
	items = new Map<string, unknown>();
	ctx!: ProviderContext;

	register(_host: string, app: FastifyInstance, ctx: ProviderContext): void {
		this.ctx = ctx;
		app.post<{ Body: { key?: string } }>('/items', async (req, reply) => {
			const key = req.body?.key;
			if (typeof key !== 'string') return reply.code(400).send({ message: 'key required' });
			if (this.items.has(key)) {
				ctx.ledger.recordUpdate(this.name, 'item', key, req.body);
				return reply.code(200).send({ key, created: false });
			}
			this.items.set(key, req.body);
			ctx.ledger.recordWrite(this.name, 'item', key, req.body);
			return reply.code(201).send({ key, created: true });
		});
		app.post('/echo', async (req) => ({
			body: Buffer.isBuffer(req.body) ? `buffer:${req.body.length}` : req.body,
			raw: req.rawBody?.toString('utf8') ?? null,
			query: req.query,
		}));
		app.get('/echo', async (req) => ({ query: req.query }));
		app.post('/upload', async (req) => {
			const file = await req.file();
			if (!file) return { file: null };
			const buf = await file.toBuffer();
			return { field: file.fieldname, filename: file.filename, bytes: buf.length };
		});
	}

	reset(): void {
		this.items.clear();
	}

	errorBody(status: number, message: string): unknown {
		return { errors: [{ status, title: message }] };
	}
}

export interface Http {
	agent: Agent;
	send(
		url: string,
		init?: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
	): Promise<{
		status: number;
		headers: Record<string, string | string[] | undefined>;
		text: string;
		json: () => any;
	}>;
	json(
		url: string,
		method: string,
		body: unknown,
		headers?: Record<string, string>,
	): ReturnType<Http['send']>;
	close(): Promise<void>;
}

export function http(): Http {
	const agent = new Agent({ keepAliveTimeout: 1000 });
	const send: Http['send'] = async (url, init = {}) => {
		const res = await request(url, {
			method: (init.method ?? 'GET') as 'GET',
			headers: init.headers,
			body: init.body,
			dispatcher: agent,
		});
		const text = await res.body.text();
		return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
	};
	return {
		agent,
		send,
		json: (url, method, body, headers = {}) =>
			send(url, {
				method,
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(body),
			}),
		close: () => agent.close(),
	};
}

export const percipioTokenBody = {
	client_id: PERCIPIO_DEMO.clientId,
	client_secret: PERCIPIO_DEMO.clientSecret,
	grant_type: 'client_credentials',
	scope: PERCIPIO_DEMO.scope,
};

export async function percipioToken(sandbox: Sandbox, h: Http): Promise<string> {
	const res = await h.json(
		`${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
		'POST',
		percipioTokenBody,
	);
	if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
	return res.json().access_token as string;
}

export const usersPath = `/user-management/v1/organizations/${PERCIPIO_DEMO.orgId}/users`;
