import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { isValidDate } from '../../../shared/validation';
import { compact, jsonObject } from '../common';

/** Optional user fields Thrive's v2 user endpoints take. */
export const userFieldOptions: INodeProperties[] = [
	{
		displayName: 'Additional Fields (JSON)',
		name: 'additionalFields',
		type: 'json',
		default: '{}',
		description: 'Custom user fields configured for your tenant, e.g. {"department": "Sales"}',
	},
	{
		displayName: 'Domain',
		name: 'domain',
		type: 'string',
		default: '',
		description: 'Domain the user is associated with',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Date the user left your organisation',
	},
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Job Title', name: 'jobTitle', type: 'string', default: '' },
	{
		displayName: 'Language Code',
		name: 'languageCode',
		type: 'string',
		default: '',
		placeholder: 'e.g. en-gb',
	},
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{
		displayName: 'Login Method',
		name: 'loginMethod',
		type: 'options',
		default: 'email',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Reference', value: 'ref' },
		],
	},
	{
		displayName: 'Manager Reference',
		name: 'managerRef',
		type: 'string',
		default: '',
		description: "Your organisation's identifier for the user's line manager",
	},
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		default: 'learner',
		options: [
			{ name: 'Administrator', value: 'administrator' },
			{ name: 'Learner', value: 'learner' },
			{ name: 'Learner Admin', value: 'learneradmin' },
		],
	},
	{
		displayName: 'SSO',
		name: 'sso',
		type: 'boolean',
		default: false,
		description: 'Whether the account is managed by an authentication provider',
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		description: 'Date the user started with your organisation',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. Europe/London',
	},
];

const dateText = z
	.string()
	.trim()
	.refine(isValidDate, 'Must be a date (ISO 8601, e.g. 2026-01-31)');

export const userFieldsSchema = z
	.object({
		email: z.string().trim().email('Must be an email address'),
		firstName: z.string().trim().min(1),
		lastName: z.string().trim().min(1),
		loginMethod: z.enum(['email', 'ref']),
		role: z.enum(['administrator', 'learneradmin', 'learner']),
		jobTitle: z.string(),
		managerRef: z.string(),
		startDate: dateText,
		endDate: dateText,
		timeZone: z.string(),
		languageCode: z.string(),
		sso: z.boolean(),
		domain: z.string(),
		additionalFields: z.record(z.unknown(), { invalid_type_error: 'Must be a JSON object' }),
	})
	.partial()
	.strict();

/** The user fields of one item as Thrive takes them (only what was filled in). */
export function userBody(raw: IDataObject): IDataObject {
	const body = compact({
		...raw,
		additionalFields: jsonObject(raw.additionalFields) as IDataObject,
	});
	if (
		body.additionalFields &&
		typeof body.additionalFields === 'object' &&
		!Array.isArray(body.additionalFields) &&
		Object.keys(body.additionalFields).length === 0
	)
		delete body.additionalFields;
	return body;
}
