import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import {
	compact,
	extraJson,
	optionalText,
	organizationId,
	organizationOptions,
	requiredText,
} from '../common';

export const USERS_PATH = '/user-management/v1/organizations/{orgId}/users';
export const USER_BY_EXTERNAL_ID_PATH =
	'/user-management/v1/organizations/{orgId}/users/external-user-id/{externalUserId}';

export const ROLES = [
	'LEARNER',
	'ADMIN',
	'CONTENT_CURATOR',
	'CONTENT_COORDINATOR',
	'LEARNING_ADMIN',
	'MANAGER',
] as const;

/** The user fields Percipio's User Management API takes (besides externalUserId). */
export const userFields: INodeProperties[] = [
	{
		displayName: 'Custom Attributes',
		name: 'customAttributes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Name of the custom attribute as defined in Percipio',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{
		displayName: 'Extra Fields (JSON)',
		name: 'extraFields',
		type: 'json',
		default: '{}',
		description: 'Further fields sent as they are',
	},
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{
		displayName: 'Is Active',
		name: 'isActive',
		type: 'boolean',
		default: true,
		description: 'Whether the user is active',
	},
	{
		displayName: 'Is Instructor',
		name: 'isInstructor',
		type: 'boolean',
		default: false,
		description: 'Whether the user is an instructor',
	},
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'Login Name', name: 'loginName', type: 'string', default: '' },
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		options: ROLES.map((r) => ({
			name: r
				.replace(/_/g, ' ')
				.toLowerCase()
				.replace(/\b\w/g, (c) => c.toUpperCase()),
			value: r,
		})),
		default: 'LEARNER',
	},
	{
		displayName: 'Send Welcome Email',
		name: 'sendWelcomeEmail',
		type: 'boolean',
		default: false,
		description: 'Whether Percipio emails the new user',
	},
];

const userSchema = z
	.object({
		email: optionalText.pipe(z.string().email('must be an email address').optional()),
		loginName: optionalText,
		firstName: optionalText,
		lastName: optionalText,
		role: z
			.enum(ROLES, { errorMap: () => ({ message: `must be one of ${ROLES.join(', ')}` }) })
			.optional(),
		isActive: z.boolean().optional(),
		isInstructor: z.boolean().optional(),
		sendWelcomeEmail: z.boolean().optional(),
		customAttributes: z
			.array(z.object({ name: z.string().trim().min(1, 'is required'), value: z.unknown() }))
			.optional(),
	})
	.passthrough();

/** The user record of one item from "Additional Fields", validated. */
export function userBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	externalUserId: string,
): IDataObject {
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const node = ctx.getNode();
	const extraFields =
		validateInput(
			node,
			z.object({ extraFields: extraJson }),
			{ extraFields: extra.extraFields },
			{ itemIndex },
		).extraFields ?? {};
	const attributes = (
		(extra.customAttributes as IDataObject | undefined)?.attribute as IDataObject[] | undefined
	)?.map((a) => ({ name: a.name, value: a.value }));
	const fields = { ...extra };
	delete fields.extraFields;
	delete fields.customAttributes;
	const body = validateInput(
		node,
		userSchema,
		{ ...extraFields, ...fields, ...(attributes?.length ? { customAttributes: attributes } : {}) },
		{ itemIndex },
	);
	return compact({ ...body, externalUserId }) as IDataObject;
}

/** The parameters of Create and Upsert: the external user ID (described per operation), fields, organization. */
export function userWriteProperties(externalUserIdDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'External User ID',
			name: 'externalUserId',
			type: 'string',
			default: '',
			required: true,
			description: externalUserIdDescription,
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: userFields,
		},
		organizationOptions,
	];
}

/** Every item is checked before the first request: one bad item stops the node with nothing sent. */
export function prepareUserWrite(
	ctx: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
): { externalUserId: string; body: IDataObject; orgId: string } {
	const { externalUserId } = validateInput(
		ctx.getNode(),
		z.object({ externalUserId: requiredText('is required') }),
		{ externalUserId: ctx.getNodeParameter('externalUserId', itemIndex, '') },
		{ itemIndex },
	);
	return {
		externalUserId,
		body: userBody(ctx, itemIndex, externalUserId),
		orgId: organizationId(ctx, client, itemIndex),
	};
}
