import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../shared/resourceLocator';

/**
 * SCORM Cloud IDs are chosen by the customer (any text up to 255 characters), so By ID only
 * refuses blank values. No By URL: the SCORM Cloud web app does not address a course or a
 * registration by a stable URL that carries its ID.
 */
const ID_REGEX = '^\\s*\\S.{0,254}$';

export const courseLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'Course',
		name: 'courseId',
		searchListMethod: 'searchCourses',
		description: 'The course: pick it (search by title) or give the ID it was imported with',
		id: { placeholder: 'e.g. onboarding-2026', regex: ID_REGEX, error: 'Enter the course ID' },
	}),
	...overrides,
});

export const registrationLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...resourceLocator({
		displayName: 'Registration',
		name: 'registrationId',
		searchListMethod: 'searchRegistrations',
		description:
			'The registration: pick it (search by registration ID, or by learner email with "@") or give its ID',
		id: {
			placeholder: 'e.g. emp-1042-onboarding-2026',
			regex: ID_REGEX,
			error: 'Enter the registration ID',
		},
	}),
	...overrides,
});
