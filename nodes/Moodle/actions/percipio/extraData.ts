import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';

/** Keys the plugin may read that the node has no field for: merged into the JSON `data` last. */
export const extraDataOption: INodeProperties = {
	displayName: 'Extra Data (JSON)',
	name: 'extraData',
	type: 'json',
	default: '{}',
	description:
		'More keys for the plugin\'s JSON "data" argument, for plugin versions that read keys this node has no field for. They override the fields above.',
};

export function parseExtraData(
	ctx: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): IDataObject {
	const raw = options.extraData;
	if (raw === undefined || raw === '' || raw === null) return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		// jsonParse with `fallbackValue: undefined` still throws (undefined means "no fallback"), so the
		// raw SyntaxError would reach the user without item or field: parse here and say which field.
		try {
			value = jsonParse<unknown>(raw);
		} catch (error) {
			throw inputError(
				ctx.getNode(),
				`"Extra Data (JSON)" is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex,
					description: 'For example {"visible": 1}. Nothing was sent for this item.',
				},
			);
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw inputError(ctx.getNode(), '"Extra Data (JSON)" must be a JSON object', {
			itemIndex,
			description: 'For example {"visible": 1}. Nothing was sent for this item.',
		});
	}
	return value as IDataObject;
}
