import type { INodeProperties } from 'n8n-workflow';

import * as addMembers from './addMembers.operation';
import * as getAll from './getAll.operation';
import * as replaceMembers from './replaceMembers.operation';

export { addMembers, getAll, replaceMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['audience'] } },
		options: [
			{ name: 'Add Members', value: 'addMembers', description: 'Add users to an audience; one result item per user', action: 'Add members to audience' },
			{ name: 'Get Many', value: 'getAll', description: 'List audiences', action: 'Get many audiences' },
			{ name: 'Replace Members', value: 'replaceMembers', description: "Replace an audience's whole member list; one result item per user", action: 'Replace members of audience' },
		],
		default: 'getAll',
	},
	...getAll.description,
	...addMembers.description,
	...replaceMembers.description,
];
