import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { asArray, functionName, moodleId, optionsOf, wsfunctionOption } from '../common';

const FUNCTION = 'core_course_get_courses_by_field';

const properties: INodeProperties[] = [
	{
		displayName: 'Search By',
		name: 'field',
		type: 'options',
		default: 'id',
		options: [
			{ name: 'Category ID', value: 'category', description: 'All courses of a category' },
			{ name: 'ID', value: 'id', description: 'Moodle course ID' },
			{ name: 'ID Number', value: 'idnumber' },
			{ name: 'IDs', value: 'ids', description: 'Several course IDs, comma-separated' },
			{
				name: 'Short Name',
				value: 'shortname',
				description: 'For Percipio courses: the Percipio content UUID',
			},
		],
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 42',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [wsfunctionOption(FUNCTION)],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['get'] } },
	properties,
);

const schema = z
	.object({
		field: z.enum(['id', 'ids', 'shortname', 'idnumber', 'category']),
		value: z.string().trim().min(1, 'must not be empty'),
	})
	.superRefine((input, ctx) => {
		const numbers =
			input.field === 'ids'
				? input.value.split(',').map((v) => v.trim())
				: ['id', 'category'].includes(input.field)
					? [input.value]
					: [];
		for (const n of numbers)
			if (!moodleId.safeParse(n).success)
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['value'],
					message: `"${n}" is not a Moodle ID (a positive whole number)`,
				});
	});

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			field: this.getNodeParameter('field', itemIndex),
			value: String(this.getNodeParameter('value', itemIndex, '')),
		},
		{ itemIndex: itemIndex },
	);
	const value =
		input.field === 'ids'
			? input.value
					.split(',')
					.map((v) => v.trim())
					.join(',')
			: input.value;
	const result = await client.call<IDataObject>(
		functionName(optionsOf(this, itemIndex), FUNCTION),
		{ field: input.field, value },
		{ itemIndex: itemIndex },
	);
	return asArray(result?.courses);
}
