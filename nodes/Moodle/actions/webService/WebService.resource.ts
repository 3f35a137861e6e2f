import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { MoodleClient } from '../../transport/client';
import * as call from './call.operation';

export const operations = { call } satisfies Operations<MoodleClient>;

export const description = resourceDescription(
	'webService',
	operations,
	{
		call: {
			name: 'Call Function',
			description: 'Call any web-service function with parameters given as JSON',
			action: 'Call web service function',
		},
	},
	'call',
);
