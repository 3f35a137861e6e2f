import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { LearnLinkClient } from '../../transport/client';
import * as getAll from './getAll.operation';

export const operations = { getAll } satisfies Operations<LearnLinkClient>;

export const description = resourceDescription(
	'activity',
	operations,
	{
		getAll: {
			name: 'Get Many',
			description: 'List learning activity in a time range',
			action: 'Get many activities',
		},
	},
	'getAll',
);
