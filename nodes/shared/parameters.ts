import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/** Whether a parameter value holds an n8n expression anywhere (`=...` strings, also inside collections). */
export function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(containsExpression);
	return false;
}

function rawParameter(parameters: INodeParameters, name: string): unknown {
	let value: unknown = parameters;
	for (const part of name.split('.')) {
		if (!value || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

/**
 * A deep copy of a parameter value (JSON-like: objects, arrays, strings, numbers, booleans, null).
 * `structuredClone` cost ~25 µs even for `{}`, per item (bench/FINDINGS.md §8); anything that is
 * not a plain object or an array is handed back as it is, as n8n's own `deepCopy` does for dates.
 */
function copyValue(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(copyValue);
	const proto: unknown =
		value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
	if (proto === Object.prototype || proto === null) {
		const source = value as Record<string, unknown>;
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(source)) out[key] = copyValue(source[key]);
		return out;
	}
	return value;
}

/**
 * The node's execution context, with parameters that hold no expression resolved once per run
 * instead of once per item, and the node read once per run: n8n's `getNode()` deep-copies the
 * node on every call, and the transport and the operations name it per item and per request
 * (errors, URL checks, Allowed Domains). The node of a run does not change while it runs; every
 * caller here only reads it. n8n's `getNodeParameter` costs about 0.15–0.2 ms even for a fixed value
 * (parameter resolution, deep copy, schema check: bench/FINDINGS.md), which on a 10,000-item sync
 * with a dozen fixed options is seconds of CPU for values that cannot differ between items.
 * Expressions are still evaluated for every item, by n8n, exactly as before. Everything else on the
 * context is n8n's own object, untouched.
 */
export function withFixedParametersOnce(ctx: IExecuteFunctions): IExecuteFunctions {
	const cache = new Map<string, unknown>();
	const node = ctx.getNode();
	const parameters = node.parameters;
	const getNode = (() => node) as IExecuteFunctions['getNode'];
	const getNodeParameter = ((
		name: string,
		itemIndex: number,
		fallbackValue?: unknown,
		options?: object,
	) => {
		if (options !== undefined) return ctx.getNodeParameter(name, itemIndex, fallbackValue, options);
		if (!cache.has(name)) {
			const raw = rawParameter(parameters, name);
			if (raw === undefined || containsExpression(raw))
				return ctx.getNodeParameter(name, itemIndex, fallbackValue);
			cache.set(name, ctx.getNodeParameter(name, itemIndex, fallbackValue));
		}
		const value = cache.get(name);
		// Each caller gets its own copy, as from n8n: an operation may change what it was given.
		return copyValue(value) as NodeParameterValueType;
	}) as IExecuteFunctions['getNodeParameter'];
	// Bound once: the hot path reaches for getInputData, helpers and the cancel signal per item.
	const bound = new Map<PropertyKey, { of: unknown; fn: unknown }>();
	return new Proxy(ctx, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			if (property === 'getNode') return getNode;
			const value = Reflect.get(target, property, target) as unknown;
			if (typeof value !== 'function') return value;
			const known = bound.get(property);
			if (known && known.of === value) return known.fn;
			const fn = (value as (...args: unknown[]) => unknown).bind(target);
			bound.set(property, { of: value, fn });
			return fn;
		},
	});
}
