/**
 * A hostile provider on 127.0.0.1: records every raw request (method, origin, path, headers, body)
 * and answers each with the first matching rule, or forwards it to the sandbox emulator behind it
 * (so tokens and ordinary answers stay realistic while one route turns hostile).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
	origin: string;
	method: string;
	/** path and query as sent */
	url: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: string;
}

export interface Answer {
	status: number;
	headers?: Record<string, string>;
	/** an object is sent as JSON; a string or Buffer as is; undefined: an empty body */
	body?: unknown;
	/** answer with a raw JSON text (a scalar, invalid JSON) under a JSON content type */
	raw?: string;
	/** stream this many bytes of JSON-ish filler (stops when the client hangs up) */
	hugeBytes?: number;
}

export interface Rule {
	method?: string;
	/** tested against the path (no query) */
	path?: RegExp;
	/** tested against the request body */
	body?: RegExp;
	/** fire at most this many times */
	times?: number;
	answer: (req: SeenRequest, server: HostileServer) => Answer | 'forward';
}

export class HostileServer {
	readonly seen: SeenRequest[] = [];
	/** bytes of the last streamed (hugeBytes) answer actually written before the client hung up or it ended */
	streamed = 0;
	private rules: Rule[] = [];

	private constructor(
		private readonly server: Server,
		readonly origin: string,
		private readonly upstream: string | undefined,
	) {}

	static async start(upstream?: string): Promise<HostileServer> {
		const holder: { self?: HostileServer } = {};
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				void holder.self!.handle(
					req.method ?? 'GET',
					req.url ?? '/',
					req.headers,
					Buffer.concat(chunks),
					res,
				);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		holder.self = new HostileServer(server, origin, upstream);
		return holder.self;
	}

	/** Adds a rule (first added, first tried). */
	on(rule: Rule): this {
		this.rules.push(rule);
		return this;
	}

	reset(): void {
		this.rules = [];
		this.seen.length = 0;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	private stream(
		res: import('node:http').ServerResponse,
		total: number,
		status: number,
		headers: Record<string, string>,
	): void {
		const chunk = Buffer.alloc(1024 * 1024, 0x20);
		this.streamed = 0;
		let closed = false;
		res.on('close', () => (closed = true));
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.write('{"access_token":"');
		const pump = () => {
			while (!closed && this.streamed < total) {
				this.streamed += chunk.length;
				if (!res.write(chunk)) return void res.once('drain', pump);
			}
			if (!closed) res.end('"}');
		};
		pump();
	}

	private async handle(
		method: string,
		url: string,
		headers: IncomingHttpHeaders,
		body: Buffer,
		res: import('node:http').ServerResponse,
	): Promise<void> {
		const path = url.split('?')[0];
		const seen: SeenRequest = {
			origin: this.origin,
			method,
			url,
			path,
			headers,
			body: body.toString('utf8'),
		};
		this.seen.push(seen);
		const rule = this.rules.find(
			(r) =>
				(!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
				(!r.path || r.path.test(path)) &&
				(!r.body || r.body.test(seen.body)) &&
				(r.times === undefined || r.times > 0),
		);
		let answer: Answer | 'forward' = 'forward';
		if (rule) {
			if (rule.times !== undefined) rule.times--;
			answer = rule.answer(seen, this);
		}
		try {
			if (answer === 'forward') {
				if (!this.upstream)
					return void res
						.writeHead(404, { 'content-type': 'application/json' })
						.end('{"message":"nothing here"}');
				const forwarded = await fetch(`${this.upstream}${url}`, {
					method,
					headers: Object.fromEntries(
						Object.entries(headers).filter(
							([k, v]) =>
								typeof v === 'string' &&
								!['host', 'content-length', 'connection', 'transfer-encoding'].includes(k),
						),
					) as Record<string, string>,
					body: ['GET', 'HEAD'].includes(method) ? undefined : body,
					redirect: 'manual',
				});
				const out = Buffer.from(await forwarded.arrayBuffer());
				const h: Record<string, string> = {};
				forwarded.headers.forEach((v, k) => {
					if (
						![
							'content-length',
							'content-encoding',
							'transfer-encoding',
							'connection',
							'keep-alive',
						].includes(k)
					)
						h[k] = v;
				});
				res.writeHead(forwarded.status, h).end(out);
				return;
			}
			if (answer.hugeBytes)
				return this.stream(res, answer.hugeBytes, answer.status, answer.headers ?? {});
			const h = { ...(answer.headers ?? {}) };
			let payload: Buffer | string = '';
			if (answer.raw !== undefined) {
				payload = answer.raw;
				h['content-type'] ??= 'application/json';
			} else if (Buffer.isBuffer(answer.body) || typeof answer.body === 'string')
				payload = answer.body;
			else if (answer.body !== undefined) {
				payload = JSON.stringify(answer.body);
				h['content-type'] ??= 'application/json';
			}
			res.writeHead(answer.status, h).end(payload);
		} catch (error) {
			res
				.writeHead(502, { 'content-type': 'application/json' })
				.end(JSON.stringify({ message: `hostile server: ${(error as Error).message}` }));
		}
	}
}
