import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { runForEachItem, runInBatches } from '../../../nodes/shared/itemRunner';
import { buildPath } from '../../../nodes/shared/urls';
import { validateInput } from '../../../nodes/shared/validation';
import { createExecuteContext } from '../../support/n8nContext';

const ctxWith = (n: number, continueOnFail = false): IExecuteFunctions =>
	createExecuteContext({
		parameters: {},
		items: Array.from({ length: n }, (_, i) => ({ i })),
		continueOnFail,
	}).ctx;

describe('runForEachItem', () => {
	it('keeps input order and pairs every output with its input, under concurrency', async () => {
		const ctx = ctxWith(12);
		const out = await runForEachItem(
			ctx,
			async (i) => {
				await new Promise((r) => setTimeout(r, (12 - i) * 2));
				return i % 3 === 0 ? [{ n: i }, { n: i, extra: true }] : { n: i };
			},
			{ concurrency: 5 },
		);
		expect(out.map((o) => o.pairedItem)).toEqual(
			out.map((o) => ({ item: (o.json as { n: number }).n })),
		);
		expect(out.map((o) => o.json.n)).toEqual([0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11]);
	});

	it('with Continue On Fail turns a failure into an error item in its place', async () => {
		const node = ctxWith(3, true).getNode();
		const ctx = ctxWith(3, true);
		const out = await runForEachItem(ctx, async (i) => {
			if (i === 1)
				throw new NodeApiError(
					node,
					{ message: 'nope' },
					{ message: 'Degreed: nope', httpCode: '400', description: 'fix it' },
				);
			return { ok: i };
		});
		expect(out).toEqual([
			{ json: { ok: 0 }, pairedItem: { item: 0 } },
			{
				json: { error: 'Degreed: nope', description: 'fix it', httpCode: '400' },
				pairedItem: { item: 1 },
			},
			{ json: { ok: 2 }, pairedItem: { item: 2 } },
		]);
	});

	it('without it, throws the failure with the item index', async () => {
		const error = await runForEachItem(ctxWith(3), async (i) => {
			if (i === 2) buildPath('/users/{userId}', { userId: '..' });
			return {};
		}).catch((e: any) => e);
		expect(error.message).toBe('Item 2: "userId" must not be "." or ".."');
		expect(error.context.itemIndex).toBe(2);
	});
});

describe('validateInput', () => {
	const schema = z.object({
		content_id: z.string().min(1),
		description: z.string().max(500).optional(),
	});
	it('names the item and the field, sends nothing', () => {
		const node = ctxWith(1).getNode();
		expect(() =>
			validateInput(
				node,
				schema,
				{ content_id: 'c', description: 'x'.repeat(1000) },
				{ itemIndex: 4 },
			),
		).toThrow(/^Item 4: Invalid "description" string must contain at most 500 character/);
		expect(() => validateInput(node, schema, {}, { itemIndex: 0 })).toThrow(
			/Item 0: Invalid "content_id"/,
		);
		expect(validateInput(node, schema, { content_id: 'ok' })).toEqual({ content_id: 'ok' });
	});
});

describe('runInBatches', () => {
	it('validates every item before sending anything', async () => {
		const sent: number[][] = [];
		const error = await runInBatches(
			ctxWith(5),
			(i) => {
				if (i === 3) throw new Error('bad field');
				return i;
			},
			async (batch) => (sent.push(batch.map((b) => b.payload)), batch.map(() => ({}))),
			{ batchSize: 2 },
		).catch((e: any) => e);
		expect(error.message).toContain('bad field');
		expect(sent).toEqual([]);
	});

	it('sends in batches and pairs each result with its item; bad items become error items with Continue On Fail', async () => {
		const sent: number[][] = [];
		const out = await runInBatches(
			ctxWith(5, true),
			(i) => {
				if (i === 1) throw new Error('bad field');
				return i * 10;
			},
			async (batch) => (
				sent.push(batch.map((b) => b.payload)),
				batch.map((b) => ({ stored: b.payload }))
			),
			{ batchSize: 2, concurrency: 2 },
		);
		expect(sent).toEqual([
			[0, 20],
			[30, 40],
		]);
		expect(out.map((o) => [o.pairedItem, o.json])).toEqual([
			[{ item: 0 }, { stored: 0 }],
			[{ item: 1 }, { error: 'bad field' }],
			[{ item: 2 }, { stored: 20 }],
			[{ item: 3 }, { stored: 30 }],
			[{ item: 4 }, { stored: 40 }],
		]);
	});
});
