// Jest prints "Tests: 3 passed, 3 total"; CI reads one plain line "N passed, N failed".
// This reporter adds that line and appends the counts to $LP_TEST_COUNTS (when set) so
// .ci/run can add up several jest runs.
const { appendFileSync } = require('node:fs');

class SummaryReporter {
	onRunComplete(_contexts, results) {
		const passed = results.numPassedTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const skipped = results.numPendingTests + results.numTodoTests;
		if (process.env.LP_TEST_COUNTS)
			appendFileSync(process.env.LP_TEST_COUNTS, `${passed} ${failed} ${skipped}\n`);
		process.stdout.write(
			`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
		);
	}
}
module.exports = SummaryReporter;
