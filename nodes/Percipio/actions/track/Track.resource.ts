import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { PercipioClient } from '../../transport/client';
import * as send from './send.operation';

export const operations = { send } satisfies Operations<PercipioClient>;

export const description = resourceDescription(
	'track',
	operations,
	{
		send: {
			name: 'Send Progress',
			description: "Send a learner's progress on a content item (started, in progress, completed)",
			action: 'Send learner progress',
		},
	},
	'send',
);
