import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApiClient } from '../../../nodes/shared/apiClient';
import type { ApiClientOptions } from '../../../nodes/shared/apiClient';
import { Redactor } from '../../../nodes/shared/redact';
import { TokenManager, tokenFromExpiresIn } from '../../../nodes/shared/tokenManager';
import type { Clock } from '../../../nodes/shared/rateLimiter';
import type { HttpResponse, ProviderProfile } from '../../../nodes/shared/types';
import { createExecuteContext } from '../../support/n8nContext';

export type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse) => void;

/** A loopback server whose behaviour each test scripts, recording every request. */
export async function scriptedServer(handler: Handler): Promise<{
	url: string;
	requests: Array<{
		method: string;
		url: string;
		headers: IncomingMessage['headers'];
		body: string;
	}>;
	close: () => Promise<void>;
}> {
	const requests: Array<{
		method: string;
		url: string;
		headers: IncomingMessage['headers'];
		body: string;
	}> = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			handler(Object.assign(req, { body }), res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export const json = (
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) => {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
};

/** A clock whose sleeps return at once and move time forward, recording each wait. */
export function fakeClock(
	start = Date.parse('2026-11-23T12:00:00Z'),
): Clock & { sleeps: number[]; advance(ms: number): void } {
	let now = start;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		advance: (ms: number) => {
			now += ms;
		},
	};
}

export const testProfile: ProviderProfile = {
	name: 'TestLMS',
	credentialType: 'testLmsApi',
	parseError: (response: HttpResponse) => {
		const body = response.body as { message?: string } | undefined;
		return { message: body?.message };
	},
};

export const SECRET = 'canary-client-secret-7f3a9';

let clientSeq = 0;

/** An ApiClient against `baseUrl` with a bearer token from `${baseUrl}/token`. */
export function bearerClient(baseUrl: string, overrides: Partial<ApiClientOptions> = {}) {
	const tokens = new TokenManager({ now: overrides.clock?.now });
	const { ctx, requests, logs } = createExecuteContext({
		parameters: {},
		credentials: { testLmsApi: {} },
	});
	const client = new ApiClient(ctx, {
		provider: testProfile,
		credentials: {},
		clientKey: `test-${++clientSeq}`,
		redactor: new Redactor([SECRET]),
		tokenManager: tokens,
		rateLimit: false,
		auth: {
			kind: 'bearer',
			cacheKey: `key-${clientSeq}`,
			fetchToken: async (http) => {
				const res = (await http({
					method: 'POST',
					url: `${baseUrl}/token`,
					body: { secret: SECRET },
					json: true,
				})) as { access_token: string; expires_in: number };
				return tokenFromExpiresIn(
					res.access_token,
					res.expires_in,
					(overrides.clock ?? Date).now(),
				);
			},
		},
		...overrides,
	});
	return { client, tokens, requests, logs, ctx };
}

/** The error a promise rejects with; fails the test if it resolves instead. */
export async function failure(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the promise to reject');
}
