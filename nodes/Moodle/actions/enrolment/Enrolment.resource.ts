import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { MoodleClient } from '../../transport/client';
import * as enrol from './enrol.operation';

export const operations = { enrol } satisfies Operations<MoodleClient>;

export const description = resourceDescription(
	'enrolment',
	operations,
	{
		enrol: {
			name: 'Enrol User',
			description: 'Enrol a user in a course with manual enrolment',
			action: 'Enrol user in course',
		},
	},
	'enrol',
);
