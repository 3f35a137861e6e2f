import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['course'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Find courses by ID, short name, ID number or category', action: 'Get courses by field' },
			{ name: 'Get Many', value: 'getMany', description: 'List the courses of the site', action: 'Get many courses' },
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
];
