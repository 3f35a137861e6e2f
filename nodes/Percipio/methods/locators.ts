import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../shared/resourceLocator';

/** Percipio user IDs are UUIDs. No By URL: Percipio's admin pages do not address a user by ID. */
export const userLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'User',
		name: 'lookupValue',
		searchListMethod: 'searchUsers',
		description:
			'The Percipio user: pick them (search by name, login or email) or give their Percipio user ID',
		id: {
			placeholder: 'e.g. 5f0c1f7e-2c1d-4b1e-9d43-7d1f8e2a9b10',
			regex:
				'^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$',
			error: 'A Percipio user ID is a UUID',
		},
	}),
	...overrides,
});
