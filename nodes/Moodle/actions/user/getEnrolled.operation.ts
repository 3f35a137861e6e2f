import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { collect } from '../../../shared/pagination';
import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { moodleId, optionsOf } from '../common';
import { courseLocator } from '../../methods/locators';

const FUNCTION = 'core_enrol_get_enrolled_users';
const show = { resource: ['user'], operation: ['getEnrolled'] };

const properties: INodeProperties[] = [
	courseLocator(),
	...returnAllOrLimit(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Group ID',
				name: 'groupid',
				type: 'number',
				default: 0,
				description: 'Only members of this group (0 = all)',
			},
			{
				displayName: 'Only Active',
				name: 'onlyactive',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out suspended enrolments',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 1, maxValue: 5000 },
				description: 'Users per request (limitnumber); the node asks for pages until a short one',
			},
			{
				displayName: 'Sort By',
				name: 'sortby',
				type: 'options',
				default: 'id',
				options: [
					{ name: 'First Name', value: 'firstname' },
					{ name: 'ID', value: 'id' },
					{ name: 'Last Name', value: 'lastname' },
					{ name: 'Site Order', value: 'siteorder' },
				],
			},
			{
				displayName: 'Sort Direction',
				name: 'sortdirection',
				type: 'options',
				default: 'ASC',
				options: [
					{ name: 'Ascending', value: 'ASC' },
					{ name: 'Descending', value: 'DESC' },
				],
			},
			{
				displayName: 'User Fields',
				name: 'userfields',
				type: 'string',
				default: '',
				placeholder: 'e.g. username,email,idnumber',
				description: 'Comma-separated fields to return (fewer fields are faster); all when empty',
			},
			{
				displayName: 'With Capability',
				name: 'withcapability',
				type: 'string',
				default: '',
				placeholder: 'e.g. moodle/course:view',
				description: 'Only users who have this capability in the course',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const schema = z.object({ courseId: moodleId, pageSize: z.coerce.number().int().min(1).max(5000) });

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const options = optionsOf(this, itemIndex);
	const input = validateInput(
		this.getNode(),
		schema,
		{
			courseId: this.getNodeParameter('courseId', itemIndex, undefined, { extractValue: true }),
			pageSize: options.pageSize ?? 100,
		},
		{ itemIndex: itemIndex },
	);
	const filters: IDataObject[] = [];
	if (options.onlyactive === true) filters.push({ name: 'onlyactive', value: 1 });
	if (Number(options.groupid) > 0)
		filters.push({ name: 'groupid', value: Number(options.groupid) });
	for (const name of ['withcapability', 'userfields', 'sortby', 'sortdirection']) {
		const value = typeof options[name] === 'string' ? (options[name] as string).trim() : '';
		if (value)
			filters.push({ name, value: name === 'userfields' ? value.replace(/\s+/g, '') : value });
	}
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	// Never ask for more than needed on a limited run.
	const pageSize = returnAll ? input.pageSize : Math.min(input.pageSize, Math.max(1, limit));
	const users = await collect(
		client.pages<IDataObject>(
			FUNCTION,
			{ courseid: input.courseId, options: filters },
			{ pageSize, itemIndex: itemIndex },
		),
		{ returnAll, limit },
	);
	return users.map((u) => ({ ...u, courseid: input.courseId }));
}
