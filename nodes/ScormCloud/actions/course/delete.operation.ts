import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { idSchema } from '../common';
import { deleteRecord } from '../deleteRecord';
import { courseIdProperty } from './get.operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['delete'] } },
	[
		{
			...courseIdProperty,
			hint: 'Deleting a course also deletes its registrations, invitations and dispatches',
		},
	],
);

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const { courseId } = validateInput(
		this.getNode(),
		z.object({ courseId: idSchema('Course ID') }),
		{ courseId: this.getNodeParameter('courseId', itemIndex, undefined, { extractValue: true }) },
		{ itemIndex },
	);
	await deleteRecord(client, client.url('/courses/{courseId}', { courseId }), itemIndex);
	return { courseId, deleted: true };
}
