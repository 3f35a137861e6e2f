import { updateDisplayOptions } from 'n8n-workflow';

import { memberProperties, membersExecute } from './members';

export const description = updateDisplayOptions(
	{ show: { resource: ['audience'], operation: ['replaceMembers'] } },
	memberProperties('replaceMembers', 'make the whole membership'),
);

/** PATCH /rest/v1/audiences/{id}/members: one output item per user, success or failure. */
export const execute = membersExecute('replace');
