import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapConcurrent } from './concurrency';
import { PathSegmentError } from './urls';

export type ItemResult =
	| IDataObject
	| IDataObject[]
	| INodeExecutionData
	| INodeExecutionData[]
	| undefined;

const isExecutionData = (v: unknown): v is INodeExecutionData =>
	!!v &&
	typeof v === 'object' &&
	'json' in (v as object) &&
	typeof (v as INodeExecutionData).json === 'object';

function toExecutionData(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	if (result === undefined) return [];
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) => {
		const data = isExecutionData(entry) ? entry : { json: entry as IDataObject };
		return { ...data, pairedItem: { item: itemIndex } };
	});
}

/** Turns any failure into an error n8n shows against the right item. */
export function errorForItem(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex: number,
): Error {
	if (error instanceof PathSegmentError) {
		return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${error.message}`, {
			itemIndex,
			description: 'This value is used in the request path. Nothing was sent for this item.',
		});
	}
	if (error instanceof Error && 'node' in error) {
		const e = error as Error & { context?: IDataObject };
		if (e.context && e.context.itemIndex === undefined) e.context.itemIndex = itemIndex;
		return e;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Runs `handler` for every input item with at most `concurrency` items in flight, and returns the
 * output in input order, each item paired with the input that produced it. With "Continue On
 * Fail" a failed item becomes an error item in its place; otherwise the first failure (by item
 * order) stops the node after the requests already in flight have finished.
 */
export async function runForEachItem(
	ctx: IExecuteFunctions,
	handler: (itemIndex: number) => Promise<ItemResult>,
	options: { concurrency?: number } = {},
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const perItem = await mapConcurrent(
		items,
		options.concurrency ?? 1,
		async (_item, itemIndex) => {
			try {
				return toExecutionData(await handler(itemIndex), itemIndex);
			} catch (error) {
				const failure = errorForItem(ctx, error, itemIndex);
				if (!continueOnFail) throw failure;
				const e = failure as Error & { description?: string; httpCode?: string | null };
				return [
					{
						json: {
							error: e.message,
							...(e.description ? { description: e.description } : {}),
							...(e.httpCode ? { httpCode: e.httpCode } : {}),
						},
						pairedItem: { item: itemIndex },
					},
				];
			}
		},
		{ stopOnError: !continueOnFail },
	);
	return perItem.flat();
}

/**
 * For APIs that take many records per request: every item is prepared (validated) first, so bad
 * input stops the node before anything is sent (or, with "Continue On Fail", becomes an error item
 * and is left out); the valid records then go out in batches of `batchSize`, `concurrency` batches
 * at a time, and each record's result is paired with its own input item, in input order.
 */
export async function runInBatches<P>(
	ctx: IExecuteFunctions,
	prepare: (itemIndex: number) => P | Promise<P>,
	send: (batch: Array<{ itemIndex: number; payload: P }>) => Promise<ItemResult[]>,
	options: { batchSize: number; concurrency?: number },
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const output: INodeExecutionData[][] = items.map(() => []);
	const ready: Array<{ itemIndex: number; payload: P }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			ready.push({ itemIndex, payload: await prepare(itemIndex) });
		} catch (error) {
			const failure = errorForItem(ctx, error, itemIndex);
			if (!continueOnFail) throw failure;
			output[itemIndex] = [{ json: { error: failure.message }, pairedItem: { item: itemIndex } }];
		}
	}
	const size = Math.max(1, Math.floor(options.batchSize));
	const batches: Array<typeof ready> = [];
	for (let i = 0; i < ready.length; i += size) batches.push(ready.slice(i, i + size));
	await mapConcurrent(
		batches,
		options.concurrency ?? 1,
		async (batch) => {
			try {
				const results = await send(batch);
				batch.forEach(
					({ itemIndex }, i) => (output[itemIndex] = toExecutionData(results[i], itemIndex)),
				);
			} catch (error) {
				if (!continueOnFail) throw errorForItem(ctx, error, batch[0].itemIndex);
				const message = (error as Error).message;
				for (const { itemIndex } of batch)
					output[itemIndex] = [{ json: { error: message }, pairedItem: { item: itemIndex } }];
			}
		},
		{ stopOnError: !continueOnFail },
	);
	return output.flat();
}
