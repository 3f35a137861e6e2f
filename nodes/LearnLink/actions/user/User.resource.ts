import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as suspend from './suspend.operation';
import * as update from './update.operation';

export { create, get, getAll, suspend, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a user (REST v2)', action: 'Create user' },
			{ name: 'Get', value: 'get', description: 'Get a user by Thrive ID or by reference', action: 'Get user' },
			{ name: 'Get Many', value: 'getAll', description: 'List users, page by page to the end', action: 'Get many users' },
			{ name: 'Suspend', value: 'suspend', description: 'Suspend a user by reference', action: 'Suspend user' },
			{ name: 'Update', value: 'update', description: 'Update a user by reference (only the given fields)', action: 'Update user' },
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...suspend.description,
];
