import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { LearnLinkClient } from '../../transport/client';
import * as addMembers from './addMembers.operation';
import * as getAll from './getAll.operation';
import * as replaceMembers from './replaceMembers.operation';

export const operations = {
	getAll,
	addMembers,
	replaceMembers,
} satisfies Operations<LearnLinkClient>;

export const description = resourceDescription(
	'audience',
	operations,
	{
		addMembers: {
			name: 'Add Members',
			description: 'Add users to an audience; one result item per user',
			action: 'Add members to audience',
		},
		getAll: { name: 'Get Many', description: 'List audiences', action: 'Get many audiences' },
		replaceMembers: {
			name: 'Replace Members',
			description: "Replace an audience's whole member list; one result item per user",
			action: 'Replace members of audience',
		},
	},
	'getAll',
);
