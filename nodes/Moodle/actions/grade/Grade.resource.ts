import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { MoodleClient } from '../../transport/client';
import * as getItems from './getItems.operation';

export const operations = { getItems } satisfies Operations<MoodleClient>;

export const description = resourceDescription(
	'grade',
	operations,
	{
		getItems: {
			name: 'Get Grade Items',
			description: "A user's grade items in a course (user grade report)",
			action: 'Get grade items of user',
		},
	},
	'getItems',
);
