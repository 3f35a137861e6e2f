import type { INodeProperties } from 'n8n-workflow';

import * as enrol from './enrol.operation';

export { enrol };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['enrolment'] } },
		options: [{ name: 'Enrol User', value: 'enrol', description: 'Enrol a user in a course with manual enrolment', action: 'Enrol user in course' }],
		default: 'enrol',
	},
	...enrol.description,
];
