import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as upsert from './upsert.operation';

export { create, get, getAll, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a user', action: 'Create user' },
			{ name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)', action: 'Create or update user' },
			{ name: 'Get', value: 'get', description: 'Get a user by ID, external user ID or login name', action: 'Get user' },
			{ name: 'Get Many', value: 'getAll', description: 'List users', action: 'Get many users' },
		],
		default: 'get',
	},
	...create.description,
	...upsert.description,
	...get.description,
	...getAll.description,
];
