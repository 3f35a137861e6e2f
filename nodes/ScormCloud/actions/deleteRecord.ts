import type { ScormCloudClient } from '../transport/client';

/**
 * DELETE with a look before any resend: after an ambiguous failure (a dropped connection, a 5xx)
 * the record is fetched; 404 means the first DELETE landed, so the item succeeds. A blind resend
 * would answer 404 and turn a delete that worked into a "not found" error.
 */
export async function deleteRecord(
	client: ScormCloudClient,
	url: string,
	itemIndex: number,
): Promise<void> {
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
				acceptStatuses: [404],
			});
			return check.statusCode === 404
				? { statusCode: 204, headers: {}, body: undefined }
				: undefined;
		},
	});
}
