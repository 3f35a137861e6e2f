import type { IDataObject } from 'n8n-workflow';

import type { DegreedClient } from '../transport/client';

/**
 * DELETE with a look-before-resend: after an ambiguous failure the record is fetched; a 404 means
 * the first DELETE landed (success), anything else means it is safe to send again. A plain resend
 * would turn a delete that worked into a "not found" error.
 */
export async function deleteRecord(
	client: DegreedClient,
	url: string,
	id: string,
	itemIndex: number,
): Promise<IDataObject> {
	await client.api.request({
		method: 'DELETE',
		url,
		itemIndex,
		idempotent: false,
		recover: async () => {
			const check = await client.api.request({
				method: 'GET',
				url,
				itemIndex,
				acceptStatuses: [404, 410],
			});
			return check.statusCode === 404 || check.statusCode === 410
				? { statusCode: 204, headers: {}, body: undefined }
				: undefined;
		},
	});
	return { id, deleted: true };
}
