import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { LearnLinkClient } from '../../transport/client';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { getAll, get } satisfies Operations<LearnLinkClient>;

export const description = resourceDescription(
	'content',
	operations,
	{
		get: { name: 'Get', description: 'Get one content item by ID', action: 'Get content item' },
		getAll: {
			name: 'Get Many',
			description: 'List content, optionally only what changed since a time',
			action: 'Get many content items',
		},
	},
	'getAll',
);
