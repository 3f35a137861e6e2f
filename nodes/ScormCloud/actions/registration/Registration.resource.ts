import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { ScormCloudClient } from '../../transport/client';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as exists from './exists.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getLaunchHistory from './getLaunchHistory.operation';
import * as getLaunchLink from './getLaunchLink.operation';
import * as getXapiStatements from './getXapiStatements.operation';
import * as resetProgress from './resetProgress.operation';

export const operations = {
	create,
	delete: del,
	exists,
	get,
	getLaunchHistory,
	getLaunchLink,
	getAll,
	getXapiStatements,
	resetProgress,
} satisfies Operations<ScormCloudClient>;

export const description = resourceDescription(
	'registration',
	operations,
	{
		exists: {
			name: 'Check Exists',
			description: 'Whether a registration ID is in use',
			action: 'Check whether registration exists',
		},
		create: {
			name: 'Create',
			description:
				'Register a learner for a course (safe to re-run: the registration ID is the key)',
			action: 'Create registration',
		},
		delete: {
			name: 'Delete',
			description: 'Delete a registration and its results',
			action: 'Delete registration',
		},
		get: {
			name: 'Get',
			description: "Get a registration's progress: completion, success, score, time, dates",
			action: 'Get registration',
		},
		getLaunchHistory: {
			name: 'Get Launch History',
			description: 'List each time the learner launched the course',
			action: 'Get launch history of registration',
		},
		getLaunchLink: {
			name: 'Get Launch Link',
			description: 'Make a short-lived link that opens the course for the learner',
			action: 'Get launch link for registration',
		},
		getAll: {
			name: 'Get Many',
			description: 'List registrations, filtered by course, learner, dates or tags',
			action: 'Get many registrations',
		},
		getXapiStatements: {
			name: 'Get xAPI Statements',
			description: 'List the xAPI statements recorded for a registration',
			action: 'Get statements of registration',
		},
		resetProgress: {
			name: 'Reset Progress',
			description: "Clear the learner's progress, keeping the registration",
			action: 'Reset progress of registration',
		},
	},
	'create',
);
