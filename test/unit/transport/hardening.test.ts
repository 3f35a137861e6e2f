import { RateLimiter, abortableSleep } from '../../../nodes/shared/rateLimiter';
import {
	collect,
	moreTokenPaging,
	nextLinkPaging,
	offsetPaging,
	paginate,
} from '../../../nodes/shared/pagination';
import { buildPath, isMetadataHost, pathProblem, safePath } from '../../../nodes/shared/urls';
import { SECRET, bearerClient, failure, fakeClock, json, scriptedServer } from './helpers';

type Server = Awaited<ReturnType<typeof scriptedServer>>;

async function withApi(
	handler: Parameters<typeof scriptedServer>[0],
	run: (server: Server) => Promise<void>,
	token = 'tok-canary-9x8y7z',
) {
	const server = await scriptedServer((req, res) => {
		if (req.url === '/token') return json(res, 200, { access_token: token, expires_in: 3600 });
		handler(req, res);
	});
	try {
		await run(server);
	} finally {
		await server.close();
	}
}

describe('transport log', () => {
	it('logs token requests, retries with their wait, 401 renewals and a give-up, without secrets, URLs or bodies', async () => {
		let n = 0;
		await withApi(
			(req, res) => {
				n++;
				if (n === 1) return json(res, 401, { message: 'expired' });
				if (n === 2) return json(res, 429, { message: 'slow' }, { 'retry-after': '2' });
				json(res, 503, { message: `down ${SECRET}` });
			},
			async (server) => {
				const clock = fakeClock();
				const { client, logs } = bearerClient(server.url, {
					clock,
					random: () => 0.5,
					retry: { maxAttempts: 4, baseDelayMs: 100 },
				});
				await failure(
					client.json({
						method: 'GET',
						url: `${server.url}/users?wstoken=${SECRET}&q=private-query`,
					}),
				);
				const lines = logs.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.meta)}`);
				expect(lines.filter((l) => /token request/.test(l))).toHaveLength(2);
				expect(lines.some((l) => /^debug .*renewing it.*HTTP 401.*attempt 1/.test(l))).toBe(true);
				expect(
					lines.some((l) => /^debug .*Retry-After.*HTTP 429.*attempt 2.*wait 2000 ms/.test(l)),
				).toBe(true);
				expect(
					lines.some((l) => /^debug .*backoff.*HTTP 503.*attempt 3.*wait 200 ms/.test(l)),
				).toBe(true);
				const warn = logs.filter((l) => l.level === 'warn');
				expect(warn).toHaveLength(1);
				expect(warn[0].message).toMatch(
					/TestLMS: request gave up, GET 127\.0\.0\.1:\d+, HTTP 503, attempt 4, attempts/,
				);
				expect(warn[0].meta).toMatchObject({
					provider: 'TestLMS',
					method: 'GET',
					status: 503,
					attempt: 4,
					reason: 'attempts',
				});
				for (const line of lines) {
					expect(line).not.toContain(SECRET);
					expect(line).not.toContain('tok-canary-9x8y7z');
					expect(line).not.toContain('private-query');
					expect(line).not.toContain('/users');
					expect(line).not.toContain('down');
				}
			},
		);
	});

	it('logs a rate-limit pause with its wait', async () => {
		await withApi(
			(_req, res) => json(res, 200, { ok: true }),
			async (server) => {
				const clock = fakeClock();
				const { client, logs } = bearerClient(server.url, {
					clock,
					rateLimit: { requestsPerMinute: 60, burst: 1 },
				});
				await client.json({ method: 'GET', url: `${server.url}/a` });
				await client.json({ method: 'GET', url: `${server.url}/a` });
				expect(logs.some((l) => /rate-limit pause.*wait 1000 ms/.test(l.message))).toBe(true);
			},
		);
	});
});

describe('Allowed Domains', () => {
	const restricted = { allowedHttpRequestDomains: 'domains', allowedDomains: 'example.com' };

	it("restricts the package's own requests and its token requests: nothing is sent to another host", async () => {
		await withApi(
			(_req, res) => json(res, 200, { ok: true }),
			async (server) => {
				const { client } = bearerClient(server.url, { credentials: restricted });
				const error = await failure(client.json({ method: 'GET', url: `${server.url}/users` }));
				expect(error.message).toMatch(/Domain not allowed/);
				expect(server.requests).toHaveLength(0);
				// A token request alone (as a token fetcher makes it) is checked as well.
				const tokenError = await failure(
					client.tokenHttp()({
						method: 'POST',
						url: `${server.url}/token`,
						body: { secret: SECRET },
					}),
				);
				expect(tokenError.message).toMatch(/Domain not allowed/);
				expect(server.requests).toHaveLength(0);
			},
		);
	});

	it('lets requests through when the host is in the list', async () => {
		await withApi(
			(_req, res) => json(res, 200, { ok: true }),
			async (server) => {
				const { client } = bearerClient(server.url, {
					credentials: {
						allowedHttpRequestDomains: 'domains',
						allowedDomains: 'example.com, 127.0.0.1',
					},
				});
				await expect(client.json({ method: 'GET', url: `${server.url}/users` })).resolves.toEqual({
					ok: true,
				});
			},
		);
	});
});

describe('typed hosts: link-local and metadata addresses', () => {
	it.each([
		'http://169.254.169.254/',
		'https://169.254.169.254/latest/meta-data',
		'https://2852039166/',
		'https://0xa9fea9fe/',
		'https://0251.0376.0251.0376/',
		'https://169.254.1/',
		'https://[::ffff:169.254.169.254]/',
		'https://[::ffff:a9fe:a9fe]/',
		'https://[fe80::1]/',
		'https://[febf::1]/',
		'https://[fd00:ec2::254]/',
		'https://metadata.google.internal/',
		'https://METADATA.google.internal./',
		'https://100.100.100.200/',
	])('%s is refused before anything is sent', async (url) => {
		expect(isMetadataHost(new URL(url).hostname)).toBe(true);
		const { client, requests } = bearerClient('https://lms.example.com');
		const error = await failure(client.json({ method: 'GET', url }));
		expect(error.message).toMatch(/link-local or cloud metadata address/);
		expect(requests).toHaveLength(0);
	});

	it.each([
		'https://example.com/',
		'https://169.253.1.1/',
		'https://[fd00::1]/',
		'https://100.100.100.201/',
		'https://[fec0::1]/',
	])('%s is an ordinary host', (url) => {
		expect(isMetadataHost(new URL(url).hostname)).toBe(false);
	});

	it('the lab option lets a lab host on such an address through', async () => {
		const { client } = bearerClient('https://lms.example.com', { allowInsecureHttp: true });
		const error = await failure(
			client.json({
				method: 'GET',
				url: 'http://169.254.1.1:1/x',
				timeoutMs: 50,
				retry: { maxAttempts: 1 },
			}),
		);
		expect(error.message).not.toMatch(/metadata/);
	});
});

describe('path overrides', () => {
	it.each([
		['/a/../b', /\. or \.\./],
		['/a/%2e%2e/b', /\. or \.\./],
		['/a/.%2E/b', /\. or \.\./],
		['/a/%2E%2e', /\. or \.\./],
		['/a/%252e%252e/b', /\. or \.\./],
		['/a/./b', /\. or \.\./],
		['/a/..;x/b', /\. or \.\./],
		['/a\\..\\b', /backslash/],
		['/a/%5c..%5cb', /encoded/],
		['/a/%2F../b', /encoded/],
		['/a/%252f/b', /encoded/],
		['/a?x=1', /query/],
		['/a%3Fx=1', /query/],
		['/a#frag', /fragment/],
		['//evil.example/a', /scheme or host/],
		['/https:/evil', /scheme or host/],
		['https://evil.example/a', /must start with/],
		['a/b', /must start with/],
		['/a/%zz', /invalid/],
		['/a/\u0000', /control/],
	])('%s is refused', (path, reason) => {
		expect(pathProblem(path)).toMatch(reason);
		expect(() => buildPath(path, {})).toThrow(reason);
	});

	it.each([
		'/xAPI/statements',
		'/content-integration/v2/organizations/{orgId}/content-items',
		'/users/ref/{ref}',
		'/a/b/',
		'/caf%C3%A9',
	])('%s is accepted', (path) => {
		expect(pathProblem(path)).toBeUndefined();
		expect(safePath(path)).toBe(path);
	});
});

describe('bounded waits', () => {
	it('a Retry-After learnt from one response is held at most Max Retry Wait; a longer wait fails at once', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({}, clock);
		limiter.observe(429, {}, 3_600_000, 60_000);
		expect(await limiter.acquire({ maxWaitMs: 30_000 })).toEqual({ ok: false, waitMs: 60_000 });
		expect(clock.sleeps).toEqual([]);
		expect(await limiter.acquire({ maxWaitMs: 60_000 })).toEqual({
			ok: true,
			waitedMs: 60_000,
			ticket: 1,
		});
	});

	it('X-Rate-Limit-Remaining: 0 with a reset a day away never stalls a later request past its budget', async () => {
		await withApi(
			(_req, res) =>
				json(
					res,
					200,
					{ ok: true },
					{ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(24 * 3600) },
				),
			async (server) => {
				const clock = fakeClock();
				const { client } = bearerClient(server.url, {
					clock,
					rateLimit: {},
					retry: { maxTotalWaitMs: 10_000 },
				});
				await client.json({ method: 'GET', url: `${server.url}/a` });
				// A request with a shorter budget than the learnt wait fails at once, nothing sent.
				const error = await failure(
					client.json({ method: 'GET', url: `${server.url}/a`, retry: { maxTotalWaitMs: 5000 } }),
				);
				expect(error.message).toMatch(
					/asked to wait 10 s before the next request, longer than "Max Retry Wait" \(5 s\)/,
				);
				expect(clock.sleeps).toEqual([]);
				expect(server.requests.filter((r) => r.url === '/a')).toHaveLength(1);
				// The state never holds more than the Max Retry Wait of the request that learnt it.
				await client.json({ method: 'GET', url: `${server.url}/a` });
				expect(clock.sleeps).toEqual([10_000]);
			},
		);
	});

	it('a 429 with Retry-After: 3600 gives up at once instead of waiting an hour', async () => {
		await withApi(
			(_req, res) => json(res, 429, { message: 'later' }, { 'retry-after': '3600' }),
			async (server) => {
				const clock = fakeClock();
				const { client } = bearerClient(server.url, { clock });
				const error = await failure(client.json({ method: 'GET', url: `${server.url}/a` }));
				expect(error.description).toMatch(
					/asked to wait 3600 s, more than is left of "Max Retry Wait" \(300 s\)/,
				);
				expect(clock.sleeps).toEqual([]);
			},
		);
	});

	it('a wait ends when the execution is cancelled', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const waiting = abortableSleep(60_000, controller.signal);
		controller.abort();
		await expect(waiting).rejects.toBeDefined();
		expect(Date.now() - started).toBeLessThan(1000);
		await expect(abortableSleep(60_000, controller.signal)).rejects.toBeDefined();
	});

	it('a retry wait of a request ends when the execution is cancelled', async () => {
		await withApi(
			(_req, res) => json(res, 503, {}, { 'retry-after': '100' }),
			async (server) => {
				const controller = new AbortController();
				const { client, ctx } = bearerClient(server.url);
				(ctx as { getExecutionCancelSignal: () => AbortSignal }).getExecutionCancelSignal = () =>
					controller.signal;
				const started = Date.now();
				const pending = client.json({ method: 'GET', url: `${server.url}/a` });
				setTimeout(() => controller.abort(), 200);
				await expect(pending).rejects.toBeDefined();
				expect(Date.now() - started).toBeLessThan(5000);
			},
		);
	});
});

describe('recover() and the budget', () => {
	it('time spent asking whether a write landed counts against Max Retry Wait, and recover gets what is left', async () => {
		await withApi(
			(_req, res) => json(res, 503, { message: 'unwell' }),
			async (server) => {
				const clock = fakeClock();
				const budgets: unknown[] = [];
				const { client, logs } = bearerClient(server.url, {
					clock,
					random: () => 0.5,
					retry: { maxAttempts: 5, maxTotalWaitMs: 10_000, baseDelayMs: 1000 },
				});
				const error = await failure(
					client.json({
						method: 'POST',
						url: `${server.url}/records`,
						body: { a: 1 },
						recover: async (budget) => {
							budgets.push(budget);
							clock.advance(6000); // the look-up itself took 6 s (its own retries)
							return undefined;
						},
					}),
				);
				// 1st failure: recover (6 s) + backoff 500 ms; 2nd: recover (6 s) → 12.5 s > 10 s: give up.
				expect(budgets).toEqual([
					{ maxAttempts: 4, maxTotalWaitMs: 10_000 },
					{ maxAttempts: 3, maxTotalWaitMs: 3500 },
				]);
				expect(clock.sleeps).toEqual([500]);
				expect(error.message).toMatch(/unwell/);
				expect(server.requests.filter((r) => r.url === '/records')).toHaveLength(2);
				expect(logs.some((l) => l.level === 'warn' && /wait-budget/.test(l.message))).toBe(true);
				expect(logs.filter((l) => /asking whether a write landed/.test(l.message))).toHaveLength(2);
			},
		);
	});
});

describe('paging', () => {
	it('never follows a next link to another origin (the token stays home)', async () => {
		const other = await scriptedServer((_req, res) => json(res, 200, { data: [], links: {} }));
		try {
			await withApi(
				(_req, res) =>
					json(res, 200, { data: [{ id: 1 }], links: { next: `${other.url}/steal?cursor=2` } }),
				async (server) => {
					const { client } = bearerClient(server.url);
					const strategy = nextLinkPaging<unknown>({
						items: (b) => (b as { data: unknown[] }).data,
						nextUrl: (b) => (b as { links: { next?: string } }).links.next,
					});
					const error = await failure(
						collect(
							paginate(
								(r) => client.request(r),
								{ method: 'GET', url: `${server.url}/list` },
								strategy.read,
							),
							{ returnAll: true },
						),
					);
					expect(error.message).toMatch(
						/TestLMS: the next-page link points to http:\/\/127\.0\.0\.1:\d+, outside the API origin/,
					);
					expect(other.requests).toHaveLength(0);
				},
			);
		} finally {
			await other.close();
		}
	});

	it('stops a next link pointing to itself', async () => {
		await withApi(
			(req, res) =>
				json(res, 200, {
					data: [{ id: Math.random() }],
					links: { next: `http://${req.headers.host}/list` },
				}),
			async (server) => {
				const { client } = bearerClient(server.url);
				const strategy = nextLinkPaging<unknown>({
					items: (b) => (b as { data: unknown[] }).data,
					nextUrl: (b) => (b as { links: { next?: string } }).links.next,
				});
				const error = await failure(
					collect(
						paginate(
							(r) => client.request(r),
							{ method: 'GET', url: `${server.url}/list` },
							strategy.read,
						),
						{ returnAll: true },
					),
				);
				expect(error.message).toMatch(/already used/);
				expect(server.requests.filter((r) => r.url === '/list')).toHaveLength(1);
			},
		);
	});

	it('stops a repeated more token', async () => {
		let n = 0;
		await withApi(
			(_req, res) => json(res, 200, { items: [{ id: ++n }], more: n < 3 ? `t${n}` : 't1' }),
			async (server) => {
				const { client } = bearerClient(server.url);
				const strategy = moreTokenPaging<unknown>({
					items: (b) => (b as { items: unknown[] }).items,
					token: (b) => (b as { more?: string }).more,
				});
				const error = await failure(
					collect(
						paginate(
							(r) => client.request(r),
							{ method: 'GET', url: `${server.url}/regs` },
							strategy.read,
						),
						{ returnAll: true },
					),
				);
				expect(error.message).toMatch(/already used/);
				expect(server.requests.filter((r) => r.url.startsWith('/regs'))).toHaveLength(3);
			},
		);
	});

	it('stops a total that is never reached (the same page again and again)', async () => {
		await withApi(
			(_req, res) => json(res, 200, [{ id: 'a' }, { id: 'b' }], { 'x-total-count': '1000' }),
			async (server) => {
				const { client } = bearerClient(server.url);
				const strategy = offsetPaging<unknown>({ pageSize: 2 });
				const error = await failure(
					collect(
						paginate(
							(r) => client.request(r),
							strategy.first({ method: 'GET', url: `${server.url}/users` }),
							strategy.read,
						),
						{ returnAll: true },
					),
				);
				expect(error.message).toMatch(/page 2 starts with a record an earlier page started with/);
				expect(server.requests.filter((r) => r.url.startsWith('/users'))).toHaveLength(2);
			},
		);
	});

	it('stops at the page cap', async () => {
		let n = 0;
		await withApi(
			(_req, res) => json(res, 200, [{ id: ++n }], { 'x-total-count': '1000000' }),
			async (server) => {
				const { client } = bearerClient(server.url);
				const strategy = offsetPaging<unknown>({ pageSize: 1 });
				const error = await failure(
					collect(
						paginate(
							(r) => client.request(r),
							strategy.first({ method: 'GET', url: `${server.url}/users` }),
							strategy.read,
							5,
						),
						{ returnAll: true },
					),
				);
				expect(error.message).toMatch(/longer than 5 pages/);
				expect(server.requests.filter((r) => r.url.startsWith('/users'))).toHaveLength(5);
			},
		);
	});
});

