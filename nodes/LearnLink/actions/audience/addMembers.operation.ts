import { updateDisplayOptions } from 'n8n-workflow';

import { memberProperties, membersExecute } from './members';

export const description = updateDisplayOptions(
	{ show: { resource: ['audience'], operation: ['addMembers'] } },
	memberProperties('addMembers', 'add'),
);

/** POST /rest/v1/audiences/{id}/members: one output item per user, success or failure. */
export const execute = membersExecute('add');
