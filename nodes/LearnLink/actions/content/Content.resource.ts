import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['content'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get one content item by ID', action: 'Get content item' },
			{ name: 'Get Many', value: 'getAll', description: 'List content, optionally only what changed since a time', action: 'Get many content items' },
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
];
