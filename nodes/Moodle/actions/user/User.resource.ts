import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { MoodleClient } from '../../transport/client';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getEnrolled from './getEnrolled.operation';

export const operations = { create, get, getEnrolled } satisfies Operations<MoodleClient>;

export const description = resourceDescription(
	'user',
	operations,
	{
		create: {
			name: 'Create',
			description: 'Create a user (core_user_create_users)',
			action: 'Create user',
		},
		get: {
			name: 'Get',
			description: 'Find users by ID, ID number, username or email',
			action: 'Get users by field',
		},
		getEnrolled: {
			name: 'Get Enrolled in Course',
			description: 'List the users enrolled in a course, page by page',
			action: 'Get users enrolled in course',
		},
	},
	'get',
);
