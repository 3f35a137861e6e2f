import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PercipioClient } from '../../transport/client';
import { USER_BY_EXTERNAL_ID_PATH, prepareUserWrite, userWriteProperties } from './fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['upsert'] } },
	userWriteProperties('The user to create or update, by their ID in your own system'),
);

export function prepare(this: IExecuteFunctions, client: PercipioClient, itemIndex: number) {
	return prepareUserWrite(this, client, itemIndex);
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
