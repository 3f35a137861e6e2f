import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/**
 * Look-ups by a key (external id, username, reference) that precede a write, a delete or a
 * duplicate check. A provider's filter may be ignored, loose or broken, so the answer is matched
 * again here: a record without the key never matches, a record with another key never matches,
 * and two records with the key are an error — a write must never land on "the first" of them.
 */

/** The key as compared: text (numbers as their text), trimmed, optionally case-folded; undefined when absent or empty. */
export function keyText(value: unknown, caseInsensitive = false): string | undefined {
	if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value)))
		return undefined;
	const text = String(value).trim();
	if (!text) return undefined;
	return caseInsensitive ? text.toLowerCase() : text;
}

/** Whether a record's key is the wanted one (an absent key on either side never matches). */
export function sameKey(recordKey: unknown, wanted: unknown, caseInsensitive = false): boolean {
	const a = keyText(recordKey, caseInsensitive);
	const b = keyText(wanted, caseInsensitive);
	return a !== undefined && b !== undefined && a === b;
}

export interface ExactMatchOptions<T> {
	node: INode;
	itemIndex: number;
	/** What is looked up, for the error: "Degreed content", "Moodle user" */
	what: string;
	/** The key's name, for the error: "external ID", "username" */
	keyName: string;
	keyOf: (record: T) => unknown;
	caseInsensitive?: boolean;
}

/** The one record whose key is `wanted`; undefined when none; an error when more than one. */
export function findExactlyOne<T>(
	records: readonly T[],
	wanted: unknown,
	options: ExactMatchOptions<T>,
): T | undefined {
	const matches = records.filter(
		(r) =>
			!!r && typeof r === 'object' && sameKey(options.keyOf(r), wanted, options.caseInsensitive),
	);
	if (matches.length > 1) {
		throw new NodeOperationError(
			options.node,
			`More than one ${options.what} has the ${options.keyName} "${String(wanted)}"`,
			{
				itemIndex: options.itemIndex,
				description: `Nothing was written: the ${options.keyName} must name exactly one record. Remove the duplicate in the provider, or identify the record by its own ID.`,
			},
		);
	}
	return matches[0];
}
