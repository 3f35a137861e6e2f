import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runForEachItem } from '../../../shared/itemRunner';
import type { DegreedClient } from '../../transport/client';
import { apiUrl } from '../common';
import { deleteRecord } from '../delete';
import { identifyByFields, resolveContentId } from './fields';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['content'], operation: ['delete'] } }, identifyByFields(['delete']));

export async function execute(this: IExecuteFunctions, client: DegreedClient): Promise<INodeExecutionData[]> {
	const kind = this.getNodeParameter('contentType', 0) as string;
	return await runForEachItem(
		this,
		async (i) => {
			const id = await resolveContentId(client, this.getNode(), kind, this.getNodeParameter('identifyBy', i, 'id') as string, String(this.getNodeParameter('contentId', i, undefined, { extractValue: true }) ?? '').trim(), i);
			return await deleteRecord(client, apiUrl(client, '/api/v2/content/{kind}/{id}', { kind, id }), id, i);
		},
		{ concurrency: client.settings.concurrency },
	);
}
