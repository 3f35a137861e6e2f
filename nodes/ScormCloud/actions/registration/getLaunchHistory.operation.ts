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
		displayName: 'Include History Log',
		name: 'includeHistoryLog',
		type: 'boolean',
		default: false,
		description: 'Whether to include the detailed log of each launch',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['registration'], operation: ['getLaunchHistory'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		z.object({ registrationId: idSchema('Registration ID'), includeHistoryLog: z.boolean() }),
		{
			registrationId: this.getNodeParameter('registrationId', itemIndex, undefined, {
				extractValue: true,
			}),
			includeHistoryLog: this.getNodeParameter('includeHistoryLog', itemIndex, false),
		},
		{ itemIndex },
	);
	const body = await client.api.json<IDataObject>({
		method: 'GET',
		url: client.url('/registrations/{registrationId}/launchHistory', {
			registrationId: input.registrationId,
		}),
		qs: input.includeHistoryLog ? { includeHistoryLog: true } : undefined,
		itemIndex,
	});
	const launches = (body?.launchHistory as IDataObject[]) ?? [];
	return launches.map((launch) => ({ registrationId: input.registrationId, ...launch }));
}
