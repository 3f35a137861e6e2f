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

async function timed(
	url: string,
	dispatcher: Agent,
	init: { method?: 'GET' | 'POST'; body?: string } = {},
): Promise<{ ms: number; status: number; text: string }> {
	const started = performance.now();
	const res = await request(url, {
		method: init.method ?? 'GET',
		body: init.body,
		headers: init.body ? { 'content-type': 'application/json' } : {},
		dispatcher,
	});
	const text = await res.body.text();
	return { ms: performance.now() - started, status: res.statusCode, text };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The latency the proxy adds to `measure`, in ms: its median with the RTT on, minus its median with
 * latency off, the two measured in alternation within this run. A loaded machine slows both alike,
 * so upper bounds hold on this difference where they would not on the raw time; lower bounds stay on
 * the raw time (load only ever adds to it).
 */
async function added(
	sandbox: Sandbox,
	rounds: number,
	measure: () => Promise<number>,
): Promise<{ withMs: number; withoutMs: number; addedMs: number }> {
	const on: number[] = [];
	const off: number[] = [];
	for (let i = 0; i < rounds; i++) {
		sandbox.setLatency(RTT);
		on.push(await measure());
		sandbox.setLatency(0);
		off.push(await measure());
	}
	sandbox.setLatency(RTT);
	return { withMs: median(on), withoutMs: median(off), addedMs: median(on) - median(off) };
}

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
		await expect(request(echo, { dispatcher: plain })).rejects.toMatchObject({
			code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/),
		});
		await plain.close();
	});

	test('another Node process trusts it through NODE_EXTRA_CA_CERTS (as n8n will)', async () => {
		const script = `fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text()), (e) => { console.log('ERR', e.cause?.code ?? e.message); process.exit(3); })`;
		const { stdout } = await run(process.execPath, ['-e', script, `${echo}?via=child`], {
			env: { ...process.env, NODE_EXTRA_CA_CERTS: sandbox.tls?.caPath },
		});
		expect(stdout.trim()).toBe('200 {"query":{"via":"child"}}');
	});

	test('a request on a reused connection costs about 1 RTT; a new HTTPS connection several', async () => {
		const reused = new Agent({ connect: { ca: sandbox.tls?.ca }, connections: 1 });
		await timed(echo, reused); // connect + handshake once
		const before = sandbox.connections;
		let i = 0;
		const warm = await added(
			sandbox,
			7,
			async () =>
				(await timed(echo, reused, { method: 'POST', body: JSON.stringify({ i: i++ }) })).ms,
		);
		expect(sandbox.connections).toBe(before); // all on the one connection
		await reused.close();

		const fresh = await added(sandbox, 5, async () => {
			const once = new Agent({ connect: { ca: sandbox.tls?.ca } });
			const ms = (await timed(echo, once)).ms;
			await once.close();
			return ms;
		});
		expect(sandbox.connections).toBe(before + 10);

		// Printed so a reader sees the figures the assertions are about.
		console.log(
			`latency ${RTT} ms RTT: reused connection median ${warm.withMs.toFixed(1)} ms (${warm.addedMs.toFixed(1)} ms added), new HTTPS connection median ${fresh.withMs.toFixed(1)} ms (${fresh.addedMs.toFixed(1)} ms added)`,
		);
		expect(warm.withMs).toBeGreaterThanOrEqual(RTT * 0.95);
		expect(warm.addedMs).toBeLessThan(RTT * 1.8);
		// TCP (1 RTT) + TLS 1.3 (1 RTT) + the request (1 RTT)
		expect(fresh.withMs).toBeGreaterThanOrEqual(RTT * 2.9);
		expect(fresh.addedMs).toBeLessThan(RTT * 4.5);
	});

	test('concurrency hides latency: 10 requests on 10 connections take about as long as one', async () => {
		const pool = new Agent({ connect: { ca: sandbox.tls?.ca }, connections: 10 });
		await Promise.all(Array.from({ length: 10 }, () => timed(echo, pool))); // open 10 connections
		let started = performance.now();
		await Promise.all(Array.from({ length: 10 }, () => timed(echo, pool)));
		const concurrentMs = performance.now() - started;
		// The same 10 requests one after another, in this run: what concurrency is measured against.
		started = performance.now();
		for (let i = 0; i < 10; i++) await timed(echo, pool);
		const sequentialMs = performance.now() - started;
		await pool.close();
		expect(sequentialMs).toBeGreaterThanOrEqual(RTT * 10 * 0.95);
		// At least 6 of the 9 extra round trips overlap (all 9 on an idle machine); load adds to both sides.
		expect(sequentialMs - concurrentMs).toBeGreaterThan(RTT * 6);
	});

	test('a reset fault still reaches the client through the proxy; the control API works on directUrl', async () => {
		sandbox.faults.add({ kind: 'reset', count: 1, match: { provider: 'items' } });
		const agent = new Agent({ connect: { ca: sandbox.tls?.ca } });
		await expect(
			request(echo, { dispatcher: agent }).then((r) => r.body.text()),
		).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
		expect((await timed(echo, agent)).status).toBe(200);
		const health = await timed(`${sandbox.directUrl}/_control/health`, agent);
		expect(JSON.parse(health.text)).toMatchObject({ ok: true, url: sandbox.url });
		await agent.close();
	});

	test('setLatency changes the RTT from now on', async () => {
		const agent = new Agent({ connect: { ca: sandbox.tls?.ca }, connections: 1 });
		await timed(echo, agent);
		const r = await added(sandbox, 5, async () => (await timed(echo, agent)).ms);
		expect(sandbox.latencyMs).toBe(RTT);
		await agent.close();
		// Off, a request costs no RTT: (nearly) the whole RTT is what setting it back on adds.
		expect(r.addedMs).toBeGreaterThan(RTT * 0.7);
	});
});

test('plain HTTP: a new connection costs TCP connect + the request (about 2 RTT); no proxy, no latency API', async () => {
	const withProxy = await startSandbox({ providers: [new ItemsProvider()], latencyMs: RTT });
	const url = `${withProxy.urlFor('items', 'api')}/echo`;
	expect(url).toMatch(/^http:\/\//);
	const fresh = await added(withProxy, 5, async () => {
		const once = new Agent();
		const ms = (await timed(url, once)).ms;
		await once.close();
		return ms;
	});
	await withProxy.close();
	expect(fresh.withMs).toBeGreaterThanOrEqual(RTT * 1.9);
	expect(fresh.addedMs).toBeLessThan(RTT * 3.5);

	const none = await startSandbox({ providers: [new ItemsProvider()] });
	expect(none.latencyMs).toBeUndefined();
	expect(none.directUrl).toBe(none.url);
	expect(() => none.setLatency(10)).toThrow(/no latency proxy/);
	await none.close();
});
