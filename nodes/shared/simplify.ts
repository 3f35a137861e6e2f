import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { inputError } from './errors';

/**
 * "Output" of the operations whose record has more than 10 fields (n8n's UX guidelines: Simplify;
 * and, for nodes AI agents use, Simplified / Raw / Selected Fields). Each provider names the
 * fields of its simplified records, most useful first; nested fields are flattened with dots
 * (`learner.id` → `learner_id`) so an agent or an expression reads them without digging.
 *
 * Version 1 of every node keeps the raw record as its default, so workflows saved before this
 * option existed get the same items as before; new nodes (version 2) start on Simplified.
 */
export type OutputMode = 'simplified' | 'raw' | 'selected';

/** The simplified form of one record type: dotted paths into the raw record, most useful first. */
export type SimplifiedFields = readonly string[];

const MODES = [
	{
		name: 'Simplified',
		value: 'simplified',
		description: 'The most useful fields, nested ones flattened (at most 10)',
	},
	{ name: 'Raw', value: 'raw', description: 'The record exactly as the API returns it' },
	{ name: 'Selected Fields', value: 'selected', description: 'Only the fields you list' },
];

/** The Output and Fields parameters of the operations in `show`. */
export function outputProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			options: MODES,
			default: 'raw',
			description:
				"How much of each record to return. Simplified keeps an AI agent's context small.",
			displayOptions: { show: { ...show, '@version': [1] } },
		},
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			options: MODES,
			default: 'simplified',
			description:
				"How much of each record to return. Simplified keeps an AI agent's context small.",
			displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 2 } }] } },
		},
		{
			displayName: 'Fields',
			name: 'outputFields',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. title, learner.email',
			description: 'Comma-separated fields to keep; a dotted path reaches into a nested object',
			displayOptions: { show: { ...show, output: ['selected'] } },
		},
	];
}

/**
 * One provider's simplified records, by resource and operation: the lookup `applyOutput` takes and
 * the Output parameters shown for exactly those operations. The operation names must be the
 * node's operation values (a test checks every displayOptions reference of every node).
 */
export function simplifiedOutput(fields: Record<string, Record<string, SimplifiedFields>>): {
	simplifiedFields: (resource: string, operation: string) => SimplifiedFields | undefined;
	outputDescription: INodeProperties[];
} {
	return {
		simplifiedFields: (resource, operation) =>
			Object.hasOwn(fields, resource) && Object.hasOwn(fields[resource], operation)
				? fields[resource][operation]
				: undefined,
		outputDescription: Object.entries(fields).flatMap(([resource, ops]) =>
			outputProperties({ resource: [resource], operation: Object.keys(ops) }),
		),
	};
}

/** The value at a dotted path (`a.b.c`), undefined when any step is missing. */
export function valueAt(record: IDataObject, path: string): unknown {
	let value: unknown = record;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

const flatName = (path: string) => path.replace(/\./g, '_');

/** Only the given paths, in that order, each under its flattened name; missing ones left out. */
export function pickFields(record: IDataObject, paths: readonly string[]): IDataObject {
	const out: IDataObject = {};
	for (const path of paths) {
		const value = valueAt(record, path);
		if (value !== undefined) out[flatName(path)] = value as IDataObject[string];
	}
	return out;
}

export function shapeRecord(
	record: IDataObject,
	mode: OutputMode,
	simplified: SimplifiedFields,
	selected: readonly string[] = [],
): IDataObject {
	if (mode === 'raw') return record;
	return pickFields(record, mode === 'simplified' ? simplified : selected);
}

const splitFields = (value: unknown): string[] =>
	String(value ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);

/**
 * Applies each item's Output choice to a node's output, when the operation has a simplified form
 * (`fieldsFor(resource, operation)`); other operations pass through. Items that carry an error
 * (Continue On Fail) are left as they are.
 */
export function applyOutput(
	ctx: Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode'>,
	output: INodeExecutionData[],
	fieldsFor: (resource: string, operation: string) => SimplifiedFields | undefined,
): INodeExecutionData[] {
	const resource = String(ctx.getNodeParameter('resource', 0, ''));
	const operation = String(ctx.getNodeParameter('operation', 0, ''));
	const simplified = fieldsFor(resource, operation);
	if (!simplified) return output;
	const modeOf = new Map<number, { mode: OutputMode; selected: string[] }>();
	const settings = (itemIndex: number) => {
		let found = modeOf.get(itemIndex);
		if (!found) {
			// n8n fills in the version's default; the same default here keeps contexts without it consistent.
			const fallback = ctx.getNode().typeVersion >= 2 ? 'simplified' : 'raw';
			const mode = String(ctx.getNodeParameter('output', itemIndex, fallback)) as OutputMode;
			const selected =
				mode === 'selected' ? splitFields(ctx.getNodeParameter('outputFields', itemIndex, '')) : [];
			if (mode === 'selected' && !selected.length) {
				throw inputError(ctx.getNode(), 'No fields to output', {
					itemIndex,
					description:
						'Output is "Selected Fields": list at least one field in "Fields", e.g. id, title.',
				});
			}
			found = { mode: ['simplified', 'raw', 'selected'].includes(mode) ? mode : 'raw', selected };
			modeOf.set(itemIndex, found);
		}
		return found;
	};
	return output.map((entry) => {
		if (entry.error) return entry;
		const paired = Array.isArray(entry.pairedItem) ? entry.pairedItem[0] : entry.pairedItem;
		const itemIndex = typeof paired === 'number' ? paired : (paired?.item ?? 0);
		const { mode, selected } = settings(itemIndex);
		return mode === 'raw'
			? entry
			: { ...entry, json: shapeRecord(entry.json, mode, simplified, selected) };
	});
}
