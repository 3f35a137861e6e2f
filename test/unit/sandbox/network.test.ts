// HTTPS with a throwaway CA, and the latency proxy: a reused connection costs about one round trip,
// a new HTTPS connection several (TCP connect + TLS handshake + the request), as on a real network.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { ItemsProvider } from './helpers';

const RTT = 30;
const run = promisify(execFile);

async function timed(url: string, dispatcher: Agent, init: { method?: 'GET' | 'POST'; body?: string } = {}): Promise<{ ms: number; status: number; text: string }> {
	const started = performance.now();
	const res = await request(url, { method: init.method ?? 'GET', body: init.body, headers: init.body ? { 'content-type': 'application/json' } : {}, dispatcher });
	const text = await res.body.text();
	return { ms: performance.now() - started, status: res.statusCode, text };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('HTTPS with latency (tls: true, latencyMs: 30)', () => {
	let sandbox: Sandbox;
	let echo: string;
	beforeAll(async () => {
		sandbox = await startSandbox({ providers: [new ItemsProvider()], tls: true, latencyMs: RTT });
		echo = `${sandbox.urlFor('items', 'api')}/echo`;
	});
	afterAll(() => sandbox.close());

	test('serves https URLs through the proxy; the CA verifies the chain, nothing else does', async () => {
		expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		expect(echo.startsWith(sandbox.url)).toBe(true);
		expect(sandbox.directUrl).not.toBe(sandbox.url);
		expect(sandbox.tls && existsSync(sandbox.tls.caPath)).toBe(true);
		expect(sandbox.tls?.ca).toContain('BEGIN CERTIFICATE');

		const trusting = new Agent({ connect: { ca: sandbox.tls?.ca } });
		const r = await timed(`${echo}?a=1`, trusting);
		expect(r.status).toBe(200);
		expect(JSON.parse(r.text)).toEqual({ query: { a: '1' } });
		await trusting.close();

		const plain = new Agent();
		await expect(request(echo, { dispatcher: plain })).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/) });
		await plain.close();
	});

	test('another Node process trusts it through NODE_EXTRA_CA_CERTS (as n8n will)', async () => {
		const script = `fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text()), (e) => { console.log('ERR', e.cause?.code ?? e.message); process.exit(3); })`;
		const { stdout } = await run(process.execPath, ['-e', script, `${echo}?via=child`], { env: { ...process.env, NODE_EXTRA_CA_CERTS: sandbox.tls?.caPath } });
		expect(stdout.trim()).toBe('200 {"query":{"via":"child"}}');
	});

	test('a request on a reused connection costs about 1 RTT; a new HTTPS connection several', async () => {
		const reused = new Agent({ connect: { ca: sandbox.tls?.ca }, connections: 1 });
		await timed(echo, reused); // connect + handshake once
		const before = sandbox.connections;
		const warm: number[] = [];
		for (let i = 0; i < 7; i++) warm.push((await timed(echo, reused, { method: 'POST', body: JSON.stringify({ i }) })).ms);
		expect(sandbox.connections).toBe(before); // all on the one connection
		await reused.close();

		const fresh: number[] = [];
		for (let i = 0; i < 5; i++) {
			const once = new Agent({ connect: { ca: sandbox.tls?.ca } });
			fresh.push((await timed(echo, once)).ms);
			await once.close();
		}
		expect(sandbox.connections).toBe(before + 5);

		const warmMs = median(warm);
		const freshMs = median(fresh);
		// Printed so a reader sees the figures the assertions are about.
		console.log(`latency ${RTT} ms RTT: reused connection median ${warmMs.toFixed(1)} ms, new HTTPS connection median ${freshMs.toFixed(1)} ms`);
		expect(warmMs).toBeGreaterThanOrEqual(RTT * 0.95);
		expect(warmMs).toBeLessThan(RTT * 1.8);
		// TCP (1 RTT) + TLS 1.3 (1 RTT) + the request (1 RTT)
		expect(freshMs).toBeGreaterThanOrEqual(RTT * 2.9);
		expect(freshMs).toBeLessThan(RTT * 4.5);
	});

	test('concurrency hides latency: 10 requests on 10 connections take about as long as one', async () => {
		const pool = new Agent({ connect: { ca: sandbox.tls?.ca }, connections: 10 });
		await Promise.all(Array.from({ length: 10 }, () => timed(echo, pool))); // open 10 connections
		const started = performance.now();
		await Promise.all(Array.from({ length: 10 }, () => timed(echo, pool)));
		const ms = performance.now() - started;
		await pool.close();
		expect(ms).toBeLessThan(RTT * 3);
	});

	test('a reset fault still reaches the client through the proxy; the control API works on directUrl', async () => {
		sandbox.faults.add({ kind: 'reset', count: 1, match: { provider: 'items' } });
		const agent = new Agent({ connect: { ca: sandbox.tls?.ca } });
		await expect(request(echo, { dispatcher: agent }).then((r) => r.body.text())).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
		expect((await timed(echo, agent)).status).toBe(200);
		const health = await timed(`${sandbox.directUrl}/_control/health`, agent);
		expect(JSON.parse(health.text)).toMatchObject({ ok: true, url: sandbox.url });
		await agent.close();
	});

	test('setLatency changes the RTT from now on', async () => {
		const agent = new Agent({ connect: { ca: sandbox.tls?.ca }, connections: 1 });
		await timed(echo, agent);
		sandbox.setLatency(0);
		const fast: number[] = [];
		for (let i = 0; i < 5; i++) fast.push((await timed(echo, agent)).ms);
		sandbox.setLatency(RTT);
		expect(sandbox.latencyMs).toBe(RTT);
		await agent.close();
		expect(median(fast)).toBeLessThan(RTT / 2);
	});
});

test('plain HTTP: a new connection costs TCP connect + the request (about 2 RTT); no proxy, no latency API', async () => {
	const withProxy = await startSandbox({ providers: [new ItemsProvider()], latencyMs: RTT });
	const url = `${withProxy.urlFor('items', 'api')}/echo`;
	expect(url).toMatch(/^http:\/\//);
	const fresh: number[] = [];
	for (let i = 0; i < 5; i++) {
		const once = new Agent();
		fresh.push((await timed(url, once)).ms);
		await once.close();
	}
	await withProxy.close();
	expect(median(fresh)).toBeGreaterThanOrEqual(RTT * 1.9);
	expect(median(fresh)).toBeLessThan(RTT * 3.5);

	const none = await startSandbox({ providers: [new ItemsProvider()] });
	expect(none.latencyMs).toBeUndefined();
	expect(none.directUrl).toBe(none.url);
	expect(() => none.setLatency(10)).toThrow(/no latency proxy/);
	await none.close();
});
