import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { DegreedClient } from '../../transport/client';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { get, getAll } satisfies Operations<DegreedClient>;

export const description = resourceDescription(
	'user',
	operations,
	{
		get: { name: 'Get', description: 'Get a user by Degreed ID', action: 'Get user' },
		getAll: {
			name: 'Get Many',
			description: 'List users, optionally filtered',
			action: 'Get many users',
		},
	},
	'getAll',
);
