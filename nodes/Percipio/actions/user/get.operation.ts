import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import { organizationId, organizationOptions, requiredText } from '../common';
import { userLocator } from '../../methods/locators';

const PATHS: Record<string, string> = {
	id: '/user-management/v1/organizations/{orgId}/users/{value}',
	externalUserId: '/user-management/v1/organizations/{orgId}/users/external-user-id/{value}',
	loginName: '/user-management/v1/organizations/{orgId}/users/login-name/{value}',
	loginNameOrEmail: '/user-management/v1/organizations/{orgId}/users/login-name-or-email/{value}',
};

const properties: INodeProperties[] = [
	...(['externalUserId', 'id'] as const).map(
		(byDefault): INodeProperties => ({
			displayName: 'Find By',
			name: 'lookupBy',
			type: 'options',
			options: [
				{ name: 'External User ID', value: 'externalUserId' },
				{ name: 'Login Name', value: 'loginName' },
				{ name: 'Login Name or Email', value: 'loginNameOrEmail' },
				{ name: 'User (From List or Percipio ID)', value: 'id' },
			],
			// Version 1 keeps its default so saved workflows that never set it still look up by external ID.
			default: byDefault,
			displayOptions: { show: { '@version': byDefault === 'id' ? [{ _cnd: { gte: 2 } }] : [1] } },
		}),
	),
	userLocator({ displayOptions: { show: { lookupBy: ['id'] } } }),
	{
		displayName: 'Value',
		name: 'lookupValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. jane.doe@acme.com',
		description: 'The external user ID, login name or email of the user, as chosen in "Find By"',
		displayOptions: { show: { lookupBy: ['externalUserId', 'loginName', 'loginNameOrEmail'] } },
	},
	organizationOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const by = this.getNodeParameter('lookupBy', itemIndex, 'externalUserId') as string;
	const input = validateInput(
		this.getNode(),
		z.object({
			lookupBy: z.enum(['id', 'externalUserId', 'loginName', 'loginNameOrEmail']),
			lookupValue: requiredText('is required'),
		}),
		{
			lookupBy: by,
			lookupValue: this.getNodeParameter('lookupValue', itemIndex, '', { extractValue: true }),
		},
		{ itemIndex },
	);
	const url = client.url(PATHS[input.lookupBy], {
		orgId: organizationId(this, client, itemIndex),
		value: input.lookupValue,
	});
	return (await client.api.json({ method: 'GET', url, itemIndex })) as IDataObject;
}
