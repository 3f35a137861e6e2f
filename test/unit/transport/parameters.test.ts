import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { containsExpression, withFixedParametersOnce } from '../../../nodes/shared/parameters';

/** A stand-in for n8n's context: resolves `={{ item }}` to the item index and counts every call. */
function fakeContext(parameters: INode['parameters']) {
	const calls: Array<{ name: string; itemIndex: number }> = [];
	const node = { name: 'Degreed', parameters } as unknown as INode;
	const resolve = (value: unknown, itemIndex: number): unknown => {
		if (typeof value === 'string') return value.startsWith('=') ? `item ${itemIndex}` : value;
		if (Array.isArray(value)) return value.map((v) => resolve(v, itemIndex));
		if (value && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, itemIndex)]));
		return value;
	};
	const ctx = {
		marker: 'the real context',
		getNode() {
			return node;
		},
		whoAmI() {
			return (this as { marker?: string }).marker;
		},
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			calls.push({ name, itemIndex });
			const raw = name
				.split('.')
				.reduce<unknown>(
					(v, part) => (v as Record<string, unknown> | undefined)?.[part],
					parameters,
				);
			return raw === undefined ? fallback : resolve(raw, itemIndex);
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions & { whoAmI(): string }, calls };
}

describe('withFixedParametersOnce', () => {
	const parameters = {
		contentType: 'Course',
		userId: '={{ $json.email }}',
		additionalFields: { percentile: 90, note: '={{ $json.note }}' },
		options: { batchSize: 25, nested: { deep: ['a', 'b'] } },
	};

	it('reads a fixed parameter once per run, and an expression (also one inside a collection) for every item', () => {
		const { ctx, calls } = fakeContext(parameters);
		const wrapped = withFixedParametersOnce(ctx);
		const seen = Array.from({ length: 10 }, (_, i) => ({
			contentType: wrapped.getNodeParameter('contentType', i),
			userId: wrapped.getNodeParameter('userId', i),
			additional: wrapped.getNodeParameter('additionalFields', i, {}),
			batchSize: wrapped.getNodeParameter('options.batchSize', i),
		}));
		expect(seen[7]).toEqual({
			contentType: 'Course',
			userId: 'item 7',
			additional: { percentile: 90, note: 'item 7' },
			batchSize: 25,
		});
		const count = (name: string) => calls.filter((c) => c.name === name).length;
		expect(count('contentType')).toBe(1);
		expect(count('options.batchSize')).toBe(1);
		expect(count('userId')).toBe(10);
		expect(count('additionalFields')).toBe(10);
	});

	it('gives every caller its own copy of an object value', () => {
		const { ctx } = fakeContext(parameters);
		const wrapped = withFixedParametersOnce(ctx);
		const first = wrapped.getNodeParameter('options', 0) as {
			batchSize: number;
			nested: { deep: string[] };
		};
		first.batchSize = 1;
		first.nested.deep.push('changed');
		expect(wrapped.getNodeParameter('options', 1)).toEqual({
			batchSize: 25,
			nested: { deep: ['a', 'b'] },
		});
	});

	it('leaves missing parameters (fallbacks), calls with options and the rest of the context to n8n', () => {
		const { ctx, calls } = fakeContext(parameters);
		const wrapped = withFixedParametersOnce(ctx) as typeof ctx;
		expect(wrapped.getNodeParameter('missing', 0, 'fallback A')).toBe('fallback A');
		expect(wrapped.getNodeParameter('missing', 1, 'fallback B')).toBe('fallback B');
		wrapped.getNodeParameter('contentType', 0, undefined, { extractValue: true });
		wrapped.getNodeParameter('contentType', 1, undefined, { extractValue: true });
		expect(calls.map((c) => c.name)).toEqual(['missing', 'missing', 'contentType', 'contentType']);
		// Other methods run on n8n's own object (their `this` is the real context).
		expect(wrapped.whoAmI()).toBe('the real context');
		expect(wrapped.getNode().name).toBe('Degreed');
	});

	it('reads the node once per run (n8n deep-copies it on every getNode) and binds methods once', () => {
		const { ctx } = fakeContext(parameters);
		let reads = 0;
		const realGetNode = ctx.getNode.bind(ctx);
		ctx.getNode = () => {
			reads++;
			return realGetNode();
		};
		const wrapped = withFixedParametersOnce(ctx) as typeof ctx;
		const seen = Array.from({ length: 50 }, () => wrapped.getNode());
		expect(reads).toBe(1);
		expect(new Set(seen).size).toBe(1);
		expect(seen[0].name).toBe('Degreed');
		expect(wrapped.whoAmI).toBe(wrapped.whoAmI);
		expect(wrapped.whoAmI()).toBe('the real context');
	});

	it('finds expressions at any depth', () => {
		expect(containsExpression('={{ 1 }}')).toBe(true);
		expect(containsExpression({ a: [{ b: '=x' }] })).toBe(true);
		expect(containsExpression({ a: [{ b: 'x=' }], c: 3, d: null })).toBe(false);
	});
});
