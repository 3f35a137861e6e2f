import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { runForEachItem } from '../../../shared/itemRunner';
import { validateInput } from '../../../shared/validation';
import { apiError } from '../../../shared/errors';
import type { OperationContext } from '../common';
import { asArray, moodleId, optionsOf } from '../common';

const FUNCTION = 'core_user_get_users_by_field';

const properties: INodeProperties[] = [
	{
		displayName: 'Search By',
		name: 'field',
		type: 'options',
		default: 'username',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'ID', value: 'id', description: 'Moodle user ID' },
			{ name: 'ID Number', value: 'idnumber', description: 'The "ID number" field of the profile (often an HR ID)' },
			{ name: 'Username', value: 'username' },
		],
		description: 'Which user field the value is matched against',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ada.lovelace',
		description: 'The value to look for. Several values may be given separated by commas; every matching user becomes an output item.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Error If Not Found',
				name: 'errorIfNotFound',
				type: 'boolean',
				default: false,
				description: 'Whether a value that matches no user is an error. Otherwise the item simply produces no output.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

const schema = z
	.object({
		field: z.enum(['id', 'idnumber', 'username', 'email']),
		value: z.array(z.string().min(1)).min(1, 'must contain at least one value'),
	})
	.superRefine((input, ctx) => {
		if (input.field !== 'id') return;
		input.value.forEach((v, i) => {
			if (!moodleId.safeParse(v).success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['value', i], message: `"${v}" is not a Moodle user ID (a positive whole number)` });
		});
	});

export async function execute(this: IExecuteFunctions, { client, concurrency }: OperationContext): Promise<INodeExecutionData[]> {
	return await runForEachItem(
		this,
		async (i) => {
			const raw = this.getNodeParameter('value', i, '') as string | number;
			const input = validateInput(
				this.getNode(),
				schema,
				{ field: this.getNodeParameter('field', i), value: String(raw ?? '').split(',').map((v) => v.trim()).filter(Boolean) },
				{ itemIndex: i },
			);
			const options = optionsOf(this, i);
			const users = asArray(await client.call(FUNCTION, { field: input.field, values: input.value }, { itemIndex: i }));
			if (!users.length && options.errorIfNotFound === true) {
				throw apiError({
					node: this.getNode(),
					provider: 'Moodle',
					redactor: client.redactor,
					itemIndex: i,
					message: `no user with ${input.field} "${input.value.join(', ')}"`,
					description: 'Check the value, or turn off "Error If Not Found" to let such items pass without output.',
				});
			}
			return users;
		},
		{ concurrency },
	);
}
