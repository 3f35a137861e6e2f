import type { INodeProperties } from 'n8n-workflow';

import * as call from './call.operation';

export { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webService'] } },
		options: [{ name: 'Call Function', value: 'call', description: 'Call any web-service function with parameters given as JSON', action: 'Call web service function' }],
		default: 'call',
	},
	...call.description,
];
