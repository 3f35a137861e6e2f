import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { PercipioClient } from '../../transport/client';
import * as getAll from './getAll.operation';

export const operations = { getAll } satisfies Operations<PercipioClient>;

export const description = resourceDescription(
	'catalogContent',
	operations,
	{
		getAll: {
			name: 'Get Many',
			description: "List your organization's catalog content",
			action: 'Get many catalog content items',
		},
	},
	'getAll',
);
