import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { buildPath, joinUrl } from '../../../shared/urls';
import { validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { contentLocator } from '../../methods/locators';

const properties: INodeProperties[] = [contentLocator()];

export const description = updateDisplayOptions(
	{ show: { resource: ['content'], operation: ['get'] } },
	properties,
);

const schema = z.object({ contentId: z.string().trim().min(1, 'Must not be empty') });

/** GET /rest/v1/contents/{id} */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const { contentId } = validateInput(
		this.getNode(),
		schema,
		{
			contentId: String(
				this.getNodeParameter('contentId', itemIndex, '', { extractValue: true }) ?? '',
			),
		},
		{ itemIndex },
	);
	const body = await client.api.json<IDataObject>({
		method: 'GET',
		url: joinUrl(client.v1, buildPath('/contents/{id}', { id: contentId })),
		itemIndex,
	});
	return body &&
		typeof body === 'object' &&
		!Array.isArray(body) &&
		body.data &&
		typeof body.data === 'object'
		? (body.data as IDataObject)
		: (body ?? {});
}
