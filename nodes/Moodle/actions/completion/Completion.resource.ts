import type { INodeProperties } from 'n8n-workflow';

import * as getActivitiesStatus from './getActivitiesStatus.operation';
import * as getCourseStatus from './getCourseStatus.operation';

export { getActivitiesStatus, getCourseStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['completion'] } },
		options: [
			{
				name: 'Get Activities Status',
				value: 'getActivitiesStatus',
				description: "A user's completion state of every activity in a course",
				action: 'Get activities completion status',
			},
			{
				name: 'Get Course Status',
				value: 'getCourseStatus',
				description: "Whether a user has completed a course, with the criteria",
				action: 'Get course completion status',
			},
		],
		default: 'getCourseStatus',
	},
	...getCourseStatus.description,
	...getActivitiesStatus.description,
];
