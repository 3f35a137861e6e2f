#!/usr/bin/env node
// `npm run test:compat -- <n8n version>`: the compatibility smoke against another n8n release.
// Installs that n8n into the per-user cache (test/e2e/harness/install-n8n.mjs --version; minutes
// and ~3 GB the first time) and runs the real-instance tests that cover every piece of the
// package once: the smoke test (the package loads without a warning, every node and credential
// is known), and per provider each credential's Test button, one workflow through each node and
// each trigger once (test/e2e/<provider>.test.ts). The demo and the tarball walkthrough are
// left out: they test this repository's tooling, not n8n's API.
// Without a version it runs the pinned one. Test files after the version run instead of that list
// (`npm run test:compat -- 2.1.4 test/e2e/pollingTriggers.test.ts`). Exit code: jest's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = process.argv[2];
const only = process.argv.slice(3);
if (version && !/^\d+\.\d+\.\d+$/.test(version)) {
	console.error(`usage: npm run test:compat -- <n8n version, e.g. 2.0.0> [test files]`);
	process.exit(2);
}
const env = { ...process.env };
if (version) env.LP_N8N_VERSION = version;

const install = spawnSync(
	process.execPath,
	[path.join(root, 'test/e2e/harness/install-n8n.mjs'), ...(version ? ['--version', version] : [])],
	{ cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (install.status !== 0) process.exit(install.status ?? 1);

const skip = new Set(['demo.test.ts', 'tarballInstall.test.ts']);
const tests = only.length
	? only
	: fs
			.readdirSync(path.join(root, 'test/e2e'))
			.filter((f) => f.endsWith('.test.ts') && !skip.has(f))
			.map((f) => `test/e2e/${f}`);
const jest = path.join(root, 'node_modules/jest/bin/jest.js');
const r = spawnSync(
	process.execPath,
	[jest, '--selectProjects', 'e2e', '--runInBand', '--', ...tests],
	{ cwd: root, env, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
