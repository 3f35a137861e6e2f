import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { ScormCloudClient } from '../../transport/client';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getImportJob from './getImportJob.operation';
import * as importFromBinary from './importFromBinary.operation';
import * as importFromUrl from './importFromUrl.operation';

export const operations = {
	delete: del,
	get,
	getImportJob,
	getAll,
	importFromBinary,
	importFromUrl,
} satisfies Operations<ScormCloudClient>;

export const description = resourceDescription(
	'course',
	operations,
	{
		delete: {
			name: 'Delete',
			description: 'Delete a course with its registrations',
			action: 'Delete course',
		},
		get: { name: 'Get', description: 'Get a course', action: 'Get course' },
		getImportJob: {
			name: 'Get Import Job',
			description: 'Check the status of a course import',
			action: 'Get status of import job',
		},
		getAll: { name: 'Get Many', description: 'List courses', action: 'Get many courses' },
		importFromBinary: {
			name: 'Import From Binary Data',
			description: 'Upload a course package (zip) from a previous node',
			action: 'Import course from binary data',
		},
		importFromUrl: {
			name: 'Import From URL',
			description: 'Have SCORM Cloud download and import a course package',
			action: 'Import course from URL',
		},
	},
	'getAll',
);
