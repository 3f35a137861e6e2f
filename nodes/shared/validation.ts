import type { INode } from 'n8n-workflow';
import type { z } from 'zod';

import { inputError } from './errors';

/** Human name of a zod path: `items[2].title` → `items[2].title`, root → the schema's label. */
function fieldName(path: Array<string | number>, label: string): string {
	if (!path.length) return label;
	return path.reduce<string>(
		(out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
		'',
	);
}

/**
 * Validates one item's input before anything is sent. The error names the item and every field
 * that is wrong, in words a user can act on.
 */
export function validateInput<S extends z.ZodTypeAny>(
	node: INode,
	schema: S,
	value: unknown,
	options: { itemIndex?: number; label?: string; description?: string } = {},
): z.infer<S> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issues = result.error.issues.slice(0, 5).map((issue) => {
		const field = fieldName(issue.path as Array<string | number>, options.label ?? 'input');
		return `"${field}" ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
	});
	const more =
		result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
	const [first, ...rest] = issues;
	throw inputError(node, `Invalid ${first}${more}`, {
		itemIndex: options.itemIndex,
		description: rest.length
			? `Also: ${rest.join('; ')}`
			: (options.description ??
				'Fix this field and run the node again. Nothing was sent for this item.'),
	});
}

/**
 * Whether a text is a real date (and time): `Date.parse` accepts it and, when it starts with a
 * calendar date `YYYY-MM-DD`, that date exists (round-trips). `Date.parse` alone rolls 2026-02-30
 * over to 2026-03-02, so the wrong date would be sent.
 */
export function isValidDate(value: string): boolean {
	const text = value.trim();
	if (!text || Number.isNaN(Date.parse(text))) return false;
	const ymd = /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?![\d])/.exec(text);
	if (ymd) {
		const [year, month, day] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
		const date = new Date(Date.UTC(2000, month - 1, day));
		date.setUTCFullYear(year);
		if (
			date.getUTCFullYear() !== year ||
			date.getUTCMonth() !== month - 1 ||
			date.getUTCDate() !== day
		)
			return false;
	}
	const hms = /[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
	if (hms && (Number(hms[1]) > 23 || Number(hms[2]) > 59 || Number(hms[3] ?? 0) > 59)) return false;
	return true;
}
