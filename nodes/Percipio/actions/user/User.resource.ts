import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { PercipioClient } from '../../transport/client';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as upsert from './upsert.operation';

export const operations = { create, upsert, get, getAll } satisfies Operations<PercipioClient>;

export const description = resourceDescription(
	'user',
	operations,
	{
		create: { name: 'Create', description: 'Create a user', action: 'Create user' },
		upsert: {
			name: 'Create or Update',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update user',
		},
		get: {
			name: 'Get',
			description: 'Get a user by ID, external user ID or login name',
			action: 'Get user',
		},
		getAll: { name: 'Get Many', description: 'List users', action: 'Get many users' },
	},
	'get',
);
