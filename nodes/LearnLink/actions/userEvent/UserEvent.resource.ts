import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { LearnLinkClient } from '../../transport/client';
import * as send from './send.operation';

export const operations = { send } satisfies Operations<LearnLinkClient>;

export const description = resourceDescription(
	'userEvent',
	operations,
	{
		send: {
			name: 'Send',
			description:
				'Send user_joined, user_updated, user_suspended or user_deleted to the users API (one unique event ID per item)',
			action: 'Send user lifecycle event',
		},
	},
	'send',
);
