import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { buildPath, joinUrl } from '../../../shared/urls';
import { validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { userBody, userFieldOptions, userFieldsSchema } from './fields';
import { userRefLocator } from '../../methods/locators';

const properties: INodeProperties[] = [
	userRefLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields given here are changed',
		options: userFieldOptions,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['update'] } },
	properties,
);

const schema = z.object({
	ref: z.string().trim().min(1, 'Must not be empty'),
	fields: userFieldsSchema.refine(
		(v) => Object.keys(v).length > 0,
		'Add at least one field to update',
	),
});

/** PATCH /rest/v2/users/ref/{ref}: sending the same fields twice leaves the same user, so it is retried safely. */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			ref: this.getNodeParameter('ref', itemIndex, '', { extractValue: true }) as string,
			fields: userBody(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject),
		},
		{ itemIndex, label: 'Update Fields' },
	);
	const body = await client.api.json<IDataObject>({
		method: 'PATCH',
		url: joinUrl(client.v2, buildPath('/users/ref/{ref}', { ref: input.ref })),
		body: input.fields,
		idempotent: true,
		itemIndex,
	});
	return { ref: input.ref, ...(body && typeof body === 'object' ? body : {}), result: 'updated' };
}
