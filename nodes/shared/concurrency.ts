import { AdaptiveConcurrency, mapAdaptive } from './adaptiveConcurrency';

/**
 * Runs `worker` over `items` with at most `limit` in flight and returns results in input order.
 * A failure never abandons work in flight (nothing is left half-sent). With `stopOnError` no new
 * work starts after the first failure; without it every item is tried. Then the failure with the
 * lowest index is thrown. A `limit` of 0 means Auto: the width adapts (adaptiveConcurrency.ts).
 */
export async function mapConcurrent<T, R>(
	items: readonly T[],
	limit: number,
	worker: (item: T, index: number) => Promise<R>,
	options: { stopOnError?: boolean } = {},
): Promise<R[]> {
	// Hook: Auto concurrency (Request Options → Concurrency 0).
	if (limit === 0)
		return await mapAdaptive(
			items,
			new AdaptiveConcurrency({ initial: 5, max: 50 }),
			worker,
			options,
		);
	const results = new Array<R>(items.length);
	const failures: Array<{ index: number; error: unknown }> = [];
	let next = 0;
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));

	async function lane(): Promise<void> {
		while (next < items.length) {
			if (options.stopOnError && failures.length) return;
			const index = next++;
			try {
				results[index] = await worker(items[index], index);
			} catch (error) {
				failures.push({ index, error });
			}
		}
	}

	await Promise.all(Array.from({ length: width }, lane));
	if (failures.length) throw failures.sort((a, b) => a.index - b.index)[0].error;
	return results;
}
