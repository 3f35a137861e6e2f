import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { runForEachItem } from '../../../shared/itemRunner';
import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import { organizationId, organizationOption, prepareAll, requiredText } from '../common';
import { USER_BY_EXTERNAL_ID_PATH, userBody, userFields } from './fields';

const properties: INodeProperties[] = [
	{ displayName: 'External User ID', name: 'externalUserId', type: 'string', default: '', required: true, description: 'The user to create or update, by their ID in your own system' },
	{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: userFields },
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [organizationOption] },
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['upsert'] } }, properties);

export async function execute(this: IExecuteFunctions, client: PercipioClient): Promise<INodeExecutionData[]> {
	const prepared = prepareAll(this, (itemIndex) => {
		const { externalUserId } = validateInput(this.getNode(), z.object({ externalUserId: requiredText('is required') }), { externalUserId: this.getNodeParameter('externalUserId', itemIndex, '') }, { itemIndex });
		return { externalUserId, body: userBody(this, itemIndex, externalUserId), orgId: organizationId(this, client, itemIndex) };
	});
	return await runForEachItem(
		this,
		async (itemIndex) => {
			const { externalUserId, body, orgId } = prepared(itemIndex);
			// PATCH by external user ID is Percipio's upsert: keyed, so it may be resent safely.
			return (await client.api.json({ method: 'PATCH', url: client.url(USER_BY_EXTERNAL_ID_PATH, { orgId, externalUserId }), body, idempotent: true, itemIndex })) as IDataObject;
		},
		{ concurrency: client.settings.concurrency },
	);
}
