import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['statement'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: "Send an xAPI statement to Percipio's LRS (Statements API)",
				action: 'Send x api statement',
			},
		],
		default: 'send',
	},
	...send.description,
];
