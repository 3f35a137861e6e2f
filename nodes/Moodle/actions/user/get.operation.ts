import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { Batch } from '../../../shared/router';
import { validateInput } from '../../../shared/validation';
import { apiError } from '../../../shared/errors';
import type { MoodleClient } from '../../transport/client';
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
			{
				name: 'ID Number',
				value: 'idnumber',
				description: 'The "ID number" field of the profile (often an HR ID)',
			},
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
		description:
			'The value to look for. Several values may be given separated by commas; every matching user becomes an output item.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 1, maxValue: 500 },
				description: 'How many items are looked up in one request. 1 sends one request per item.',
			},
			{
				displayName: 'Error If Not Found',
				name: 'errorIfNotFound',
				type: 'boolean',
				default: false,
				description:
					'Whether a value that matches no user is an error (items are then looked up one by one). Otherwise the item simply produces no output.',
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
		field: z.enum(['id', 'idnumber', 'username', 'email']),
		value: z.array(z.string().min(1)).min(1, 'must contain at least one value'),
	})
	.superRefine((input, ctx) => {
		if (input.field !== 'id') return;
		input.value.forEach((v, i) => {
			if (!moodleId.safeParse(v).success)
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['value', i],
					message: `"${v}" is not a Moodle user ID (a positive whole number)`,
				});
		});
	});

/** The value of `field` on a user as Moodle matches it (usernames and emails without case). */
function keyOf(field: string, value: unknown): string {
	const text = String(value ?? '').trim();
	if (field === 'id') return String(Number(text));
	return field === 'email' || field === 'username' ? text.toLowerCase() : text;
}

function read(this: IExecuteFunctions, i: number) {
	const raw = this.getNodeParameter('value', i, '') as string | number;
	const input = validateInput(
		this.getNode(),
		schema,
		{
			field: this.getNodeParameter('field', i),
			value: String(raw ?? '')
				.split(',')
				.map((v) => v.trim())
				.filter(Boolean),
		},
		{ itemIndex: i },
	);
	// IDs as Moodle reads them ("08" → 8), so they also match the users that come back.
	return input.field === 'id' ? { ...input, value: input.value.map((v) => keyOf('id', v)) } : input;
}

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const input = read.call(this, itemIndex);
	const users = asArray(
		await client.call(
			FUNCTION,
			{ field: input.field, values: input.value },
			{ itemIndex, expect: 'array' },
		),
	);
	if (!users.length && optionsOf(this, itemIndex).errorIfNotFound === true) {
		throw apiError({
			node: this.getNode(),
			provider: 'Moodle',
			redactor: client.redactor,
			itemIndex,
			message: `no user with ${input.field} "${input.value.join(', ')}"`,
			description:
				'Check the value, or turn off "Error If Not Found" to let such items pass without output.',
		});
	}
	return users;
}

/**
 * Many lookups per request: the values of up to `batchSize` items go out together (one request
 * per field), and each item gets back the users matching its own values. One by one when an item
 * must fail on its own ("Error If Not Found") or the batch size is 1.
 */
export function batch(
	this: IExecuteFunctions,
	client: MoodleClient,
): Batch<ReturnType<typeof read>> | undefined {
	const options = optionsOf(this, 0);
	const batchSize = Math.max(1, Number(options.batchSize ?? 50));
	if (options.errorIfNotFound === true || batchSize === 1) return undefined;
	return {
		size: batchSize,
		prepare: (i) => read.call(this, i),
		send: async (entries) => {
			const found = new Map<string, IDataObject[]>();
			for (const field of new Set(entries.map((b) => b.payload.field))) {
				const values = [
					...new Set(
						entries.filter((b) => b.payload.field === field).flatMap((b) => b.payload.value),
					),
				];
				const users = asArray(
					await client.call(
						FUNCTION,
						{ field, values },
						{ itemIndex: entries[0].itemIndex, expect: 'array' },
					),
				);
				for (const user of users) {
					const key = `${field}\u0000${keyOf(field, user[field])}`;
					found.set(key, [...(found.get(key) ?? []), user]);
				}
			}
			return entries.map(({ payload }) => {
				const seen = new Set<unknown>();
				return payload.value
					.flatMap((v) => found.get(`${payload.field}\u0000${keyOf(payload.field, v)}`) ?? [])
					.filter((u) => !seen.has(u.id) && !!seen.add(u.id));
			});
		},
	};
}
