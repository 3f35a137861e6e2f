import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { DegreedClient } from '../../transport/client';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations = {
	create,
	delete: del,
	get,
	getAll,
	update,
} satisfies Operations<DegreedClient>;

export const description = resourceDescription(
	'completion',
	operations,
	{
		create: {
			name: 'Create',
			description: 'Record that a learner completed content',
			action: 'Create completion',
		},
		delete: { name: 'Delete', description: 'Delete a completion', action: 'Delete completion' },
		get: {
			name: 'Get',
			description: 'Get a completion by its Degreed ID',
			action: 'Get completion',
		},
		getAll: { name: 'Get Many', description: 'List completions', action: 'Get many completions' },
		update: { name: 'Update', description: 'Change a completion', action: 'Update completion' },
	},
	'create',
);
