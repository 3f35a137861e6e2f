import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { DegreedClient } from '../../transport/client';
import { singleItem } from '../../transport/jsonapi';
import { apiUrl } from '../common';
import { userLocator } from '../../methods/locators';

const properties: INodeProperties[] = [userLocator()];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	return singleItem(
		await client.api.json({
			method: 'GET',
			url: apiUrl(client, '/api/v2/users/{id}', {
				id: this.getNodeParameter('userId', itemIndex, undefined, { extractValue: true }),
			}),
			itemIndex,
		}),
	);
}
