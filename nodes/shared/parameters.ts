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
 * The node's execution context, with parameters that hold no expression resolved once per run
 * instead of once per item. n8n's `getNodeParameter` costs about 0.15–0.2 ms even for a fixed value
 * (parameter resolution, deep copy, schema check: bench/FINDINGS.md), which on a 10,000-item sync
 * with a dozen fixed options is seconds of CPU for values that cannot differ between items.
 * Expressions are still evaluated for every item, by n8n, exactly as before. Everything else on the
 * context is n8n's own object, untouched.
 */
export function withFixedParametersOnce(ctx: IExecuteFunctions): IExecuteFunctions {
	const cache = new Map<string, unknown>();
	const parameters = ctx.getNode().parameters;
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
		return (
			value && typeof value === 'object' ? structuredClone(value) : value
		) as NodeParameterValueType;
	}) as IExecuteFunctions['getNodeParameter'];
	return new Proxy(ctx, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function'
				? (value as (...args: unknown[]) => unknown).bind(target)
				: value;
		},
	});
}
