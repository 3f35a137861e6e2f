import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { apiError } from '../../../shared/errors';
import { findExactlyOne } from '../../../shared/exactMatch';
import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { asArray, functionName, optionsOf, wsfunctionOption } from '../common';

const FUNCTION = 'core_user_create_users';
const LOOKUP = 'core_user_get_users_by_field';

const properties: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ada.lovelace',
		description:
			'Login name; Moodle requires lowercase. It is also how a resent or repeated create recognises the user it already made.',
	},
	{ displayName: 'First Name', name: 'firstname', type: 'string', default: '', required: true },
	{ displayName: 'Last Name', name: 'lastname', type: 'string', default: '', required: true },
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
	},
	{
		displayName: 'Password',
		name: 'passwordMode',
		type: 'options',
		default: 'createPassword',
		options: [
			{ name: 'Let Moodle Create and Email One', value: 'createPassword' },
			{ name: 'Set One', value: 'set' },
			{
				name: 'None (External Authentication)',
				value: 'none',
				description:
					'For accounts that sign in through SSO, LDAP, OAuth 2 and the like (set "Authentication Method")',
			},
		],
	},
	{
		displayName: 'Password Value',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: { show: { passwordMode: ['set'] } },
		description: "Must satisfy the site's password policy",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Alternate Name', name: 'alternatename', type: 'string', default: '' },
			{
				displayName: 'Authentication Method',
				name: 'auth',
				type: 'string',
				default: 'manual',
				description: 'Moodle auth plugin, e.g. manual, ldap, oauth2, saml2',
			},
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{
				displayName: 'Country',
				name: 'country',
				type: 'string',
				default: '',
				description: 'Two-letter country code, e.g. GB',
			},
			{
				displayName: 'Custom Profile Fields',
				name: 'customFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{
								displayName: 'Short Name',
								name: 'type',
								type: 'string',
								default: '',
								description: 'Short name of the custom profile field',
							},
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{ displayName: 'Department', name: 'department', type: 'string', default: '' },
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'ID Number',
				name: 'idnumber',
				type: 'string',
				default: '',
				description: 'An external ID (e.g. HR ID)',
			},
			{ displayName: 'Institution', name: 'institution', type: 'string', default: '' },
			{
				displayName: 'Language',
				name: 'lang',
				type: 'string',
				default: '',
				description: 'Language code, e.g. en',
			},
			{ displayName: 'Middle Name', name: 'middlename', type: 'string', default: '' },
			{ displayName: 'Phone', name: 'phone1', type: 'string', default: '' },
			{
				displayName: 'Timezone',
				name: 'timezone',
				type: 'string',
				default: '',
				description: 'For example Europe/London, or 99 for the server timezone',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'If the Username Exists',
				name: 'ifExists',
				type: 'options',
				default: 'returnExisting',
				options: [
					{
						name: 'Return the Existing User',
						value: 'returnExisting',
						description: 'Output that user with created: false (safe re-runs)',
					},
					{ name: 'Fail', value: 'error' },
				],
			},
			wsfunctionOption(FUNCTION),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

const schema = z.object({
	username: z
		.string()
		.trim()
		.min(1, 'must not be empty')
		.max(100)
		.refine(
			(v) => v === v.toLowerCase(),
			'must be lowercase (Moodle rejects usernames with capital letters)',
		),
	firstname: z.string().trim().min(1, 'must not be empty'),
	lastname: z.string().trim().min(1, 'must not be empty'),
	email: z.string().trim().email('must be an email address'),
	passwordMode: z.enum(['createPassword', 'set', 'none']),
	password: z.string().optional(),
});

async function findByUsername(
	client: MoodleClient,
	node: INode,
	username: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const users = asArray(
		await client.call(LOOKUP, { field: 'username', values: [username] }, { itemIndex }),
	);
	// Matched again on the answer: a user without a username, or with another one, is never this one.
	return findExactlyOne(users, username, {
		node,
		itemIndex,
		what: 'Moodle user',
		keyName: 'username',
		keyOf: (u) => u.username,
		caseInsensitive: true,
	});
}

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		schema.refine((v) => v.passwordMode !== 'set' || !!v.password, {
			message: 'must be set when Password is "Set One"',
			path: ['password'],
		}),
		{
			username: this.getNodeParameter('username', itemIndex),
			firstname: this.getNodeParameter('firstname', itemIndex),
			lastname: this.getNodeParameter('lastname', itemIndex),
			email: this.getNodeParameter('email', itemIndex),
			passwordMode: this.getNodeParameter('passwordMode', itemIndex, 'createPassword'),
			password: this.getNodeParameter('password', itemIndex, '') || undefined,
		},
		{ itemIndex: itemIndex },
	);
	const extra = { ...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject) };
	const customFields = (
		(extra.customFields as IDataObject)?.field as IDataObject[] | undefined
	)?.filter((f) => f.type);
	delete extra.customFields;
	for (const [k, v] of Object.entries(extra)) if (v === '' || v === undefined) delete extra[k];
	const options = optionsOf(this, itemIndex);
	const user: IDataObject = {
		username: input.username,
		firstname: input.firstname,
		lastname: input.lastname,
		email: input.email,
		...(input.passwordMode === 'createPassword' ? { createpassword: true } : {}),
		...(input.passwordMode === 'set' ? { password: input.password } : {}),
		...extra,
		...(customFields?.length
			? { customfields: customFields.map((f) => ({ type: f.type, value: f.value ?? '' })) }
			: {}),
	};

	const attempt = await client
		.call(
			functionName(options, FUNCTION),
			{ users: [user] },
			{
				itemIndex: itemIndex,
				// Not idempotent: after an ambiguous failure, look the username up before any resend.
				recover: async () => {
					const existing = await findByUsername(client, this.getNode(), input.username, itemIndex);
					return existing ? [{ id: existing.id, username: existing.username }] : undefined;
				},
			},
		)
		.then(
			(result) => ({ created: asArray(result)[0] as IDataObject | undefined, failure: undefined }),
			(failure: unknown) => ({ created: undefined, failure }),
		);
	const { created, failure } = attempt;
	if (failure !== undefined) {
		// Moodle answers a taken username with a bare "invalidparameter" (details only in debug mode).
		const taken = failure instanceof NodeApiError && failure.message.includes('(invalidparameter)');
		const existing = taken
			? await findByUsername(client, this.getNode(), input.username, itemIndex)
			: undefined;
		if (!existing) throw failure as Error;
		if (options.ifExists === 'error') {
			throw apiError({
				node: this.getNode(),
				provider: 'Moodle',
				redactor: client.redactor,
				itemIndex: itemIndex,
				code: 'invalidparameter',
				message: `the username "${input.username}" already exists (Moodle user ${String(existing.id)})`,
				description:
					'Use another username, or set "If the Username Exists" to "Return the Existing User".',
			});
		}
		return { ...existing, created: false };
	}
	return {
		id: created?.id,
		username: created?.username ?? input.username,
		firstname: input.firstname,
		lastname: input.lastname,
		email: input.email,
		created: true,
	};
}
