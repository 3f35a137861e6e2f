import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../shared/errors';
import { buildPath, joinUrl } from '../../shared/urls';
import type { DegreedClient } from '../transport/client';
import { parseJsonObject } from '../transport/jsonapi';

/** Absolute API URL for a path template; every `{name}` is an encoded path segment. */
export function apiUrl(
	client: DegreedClient,
	template: string,
	values: Record<string, unknown> = {},
): string {
	return joinUrl(client.hosts.apiBaseUrl, buildPath(template, values));
}

/** Degreed's date filters take yyyy-mm-dd. */
export function dateOnly(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
	const t = Date.parse(text);
	return Number.isNaN(t) ? text : new Date(t).toISOString().slice(0, 10);
}

/** A date-time as Degreed's bodies carry it: ISO 8601 in UTC, without milliseconds. */
export function isoDateTime(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let text = String(value).trim();
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text = `${text}T00:00:00Z`;
	else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text = `${text}Z`;
	const t = Date.parse(text);
	return Number.isNaN(t) ? String(value) : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "Additional Attributes (JSON)" of an item, with the item and field named on error. */
export function jsonAttributes(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field = 'Additional Attributes (JSON)',
): IDataObject {
	try {
		return parseJsonObject(value);
	} catch (error) {
		throw inputError(
			ctx.getNode(),
			`"${field}" ${(error as Error).message === 'must be a JSON object' ? 'must be a JSON object' : `is not valid JSON (${(error as Error).message})`}`,
			{
				itemIndex,
				description: 'Example: {"provider-name": "Acme"}. Nothing was sent for this item.',
			},
		);
	}
}

/** Extra `filter[...]` query parameters from a fixed collection of name/value pairs. */
export function filterQuery(value: unknown): IDataObject {
	const entries = ((value as IDataObject)?.filter as IDataObject[] | undefined) ?? [];
	const qs: IDataObject = {};
	for (const { name, value: v } of entries) {
		const key = String(name ?? '').trim();
		if (!key) continue;
		qs[key.startsWith('filter[') ? key : `filter[${key}]`] = v as string;
	}
	return qs;
}

export const filtersProperty = (
	show: Record<string, string[]>,
	example: string,
): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'fixedCollection',
	placeholder: 'Add Filter',
	typeOptions: { multipleValues: true },
	default: {},
	description: `Sent as filter[name]=value, e.g. ${example}`,
	displayOptions: { show },
	options: [
		{
			displayName: 'Filter',
			name: 'filter',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: example.split('=')[0],
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

export const additionalAttributesOption: INodeProperties = {
	displayName: 'Additional Attributes (JSON)',
	name: 'additionalAttributes',
	type: 'json',
	default: '{}',
	description:
		"Other Degreed attributes, as a JSON object with Degreed's kebab-case names (camelCase is converted). They override the fields above.",
};

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	default: 1000,
	typeOptions: { minValue: 1, maxValue: 1000 },
	description:
		'Records per request (Degreed allows up to 1000). Large pages save requests against the per-minute limit.',
};
