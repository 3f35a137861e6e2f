import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runForEachItem } from '../../../shared/itemRunner';
import type { DegreedClient } from '../../transport/client';
import { apiUrl } from '../common';
import { deleteRecord } from '../delete';
import { completionIdField } from './fields';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['completion'], operation: ['delete'] } }, [completionIdField(['delete'])]);

export async function execute(this: IExecuteFunctions, client: DegreedClient): Promise<INodeExecutionData[]> {
	return await runForEachItem(
		this,
		async (i) => {
			const id = String(this.getNodeParameter('completionId', i, undefined, { extractValue: true }));
			return await deleteRecord(client, apiUrl(client, '/api/v2/completions/{id}', { id }), id, i);
		},
		{ concurrency: client.settings.concurrency },
	);
}
