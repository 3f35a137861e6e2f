import type { INode } from 'n8n-workflow';
import type { z } from 'zod';

import { inputError } from './errors';

/** Human name of a zod path: `items[2].title` → `items[2].title`, root → the schema's label. */
function fieldName(path: Array<string | number>, label: string): string {
	if (!path.length) return label;
	return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
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
	const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
	const [first, ...rest] = issues;
	throw inputError(node, `Invalid ${first}${more}`, {
		itemIndex: options.itemIndex,
		description: rest.length ? `Also: ${rest.join('; ')}` : (options.description ?? 'Fix this field and run the node again. Nothing was sent for this item.'),
	});
}
