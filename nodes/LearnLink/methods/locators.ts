import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../shared/resourceLocator';

/**
 * Thrive records have no By URL mode: Thrive's web addresses are tenant- and SSO-specific and do
 * not carry the API's IDs in a documented form.
 */
const NOT_BLANK = '^\\s*\\S.*$';

export const userLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'User',
		name: 'userId',
		searchListMethod: 'searchUsers',
		description: "The learner: pick them (search by name or email) or give Thrive's user ID",
		id: { placeholder: 'e.g. 64f0c2a1e4b0…', regex: NOT_BLANK, error: "Enter Thrive's user ID" },
	}),
	...overrides,
});

export const userRefLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'User',
		name: 'ref',
		searchListMethod: 'searchUserRefs',
		description:
			'The user: pick them (search by name or email) or give their reference (your own user ID)',
		id: { placeholder: 'e.g. emp-1002', regex: NOT_BLANK, error: 'Enter the user reference' },
	}),
	...overrides,
});

export const contentLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'Content',
		name: 'contentId',
		searchListMethod: 'searchContent',
		description: "The content: pick it (search by title) or give Thrive's content ID",
		id: { placeholder: 'e.g. 65a1b2c3d4…', regex: NOT_BLANK, error: "Enter Thrive's content ID" },
	}),
	...overrides,
});

export const audienceLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'Audience',
		name: 'audienceId',
		searchListMethod: 'searchAudiences',
		description: 'The audience: pick it (search by name) or give its ID or reference',
		id: {
			placeholder: 'e.g. sales-emea',
			regex: NOT_BLANK,
			error: 'Enter the audience ID or reference',
		},
	}),
	...overrides,
});
