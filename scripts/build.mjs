// build = clean dist, compile TypeScript, copy icons and codex files (gulp).
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
	const r = spawnSync(cmd, args, { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync('dist', { recursive: true, force: true });
run('tsc', ['-p', 'tsconfig.json']);
run('gulp', ['build:assets', '--silent']);
