'use strict';
// Stopwatch and report for `npm run bench`.
// - "start": passes its input through untouched and stamps the wall clock and memory of this n8n
//   process (a process-wide global: `n8n execute` runs one execution per process).
// - "report" (the last node): reads every node's `executionTime` and item count from the run data,
//   the wall time since "start", and VmHWM (the peak RSS of this process over its life, which
//   covers the node under test), then replaces every earlier node's output with one summary item,
//   so that the run JSON `n8n execute --rawOutput` prints stays small at 100,000 items (memory was
//   already measured by then). Run data is reached through the execution context's
//   `runExecutionData`, an internal of n8n-core: bench-only, never done in the package.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { memory } = require('./shared');

class BenchMark {
	constructor() {
		this.description = {
			displayName: 'Bench Mark',
			name: 'benchMark',
			group: ['transform'],
			version: 1,
			description: 'Bench-only stopwatch and report',
			defaults: { name: 'Bench Mark' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{
					displayName: 'Action',
					name: 'action',
					type: 'options',
					options: [
						{ name: 'Start', value: 'start' },
						{ name: 'Report', value: 'report' },
					],
					default: 'start',
				},
				{ displayName: 'Trim Outputs', name: 'trim', type: 'boolean', default: true },
			],
		};
	}

	async execute() {
		const action = this.getNodeParameter('action', 0);
		const items = this.getInputData();
		if (action === 'start') {
			const m = memory();
			// CPU time and event-loop delay between "start" and "report": where the node's time goes
			// when it is not waiting for the network (a blocked loop delays every response's handling).
			const loop = monitorEventLoopDelay({ resolution: 10 });
			loop.enable();
			globalThis.__lpBench = {
				t0: Date.now(),
				hr0: process.hrtime.bigint(),
				rssStartKb: m.rssKb,
				hwmStartKb: m.hwmKb,
				cpu0: process.cpuUsage(),
				loop,
			};
			return [items];
		}
		const hr1 = process.hrtime.bigint();
		const mark = globalThis.__lpBench || {};
		const m = memory();
		const cpu = mark.cpu0 ? process.cpuUsage(mark.cpu0) : undefined;
		if (mark.loop) mark.loop.disable();
		const loopDelay = mark.loop
			? {
					meanMs: mark.loop.mean / 1e6,
					p99Ms: mark.loop.percentile(99) / 1e6,
					maxMs: mark.loop.max / 1e6,
				}
			: undefined;
		const runData =
			(this.runExecutionData &&
				this.runExecutionData.resultData &&
				this.runExecutionData.resultData.runData) ||
			{};
		const nodes = {};
		for (const [name, runs] of Object.entries(runData)) {
			nodes[name] = runs.map((r) => {
				const out = (r.data && r.data.main) || [];
				const counts = out.map((o) => (o ? o.length : 0));
				const errors = out.reduce(
					(n, o) =>
						n + (o || []).filter((it) => it && it.json && it.json.error !== undefined).length,
					0,
				);
				const firstBench = out[0] && out[0][0] && out[0][0].json && out[0][0].json.__bench;
				return {
					executionTime: r.executionTime,
					startTime: r.startTime,
					status: r.executionStatus,
					items: counts,
					errorItems: errors,
					error: r.error ? String(r.error.message || r.error) : undefined,
					bench: firstBench,
				};
			});
		}
		if (this.getNodeParameter('trim', 0)) {
			for (const [name, runs] of Object.entries(runData)) {
				for (const r of runs) {
					if (!r.data || !r.data.main) continue;
					r.data.main = r.data.main.map((o) =>
						o
							? [
									{
										json: {
											trimmedBy: 'bench',
											items: o.length,
											first: o[0] ? o[0].json : undefined,
										},
									},
								]
							: o,
					);
				}
				void name;
			}
		}
		return [
			[
				{
					json: {
						wallMs: mark.hr0 ? Number(hr1 - mark.hr0) / 1e6 : undefined,
						rssStartKb: mark.rssStartKb,
						hwmStartKb: mark.hwmStartKb,
						rssEndKb: m.rssKb,
						hwmKb: m.hwmKb,
						cpuMs: cpu ? (cpu.user + cpu.system) / 1000 : undefined,
						loopDelay,
						inputItems: items.length,
						nodes,
					},
				},
			],
		];
	}
}

module.exports = { BenchMark };
