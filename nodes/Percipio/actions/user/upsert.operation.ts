import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import { organizationId, organizationOption, requiredText } from '../common';
import { USER_BY_EXTERNAL_ID_PATH, userBody, userFields } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'External User ID',
		name: 'externalUserId',
		type: 'string',
		default: '',
		required: true,
		description: 'The user to create or update, by their ID in your own system',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: userFields,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [organizationOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['upsert'] } },
	properties,
);

/** Every item is checked before the first request: one bad item stops the node with nothing sent. */
export function prepare(this: IExecuteFunctions, client: PercipioClient, itemIndex: number) {
	const { externalUserId } = validateInput(
		this.getNode(),
		z.object({ externalUserId: requiredText('is required') }),
		{ externalUserId: this.getNodeParameter('externalUserId', itemIndex, '') },
		{ itemIndex },
	);
	return {
		externalUserId,
		body: userBody(this, itemIndex, externalUserId),
		orgId: organizationId(this, client, itemIndex),
	};
}

export async function execute(
	this: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
	{ externalUserId, body, orgId }: ReturnType<typeof prepare>,
): Promise<IDataObject> {
	// PATCH by external user ID is Percipio's upsert: keyed, so it may be resent safely.
	return (await client.api.json({
		method: 'PATCH',
		url: client.url(USER_BY_EXTERNAL_ID_PATH, { orgId, externalUserId }),
		body,
		idempotent: true,
		itemIndex,
	})) as IDataObject;
}
