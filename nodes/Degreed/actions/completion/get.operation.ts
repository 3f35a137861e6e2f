import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { DegreedClient } from '../../transport/client';
import { singleItem } from '../../transport/jsonapi';
import { apiUrl } from '../common';
import { completionIdField } from './fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['get'] } },
	[completionIdField(['get'])],
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const url = apiUrl(client, '/api/v2/completions/{id}', {
		id: this.getNodeParameter('completionId', itemIndex, undefined, { extractValue: true }),
	});
	return singleItem(await client.api.json({ method: 'GET', url, itemIndex }));
}
