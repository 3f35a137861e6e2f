import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { ScormCloudClient } from '../../transport/client';
import * as ping from './ping.operation';

export const operations = { ping } satisfies Operations<ScormCloudClient>;

export const description = resourceDescription(
	'ping',
	operations,
	{
		ping: {
			name: 'Ping',
			description: 'Check the connection and the credential',
			action: 'Ping API',
		},
	},
	'ping',
);
