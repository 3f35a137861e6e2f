import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { sameKey } from '../../../shared/exactMatch';
import { buildPath, joinUrl } from '../../../shared/urls';
import { validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { DEFAULT_BY_REF_PATH } from './get.operation';
import { userBody, userFieldOptions, userFieldsSchema } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Reference',
		name: 'ref',
		type: 'string',
		default: '',
		required: true,
		description:
			"Your organisation's unique identifier for the user (the idempotency key: a retried create finds it)",
	},
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '', required: true },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '', required: true },
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Required unless Login Method is Reference',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: userFieldOptions.filter((o) => !['email', 'firstName', 'lastName'].includes(o.name)),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'If the User Already Exists',
				name: 'ifExists',
				type: 'options',
				default: 'error',
				options: [
					{ name: 'Fail the Item', value: 'error' },
					{ name: 'Return Result "alreadyExists"', value: 'skip' },
				],
				description: 'What a 409 Conflict (a user with this reference exists) means for this item',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

const schema = userFieldsSchema
	.extend({
		ref: z.string().trim().min(1, 'Must not be empty'),
		firstName: z.string().trim().min(1, 'Must not be empty'),
		lastName: z.string().trim().min(1, 'Must not be empty'),
	})
	.superRefine((v, ctx) => {
		if ((v.loginMethod ?? 'email') === 'email' && !v.email)
			ctx.addIssue({
				code: 'custom',
				path: ['email'],
				message: 'Is required unless Login Method is Reference',
			});
	});

/** POST /rest/v2/users. A retry after an ambiguous failure first looks the ref up, so it never creates twice. */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body = validateInput(
		this.getNode(),
		schema,
		userBody({
			...extra,
			ref: this.getNodeParameter('ref', itemIndex, '') as string,
			firstName: this.getNodeParameter('firstName', itemIndex, '') as string,
			lastName: this.getNodeParameter('lastName', itemIndex, '') as string,
			email: this.getNodeParameter('email', itemIndex, '') as string,
		}),
		{ itemIndex },
	);
	const lookup = joinUrl(client.v1, buildPath(DEFAULT_BY_REF_PATH, { ref: body.ref }));
	const response = await client.api.request<IDataObject>({
		method: 'POST',
		url: joinUrl(client.v2, '/users'),
		body,
		itemIndex,
		acceptStatuses: [409],
		recover: async () => {
			const found = await client.api.request({
				method: 'GET',
				url: lookup,
				itemIndex,
				acceptStatuses: [404],
			});
			// Only the user asked for counts: an answer for another (or no) reference is not it.
			const record = found.body as { ref?: unknown } | undefined;
			return found.statusCode === 404 || !sameKey(record?.ref, body.ref) ? undefined : found;
		},
	});
	if (response.statusCode === 409) {
		if (options.ifExists !== 'skip') {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: a Learn.link user with reference "${body.ref}" already exists`,
				{
					itemIndex,
					description:
						'Use the Update operation for existing users, or set Options → "If the User Already Exists" to return a status instead.',
				},
			);
		}
		return { result: 'alreadyExists', ref: body.ref };
	}
	const record = response.body && typeof response.body === 'object' ? response.body : {};
	// `result` says what this item did; the user record keeps its own `status` (active, suspended…).
	return { ...record, ref: (record as IDataObject).ref ?? body.ref, result: 'created' };
}
