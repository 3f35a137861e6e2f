import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { asArray, functionName, moodleId, optionsOf, wsfunctionOption } from '../common';

const FUNCTION = 'core_course_get_courses';
const show = { resource: ['course'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	...returnAllOrLimit(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Course IDs',
				name: 'ids',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2,3,7',
				description: 'Only these courses (comma-separated IDs); all courses when empty',
			},
			{
				displayName: 'Include Site Course',
				name: 'includeSite',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep the front page "course" (ID 1, format "site") that Moodle lists too',
			},
			wsfunctionOption(FUNCTION),
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const schema = z.object({ ids: z.array(moodleId) });

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const options = optionsOf(this, itemIndex);
	const ids = String(options.ids ?? '')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
	const input = validateInput(
		this.getNode(),
		schema,
		{ ids },
		{ itemIndex: itemIndex, label: 'Course IDs' },
	);
	// core_course_get_courses has no paging: Moodle returns every course in one answer.
	let courses = asArray(
		await client.call(
			functionName(options, FUNCTION),
			input.ids.length ? { options: { ids: input.ids } } : {},
			{ itemIndex: itemIndex, expect: 'array' },
		),
	);
	if (options.includeSite !== true) courses = courses.filter((c) => c.format !== 'site');
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll
		? courses
		: courses.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
}
