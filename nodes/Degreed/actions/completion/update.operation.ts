import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { inputError } from '../../../shared/errors';
import { validateInput } from '../../../shared/validation';
import type { DegreedClient } from '../../transport/client';
import { singleItem, toAttributes } from '../../transport/jsonapi';
import { additionalAttributesOption, apiUrl, isoDateTime, jsonAttributes } from '../common';
import { completionIdField } from './fields';

const properties: INodeProperties[] = [
	completionIdField(['update']),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Completed At', name: 'completedAt', type: 'dateTime', default: '' },
			{
				displayName: 'Percentile',
				name: 'percentile',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 0, maxValue: 100 },
			},
			additionalAttributesOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['update'] } },
	properties,
);

const schema = z.object({
	completedAt: z
		.string()
		.refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date and time')
		.optional(),
	percentile: z.number().min(0).max(100).optional(),
});

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const id = this.getNodeParameter('completionId', itemIndex, undefined, { extractValue: true });
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const input = validateInput(
		this.getNode(),
		schema,
		{
			completedAt: fields.completedAt || undefined,
			percentile: fields.percentile === '' ? undefined : fields.percentile,
		},
		{ itemIndex },
	);
	const attributes = {
		...toAttributes({ completedAt: isoDateTime(input.completedAt), percentile: input.percentile }),
		...toAttributes(jsonAttributes(this, fields.additionalAttributes, itemIndex)),
	};
	if (!Object.keys(attributes).length)
		throw inputError(
			this.getNode(),
			'Nothing to update: add at least one field under "Update Fields"',
			{ itemIndex },
		);
	const url = apiUrl(client, '/api/v2/completions/{id}', { id });
	// A PATCH that sets fixed values may be sent again safely.
	const body = await client.api.json({
		method: 'PATCH',
		url,
		body: { data: { type: 'completions', id: String(id), attributes } },
		idempotent: true,
		itemIndex,
	});
	return singleItem(body);
}
