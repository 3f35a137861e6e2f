import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { DegreedClient } from '../../transport/client';
import { apiUrl } from '../common';
import { deleteRecord } from '../delete';
import { completionIdField } from './fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['delete'] } },
	[completionIdField(['delete'])],
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const id = String(
		this.getNodeParameter('completionId', itemIndex, undefined, { extractValue: true }),
	);
	return await deleteRecord(
		client,
		apiUrl(client, '/api/v2/completions/{id}', { id }),
		id,
		itemIndex,
	);
}
