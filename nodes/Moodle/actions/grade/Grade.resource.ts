import type { INodeProperties } from 'n8n-workflow';

import * as getItems from './getItems.operation';

export { getItems };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['grade'] } },
		options: [{ name: 'Get Grade Items', value: 'getItems', description: "A user's grade items in a course (user grade report)", action: 'Get grade items of user' }],
		default: 'getItems',
	},
	...getItems.description,
];
