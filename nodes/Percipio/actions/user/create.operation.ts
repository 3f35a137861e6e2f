import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { sameKey } from '../../../shared/exactMatch';
import type { PercipioClient } from '../../transport/client';
import {
	USERS_PATH,
	USER_BY_EXTERNAL_ID_PATH,
	prepareUserWrite,
	userWriteProperties,
} from './fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	userWriteProperties("The user's ID in your own system (HR, SSO). Must be unique in Percipio."),
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
