import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { PercipioClient } from '../../transport/client';
import * as upsert from './upsert.operation';

export const operations = { upsert } satisfies Operations<PercipioClient>;

export const description = resourceDescription(
	'contentImport',
	operations,
	{
		upsert: {
			name: 'Create or Update',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Import or update content',
		},
	},
	'upsert',
);
