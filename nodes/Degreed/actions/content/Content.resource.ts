import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { DegreedClient } from '../../transport/client';
import * as create from './create.operation';
import * as del from './delete.operation';
import { contentKindField, contentKindOrAnyField } from './fields';
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
	'content',
	operations,
	{
		create: {
			name: 'Create',
			description: 'Add content (article, book, course, podcast, video) to the catalog',
			action: 'Create content',
		},
		delete: {
			name: 'Delete',
			description: 'Delete content by Degreed ID or external ID',
			action: 'Delete content',
		},
		get: {
			name: 'Get',
			description: 'Get content by Degreed ID or external ID',
			action: 'Get content',
		},
		getAll: { name: 'Get Many', description: 'List content', action: 'Get many content items' },
		update: {
			name: 'Update',
			description: 'Change content by Degreed ID or external ID',
			action: 'Update content',
		},
	},
	'create',
	[contentKindField, contentKindOrAnyField],
);
