import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { LearnLinkClient } from '../../transport/client';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as suspend from './suspend.operation';
import * as update from './update.operation';

export const operations = {
	getAll,
	get,
	create,
	update,
	suspend,
} satisfies Operations<LearnLinkClient>;

export const description = resourceDescription(
	'user',
	operations,
	{
		create: { name: 'Create', description: 'Create a user (REST v2)', action: 'Create user' },
		get: {
			name: 'Get',
			description: 'Get a user by Thrive ID or by reference',
			action: 'Get user',
		},
		getAll: {
			name: 'Get Many',
			description: 'List users, page by page to the end',
			action: 'Get many users',
		},
		suspend: {
			name: 'Suspend',
			description: 'Suspend a user by reference',
			action: 'Suspend user',
		},
		update: {
			name: 'Update',
			description: 'Update a user by reference (only the given fields)',
			action: 'Update user',
		},
	},
	'getAll',
);