describe('a 200 that is not what the API documents', () => {
	const raw =
		(body: string, type = 'application/json') =>
		(_req: unknown, res: import('node:http').ServerResponse) => {
			res.writeHead(200, { 'content-type': type });
			res.end(body);
		};
	it.each([
		['invalid JSON', '{"data": [', /is not valid JSON/],
		['an empty body', '', /is empty/],
		['a JSON string', '"hello"', /is a string where an object or a list is documented/],
		['a JSON number', '42', /is a number where an object or a list is documented/],
		['JSON null', 'null', /is null where an object or a list is documented/],
		['a JSON boolean', 'true', /is a boolean where an object or a list is documented/],
		[
			'an error envelope',
			'{"error":"invalid_request","error_description":"nope"}',
			/invalid_request: nope/,
		],
		[
			'an errors envelope',
			'{"errors":[{"title":"Forbidden","detail":"thing"}]}',
			/Forbidden: thing/,
		],
	])('%s is an error naming provider and operation', async (_name, body, reason) => {
		await withApi(raw(body), async (server) => {
			const { client } = bearerClient(server.url);
			const error = await failure(
				client.json({
					method: 'GET',
					url: `${server.url}/x`,
					operation: 'Get Many Users',
					itemIndex: 3,
				}),
			);
			expect(error.message).toMatch(/^TestLMS: Get Many Users: /);
			expect(error.message + (error.description ?? '')).toMatch(reason);
			expect(error.context?.itemIndex).toBe(3);
		});
	});

	it("names the node's resource and operation when the request does not name one", async () => {
		await withApi(raw('"just text"'), async (server) => {
			const { client, ctx } = bearerClient(server.url);
			Object.assign(ctx.getNode().parameters, { resource: 'user', operation: 'getAll' });
			await expect(client.json({ method: 'GET', url: `${server.url}/x` })).rejects.toThrow(
				/^TestLMS: user getAll: the response \(HTTP 200\) is a string/,
			);
		});
	});

	it('expect: object refuses an array; expect: array refuses an object', async () => {
		await withApi(raw('[1]'), async (server) => {
			const { client } = bearerClient(server.url);
			await expect(
				client.json({ method: 'GET', url: `${server.url}/x`, expect: 'object' }),
			).rejects.toThrow(/an array where an object is documented/);
		});
		await withApi(raw('{"a":1}'), async (server) => {
			const { client } = bearerClient(server.url);
			await expect(
				client.json({ method: 'GET', url: `${server.url}/x`, expect: 'array' }),
			).rejects.toThrow(/an object where a list is documented/);
		});
	});

	it('a write may answer nothing, or any JSON; 204 is never looked at; a provider may declare its own envelope', async () => {
		await withApi(raw(''), async (server) => {
			const { client } = bearerClient(server.url);
			await expect(
				client.json({ method: 'POST', url: `${server.url}/x`, body: {} }),
			).resolves.toBeUndefined();
		});
		await withApi(raw('null'), async (server) => {
			const { client } = bearerClient(server.url);
			await expect(
				client.json({ method: 'POST', url: `${server.url}/x`, body: {} }),
			).resolves.toBeNull();
			await expect(
				client.json({ method: 'POST', url: `${server.url}/x`, body: {}, expect: 'object' }),
			).rejects.toThrow(/null where an object/);
		});
		await withApi(raw('{"error":"a field of the record"}'), async (server) => {
			const { client } = bearerClient(server.url, {
				provider: {
					name: 'Own',
					credentialType: 'x',
					parseError: () => ({}),
					errorEnvelope: () => undefined,
				},
			});
			await expect(client.json({ method: 'GET', url: `${server.url}/x` })).resolves.toEqual({
				error: 'a field of the record',
			});
		});
	});
});
