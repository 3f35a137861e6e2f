import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { buildPath, joinUrl } from '../../../shared/urls';
import { isValidDate, validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { userRefLocator } from '../../methods/locators';

const properties: INodeProperties[] = [
	userRefLocator(),
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Last day of the user (default: today, UTC)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['suspend'] } },
	properties,
);

const schema = z.object({
	ref: z.string().trim().min(1, 'Must not be empty'),
	endDate: z.string().refine(isValidDate, 'Must be a date (ISO 8601, e.g. 2026-01-31)'),
});

/** PATCH /rest/v2/users/ref/{ref}/suspend `{endDate}` (idempotent: suspending twice is the same). */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const given = String(this.getNodeParameter('endDate', itemIndex, '') ?? '').trim();
	const input = validateInput(
		this.getNode(),
		schema,
		{
			ref: this.getNodeParameter('ref', itemIndex, '', { extractValue: true }) as string,
			endDate: given || new Date().toISOString().slice(0, 10),
		},
		{ itemIndex },
	);
	const body = await client.api.json<IDataObject>({
		method: 'PATCH',
		url: joinUrl(client.v2, buildPath('/users/ref/{ref}/suspend', { ref: input.ref })),
		body: { endDate: input.endDate },
		idempotent: true,
		itemIndex,
	});
	return {
		ref: input.ref,
		endDate: input.endDate,
		...(body && typeof body === 'object' ? body : {}),
		result: 'suspended',
	};
}
