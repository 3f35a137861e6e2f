import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readRequestSettings } from '../../shared/descriptions';
import { runForEachItem } from '../../shared/itemRunner';
import { learnLinkApi } from '../transport/client';
import { learnLinkProfile } from '../transport/profile';
import * as activity from './activity/Activity.resource';
import * as audience from './audience/Audience.resource';
import type { OperationExecute } from './common';
import * as completion from './completion/Completion.resource';
import * as content from './content/Content.resource';
import * as user from './user/User.resource';
import * as userEvent from './userEvent/UserEvent.resource';

const operations: Record<string, Record<string, { execute: OperationExecute }>> = {
	user: { getAll: user.getAll, get: user.get, create: user.create, update: user.update, suspend: user.suspend },
	userEvent: { send: userEvent.send },
	completion: { getAll: completion.getAll, create: completion.create },
	content: { getAll: content.getAll, get: content.get },
	activity: { getAll: activity.getAll },
	audience: { getAll: audience.getAll, addMembers: audience.addMembers, replaceMembers: audience.replaceMembers },
};

/** Runs the chosen operation for every input item (bounded concurrency, paired items, Continue On Fail). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const settings = readRequestSettings(this, learnLinkProfile.rateLimit);
	const api = await learnLinkApi(this, settings);
	const output = await runForEachItem(this, async (itemIndex) => await op.execute.call(this, itemIndex, api), { concurrency: settings.concurrency });
	return [output];
}
