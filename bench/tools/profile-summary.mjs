#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `npm run bench -- --profile`): self time per function and per
// package, and total (inclusive) time of the functions whose file matches a filter.
//   node bench/tools/profile-summary.mjs <file.cpuprofile> [filter=n8n-nodes-learning-platforms] [top=30]
import { readFileSync } from 'node:fs';

const [file, filter = 'n8n-nodes-learning-platforms', topArg = '30'] = process.argv.slice(2);
const top = Number(topArg);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++)
	self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const pkgOf = (url) => {
	if (!url) return '(native/vm)';
	const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/g);
	return m
		? m[m.length - 1].replace('node_modules/', '')
		: url.startsWith('node:')
			? 'node:' + url.split(':')[1].split('/')[0]
			: url.split('/').slice(-2).join('/');
};
const fnKey = (n) =>
	`${n.callFrame.functionName || '(anon)'} ${pkgOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const agg = (keyOf) => {
	const m = new Map();
	for (const [id, t] of self) {
		const k = keyOf(byId.get(id));
		m.set(k, (m.get(k) ?? 0) + t);
	}
	return [...m.entries()].sort((a, b) => b[1] - a[1]);
};
const ms = (us) => (us / 1000).toFixed(0).padStart(7) + ' ms';
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%';
console.log(`total sampled ${ms(total)}`);
console.log('\n== self time by package ==');
for (const [k, t] of agg((n) => pkgOf(n.callFrame.url)).slice(0, top))
	console.log(`${ms(t)} ${pct(t)}  ${k}`);
console.log('\n== self time by function ==');
for (const [k, t] of agg(fnKey).slice(0, top)) console.log(`${ms(t)} ${pct(t)}  ${k}`);
// Inclusive time: a sample counts once for each distinct matching frame on its stack.
const incl = new Map();
for (const [id, t] of self) {
	const seen = new Set();
	for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
		const n = byId.get(cur);
		if (!(n.callFrame.url ?? '').includes(filter)) continue;
		const k = fnKey(n);
		if (seen.has(k)) continue;
		seen.add(k);
		incl.set(k, (incl.get(k) ?? 0) + t);
	}
}
console.log(`\n== inclusive time of functions in files matching "${filter}" ==`);
for (const [k, t] of [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
	console.log(`${ms(t)} ${pct(t)}  ${k}`);
