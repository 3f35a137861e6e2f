import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { LearnLinkClient } from '../../transport/client';
import * as create from './create.operation';
import * as getAll from './getAll.operation';

export const operations = { getAll, create } satisfies Operations<LearnLinkClient>;

export const description = resourceDescription(
	'completion',
	operations,
	{
		create: {
			name: 'Create',
			description: 'Record that a learner completed content ("already exists" counts as success)',
			action: 'Create completion',
		},
		getAll: {
			name: 'Get Many',
			description: 'List completions by user, content and date range',
			action: 'Get many completions',
		},
	},
	'getAll',
);
