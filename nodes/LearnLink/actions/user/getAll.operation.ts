import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { joinUrl } from '../../../shared/urls';
import type { LearnLinkClient } from '../../transport/client';
import { listAll, listLimits } from '../common';

const properties: INodeProperties[] = [...returnAllOrLimit({})];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getAll'] } },
	properties,
);

/** GET /rest/v1/users, page/perPage to the end. */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	return await listAll(
		client.api,
		{ method: 'GET', url: joinUrl(client.v1, '/users'), itemIndex },
		listLimits(this, itemIndex),
	);
}
