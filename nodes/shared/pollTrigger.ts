import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { inputError } from './errors';
import { initialState, latest, readState, recordKey, selectBatch, windowStart } from './pollCursor';
import type { PollRecord, PollState } from './pollCursor';
import { exclusivePoll } from './pollInFlight';
import { warnIfStateNotSaved } from './pollPersistence';

/** One event a polling trigger offers under "Trigger On". */
export interface PollEvent<C = unknown> {
	name: string;
	value: string;
	description: string;
	/**
	 * The records of the window, page by page, in the provider's order. `since`/`until` are epoch
	 * ms; a source whose filter is coarser (whole days) may return older records: they are dropped.
	 */
	fetch(
		client: C,
		window: { since: number; until: number },
		node: INode,
	): AsyncIterable<IDataObject[]>;
	/** The record's identity (stable across changes) and the timestamp the window filters on. */
	id(record: IDataObject): string | undefined;
	at(record: IDataObject): number | undefined;
	/** Only records that are this event (a completed registration among updated ones). */
	keep?(record: IDataObject): boolean;
	/** Whether `fetch` returns records oldest first: the fetch may then stop once a batch is full. */
	ascending?: boolean;
}

export interface PollTriggerConfig<C> {
	events: Array<PollEvent<C>>;
	/** The provider's client, built from the poll context (the same factory the action node uses). */
	client(ctx: IExecuteFunctions): Promise<C>;
	defaultOverlapMinutes: number;
	overlapHint?: string;
}

/** How far back a manual "Fetch Test Event" looks for a sample, and how many records it shows. */
export const SAMPLE_LOOKBACK_MS = 30 * 86_400_000;
export const SAMPLE_SIZE = 5;
/** A safety bound on pages per poll: a window larger than this is an error, never a silent cut (oldest-first sources just stop: the rest comes next poll). */
export const MAX_PAGES_PER_POLL = 500;
/** Pages a manual sample reads at most: a test event must stay quick on a large tenant. */
export const SAMPLE_MAX_PAGES = 20;

const STATE_KEY = 'pollCursor';

/** "Trigger On", "Start From", and the options every polling trigger shares. */
export function pollTriggerProperties<C>(config: PollTriggerConfig<C>): INodeProperties[] {
	const events: INodePropertyOptions[] = config.events.map((e) => ({
		name: e.name,
		value: e.value,
		description: e.description,
	}));
	const triggerOn: INodeProperties = {
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		required: true,
		default: '',
		options: events,
	};
	// set apart: the defaults are per node, which the literal-default lint rule cannot see
	triggerOn.default = config.events[0].value;
	const overlap: INodeProperties = {
		displayName: 'Overlap Window (Minutes)',
		name: 'overlapMinutes',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 0, maxValue: 1440 },
		description:
			config.overlapHint ??
			'Each poll looks this far behind the newest record already emitted, for clock skew and records that land late with an older timestamp. Records already emitted are not emitted again.',
	};
	overlap.default = config.defaultOverlapMinutes;
	return [
		triggerOn,
		{
			displayName: 'Start From',
			name: 'startFrom',
			type: 'options',
			noDataExpression: true,
			default: 'now',
			options: [
				{
					name: 'Now (Activation Time)',
					value: 'now',
					description: 'Only records that appear after the workflow is activated',
				},
				{
					name: 'A Date',
					value: 'date',
					description: 'Catch up from a date first (oldest first, in batches), then keep polling',
				},
			],
			description:
				'Where the first activation starts. Later activations continue where the trigger stopped.',
		},
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '',
			required: true,
			displayOptions: { show: { startFrom: ['date'] } },
			description: 'Records at or after this time are emitted on the first polls',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Max Records Per Poll',
					name: 'maxRecords',
					type: 'number',
					default: 100,
					typeOptions: { minValue: 1, maxValue: 10000 },
					description: 'A larger backlog is emitted over the next polls, oldest first',
				},
				overlap,
			],
		},
	];
}

/**
 * The poll contexts' parameters read like an execute context's, so the action nodes' client
 * factories (which read Request Options through `getNodeParameter(name, itemIndex, fallback)`) serve
 * the triggers unchanged.
 */
export function executeContextOf(ctx: IPollFunctions): IExecuteFunctions {
	const view = {
		getNode: () => ctx.getNode(),
		getCredentials: async (type: string) => await ctx.getCredentials(type),
		getNodeParameter: (name: string, _itemIndex?: number, fallback?: unknown) =>
			ctx.getNodeParameter(name, fallback),
		getMode: () => ctx.getMode(),
		helpers: ctx.helpers,
		logger: ctx.logger,
		getExecutionCancelSignal: () => undefined,
	};
	return view as unknown as IExecuteFunctions;
}

interface StoredCursor extends PollState {
	/** The event and start the state belongs to: changing either starts over. */
	config: string;
}

function toRecord(event: PollEvent<unknown>, json: IDataObject): PollRecord | undefined {
	if (event.keep && !event.keep(json)) return undefined;
	const id = event.id(json);
	const at = event.at(json);
	if (id === undefined || id === '' || at === undefined || !Number.isFinite(at)) return undefined;
	return { id, at, json };
}

