import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { sameKey } from '../../../shared/exactMatch';
import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import { organizationId, organizationOption, requiredText } from '../common';
import { USERS_PATH, USER_BY_EXTERNAL_ID_PATH, userBody, userFields } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'External User ID',
		name: 'externalUserId',
		type: 'string',
		default: '',
		required: true,
		description: "The user's ID in your own system (HR, SSO). Must be unique in Percipio.",
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
	{ show: { resource: ['user'], operation: ['create'] } },
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
	return (await client.api.json({
		method: 'POST',
		url: client.url(USERS_PATH, { orgId }),
		body,
		itemIndex,
		// A create is not idempotent. After an ambiguous failure (5xx, dropped connection) look the
		// user up by external ID: found = the create landed, so it is a success, not a duplicate.
		recover: async () => {
			const found = await client.api.request({
				method: 'GET',
				url: client.url(USER_BY_EXTERNAL_ID_PATH, { orgId, externalUserId }),
				acceptStatuses: [404],
				itemIndex,
			});
			// Only the user asked for counts: an answer for another (or no) external ID is not it.
			const record = found.body as { externalUserId?: unknown } | undefined;
			return found.statusCode === 404 || !sameKey(record?.externalUserId, externalUserId)
				? undefined
				: found;
		},
	})) as IDataObject;
}
