import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as exists from './exists.operation';
import * as get from './get.operation';
import * as getLaunchHistory from './getLaunchHistory.operation';
import * as getLaunchLink from './getLaunchLink.operation';
import * as getMany from './getMany.operation';
import * as getXapiStatements from './getXapiStatements.operation';
import * as resetProgress from './resetProgress.operation';

export const operations: Record<string, Operation> = { create, delete: del, exists, get, getLaunchHistory, getLaunchLink, getMany, getXapiStatements, resetProgress };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['registration'] } },
		options: [
			{ name: 'Check Exists', value: 'exists', description: 'Whether a registration ID is in use', action: 'Check whether registration exists' },
			{ name: 'Create', value: 'create', description: 'Register a learner for a course (safe to re-run: the registration ID is the key)', action: 'Create registration' },
			{ name: 'Delete', value: 'delete', description: 'Delete a registration and its results', action: 'Delete registration' },
			{ name: 'Get', value: 'get', description: 'Get a registration\'s progress: completion, success, score, time, dates', action: 'Get registration' },
			{ name: 'Get Launch History', value: 'getLaunchHistory', description: 'List each time the learner launched the course', action: 'Get launch history of registration' },
			{ name: 'Get Launch Link', value: 'getLaunchLink', description: 'Make a short-lived link that opens the course for the learner', action: 'Get launch link for registration' },
			{ name: 'Get Many', value: 'getMany', description: 'List registrations, filtered by course, learner, dates or tags', action: 'Get many registrations' },
			{ name: 'Get xAPI Statements', value: 'getXapiStatements', description: 'List the xAPI statements recorded for a registration', action: 'Get statements of registration' },
			{ name: 'Reset Progress', value: 'resetProgress', description: 'Clear the learner\'s progress, keeping the registration', action: 'Reset progress of registration' },
		],
		default: 'create',
	},
	...Object.values(operations).flatMap((op) => op.description),
];
