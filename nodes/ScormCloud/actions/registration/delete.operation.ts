import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { idSchema } from '../common';
import { deleteRecord } from '../deleteRecord';
import { registrationIdProperty } from './get.operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['registration'], operation: ['delete'] } },
	[registrationIdProperty],
);

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const { registrationId } = validateInput(
		this.getNode(),
		z.object({ registrationId: idSchema('Registration ID') }),
		{
			registrationId: this.getNodeParameter('registrationId', itemIndex, undefined, {
				extractValue: true,
			}),
		},
		{ itemIndex },
	);
	await deleteRecord(
		client,
		client.url('/registrations/{registrationId}', { registrationId }),
		itemIndex,
	);
	return { registrationId, deleted: true };
}
