import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';
import * as send from './send.operation';

export { getAll, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['xapiStatement'] } },
		options: [
			{ name: 'Send', value: 'send', description: 'Send statements (one per item, or a list per item), batched', action: 'Send statements' },
			{ name: 'Get Many', value: 'getAll', description: 'List statements (since, until, verb)', action: 'Get many statements' },
		],
		default: 'send',
	},
	...send.description,
	...getAll.description,
];
