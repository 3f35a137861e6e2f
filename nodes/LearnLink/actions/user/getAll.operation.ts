import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { joinUrl } from '../../../shared/urls';
import type { OperationExecute } from '../common';
import { listAll, listLimits } from '../common';

const properties: INodeProperties[] = [...returnAllOrLimit({})];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getAll'] } }, properties);

/** GET /rest/v1/users, page/perPage to the end. */
export const execute: OperationExecute = async function (itemIndex, api) {
	return await listAll(api.public, { method: 'GET', url: joinUrl(api.v1, '/users'), itemIndex }, listLimits(this, itemIndex));
};
