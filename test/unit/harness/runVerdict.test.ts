// The e2e harness's verdict on an `n8n execute --rawOutput` run, for the shapes each n8n version
// prints. The 2.0/2.1 shapes are trimmed from real runs on those versions (docs/compatibility.md).
import { isRunOk, parseRunJson, type RunJson } from '../../e2e/harness/n8n';

const nodeRun = (executionStatus: string, error?: { message: string }) => ({
	executionStatus,
	...(error ? { error } : {}),
	data: { main: [[{ json: {} }]] },
});
const run = (
	top: Partial<RunJson>,
	runData: RunJson['data']['resultData']['runData'],
	error?: { message: string },
): RunJson => ({
	...top,
	data: { resultData: { runData, ...(error ? { error } : {}), lastNodeExecuted: 'Code' } },
});

describe('isRunOk', () => {
	it('n8n 2.41: status success and finished is ok; a workflow error is not', () => {
		expect(
			isRunOk(run({ status: 'success', finished: true }, { Start: [nodeRun('success')] })),
		).toBe(true);
		expect(
			isRunOk(
				run(
					{ status: 'success', finished: true },
					{ Start: [nodeRun('success')] },
					{ message: 'x' },
				),
			),
		).toBe(false);
		expect(
			isRunOk(
				run(
					{ status: 'error', finished: false },
					{ Start: [nodeRun('success')], Code: [nodeRun('error', { message: 'x' })] },
				),
			),
		).toBe(false);
		expect(
			isRunOk(run({ status: 'success', finished: false }, { Start: [nodeRun('success')] })),
		).toBe(false);
	});

	it("n8n 2.0/2.1: a finished run printed with status 'running' is ok when every node run succeeded", () => {
		expect(
			isRunOk(
				run(
					{ status: 'running', finished: true },
					{ Start: [nodeRun('success')], Code: [nodeRun('success')] },
				),
			),
		).toBe(true);
	});

	it("n8n 2.0/2.1: a failed run (status 'running', no finished, a node error) is not ok", () => {
		expect(
			isRunOk(
				run(
					{ status: 'running' },
					{ Start: [nodeRun('success')], Code: [nodeRun('error', { message: 'boom' })] },
					{ message: 'boom' },
				),
			),
		).toBe(false);
		// Even were it marked finished, a node that errored or did not succeed fails the run.
		expect(
			isRunOk(
				run(
					{ status: 'running', finished: true },
					{ Start: [nodeRun('success')], Code: [nodeRun('error', { message: 'boom' })] },
				),
			),
		).toBe(false);
		expect(
			isRunOk(
				run(
					{ status: 'running', finished: true },
					{ Start: [nodeRun('success')], Code: [nodeRun('running')] },
				),
			),
		).toBe(false);
		expect(isRunOk(run({ status: 'running', finished: true }, {}))).toBe(false);
	});

	it('reads the 2.1 output as printed (log lines around the run JSON) and judges it ok', () => {
		const output = [
			'n8n Task Broker ready on 127.0.0.1, port 45871',
			'Registered runner "JS Task Runner" (OgSIt6bFz1ipizmcWfWHV) ',
			'{',
			'  "data": {',
			'    "version": 1,',
			'    "resultData": {',
			'      "runData": {',
			'        "Start": [{ "executionStatus": "success", "data": { "main": [[{ "json": {} }]] } }],',
			'        "Code": [{ "executionStatus": "success", "data": { "main": [[{ "json": { "x": 1 } }]] } }]',
			'      },',
			'      "lastNodeExecuted": "Code"',
			'    }',
			'  },',
			'  "mode": "cli",',
			'  "status": "running",',
			'  "finished": true',
			'}',
		].join('\n');
		const parsed = parseRunJson(output);
		expect(parsed?.status).toBe('running');
		expect(isRunOk(parsed!)).toBe(true);
	});
});
