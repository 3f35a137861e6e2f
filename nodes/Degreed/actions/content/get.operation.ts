import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inputError } from '../../../shared/errors';
import { runForEachItem } from '../../../shared/itemRunner';
import type { DegreedClient } from '../../transport/client';
import { singleItem } from '../../transport/jsonapi';
import { apiUrl } from '../common';
import { findContentByExternalId, identifyByFields } from './fields';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['content'], operation: ['get'] } }, identifyByFields(['get']));

export async function execute(this: IExecuteFunctions, client: DegreedClient): Promise<INodeExecutionData[]> {
	const kind = this.getNodeParameter('contentType', 0, 'any') as string;
	return await runForEachItem(
		this,
		async (i) => {
			const identifyBy = this.getNodeParameter('identifyBy', i, 'id') as string;
			const value = String(this.getNodeParameter('contentId', i, undefined, { extractValue: true }) ?? '').trim();
			if (identifyBy === 'externalId') {
				if (!value) throw inputError(this.getNode(), '"Content ID" must not be empty', { itemIndex: i });
				const found = await findContentByExternalId(client, kind, value, i);
				if (!found) throw inputError(this.getNode(), `No Degreed content has the external ID "${value}"`, { itemIndex: i, description: 'Check the external ID and the content type.' });
				return found;
			}
			const url = kind === 'any' ? apiUrl(client, '/api/v2/content/{id}', { id: value }) : apiUrl(client, '/api/v2/content/{kind}/{id}', { kind, id: value });
			return singleItem(await client.api.json({ method: 'GET', url, itemIndex: i }));
		},
		{ concurrency: client.settings.concurrency },
	);
}
