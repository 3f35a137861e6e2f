import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ApiClient } from './apiClient';
import { readRequestSettings } from './descriptions';
import type { RequestSettings } from './descriptions';
import { errorForItem, runForEachItem, runInBatches } from './itemRunner';
import type { ItemResult } from './itemRunner';
import type { RateLimitOptions } from './types';

/** What every provider's client has: the shared transport and the run's Request Options. */
export interface ProviderClient {
	api: ApiClient;
	settings: RequestSettings;
}

/** One run of an operation that sends many items per request. */
export interface Batch<P> {
	/** items per request */
	size: number;
	/** Builds and validates one item's record; every item is prepared before the first request. */
	prepare(itemIndex: number): P | Promise<P>;
	/** Sends one batch; returns each entry's result, in the batch's order. */
	send(entries: Array<{ itemIndex: number; payload: P }>): Promise<ItemResult[]>;
}

/**
 * One operation: its fields, and what it does for one item. `execute` returns the item's result
 * (one record, a list for list operations, or nothing); the router pairs it with its input item.
 * - `prepare`, when present, runs for every item before any request is sent, so one bad item stops
 *   the node with nothing sent (Continue On Fail: it becomes an error item); its value is handed
 *   to `execute`.
 * - `batch`, when present, may return a plan for this run that sends many items per request
 *   (the API takes a list); `undefined` sends them one by one through `execute`.
 */
export interface Operation<C, P = undefined> {
	description: INodeProperties[];
	prepare?(this: IExecuteFunctions, client: C, itemIndex: number): P;
	execute(this: IExecuteFunctions, client: C, itemIndex: number, prepared: P): Promise<ItemResult>;
	batch?(this: IExecuteFunctions, client: C): Batch<unknown> | undefined;
}

/** An operation whose items always go to the API many per request. */
export interface BatchOperation<C> {
	description: INodeProperties[];
	batch(this: IExecuteFunctions, client: C): Batch<unknown>;
}

// Methods are checked bivariantly, so an operation with any prepared type fits `unknown` here.
export type AnyOperation<C> = Operation<C, unknown> | BatchOperation<C>;

/** A resource's operations by their parameter value. */
export type Operations<C> = Record<string, AnyOperation<C>>;

/** How an operation is shown in the Operation list. */
export interface OperationLabel {
	name: string;
	description?: string;
	action: string;
}

/**
 * The Operation parameter of a resource and every operation's fields. The labels are keyed by the
 * operations' own keys, so an operation without a label, a label without an operation or a
 * misspelt default does not compile; the parameter's values are the keys themselves.
 */
export function resourceDescription<O extends Operations<never>>(
	resource: string,
	operations: O,
	labels: { [K in keyof O]: OperationLabel },
	defaultOperation: keyof O & string,
	/** fields several operations of the resource share, shown after the Operation parameter */
	sharedFields: INodeProperties[] = [],
): INodeProperties[] {
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: Object.entries(labels).map(([value, label]) => ({
				name: label.name,
				value,
				...(label.description ? { description: label.description } : {}),
				action: label.action,
			})),
			default: defaultOperation,
		},
		...sharedFields,
		...Object.values(operations).flatMap((op) => op.description),
	];
}

/** What a provider's node declares: its resources and how to build its client. */
export interface NodeDeclaration<C extends ProviderClient> {
	resources: Record<string, Operations<C>>;
	/** the provider's published rate limit, the default of "Requests Per Minute" */
	rateLimit?: RateLimitOptions;
	createClient(ctx: IExecuteFunctions, settings: RequestSettings): Promise<C>;
}

/** Every item as an error item: the client could not be built, so nothing was sent for any. */
function failEveryItem(ctx: IExecuteFunctions, error: unknown): INodeExecutionData[] {
	if (!ctx.continueOnFail()) {
		throw error instanceof NodeOperationError || error instanceof NodeApiError
			? error
			: new NodeOperationError(ctx.getNode(), error as Error);
	}
	return ctx
		.getInputData()
		.map((_item, i) => ({ json: { error: (error as Error).message }, pairedItem: { item: i } }));
}

/**
 * Validates every item first (`prepare`): without Continue On Fail the first bad item stops the node
 * before anything is sent; with it, each bad item fails alone. Returns a getter for an item's value.
 */
function prepareAll<C, P>(
	ctx: IExecuteFunctions,
	client: C,
	op: Operation<C, P>,
): (itemIndex: number) => P {
	const prepare = op.prepare;
	if (!prepare) return () => undefined as P;
	const results = ctx.getInputData().map((_item, itemIndex) => {
		try {
			return { ok: true as const, value: prepare.call(ctx, client, itemIndex) };
		} catch (error) {
			return { ok: false as const, error };
		}
	});
	if (!ctx.continueOnFail()) {
		const index = results.findIndex((r) => !r.ok);
		const failed = results[index];
		if (failed && !failed.ok) throw errorForItem(ctx, failed.error, index);
	}
	return (itemIndex) => {
		const r = results[itemIndex];
		if (!r.ok) throw r.error;
		return r.value;
	};
}

/** Runs one operation over the input items with the node's concurrency. */
async function runOperation<C extends ProviderClient>(
	ctx: IExecuteFunctions,
	op: AnyOperation<C>,
	client: C,
): Promise<INodeExecutionData[]> {
	const concurrency = client.settings.concurrency;
	const batch = op.batch?.call(ctx, client);
	if (batch)
		return await runInBatches(
			ctx,
			(i) => batch.prepare(i),
			(entries) => batch.send(entries),
			{ batchSize: batch.size, concurrency },
		);
	if (!('execute' in op))
		throw new NodeOperationError(ctx.getNode(), 'This operation sends items only in batches');
	const prepared = prepareAll(ctx, client, op);
	return await runForEachItem(
		ctx,
		async (itemIndex) => await op.execute.call(ctx, client, itemIndex, prepared(itemIndex)),
		{ concurrency },
	);
}

/**
 * The node's `execute`: finds the operation, reads Request Options, builds the client and runs the
 * operation for every item (bounded concurrency, input order, paired items, Continue On Fail, also
 * when the credential or client cannot be built).
 */
export function createRouter<C extends ProviderClient>(
	node: NodeDeclaration<C>,
): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const op =
			Object.hasOwn(node.resources, resource) && Object.hasOwn(node.resources[resource], operation)
				? node.resources[resource][operation]
				: undefined;
		if (!op)
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" of "${resource}" is not supported`,
			);
		const settings = readRequestSettings(this, node.rateLimit);
		let client: C;
		try {
			client = await node.createClient(this, settings);
		} catch (error) {
			return [failEveryItem(this, error)];
		}
		return [await runOperation(this, op, client)];
	};
}
