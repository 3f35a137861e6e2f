import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, del as delete, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['completion'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Record that a learner completed content', action: 'Create completion' },
			{ name: 'Delete', value: 'delete', description: 'Delete a completion', action: 'Delete completion' },
			{ name: 'Get', value: 'get', description: 'Get a completion by its Degreed ID', action: 'Get completion' },
			{ name: 'Get Many', value: 'getAll', description: 'List completions', action: 'Get many completions' },
			{ name: 'Update', value: 'update', description: 'Change a completion', action: 'Update completion' },
		],
		default: 'create',
	},
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
