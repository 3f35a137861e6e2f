import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';

/** Keys the plugin may read that the node has no field for: merged into the JSON `data` last. */
export const extraDataOption: INodeProperties = {
	displayName: 'Extra Data (JSON)',
	name: 'extraData',
	type: 'json',
	default: '{}',
	description: 'More keys for the plugin\'s JSON "data" argument, for plugin versions that read keys this node has no field for. They override the fields above.',
};

export function parseExtraData(ctx: IExecuteFunctions, options: IDataObject, itemIndex: number): IDataObject {
	const raw = options.extraData;
	if (raw === undefined || raw === '' || raw === null) return {};
	const value = typeof raw === 'string' ? jsonParse<unknown>(raw, { fallbackValue: undefined }) : raw;
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw inputError(ctx.getNode(), '"Extra Data (JSON)" must be a JSON object', { itemIndex, description: 'For example {"visible": 1}. Nothing was sent for this item.' });
	}
	return value as IDataObject;
}
