/** The operations the hostile suite drives, per provider: a read, a list, the writes and deletes. */
import type { IDataObject } from 'n8n-workflow';

import { MOODLE_DEMO } from '../sandbox/providers/moodle';
import type { Provider } from './harness';

export interface Op {
	name: string;
	params: IDataObject;
}

/** One GET of one record (Moodle: every call is a POST). */
export const READ: Record<Provider, Op> = {
	percipio: {
		name: 'user.get',
		params: {
			resource: 'user',
			operation: 'get',
			lookupBy: 'externalUserId',
			lookupValue: 'emp-1001',
		},
	},
	degreed: {
		name: 'content.get',
		params: {
			resource: 'content',
			operation: 'get',
			contentType: 'any',
			identifyBy: 'id',
			contentId: 'anything',
		},
	},
	learnlink: {
		name: 'user.get',
		params: { resource: 'user', operation: 'get', by: 'ref', ref: 'emp-1001', options: {} },
	},
	scormcloud: {
		name: 'registration.get',
		params: { resource: 'registration', operation: 'get', registrationId: 'reg-1', options: {} },
	},
	moodle: {
		name: 'user.get',
		params: { resource: 'user', operation: 'get', field: 'username', value: 'ada.lovelace' },
	},
};

/** A list walked to the end. */
export const LIST: Record<Provider, Op> = {
	percipio: {
		name: 'catalogContent.getAll',
		params: {
			resource: 'catalogContent',
			operation: 'getAll',
			returnAll: true,
			options: { pageSize: 2 },
		},
	},
	degreed: {
		name: 'user.getAll',
		params: { resource: 'user', operation: 'getAll', returnAll: true, filters: {}, options: {} },
	},
	learnlink: {
		name: 'user.getAll',
		params: { resource: 'user', operation: 'getAll', returnAll: true },
	},
	scormcloud: {
		name: 'registration.getAll',
		params: { resource: 'registration', operation: 'getAll', returnAll: true, filters: {} },
	},
	moodle: {
		name: 'course.getAll',
		params: { resource: 'course', operation: 'getAll', returnAll: true, options: {} },
	},
};

/** Writes (POST/PATCH) and deletes: never redirected, never reported done when they were not. */
export const WRITES: Record<Provider, Op[]> = {
	percipio: [
		{
			name: 'contentImport.upsert',
			params: {
				resource: 'contentImport',
				operation: 'upsert',
				contentId: 'hostile-1',
				title: 'Hostile',
				contentType: 'COURSE',
				url: 'https://learn.example.com/1',
				language: 'en',
				duration: 60,
				additionalFields: {},
				options: {},
			},
		},
		{
			name: 'user.upsert',
			params: {
				resource: 'user',
				operation: 'upsert',
				externalUserId: 'emp-9100',
				additionalFields: { firstName: 'Hostile', loginName: 'hostile.user' },
			},
		},
	],
	degreed: [
		{
			name: 'completion.create',
			params: {
				resource: 'completion',
				operation: 'create',
				userId: 'jane.doe@acme.example',
				userIdentifierType: 'Email',
				contentId: 'course-privacy-101',
				contentIdType: 'externalId',
				contentType: 'Course',
				completedAt: '2026-06-01T10:00:00Z',
				additionalFields: {},
			},
		},
		{
			name: 'content.delete',
			params: {
				resource: 'content',
				operation: 'delete',
				contentType: 'courses',
				identifyBy: 'id',
				contentId: 'c-1',
			},
		},
	],
	learnlink: [
		{
			name: 'completion.create',
			params: {
				resource: 'completion',
				operation: 'create',
				userId: 'u-unknown',
				contentId: 'cnt-101',
				completedAt: '2026-06-01T10:00:00Z',
			},
		},
		{
			name: 'user.suspend',
			params: { resource: 'user', operation: 'suspend', ref: 'emp-1001', endDate: '2026-06-01' },
		},
	],
	scormcloud: [
		{
			name: 'registration.create',
			params: {
				resource: 'registration',
				operation: 'create',
				courseId: 'course-safety-101',
				registrationId: 'hostile-reg',
				learnerId: 'hostile-learner',
				learnerFirstName: 'H',
				learnerLastName: 'L',
				ifExists: 'returnExisting',
				postBack: {},
				additionalFields: {},
			},
		},
		{
			name: 'registration.delete',
			params: { resource: 'registration', operation: 'delete', registrationId: 'reg-1' },
		},
	],
	moodle: [
		{
			name: 'percipio.trackProgress',
			params: {
				resource: 'percipio',
				operation: 'trackProgress',
				moodleUserId: 3,
				courseShortname: MOODLE_DEMO.percipioContentId,
				completionState: 2,
				additionalFields: {},
			},
		},
	],
};
