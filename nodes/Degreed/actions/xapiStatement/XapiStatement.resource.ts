import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { DegreedClient } from '../../transport/client';
import * as getAll from './getAll.operation';
import * as send from './send.operation';

export const operations = { send, getAll } satisfies Operations<DegreedClient>;

export const description = resourceDescription(
	'xapiStatement',
	operations,
	{
		send: {
			name: 'Send',
			description: 'Send statements (one per item, or a list per item), batched',
			action: 'Send statements',
		},
		getAll: {
			name: 'Get Many',
			description: 'List statements (since, until, verb)',
			action: 'Get many statements',
		},
	},
	'send',
);
