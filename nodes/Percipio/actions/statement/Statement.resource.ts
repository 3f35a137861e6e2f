import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { PercipioClient } from '../../transport/client';
import * as send from './send.operation';

export const operations = { send } satisfies Operations<PercipioClient>;

export const description = resourceDescription(
	'statement',
	operations,
	{
		send: {
			name: 'Send',
			description: "Send an xAPI statement to Percipio's LRS (Statements API)",
			action: 'Send x api statement',
		},
	},
	'send',
);
