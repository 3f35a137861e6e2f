import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { MoodleClient } from '../../transport/client';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { get, getAll } satisfies Operations<MoodleClient>;

export const description = resourceDescription(
	'course',
	operations,
	{
		get: {
			name: 'Get',
			description: 'Find courses by ID, short name, ID number or category',
			action: 'Get courses by field',
		},
		getAll: {
			name: 'Get Many',
			description: 'List the courses of the site',
			action: 'Get many courses',
		},
	},
	'get',
);
