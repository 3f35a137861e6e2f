import { createHash } from 'node:crypto';

import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { joinUrl } from '../../../shared/urls';
import { validateInput } from '../../../shared/validation';
import type { OperationExecute } from '../common';
import { compact, isValidDate } from '../common';

export const DEFAULT_EVENTS_PATH = '/webhooks';
export const LIFECYCLE_EVENTS = ['user_joined', 'user_updated', 'user_suspended', 'user_deleted'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'options',
		default: 'user_joined',
		options: [
			{ name: 'User Joined', value: 'user_joined', description: 'Creates the user, or re-activates a suspended one' },
			{ name: 'User Updated', value: 'user_updated', description: "Updates the user's details" },
			{ name: 'User Suspended', value: 'user_suspended', description: 'Suspends the user' },
			{ name: 'User Deleted', value: 'user_deleted', description: 'Obfuscates the user; learning history is kept' },
		],
	},
	{ displayName: 'User Reference', name: 'ref', type: 'string', default: '', required: true, description: "Your organisation's unique identifier for the user" },
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Job Title', name: 'jobTitle', type: 'string', default: '' },
			{ displayName: 'Language Code', name: 'languageCode', type: 'string', default: '', placeholder: 'e.g. en-gb' },
			{ displayName: 'Manager Reference', name: 'managerRef', type: 'string', default: '' },
			{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', default: '' },
			{ displayName: 'Time Zone', name: 'timeZone', type: 'string', default: '', placeholder: 'e.g. Europe/London' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Event ID',
				name: 'eventId',
				type: 'string',
				default: '',
				description: 'Unique reference of this event. Default: derived from the event type and the user fields, so a resend of the same item is recognisably the same event.',
			},
			{ displayName: 'Timestamp', name: 'timestamp', type: 'dateTime', default: '', description: 'When the event happened (default: now)' },
			{
				displayName: 'Path (Advanced)',
				name: 'path',
				type: 'string',
				default: DEFAULT_EVENTS_PATH,
				description: 'Route of the inbound provisioning webhook on the users API host',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['userEvent'], operation: ['send'] } }, properties);

const dateText = z.string().refine(isValidDate, 'Must be a date (ISO 8601)');
const schema = z.object({
	eventType: z.enum(LIFECYCLE_EVENTS),
	user: z
		.object({
			ref: z.string().trim().min(1, 'Must not be empty'),
			email: z.string().trim().email('Must be an email address'),
			firstName: z.string().trim(),
			lastName: z.string().trim(),
			jobTitle: z.string(),
			managerRef: z.string(),
			startDate: dateText,
			timeZone: z.string(),
			languageCode: z.string(),
		})
		.partial({ email: true, firstName: true, lastName: true, jobTitle: true, managerRef: true, startDate: true, timeZone: true, languageCode: true }),
	eventId: z.string().trim().max(200).optional(),
	timestamp: dateText.optional(),
	path: z.string().trim().min(1),
});

/**
 * Deterministic event id: a hash of the event type and the user fields (and the timestamp when the
 * user gave one), shaped as a UUID. The same item always yields the same id, so Thrive can recognise
 * a resend after a dropped connection as the event it already has.
 */
export function lifecycleEventId(eventType: string, user: IDataObject, timestamp?: string): string {
	const canonical = JSON.stringify([eventType, Object.keys(user).sort().map((k) => [k, user[k]]), timestamp ?? null]);
	const h = createHash('sha256').update(canonical).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** POST {users API}/webhooks with `{id, timestamp, eventType, content: {user}}`. */
export const execute: OperationExecute = async function (itemIndex, api) {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const input = validateInput(
		this.getNode(),
		schema,
		{
			eventType: this.getNodeParameter('eventType', itemIndex),
			user: compact({
				ref: this.getNodeParameter('ref', itemIndex, '') as string,
				email: this.getNodeParameter('email', itemIndex, '') as string,
				firstName: this.getNodeParameter('firstName', itemIndex, '') as string,
				lastName: this.getNodeParameter('lastName', itemIndex, '') as string,
				...extra,
			}),
			eventId: (options.eventId as string) || undefined,
			timestamp: (options.timestamp as string) || undefined,
			path: (options.path as string) || DEFAULT_EVENTS_PATH,
		},
		{ itemIndex },
	);
	const user = compact(input.user as IDataObject);
	const id = input.eventId || lifecycleEventId(input.eventType, user, input.timestamp);
	const event = { id, timestamp: input.timestamp ? new Date(input.timestamp).toISOString() : new Date().toISOString(), eventType: input.eventType, content: { user } };
	const response = await api.users.request<unknown>({
		method: 'POST',
		url: joinUrl(api.usersBase, input.path),
		body: event,
		// The event id is the idempotency key: a resend carries the same id.
		idempotent: true,
		itemIndex,
	});
	// Thrive's answer is kept as is under `response` (an acknowledgement of an event it already had included).
	return { status: 'sent', id, eventType: input.eventType, timestamp: event.timestamp, ref: user.ref as string, httpStatus: response.statusCode, response: (response.body ?? null) as IDataObject };
};
