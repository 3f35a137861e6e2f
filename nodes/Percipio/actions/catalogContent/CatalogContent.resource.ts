import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['catalogContent'] } },
		options: [{ name: 'Get Many', value: 'getAll', description: "List your organization's catalog content", action: 'Get many catalog content items' }],
		default: 'getAll',
	},
	...getAll.description,
];
