import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';

export { create, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['completion'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Record that a learner completed content ("already exists" counts as success)', action: 'Create completion' },
			{ name: 'Get Many', value: 'getAll', description: 'List completions by user, content and date range', action: 'Get many completions' },
		],
		default: 'getAll',
	},
	...getAll.description,
	...create.description,
];
