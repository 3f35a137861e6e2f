import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';
import type { DegreedClient } from '../../transport/client';
import { singleItem } from '../../transport/jsonapi';
import { apiUrl } from '../common';
import { findContentByExternalId, identifyByFields } from './fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['content'], operation: ['get'] } },
	identifyByFields(['get']),
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const kind = this.getNodeParameter('contentType', 0, 'any') as string;
	const identifyBy = this.getNodeParameter('identifyBy', itemIndex, 'id') as string;
	const value = String(
		this.getNodeParameter('contentId', itemIndex, undefined, { extractValue: true }) ?? '',
	).trim();
	if (identifyBy === 'externalId') {
		if (!value) throw inputError(this.getNode(), '"Content ID" must not be empty', { itemIndex });
		const found = await findContentByExternalId(client, kind, value, itemIndex, this.getNode());
		if (!found)
			throw inputError(this.getNode(), `No Degreed content has the external ID "${value}"`, {
				itemIndex,
				description: 'Check the external ID and the content type.',
			});
		return found;
	}
	const url =
		kind === 'any'
			? apiUrl(client, '/api/v2/content/{id}', { id: value })
			: apiUrl(client, '/api/v2/content/{kind}/{id}', { kind, id: value });
	return singleItem(await client.api.json({ method: 'GET', url, itemIndex }));
}
