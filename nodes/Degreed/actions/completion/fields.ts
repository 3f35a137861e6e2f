import type { INodeProperties } from 'n8n-workflow';
import { completionLocator } from '../../methods/locators';

/** Identifier types Degreed accepts for the learner of a completion ("Email" is documented by a partner; the rest unconfirmed). */
export const USER_IDENTIFIER_TYPES = [
	{ name: 'Email', value: 'Email' },
	{ name: 'Employee ID', value: 'EmployeeId' },
	{ name: 'User Name', value: 'UserName' },
	{ name: 'Degreed User ID', value: 'Id' },
];

/** How the content of a completion is identified ("externalId" documented by a partner; the rest unconfirmed). */
export const CONTENT_ID_TYPES = [
	{
		name: 'External ID',
		value: 'externalId',
		description: 'The external ID you gave the content in Degreed (recommended)',
	},
	{ name: 'Degreed Content ID', value: 'id' },
	{ name: 'URL', value: 'url' },
];

export const COMPLETION_CONTENT_TYPES = [
	'Article',
	'Assessment',
	'Book',
	'Course',
	'Event',
	'Podcast',
	'Video',
].map((t) => ({ name: t, value: t }));

export const completionIdField = (operations: string[]): INodeProperties =>
	completionLocator({
		displayOptions: { show: { resource: ['completion'], operation: operations } },
	});
