import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { inputError } from '../../shared/errors';
import { isValidDate } from '../../shared/validation';

/**
 * A Moodle record id: a positive whole number (a numeric string from an expression is fine).
 * Moodle ids are BIGINT; above Number.MAX_SAFE_INTEGER a JavaScript number no longer holds the
 * exact id (1e30 would be sent as another number), so larger values are refused.
 */
export const moodleId = z.coerce
	.number({ invalid_type_error: 'must be a number' })
	.int('must be a whole number (a Moodle ID)')
	.positive('must be a positive Moodle ID')
	.max(Number.MAX_SAFE_INTEGER, `must be a Moodle ID of at most ${Number.MAX_SAFE_INTEGER}`);

/**
 * The "Web Service Function" override for functions whose name or parameters come from general
 * Moodle knowledge rather than a page we could read ([I] in the provider reference).
 */
export function wsfunctionOption(defaultName: string): INodeProperties {
	return {
		displayName: 'Web Service Function',
		name: 'wsfunction',
		type: 'string',
		default: defaultName,
		description: `Name of the Moodle web-service function to call. Change it only if your site exposes this operation under another name (default: ${defaultName}).`,
	};
}

/** Where a date parameter sits, for the error that names it. */
export interface DateField {
	node: INode;
	itemIndex: number;
	/** the field's name as the user sees it */
	field: string;
}

/**
 * A date/time value (ISO text, as n8n's date picker gives it, or a number of seconds/milliseconds)
 * in epoch milliseconds; `undefined` when empty ("not set"). Anything else — text that is not a
 * date, an impossible calendar date such as 2026-02-30 (Date.parse would roll it over to
 * 2026-03-02), a negative or non-finite number — is an error naming the item and the field.
 */
function parseDateMs(value: unknown, at: DateField): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const fail = () =>
		inputError(
			at.node,
			`Invalid "${at.field}" must be a date and time (ISO 8601, e.g. 2026-06-01T10:00:00Z)`,
			{
				itemIndex: at.itemIndex,
				description: `Got ${JSON.stringify(String(value)).slice(0, 80)}. Leave the field empty for "not set". Nothing was sent for this item.`,
			},
		);
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 0) throw fail();
		return value < 1e11 ? Math.floor(value * 1000) : Math.floor(value);
	}
	const text =
		typeof value === 'string' ? value.trim() : value instanceof Date ? value.toISOString() : '';
	if (!isValidDate(text)) throw fail();
	return Date.parse(text);
}

/** A date/time parameter in Unix seconds, Moodle's unit (`undefined` when empty; invalid → error). */
export function unixSeconds(value: unknown, at: DateField): number | undefined {
	const ms = parseDateMs(value, at);
	return ms === undefined ? undefined : Math.floor(ms / 1000);
}

/**
 * The same in epoch milliseconds (the Percipio plugin's unit): `null` when empty, which the plugin
 * records as "now" (documented on the fields); an invalid date is an error, never "now".
 */
export function epochMillis(value: unknown, at: DateField): number | null {
	return parseDateMs(value, at) ?? null;
}

/** Moodle lists come back as arrays; anything else means no records. */
export const asArray = (value: unknown): IDataObject[] =>
	Array.isArray(value) ? (value as IDataObject[]) : [];

/** The options collection of an operation (empty object when not set). */
export const optionsOf = (
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'options',
): IDataObject => (ctx.getNodeParameter(name, itemIndex, {}) as IDataObject) ?? {};

export const functionName = (options: IDataObject, fallback: string): string => {
	const name = typeof options.wsfunction === 'string' ? options.wsfunction.trim() : '';
	return name || fallback;
};
