import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { MoodleClient } from '../../transport/client';
import * as getActivitiesStatus from './getActivitiesStatus.operation';
import * as getCourseStatus from './getCourseStatus.operation';

export const operations = {
	getCourseStatus,
	getActivitiesStatus,
} satisfies Operations<MoodleClient>;

export const description = resourceDescription(
	'completion',
	operations,
	{
		getActivitiesStatus: {
			name: 'Get Activities Status',
			description: "A user's completion state of every activity in a course",
			action: 'Get activities completion status',
		},
		getCourseStatus: {
			name: 'Get Course Status',
			description: 'Whether a user has completed a course, with the criteria',
			action: 'Get course completion status',
		},
	},
	'getCourseStatus',
);
