// jest globalTeardown of the e2e project: removes the `npm pack` folders (lp-pack-<pid>-…) of this
// run and of finished processes. The harness also removes its own at process exit, but a test
// file's `process` in jest is not the real one, so that handler does not run under jest.
const { readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
};

module.exports = async () => {
	for (const d of readdirSync(tmpdir())) {
		const m = /^lp-pack-(\d+)-/.exec(d);
		if (m && (Number(m[1]) === process.pid || !alive(Number(m[1]))))
			rmSync(join(tmpdir(), d), { recursive: true, force: true });
	}
};
