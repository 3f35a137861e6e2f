import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { PercipioClient } from '../../transport/client';
import * as learningActivity from './learningActivity.operation';

export const operations = { learningActivity } satisfies Operations<PercipioClient>;

export const description = resourceDescription(
	'report',
	operations,
	{
		learningActivity: {
			name: 'Learning Activity',
			description:
				'Request the learning activity report, wait until it is ready and return its rows',
			action: 'Get learning activity report',
		},
	},
	'learningActivity',
);
