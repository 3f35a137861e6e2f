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
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a user by Degreed ID', action: 'Get user' },
			{ name: 'Get Many', value: 'getAll', description: 'List users, optionally filtered', action: 'Get many users' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
