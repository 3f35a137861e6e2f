import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { idSchema } from '../common';
import { registrationIdProperty } from './get.operation';

const properties: INodeProperties[] = [
	registrationIdProperty,
	{
		displayName: 'Expiry (Seconds)',
		name: 'expiry',
		type: 'number',
		default: 120,
		typeOptions: { minValue: 10, maxValue: 300 },
		description:
			'How long the link can be opened, 10 to 300 seconds. Send it to the learner right away.',
	},
	{
		displayName: 'Redirect On Exit URL',
		name: 'redirectOnExitUrl',
		type: 'string',
		default: '',
		placeholder: 'https://lms.example.com/done',
		description:
			"Where the learner's browser goes when the course closes: an http(s) URL, or closer (a page that tries to close the tab), blank (a blank page) or message (a page saying the course is complete). Empty: the redirect configured for your SCORM Cloud application.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Culture',
				name: 'culture',
				type: 'string',
				default: '',
				placeholder: 'e.g. en-US',
				description: 'Language of the player',
			},
			{
				displayName: 'CSS URL',
				name: 'cssUrl',
				type: 'string',
				default: '',
				description: 'A stylesheet for the player',
			},
			{
				displayName: 'Start SCO',
				name: 'startSco',
				type: 'string',
				default: '',
				description: 'Identifier of the SCO to start with',
			},
			{
				displayName: 'Tracking',
				name: 'tracking',
				type: 'boolean',
				default: true,
				description: 'Whether progress is recorded (off for a preview)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['registration'], operation: ['getLaunchLink'] } },
	properties,
);

/** The keywords SCORM Cloud documents for `redirectOnExitUrl` besides a URL. */
export const REDIRECT_KEYWORDS = ['closer', 'blank', 'message'];

/**
 * SCORM Cloud does not refuse an invalid URL: it shows its "course complete" message page instead,
 * so the learner would silently land there. Checked here, where the user can still fix it.
 */
function isAbsoluteHttpUrl(value: string): boolean {
	if (/\s/.test(value)) return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

const schema = z.object({
	registrationId: idSchema('Registration ID'),
	expiry: z
		.number({ invalid_type_error: 'must be a number of seconds' })
		.int('must be a whole number of seconds')
		.min(10, 'must be at least 10 seconds')
		.max(300, 'must be at most 300 seconds'),
	redirectOnExitUrl: z
		.string()
		.trim()
		.transform((u) => (REDIRECT_KEYWORDS.includes(u.toLowerCase()) ? u.toLowerCase() : u))
		.refine(
			(u) => u === '' || REDIRECT_KEYWORDS.includes(u) || isAbsoluteHttpUrl(u),
			`must be an http(s) URL such as https://lms.example.com/done, or one of ${REDIRECT_KEYWORDS.join(', ')} (empty: the configured default)`,
		),
	options: z.object({
		culture: z.string().trim().optional(),
		cssUrl: z
			.string()
			.trim()
			.refine((u) => u === '' || /^https?:\/\/[^\s]+$/i.test(u), 'must be an http(s) URL')
			.optional(),
		startSco: z.string().trim().optional(),
		tracking: z.boolean().optional(),
	}),
});

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			registrationId: this.getNodeParameter('registrationId', itemIndex, undefined, {
				extractValue: true,
			}),
			expiry: this.getNodeParameter('expiry', itemIndex, 120),
			redirectOnExitUrl: this.getNodeParameter('redirectOnExitUrl', itemIndex, '') ?? '',
			options: this.getNodeParameter('options', itemIndex, {}),
		},
		{ itemIndex },
	);
	// Required by SCORM Cloud's schema; an empty string means "the application's configured redirect".
	const body: IDataObject = { expiry: input.expiry, redirectOnExitUrl: input.redirectOnExitUrl };
	for (const [key, value] of Object.entries(input.options))
		if (value !== '' && value !== undefined) body[key] = value;
	const requestedAt = Date.now();
	const result = await client.api.json<IDataObject>({
		method: 'POST',
		url: client.url('/registrations/{registrationId}/launchLink', {
			registrationId: input.registrationId,
		}),
		body,
		// A launch link is a read: asking again only makes another link.
		idempotent: true,
		itemIndex,
	});
	return {
		registrationId: input.registrationId,
		launchLink: result.launchLink,
		expiresAt: new Date(requestedAt + input.expiry * 1000).toISOString(),
	};
}
