import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createDegreedClient } from '../transport/client';
import type { DegreedClient } from '../transport/client';
import * as completion from './completion/Completion.resource';
import * as content from './content/Content.resource';
import * as user from './user/User.resource';
import * as xapiStatement from './xapiStatement/XapiStatement.resource';

type Operation = { execute: (this: IExecuteFunctions, client: DegreedClient) => Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	completion: { create: completion.create, delete: completion.delete, get: completion.get, getAll: completion.getAll, update: completion.update },
	content: { create: content.create, delete: content.delete, get: content.get, getAll: content.getAll, update: content.update },
	user: { get: user.get, getAll: user.getAll },
	xapiStatement: { send: xapiStatement.send, getAll: xapiStatement.getAll },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = resources[resource]?.[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	const client = await createDegreedClient(this);
	return [await op.execute.call(this, client)];
}
