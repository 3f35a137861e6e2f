import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { buildPath, joinUrl } from '../../../shared/urls';
import { validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { userLocator, userRefLocator } from '../../methods/locators';

const DEFAULT_BY_ID_PATH = '/users/{userId}';
export const DEFAULT_BY_REF_PATH = '/users/ref/{ref}';

const properties: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'by',
		type: 'options',
		default: 'id',
		options: [
			{ name: 'Thrive User ID', value: 'id' },
			{ name: 'Reference (Your Own User ID)', value: 'ref' },
		],
	},
	userLocator({ displayOptions: { show: { by: ['id'] } } }),
	userRefLocator({ displayOptions: { show: { by: ['ref'] } } }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Path (Advanced)',
				name: 'path',
				type: 'string',
				default: '',
				placeholder: `${DEFAULT_BY_ID_PATH} or ${DEFAULT_BY_REF_PATH}`,
				description: `Route under the REST v1 path. Thrive's reference does not spell out these routes; the defaults are ${DEFAULT_BY_ID_PATH} and ${DEFAULT_BY_REF_PATH}. Keep the {userId} or {ref} placeholder.`,
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	properties,
);

const schema = z
	.object({
		by: z.enum(['id', 'ref']),
		value: z.string().trim().min(1, 'Must not be empty'),
		path: z.string().trim().startsWith('/', 'Must start with /'),
	})
	.refine((v) => v.path.includes(v.by === 'id' ? '{userId}' : '{ref}'), {
		path: ['path'],
		message: 'Must contain the {userId} or {ref} placeholder',
	});

export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const by = this.getNodeParameter('by', itemIndex) as 'id' | 'ref';
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const input = validateInput(
		this.getNode(),
		schema,
		{
			by,
			value: String(
				this.getNodeParameter(by === 'id' ? 'userId' : 'ref', itemIndex, '', {
					extractValue: true,
				}) ?? '',
			),
			path: String(options.path || (by === 'id' ? DEFAULT_BY_ID_PATH : DEFAULT_BY_REF_PATH)),
		},
		{ itemIndex },
	);
	const path = buildPath(input.path, by === 'id' ? { userId: input.value } : { ref: input.value });
	const body = await client.api.json<IDataObject>({
		method: 'GET',
		url: joinUrl(client.v1, path),
		itemIndex,
	});
	// Some Thrive responses wrap the record: unwrap so users get plain fields.
	const record =
		body &&
		typeof body === 'object' &&
		!Array.isArray(body) &&
		body.data &&
		typeof body.data === 'object' &&
		!Array.isArray(body.data)
			? (body.data as IDataObject)
			: body;
	return record ?? {};
}
