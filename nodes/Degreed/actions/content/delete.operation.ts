import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { DegreedClient } from '../../transport/client';
import { apiUrl } from '../common';
import { deleteRecord } from '../delete';
import { identifyByFields, resolveContentId } from './fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['content'], operation: ['delete'] } },
	identifyByFields(['delete']),
);

export async function execute(
	this: IExecuteFunctions,
	client: DegreedClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const kind = this.getNodeParameter('contentType', 0) as string;
	const id = await resolveContentId(
		client,
		this.getNode(),
		kind,
		this.getNodeParameter('identifyBy', itemIndex, 'id') as string,
		String(
			this.getNodeParameter('contentId', itemIndex, undefined, { extractValue: true }) ?? '',
		).trim(),
		itemIndex,
	);
	return await deleteRecord(
		client,
		apiUrl(client, '/api/v2/content/{kind}/{id}', { kind, id }),
		id,
		itemIndex,
	);
}
