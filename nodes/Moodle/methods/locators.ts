import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../shared/resourceLocator';

/** Moodle IDs are positive whole numbers; By URL takes the `id=` of the record's page. */
const ID = {
	placeholder: 'e.g. 42',
	regex: '^\\s*[1-9]\\d*\\s*$',
	error: 'A Moodle ID is a positive whole number',
};

export const courseLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'Course',
		name: 'courseId',
		searchListMethod: 'searchCourses',
		description: 'The Moodle course: pick it, or give its ID or the address of its page',
		id: ID,
		url: {
			placeholder: 'e.g. https://moodle.example.com/course/view.php?id=42',
			regex: '^https?://.+/course/view\\.php\\?(?:.*&)?id=[1-9]\\d*(?:&.*)?$',
			extract: '/course/view\\.php\\?(?:.*&)?id=([1-9]\\d*)',
			error: 'Not the address of a Moodle course page (…/course/view.php?id=…)',
		},
	}),
	...overrides,
});

export const userLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'User',
		name: 'userId',
		searchListMethod: 'searchUsers',
		description:
			'The Moodle user: pick them (search by email), or give their ID or the address of their profile',
		id: ID,
		url: {
			placeholder: 'e.g. https://moodle.example.com/user/profile.php?id=7',
			regex: '^https?://.+/user/(?:profile|view)\\.php\\?(?:.*&)?id=[1-9]\\d*(?:&.*)?$',
			extract: '/user/(?:profile|view)\\.php\\?(?:.*&)?id=([1-9]\\d*)',
			error: 'Not the address of a Moodle user profile (…/user/profile.php?id=…)',
		},
	}),
	...overrides,
});
