import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userEvent'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Send user_joined, user_updated, user_suspended or user_deleted to the users API (one unique event ID per item)',
				action: 'Send user lifecycle event',
			},
		],
		default: 'send',
	},
	...send.description,
];
