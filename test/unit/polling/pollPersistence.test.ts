// The polling cursor under n8n 2.0/2.1's way of keeping static data, modelled from its source
// (n8n 2.1.4 dist): the active workflow's static data lives in memory; `__emit` saves it
// (`WorkflowStaticDataService.saveStaticData`) when a poll emits, activation saves it after the
// first poll, a poll that emits nothing saves nothing, and a save is skipped without a word when
// `isWorkflowIdValid(id)` fails (an id longer than 16 characters). A restart rebuilds the static
// data from the database row.
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { runPoll, timeOf } from '../../../nodes/shared/pollTrigger';
import type { PollTriggerConfig } from '../../../nodes/shared/pollTrigger';
import {
	MAX_SAVED_WORKFLOW_ID_LENGTH,
	unsavedStateWarning,
} from '../../../nodes/shared/pollPersistence';

interface Row {
	id: string;
	updated: string;
}

const config = (rows: Row[]): PollTriggerConfig<Row[]> => ({
	events: [
		{
			name: 'Thing',
			value: 'thing',
			description: '',
			async *fetch(all, window) {
				const inWindow = all.filter((r) => {
					const t = Date.parse(r.updated);
					return t >= window.since && t <= window.until;
				});
				for (let i = 0; i < inWindow.length; i += 2) yield inWindow.slice(i, i + 2) as never;
			},
			id: (r) => String(r.id),
			at: (r) => timeOf(r.updated),
		},
	],
	client: async () => rows,
	defaultOverlapMinutes: 5,
});

/** n8n 2.1's handling of one active polling workflow, as far as static data goes. */
class N8n21 {
	/** `workflow_entity.staticData` */
	private row: string | null = null;
	/** The active workflow's `workflow.staticData`, undefined while n8n is stopped. */
	private memory: IDataObject | undefined;
	readonly executions: string[][] = [];
	readonly warnings: string[] = [];

	constructor(
		private readonly workflowId: string,
		private readonly params: IDataObject,
		private readonly rows: Row[],
	) {}

	private save(): void {
		if (this.memory && this.workflowId.length <= 16) this.row = JSON.stringify(this.memory);
	}

	private context(): IPollFunctions {
		const staticData = this.memory!;
		const nodeData = ((staticData['node:Poll'] as IDataObject | undefined) ??= {});
		return {
			getNode: () => ({
				id: 'node-1',
				name: 'Poll',
				type: 't',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			getWorkflow: () => ({ id: this.workflowId, name: 'w', active: true }),
			getNodeParameter: (name: string, fallback?: unknown) =>
				name in this.params ? this.params[name] : fallback,
			getMode: () => 'trigger',
			getWorkflowStaticData: () => nodeData,
			getCredentials: async () => ({}),
			logger: { warn: (message: string) => this.warnings.push(message) },
			helpers: {},
		} as unknown as IPollFunctions;
	}

	/** A cron tick: the poll, then on items `__emit` (save, then the execution). */
	async tick(): Promise<void> {
		const out = await runPoll(this.context(), config(this.rows));
		if (!out) return;
		this.save();
		this.executions.push(out[0].map((i) => String(i.json.id)));
	}

	/** `n8n start` (activation 'init'): static data from the row, the first poll at once, a save. */
	async start(): Promise<void> {
		this.memory = this.row ? (JSON.parse(this.row) as IDataObject) : {};
		await this.tick();
		this.save();
	}

	stop(): void {
		this.memory = undefined;
	}
}

let clock = 0;
beforeEach(() => {
	clock = Date.parse('2026-12-07T10:00:00Z');
	jest.spyOn(Date, 'now').mockImplementation(() => clock);
});
afterEach(() => jest.restoreAllMocks());

/** Records at odd moments, some landing late (older timestamp than the newest emitted). */
function scenarioRows(rows: Row[], n: number, seq: { n: number }): void {
	for (let i = 0; i < n; i++) {
		seq.n++;
		const late = seq.n % 4 === 0 ? 90_000 : 0;
		const equal = seq.n % 3 === 0 ? 0 : 1000 * (seq.n % 2);
		rows.push({
			id: `r${String(seq.n).padStart(3, '0')}`,
			updated: new Date(clock - late - equal).toISOString(),
		});
	}
}

async function runScenario(workflowId: string): Promise<{ n8n: N8n21; rows: Row[] }> {
	const rows: Row[] = [];
	const seq = { n: 0 };
	const params = {
		startFrom: 'date',
		startDate: new Date(clock - 60_000).toISOString(),
		options: { maxRecords: 3, overlapMinutes: 5 },
	};
	const n8n = new N8n21(workflowId, params, rows);
	await n8n.start();
	for (let minute = 0; minute < 20; minute++) {
		clock += 60_000;
		if (minute % 3 === 0) scenarioRows(rows, 1 + (minute % 4), seq);
		if (minute === 6 || minute === 13) {
			n8n.stop();
			clock += 30_000;
			scenarioRows(rows, 3, seq); // while n8n is down
			clock += 30_000;
			await n8n.start();
			continue;
		}
		await n8n.tick();
	}
	for (let i = 0; i < 10; i++) {
		clock += 60_000;
		await n8n.tick(); // the backlog drains
	}
	return { n8n, rows };
}

describe('polling cursor under n8n 2.1 static data (saved on emit, not on an empty poll)', () => {
	test('every record is emitted in exactly one execution across restarts, none missed, no warning', async () => {
		const { n8n, rows } = await runScenario('lpPollScorm00001');
		const emitted = n8n.executions.flat();
		expect(rows.length).toBeGreaterThan(20);
		expect([...emitted].sort()).toEqual(rows.map((r) => r.id).sort());
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(n8n.warnings).toEqual([]);
	});

	test('with a workflow id n8n 2.1 does not save static data for, a restart re-emits (what the e2e saw), and the trigger says so in the log', async () => {
		const id = 'lpPollScorm000001';
		expect(id.length).toBe(MAX_SAVED_WORKFLOW_ID_LENGTH + 1);
		const { n8n } = await runScenario(id);
		const emitted = n8n.executions.flat();
		expect(emitted.filter((x) => x === 'r001')).toHaveLength(3); // once, then again after each restart
		expect(n8n.warnings).toHaveLength(1); // once per workflow and process
		expect(n8n.warnings[0]).toContain('lpPollScorm000001');
		expect(n8n.warnings[0]).toContain('at most 16 characters');
	});
});

describe('unsavedStateWarning', () => {
	test.each([
		['a'.repeat(16), false],
		['a'.repeat(17), true],
		['a'.repeat(21), true],
	])('id of %s', (id, warns) => {
		expect(unsavedStateWarning(id) !== undefined).toBe(warns);
	});
	test('no workflow id (a context without one): no warning', () => {
		expect(unsavedStateWarning(undefined)).toBeUndefined();
	});
});
