import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../shared/resourceLocator';

/**
 * Degreed records have no By URL mode: the API IDs (users, content, completions) are not the
 * ones in Degreed's web addresses.
 */
const NOT_BLANK = '^\\s*\\S+\\s*$';

export const userLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'User',
		name: 'userId',
		searchListMethod: 'searchUsers',
		description:
			'The Degreed user: pick them (a full email is searched in Degreed) or give their Degreed ID',
		id: { placeholder: 'e.g. U12345', regex: NOT_BLANK, error: 'A Degreed user ID has no spaces' },
	}),
	...overrides,
});

export const contentLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'Content',
		name: 'contentId',
		searchListMethod: 'searchContent',
		description: 'The content: pick it (search by title) or give its Degreed ID',
		id: { placeholder: 'e.g. C1', regex: NOT_BLANK, error: 'A Degreed content ID has no spaces' },
	}),
	...overrides,
});

export const completionLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'Completion',
		name: 'completionId',
		searchListMethod: 'searchCompletions',
		description:
			'The completion: pick it (search by email or content) or give its Degreed ID (the "ID" of Create or Get Many output)',
		id: {
			placeholder: 'e.g. K1',
			regex: NOT_BLANK,
			error: 'A Degreed completion ID has no spaces',
		},
	}),
	...overrides,
});