/**
 * Reads the window page by page; an oldest-first source stops once a batch is certainly full (the
 * rest is newer and comes next poll). Any other source must be read whole, or it could skip.
 */
async function fetchWindow<C>(
	node: INode,
	event: PollEvent<C>,
	client: C,
	window: { since: number; until: number },
	stopAfterFresh: number,
	isFresh: (r: PollRecord) => boolean,
	maxPages = MAX_PAGES_PER_POLL,
): Promise<PollRecord[]> {
	const out: PollRecord[] = [];
	let fresh = 0;
	let pages = 0;
	for await (const page of event.fetch(client, window, node)) {
		for (const json of page) {
			const record = toRecord(event as PollEvent<unknown>, json);
			if (!record) continue;
			out.push(record);
			if (isFresh(record)) fresh++;
		}
		if (event.ascending && fresh >= stopAfterFresh) break;
		if (++pages >= maxPages) {
			if (event.ascending || maxPages !== MAX_PAGES_PER_POLL) break;
			throw new NodeOperationError(
				node,
				`More than ${MAX_PAGES_PER_POLL} pages changed since the last poll`,
				{
					description:
						'Nothing was emitted and the cursor did not move. Set "Start From" to a later date, or poll more often so each window stays smaller.',
				},
			);
		}
	}
	return out;
}

function startOf(ctx: IPollFunctions, now: number): number {
	if (ctx.getNodeParameter('startFrom', 'now') !== 'date') return now;
	const value = ctx.getNodeParameter('startDate', '') as string;
	const at = Date.parse(String(value));
	if (!value || Number.isNaN(at))
		throw inputError(ctx.getNode(), '"Start Date" must be a date', {
			description: 'Pick the date the trigger starts from, or set "Start From" to "Now".',
		});
	return at;
}

/**
 * One poll. Manual ("Fetch Test Event"): the newest few records of the last 30 days, state
 * untouched. Active: the window since the cursor, minus what was emitted; the state is written
 * only after everything was fetched, so a failing poll throws with the state unchanged.
 */
export async function runPoll<C>(
	ctx: IPollFunctions,
	config: PollTriggerConfig<C>,
): Promise<INodeExecutionData[][] | null> {
	const node = ctx.getNode();
	const eventName = ctx.getNodeParameter('event', config.events[0].value) as string;
	const event = config.events.find((e) => e.value === eventName);
	if (!event) throw inputError(node, `Unknown "Trigger On" value: ${eventName}`);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const maxRecords = Math.max(1, Math.floor(Number(options.maxRecords ?? 100)) || 100);
	const overlapMs =
		Math.max(0, Number(options.overlapMinutes ?? config.defaultOverlapMinutes)) * 60_000;
	const now = Date.now();
	const client = await config.client(executeContextOf(ctx));

	// only an active workflow's polls (mode 'trigger') consume records; manual runs, `n8n execute` (cli) and evaluations show a sample
	if (ctx.getMode() !== 'trigger') {
		const records = await fetchWindow(
			node,
			event,
			client,
			{ since: now - SAMPLE_LOOKBACK_MS, until: now },
			Infinity,
			() => true,
			SAMPLE_MAX_PAGES,
		);
		const sample = latest(records, SAMPLE_SIZE);
		return sample.length ? [sample.map((r) => ({ json: r.json }))] : null;
	}

	warnIfStateNotSaved(ctx);
	const workflowId = typeof ctx.getWorkflow === 'function' ? ctx.getWorkflow().id : undefined;
	return await exclusivePoll(
		`${workflowId ?? ''}\u0000${node.id || node.name}`,
		now,
		async () => await consume(ctx, event, client, now, { maxRecords, overlapMs }),
		null,
	);
}

/** An active workflow's poll: the window since the cursor, minus what was emitted; then the new state. */
async function consume<C>(
	ctx: IPollFunctions,
	event: PollEvent<C>,
	client: C,
	now: number,
	{ maxRecords, overlapMs }: { maxRecords: number; overlapMs: number },
): Promise<INodeExecutionData[][] | null> {
	const node = ctx.getNode();
	const staticData = ctx.getWorkflowStaticData('node');
	const configKey = `${event.value}|${String(ctx.getNodeParameter('startFrom', 'now'))}|${String(ctx.getNodeParameter('startDate', ''))}`;
	const stored = staticData[STATE_KEY] as Partial<StoredCursor> | undefined;
	const previous = stored?.config === configKey ? readState(stored) : undefined;
	const state = previous ?? initialState(startOf(ctx, now));
	const records = await fetchWindow(
		node,
		event,
		client,
		{ since: windowStart(state, overlapMs), until: now },
		maxRecords,
		(r) => !(recordKey(r) in state.seen),
	);
	const selection = selectBatch(state, records, { overlapMs, maxRecords });
	const next: StoredCursor = { ...selection.state, config: configKey };
	staticData[STATE_KEY] = next as unknown as IDataObject;
	if (!selection.emit.length) return null;
	return [selection.emit.map((r) => ({ json: r.json }))];
}

/** Epoch ms of an ISO 8601 (or 'YYYY-MM-DD hh:mm:ss' UTC) timestamp field; undefined when absent or invalid. */
export function timeOf(value: unknown): number | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value.trim())
		? `${value.trim().replace(' ', 'T')}Z`
		: value.trim();
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : at;
}
