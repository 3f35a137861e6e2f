// n8n's REST API returns an execution's data in the `flatted` format (an array whose first entry is
// the root; every object or string value is the index of its entry, as a string). Read back here,
// without a dependency, to count a node's output items in executions that ran inside the server.

/** The execution data of `GET /rest/executions/:id` (`data`), as plain JSON. */
export function unflatten(text: string): unknown {
	const table = JSON.parse(text) as unknown[];
	const done = new Map<number, unknown>();
	const at = (index: number): unknown => {
		if (done.has(index)) return done.get(index);
		const entry = table[index];
		if (typeof entry === 'string' || entry === null || typeof entry !== 'object') {
			done.set(index, entry);
			return entry;
		}
		const out: unknown = Array.isArray(entry) ? [] : {};
		done.set(index, out);
		for (const [key, value] of Object.entries(entry))
			(out as Record<string, unknown>)[key] = typeof value === 'string' ? at(Number(value)) : value;
		return out;
	};
	return at(0);
}

/** The JSON of every item `node` output (first output, every run) in one execution's data. */
export function nodeItems(data: string, node: string): Array<Record<string, unknown>> {
	const root = unflatten(data) as {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
		};
	};
	const runs = root?.resultData?.runData?.[node] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));
}
