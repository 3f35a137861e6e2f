import type { INodeProperties } from 'n8n-workflow';

import * as learningActivity from './learningActivity.operation';

export { learningActivity };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{
				name: 'Learning Activity',
				value: 'learningActivity',
				description: 'Request the learning activity report, wait until it is ready and return its rows',
				action: 'Get learning activity report',
			},
		],
		default: 'learningActivity',
	},
	...learningActivity.description,
];
