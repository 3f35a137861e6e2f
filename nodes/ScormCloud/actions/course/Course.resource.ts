import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getImportJob from './getImportJob.operation';
import * as getMany from './getMany.operation';
import * as importFromBinary from './importFromBinary.operation';
import * as importFromUrl from './importFromUrl.operation';

export const operations: Record<string, Operation> = { delete: del, get, getImportJob, getMany, importFromBinary, importFromUrl };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['course'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete a course with its registrations', action: 'Delete course' },
			{ name: 'Get', value: 'get', description: 'Get a course', action: 'Get course' },
			{ name: 'Get Import Job', value: 'getImportJob', description: 'Check the status of a course import', action: 'Get status of import job' },
			{ name: 'Get Many', value: 'getMany', description: 'List courses', action: 'Get many courses' },
			{ name: 'Import From Binary Data', value: 'importFromBinary', description: 'Upload a course package (zip) from a previous node', action: 'Import course from binary data' },
			{ name: 'Import From URL', value: 'importFromUrl', description: 'Have SCORM Cloud download and import a course package', action: 'Import course from URL' },
		],
		default: 'getMany',
	},
	...Object.values(operations).flatMap((op) => op.description),
];
