#!/usr/bin/env node
// `npm run verify`: the checks n8n runs before it verifies a community package, run here.
//
// 1. n8n's scanner (@n8n/scan-community-package, scanner/scanner.mjs): its own ESLint set-up
//    (buildScanConfig(), inline eslint-disable comments ignored) on the source tree with its
//    SOURCE_FILE_PATTERNS, and on the unpacked `npm pack` tarball with `**/*.js` + package.json,
//    the two legs of its analyzePackageByName(). Its analyzePackage() gives the verdict; the same
//    ESLint run is repeated here only to count errors and warnings (analyzePackage reports neither).
// 2. `n8n-node lint` (@n8n/node-cli) in strict mode: package.json's n8n.strict is true, so it
//    fails unless eslint.config.mjs is n8n's unmodified template.
// Prints the counts of each; exits 1 on any error or warning. Needs dist/ (npm run build).
// Temporary files (the tarball, its unpacked copy, the scanner's own temp folder) go into one
// folder that is removed at the end, also on Ctrl-C.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-verify-'));
const cleanup = () => fs.rmSync(temp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.once(sig, () => {
		cleanup();
		process.kill(process.pid, sig);
	});
}

/** Lints `dir` exactly as the scanner's analyzePackage() does, returning its verdict and the counts. */
async function scan(scanner, dir, patterns) {
	const { ESLint } = createRequire(scannerPath)('eslint');
	const glob = createRequire(scannerPath)('fast-glob');
	const verdict = await scanner.analyzePackage(dir, patterns);
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const details =
		errors + warnings ? await (await eslint.loadFormatter('stylish')).format(results) : '';
	return {
		passed: verdict.passed && errors === 0,
		message: verdict.message,
		files: files.length,
		errors,
		warnings,
		details,
	};
}

function packTarball() {
	const r = spawnSync('npm', ['pack', '--json', '--pack-destination', temp], {
		cwd: root,
		encoding: 'utf8',
		env: { ...process.env, npm_config_loglevel: 'error' },
	});
	if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
	const tgz = path.join(temp, JSON.parse(r.stdout)[0].filename);
	const unpacked = path.join(temp, 'package');
	fs.mkdirSync(unpacked);
	const t = spawnSync('tar', ['-xzf', tgz, '-C', unpacked, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (t.status !== 0) throw new Error(`tar failed: ${t.stderr}`);
	return unpacked;
}

function n8nNodeLint() {
	const bin = path.join(root, 'node_modules', '.bin', 'n8n-node');
	// The flag lets test/, demo/, bench/ and scripts/ keep their own eslint.config.mjs (see
	// eslint.tooling.config.mjs); the root one, n8n's template, covers everything else.
	const r = spawnSync(bin, ['lint'], {
		cwd: root,
		encoding: 'utf8',
		env: {
			...process.env,
			ESLINT_FLAGS: 'unstable_config_lookup_from_file',
			FORCE_COLOR: '0',
			CI: 'true',
		},
	});
	const out = `${r.stdout}${r.stderr}`;
	const m = out.match(/(\d+) problems? \((\d+) errors?, (\d+) warnings?\)/);
	const errors = m ? Number(m[2]) : r.status === 0 ? 0 : 1;
	const warnings = m ? Number(m[3]) : 0;
	const strict =
		JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).n8n?.strict === true;
	return {
		passed: r.status === 0 && strict,
		strict,
		errors,
		warnings,
		details: r.status === 0 ? '' : out,
	};
}

let failed = false;
function report(label, r) {
	const extra = r.files !== undefined ? ` in ${r.files} files` : '';
	console.log(
		`${r.passed && !r.warnings ? 'ok  ' : 'FAIL'} ${label}: ${r.errors} errors, ${r.warnings} warnings${extra}${r.message && !r.passed ? ` (${r.message})` : ''}`,
	);
	if (r.details) console.log(r.details.trimEnd());
	if (!r.passed || r.errors || r.warnings) failed = true;
}

try {
	if (!fs.existsSync(path.join(root, 'dist', 'nodes')))
		throw new Error('dist/ is missing: run `npm run build` first');
	const previousTmp = process.env.TMPDIR;
	process.env.TMPDIR = temp; // the scanner makes a temp folder when it is imported
	const scanner = await import(pathToFileURL(scannerPath).href);
	if (previousTmp === undefined) delete process.env.TMPDIR;
	else process.env.TMPDIR = previousTmp;

	report(
		'n8n scanner, source tree (package.json, nodes/, credentials/)',
		await scan(scanner, root, scanner.SOURCE_FILE_PATTERNS),
	);
	report(
		'n8n scanner, npm pack tarball (**/*.js, package.json)',
		await scan(scanner, packTarball(), ['**/*.js', 'package.json']),
	);
	const lint = n8nNodeLint();
	report(
		`n8n-node lint (strict mode ${lint.strict ? 'on' : 'OFF: set n8n.strict in package.json'})`,
		lint,
	);
} catch (e) {
	console.error(`verify could not run: ${e.message}`);
	failed = true;
} finally {
	cleanup();
}
console.log(failed ? 'verify: FAILED' : 'verify: 0 errors, 0 warnings');
process.exit(failed ? 1 : 0);
