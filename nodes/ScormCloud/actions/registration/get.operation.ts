import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { compact, idSchema } from '../common';
import { registrationLocator } from '../../methods/locators';

export const registrationIdProperty: INodeProperties = registrationLocator();

const detailOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Include Child Results',
			name: 'includeChildResults',
			type: 'boolean',
			default: false,
			description: "Whether to include each learning object's results, not only the course's",
		},
		{
			displayName: 'Include Interactions and Objectives',
			name: 'includeInteractionsAndObjectives',
			type: 'boolean',
			default: false,
			description: 'Whether to include interactions and objectives',
		},
		{
			displayName: 'Include Runtime',
			name: 'includeRuntime',
			type: 'boolean',
			default: false,
			description: 'Whether to include runtime details (CMI data)',
		},
	],
};

export const description = updateDisplayOptions(
	{ show: { resource: ['registration'], operation: ['get'] } },
	[registrationIdProperty, detailOptions],
);

export const detailSchema = z.object({
	includeChildResults: z.boolean().optional(),
	includeInteractionsAndObjectives: z.boolean().optional(),
	includeRuntime: z.boolean().optional(),
});

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const input = validateInput(
		this.getNode(),
		z.object({ registrationId: idSchema('Registration ID'), options: detailSchema }),
		{
			registrationId: this.getNodeParameter('registrationId', itemIndex, undefined, {
				extractValue: true,
			}),
			options: this.getNodeParameter('options', itemIndex, {}),
		},
		{ itemIndex },
	);
	return await client.api.json<IDataObject>({
		method: 'GET',
		url: client.url('/registrations/{registrationId}', { registrationId: input.registrationId }),
		qs: compact({ ...input.options }),
		itemIndex,
	});
}
