import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudApi } from '../../transport/client';
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
		description: 'How long the link can be opened, 10 to 300 seconds. Send it to the learner right away.',
	},
	{
		displayName: 'Redirect On Exit URL',
		name: 'redirectOnExitUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://lms.example.com/done',
		description: 'Where the learner\'s browser goes when the course closes',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Culture', name: 'culture', type: 'string', default: '', placeholder: 'e.g. en-US', description: 'Language of the player' },
			{ displayName: 'CSS URL', name: 'cssUrl', type: 'string', default: '', description: 'A stylesheet for the player' },
			{ displayName: 'Start SCO', name: 'startSco', type: 'string', default: '', description: 'Identifier of the SCO to start with' },
			{ displayName: 'Tracking', name: 'tracking', type: 'boolean', default: true, description: 'Whether progress is recorded (off for a preview)' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['registration'], operation: ['getLaunchLink'] } }, properties);

const schema = z.object({
	registrationId: idSchema('Registration ID'),
	expiry: z.number({ invalid_type_error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(10, 'must be at least 10 seconds').max(300, 'must be at most 300 seconds'),
	redirectOnExitUrl: z
		.string()
		.trim()
		.refine((u) => u === '' || /^https?:\/\/[^\s]+$/i.test(u), 'must be an http(s) URL')
		.optional(),
	options: z.object({
		culture: z.string().trim().optional(),
		cssUrl: z.string().trim().refine((u) => u === '' || /^https?:\/\/[^\s]+$/i.test(u), 'must be an http(s) URL').optional(),
		startSco: z.string().trim().optional(),
		tracking: z.boolean().optional(),
	}),
});

export async function execute(this: IExecuteFunctions, api: ScormCloudApi, itemIndex: number): Promise<IDataObject> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			registrationId: this.getNodeParameter('registrationId', itemIndex, undefined, { extractValue: true }),
			expiry: this.getNodeParameter('expiry', itemIndex, 120),
			redirectOnExitUrl: this.getNodeParameter('redirectOnExitUrl', itemIndex, ''),
			options: this.getNodeParameter('options', itemIndex, {}),
		},
		{ itemIndex },
	);
	const body: IDataObject = { expiry: input.expiry };
	if (input.redirectOnExitUrl) body.redirectOnExitUrl = input.redirectOnExitUrl;
	for (const [key, value] of Object.entries(input.options)) if (value !== '' && value !== undefined) body[key] = value;
	const requestedAt = Date.now();
	const result = await api.client.json<IDataObject>({
		method: 'POST',
		url: api.url('/registrations/{registrationId}/launchLink', { registrationId: input.registrationId }),
		body,
		// A launch link is a read: asking again only makes another link.
		idempotent: true,
		itemIndex,
	});
	return { registrationId: input.registrationId, launchLink: result.launchLink, expiresAt: new Date(requestedAt + input.expiry * 1000).toISOString() };
}
