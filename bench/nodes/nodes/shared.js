'use strict';
// Shared by the bench nodes (plain CommonJS: n8n loads them as a community package).
const { readFileSync } = require('node:fs');

/** VmRSS / VmHWM (peak) of this process in KiB, from /proc/self/status (Linux). */
function memory() {
	try {
		const s = readFileSync('/proc/self/status', 'utf8');
		const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [])[1] || 0);
		return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
	} catch {
		const m = process.memoryUsage();
		return { rssKb: Math.round(m.rss / 1024), hwmKb: 0 };
	}
}

/** Runs `fn(i)` for i in 0..n-1 with at most `concurrency` in flight; results in input order. */
async function pool(n, concurrency, fn) {
	const out = new Array(n);
	let next = 0;
	const worker = async () => {
		while (next < n) {
			const i = next++;
			out[i] = await fn(i);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker));
	return out;
}

/** The client secret comes from the n8n process environment, never from workflow parameters (so it is never printed). */
function secretFromEnv(name) {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set in the n8n process environment`);
	return v;
}

module.exports = { memory, pool, secretFromEnv };
