import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { joinUrl } from '../../../shared/urls';
import { isValidDate, validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { compact } from '../common';
import { lifecycleEventIdFor } from './eventId';

const DEFAULT_EVENTS_PATH = '/webhooks';
const LIFECYCLE_EVENTS = ['user_joined', 'user_updated', 'user_suspended', 'user_deleted'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'options',
		default: 'user_joined',
		options: [
			{
				name: 'User Joined',
				value: 'user_joined',
				description: 'Creates the user, or re-activates a suspended one',
			},
			{ name: 'User Updated', value: 'user_updated', description: "Updates the user's details" },
			{ name: 'User Suspended', value: 'user_suspended', description: 'Suspends the user' },
			{
				name: 'User Deleted',
				value: 'user_deleted',
				description: 'Obfuscates the user; learning history is kept',
			},
		],
	},
	{
		displayName: 'User Reference',
		name: 'ref',
		type: 'string',
		default: '',
		required: true,
		description: "Your organisation's unique identifier for the user",
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
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
			{
				displayName: 'Language Code',
				name: 'languageCode',
				type: 'string',
				default: '',
				placeholder: 'e.g. en-gb',
			},
			{ displayName: 'Manager Reference', name: 'managerRef', type: 'string', default: '' },
			{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', default: '' },
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/London',
			},
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
				description:
					"Unique reference of this event, if your source has one (e.g. the HR system's change ID): the same ID is sent again only for the same change. Default: a new ID for each item of each run, kept by every retry of that send, so a resend is recognised as the event Thrive already has and a repeated change (joined again, a value set back) is never mistaken for one.",
			},
			{
				displayName: 'Timestamp',
				name: 'timestamp',
				type: 'dateTime',
				default: '',
				description: 'When the event happened (default: now)',
			},
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

export const description = updateDisplayOptions(
	{ show: { resource: ['userEvent'], operation: ['send'] } },
	properties,
);

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
		.partial({
			email: true,
			firstName: true,
			lastName: true,
			jobTitle: true,
			managerRef: true,
			startDate: true,
			timeZone: true,
			languageCode: true,
		}),
	eventId: z.string().trim().max(200).optional(),
	timestamp: dateText.optional(),
	path: z.string().trim().min(1),
});

/** POST {users API}/webhooks with `{id, timestamp, eventType, content: {user}}`. */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
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
	// Built once, before the transport's retries: a resend carries the same id, a new send a new one.
	const id =
		input.eventId || lifecycleEventIdFor(this, itemIndex, input.eventType, String(user.ref));
	const event = {
		id,
		timestamp: input.timestamp ? new Date(input.timestamp).toISOString() : new Date().toISOString(),
		eventType: input.eventType,
		content: { user },
	};
	const response = await client.usersApi.request<unknown>({
		method: 'POST',
		url: joinUrl(client.usersBase, input.path),
		body: event,
		// The event id is the idempotency key: a resend carries the same id; the effect of a lifecycle
		// event (set a state) is idempotent too, so an n8n-level re-send with a new id is harmless.
		idempotent: true,
		itemIndex,
	});
	// Thrive's answer is kept as is under `response` (an acknowledgement of an event it already had included).
	return {
		status: 'sent',
		id,
		eventType: input.eventType,
		timestamp: event.timestamp,
		ref: user.ref as string,
		httpStatus: response.statusCode,
		response: (response.body ?? null) as IDataObject,
	};
}
