import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activity'] } },
		options: [{ name: 'Get Many', value: 'getAll', description: 'List learning activity in a time range', action: 'Get many activities' }],
		default: 'getAll',
	},
	...getAll.description,
];
