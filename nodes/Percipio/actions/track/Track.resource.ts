import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['track'] } },
		options: [
			{
				name: 'Send Progress',
				value: 'send',
				description: "Send a learner's progress on a content item (started, in progress, completed)",
				action: 'Send learner progress',
			},
		],
		default: 'send',
	},
	...send.description,
];
