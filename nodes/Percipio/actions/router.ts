import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { percipioClient } from '../transport/client';
import type { PercipioClient } from '../transport/client';
import * as catalogContent from './catalogContent/CatalogContent.resource';
import * as contentImport from './contentImport/ContentImport.resource';
import * as report from './report/Report.resource';
import * as statement from './statement/Statement.resource';
import * as track from './track/Track.resource';
import * as user from './user/User.resource';

type Operation = { execute: (this: IExecuteFunctions, client: PercipioClient) => Promise<INodeExecutionData[]> };

const operations: Record<string, Record<string, Operation>> = {
	contentImport: { upsert: contentImport.upsert },
	track: { send: track.send },
	statement: { send: statement.send },
	user: { create: user.create, upsert: user.upsert, get: user.get, getAll: user.getAll },
	catalogContent: { getAll: catalogContent.getAll },
	report: { learningActivity: report.learningActivity },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	let client: PercipioClient;
	try {
		client = await percipioClient(this);
	} catch (error) {
		if (!this.continueOnFail()) throw error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
		// A credential that cannot work fails every item the same way; nothing was sent.
		return [this.getInputData().map((_item, i) => ({ json: { error: (error as Error).message }, pairedItem: { item: i } }))];
	}
	return [await op.execute.call(this, client)];
}
