import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import * as ts from 'typescript';

import type { ApiClient } from '../../../nodes/shared/apiClient';
import type { RequestSettings } from '../../../nodes/shared/descriptions';
import { createRouter, resourceDescription } from '../../../nodes/shared/router';
import type { Operations, ProviderClient } from '../../../nodes/shared/router';
import { createExecuteContext } from '../../support/n8nContext';

interface FakeClient extends ProviderClient {
	calls: string[];
}

const field = (name: string): INodeProperties => ({
	displayName: name,
	name,
	type: 'string',
	default: '',
});

function contextFor(n: number, parameters: IDataObject, continueOnFail = false): IExecuteFunctions {
	return createExecuteContext({
		parameters,
		items: Array.from({ length: n }, (_, i) => ({ i })),
		continueOnFail,
	}).ctx;
}

function fakeClient(settings: RequestSettings): FakeClient {
	return { api: {} as ApiClient, settings, calls: [] };
}

describe('shared router', () => {
	const seen: FakeClient[] = [];
	const operations = {
		echo: {
			description: [field('echo')],
			async execute(this: IExecuteFunctions, client: FakeClient, itemIndex: number) {
				client.calls.push(`echo ${itemIndex}`);
				return { item: itemIndex, concurrency: client.settings.concurrency };
			},
		},
		list: {
			description: [field('list')],
			async execute(_client: FakeClient, itemIndex: number) {
				return [{ n: itemIndex }, { n: itemIndex }];
			},
		},
		checked: {
			description: [],
			prepare(this: IExecuteFunctions, _client: FakeClient, itemIndex: number) {
				if ((this.getInputData()[itemIndex].json as IDataObject).i === 1)
					throw new NodeOperationError(this.getNode(), 'item 1 is bad', { itemIndex });
				return `prepared ${itemIndex}`;
			},
			async execute(
				this: IExecuteFunctions,
				client: FakeClient,
				itemIndex: number,
				prepared: string,
			) {
				client.calls.push(prepared);
				return { prepared };
			},
		},
		batched: {
			description: [],
			batch(this: IExecuteFunctions, client: FakeClient) {
				return {
					size: 2,
					prepare: (itemIndex: number) => itemIndex * 10,
					send: async (entries: Array<{ itemIndex: number; payload: number }>) => {
						client.calls.push(`batch ${entries.map((e) => e.payload).join(',')}`);
						return entries.map((e) => ({ sent: e.payload }));
					},
				};
			},
		},
	} satisfies Operations<FakeClient>;
	const router = createRouter<FakeClient>({
		resources: { thing: operations },
		rateLimit: { requestsPerMinute: 60 },
		createClient: async (_ctx, settings) => {
			const client = fakeClient(settings);
			seen.push(client);
			return client;
		},
	});
	const failing = createRouter<FakeClient>({
		resources: { thing: operations },
		createClient: async (ctx) => {
			throw new NodeOperationError(ctx.getNode(), 'The credential is incomplete');
		},
	});

	beforeEach(() => (seen.length = 0));

	it('runs the operation for every item with the Request Options and pairs each result with its item', async () => {
		const [out] = await router.call(
			contextFor(3, { resource: 'thing', operation: 'echo', requestOptions: { concurrency: 2 } }),
		);
		expect(out).toEqual(
			[0, 1, 2].map((i) => ({ json: { item: i, concurrency: 2 }, pairedItem: { item: i } })),
		);
		expect(seen).toHaveLength(1);
		expect(seen[0].settings.rateLimit).toEqual({ requestsPerMinute: 60 });
	});

	it('keeps many output items per input item, each paired with its input', async () => {
		const [out] = await router.call(contextFor(2, { resource: 'thing', operation: 'list' }));
		expect(out.map((o) => o.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
	});

	it('refuses an operation the resource does not have', async () => {
		await expect(
			router.call(contextFor(1, { resource: 'thing', operation: 'toString' })),
		).rejects.toThrow('The operation "toString" of "thing" is not supported');
		await expect(
			router.call(contextFor(1, { resource: 'constructor', operation: 'echo' })),
		).rejects.toThrow('is not supported');
	});

	it('when the client cannot be built: the node error, or with Continue On Fail an error item for every item', async () => {
		await expect(
			failing.call(contextFor(2, { resource: 'thing', operation: 'echo' })),
		).rejects.toThrow('The credential is incomplete');
		const [out] = await failing.call(contextFor(2, { resource: 'thing', operation: 'echo' }, true));
		expect(out).toEqual([
			{ json: { error: 'The credential is incomplete' }, pairedItem: { item: 0 } },
			{ json: { error: 'The credential is incomplete' }, pairedItem: { item: 1 } },
		]);
	});

	it('prepares every item before sending any: a bad item stops the node with nothing sent', async () => {
		await expect(
			router.call(contextFor(3, { resource: 'thing', operation: 'checked' })),
		).rejects.toThrow('item 1 is bad');
		expect(seen[0].calls).toEqual([]);
	});

	it('with Continue On Fail a bad item becomes an error item and the others are sent with their prepared value', async () => {
		const [out] = await router.call(
			contextFor(3, { resource: 'thing', operation: 'checked' }, true),
		);
		expect(out.map((o) => o.json)).toEqual([
			{ prepared: 'prepared 0' },
			expect.objectContaining({ error: 'item 1 is bad' }),
			{ prepared: 'prepared 2' },
		]);
		expect(seen[0].calls.sort()).toEqual(['prepared 0', 'prepared 2']);
	});

	it('sends a batch operation many items per request, each result paired with its own item', async () => {
		const [out] = await router.call(
			contextFor(5, {
				resource: 'thing',
				operation: 'batched',
				requestOptions: { concurrency: 1 },
			}),
		);
		expect(seen[0].calls).toEqual(['batch 0,10', 'batch 20,30', 'batch 40']);
		expect(out).toEqual(
			[0, 1, 2, 3, 4].map((i) => ({ json: { sent: i * 10 }, pairedItem: { item: i } })),
		);
	});
});

describe('resourceDescription', () => {
	const operations = {
		getAll: { description: [field('limit')], execute: async () => ({}) },
		get: { description: [field('id')], execute: async () => ({}) },
	} satisfies Operations<FakeClient>;

	it('makes the Operation parameter from the labels, keyed by the operations themselves', () => {
		const [selector, shared, ...fields] = resourceDescription(
			'thing',
			operations,
			{
				get: { name: 'Get', action: 'Get a thing' },
				getAll: { name: 'Get Many', description: 'List things', action: 'Get many things' },
			},
			'getAll',
			[field('kind')],
		);
		expect(selector).toMatchObject({
			name: 'operation',
			type: 'options',
			default: 'getAll',
			displayOptions: { show: { resource: ['thing'] } },
		});
		expect(selector.options).toEqual([
			{ name: 'Get', value: 'get', action: 'Get a thing' },
			{ name: 'Get Many', value: 'getAll', description: 'List things', action: 'Get many things' },
		]);
		expect(shared.name).toBe('kind');
		expect(fields.map((f) => f.name)).toEqual(['limit', 'id']);
	});

	// The tie between operation values and the operation map is a compile-time guarantee: checked
	// here with the TypeScript compiler itself (ts-jest only transpiles).
	it('does not compile when an operation has no label, a label has no operation, or the default is misspelt', () => {
		const dir = mkdtempSync(join(tmpdir(), 'router-types-'));
		const router = resolve(__dirname, '../../../nodes/shared/router').replace(/\\/g, '/');
		const source = (labels: string, defaultOperation: string) => `
import { resourceDescription } from '${router}';
const operations = { get: { description: [], execute: async () => ({}) }, getAll: { description: [], execute: async () => ({}) } };
export const description = resourceDescription('thing', operations, ${labels}, '${defaultOperation}');
`;
		const both = `{ get: { name: 'Get', action: 'a' }, getAll: { name: 'Get Many', action: 'b' } }`;
		const cases = {
			good: source(both, 'getAll'),
			missing: source(`{ get: { name: 'Get', action: 'a' } }`, 'get'),
			misspelt: source(
				`{ get: { name: 'Get', action: 'a' }, getAll: { name: 'Get Many', action: 'b' }, getMany: { name: 'Get Many', action: 'b' } }`,
				'get',
			),
			badDefault: source(both, 'getMany'),
		};
		try {
			const files = Object.fromEntries(
				Object.entries(cases).map(([name, text]) => {
					const file = join(dir, `${name}.ts`);
					writeFileSync(file, text);
					return [name, file];
				}),
			);
			const program = ts.createProgram(Object.values(files), {
				strict: true,
				noEmit: true,
				target: ts.ScriptTarget.ES2022,
				module: ts.ModuleKind.CommonJS,
				esModuleInterop: true,
				skipLibCheck: true,
				types: [],
			});
			const errors = (name: string) =>
				ts.getPreEmitDiagnostics(program, program.getSourceFile(files[name])).length;
			expect(errors('good')).toBe(0);
			expect(errors('missing')).toBeGreaterThan(0);
			expect(errors('misspelt')).toBeGreaterThan(0);
			expect(errors('badDefault')).toBeGreaterThan(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
