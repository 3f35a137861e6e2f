import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getEnrolled from './getEnrolled.operation';

export { create, get, getEnrolled };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a user (core_user_create_users)', action: 'Create user' },
			{ name: 'Get', value: 'get', description: 'Find users by ID, ID number, username or email', action: 'Get users by field' },
			{
				name: 'Get Enrolled in Course',
				value: 'getEnrolled',
				description: 'List the users enrolled in a course, page by page',
				action: 'Get users enrolled in course',
			},
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...getEnrolled.description,
];
