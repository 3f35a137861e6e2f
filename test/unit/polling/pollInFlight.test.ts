// n8n starts a poll on every Poll Times tick without waiting for the previous one (n8n 2.1:
// `ScheduledTaskManager.registerCron` calls it unawaited): a poll slower than the interval must not
// run beside the next one, or both emit the same records.
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { runPoll, timeOf } from '../../../nodes/shared/pollTrigger';
import type { PollTriggerConfig } from '../../../nodes/shared/pollTrigger';
import { STALE_POLL_MS, exclusivePoll } from '../../../nodes/shared/pollInFlight';

interface Slow {
	rows: Array<{ id: string; updated: string }>;
	/** Each fetch waits for this gate (a report being generated, a rate-limit wait). */
	gate: Promise<void>;
	fetches: number;
}

const config = (): PollTriggerConfig<Slow> => ({
	events: [
		{
			name: 'Thing',
			value: 'thing',
			description: '',
			async *fetch(slow) {
				slow.fetches++;
				await slow.gate;
				yield slow.rows as never;
			},
			id: (r) => String(r.id),
			at: (r) => timeOf(r.updated),
		},
	],
	client: async () => slow,
	defaultOverlapMinutes: 5,
});

let slow: Slow;
let open: () => void;
beforeEach(() => {
	slow = {
		rows: [1, 2, 3].map((n) => ({
			id: `r${n}`,
			updated: new Date(Date.now() - n * 1000).toISOString(),
		})),
		gate: new Promise<void>((r) => (open = r)),
		fetches: 0,
	};
});

const START = new Date(Date.now() - 3_600_000).toISOString();

function context(workflowId: string, staticData: IDataObject): IPollFunctions {
	return {
		getNode: () => ({
			id: 'n1',
			name: 'Poll',
			type: 't',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getWorkflow: () => ({ id: workflowId, name: 'w', active: true }),
		getNodeParameter: (name: string, fallback?: unknown) =>
			name === 'startFrom' ? 'date' : name === 'startDate' ? START : fallback,
		getMode: () => 'trigger',
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({}),
		helpers: {},
	} as unknown as IPollFunctions;
}

const ids = (out: Awaited<ReturnType<typeof runPoll>>) => (out ? out[0].map((i) => i.json.id) : []);

test('a tick while the previous poll of the same trigger still runs is skipped: each record is emitted once', async () => {
	const data: IDataObject = {};
	const first = runPoll(context('wfOverlap0000001', data), config());
	await new Promise((r) => setImmediate(r));
	const second = await runPoll(context('wfOverlap0000001', data), config()); // the next tick
	expect(second).toBeNull();
	expect(slow.fetches).toBe(1);
	open();
	expect(ids(await first)).toEqual(['r3', 'r2', 'r1']);
	expect(await runPoll(context('wfOverlap0000001', data), config())).toBeNull(); // later ticks run again
	expect(slow.fetches).toBe(2);
});

test('polls of other workflows are not held back', async () => {
	const a = runPoll(context('wfOverlapA000001', {}), config());
	const b = runPoll(context('wfOverlapB000001', {}), config());
	await new Promise((r) => setImmediate(r));
	expect(slow.fetches).toBe(2);
	open();
	expect(ids(await a)).toEqual(['r3', 'r2', 'r1']);
	expect(ids(await b)).toEqual(['r3', 'r2', 'r1']);
});

test('a failing poll releases its hold', async () => {
	const failing = config();
	failing.events[0].fetch = async function* () {
		yield [];
		throw new Error('HTTP 503');
	};
	await expect(runPoll(context('wfOverlapF000001', {}), failing)).rejects.toThrow('503');
	open();
	expect(ids(await runPoll(context('wfOverlapF000001', {}), config()))).toHaveLength(3);
});

test('a poll that never settles blocks for at most STALE_POLL_MS, and its late end does not release the newer hold', async () => {
	let endLost!: () => void;
	const lost = exclusivePoll(
		'k',
		0,
		() => new Promise<string>((r) => (endLost = () => r('lost'))),
		'busy',
	);
	expect(await exclusivePoll('k', STALE_POLL_MS - 1, async () => 'ran', 'busy')).toBe('busy');
	let endNewer!: () => void;
	const newer = exclusivePoll(
		'k',
		STALE_POLL_MS,
		() => new Promise<string>((r) => (endNewer = () => r('newer'))),
		'busy',
	);
	endLost();
	expect(await lost).toBe('lost');
	expect(await exclusivePoll('k', STALE_POLL_MS + 1, async () => 'ran', 'busy')).toBe('busy');
	endNewer();
	expect(await newer).toBe('newer');
	expect(await exclusivePoll('k', STALE_POLL_MS + 2, async () => 'ran', 'busy')).toBe('ran');
});
