import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { asArray, moodleId } from '../common';
import { courseLocator, userLocator } from '../../methods/locators';

const FUNCTION = 'gradereport_user_get_grade_items';

const properties: INodeProperties[] = [
	courseLocator(),
	userLocator({
		required: false,
		description: 'The Moodle user; empty (or 0) for every user of the course',
	}),
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
				description: 'Only users of this group (0 = all)',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'gradeItems',
				options: [
					{ name: 'One Item per Grade Item', value: 'gradeItems' },
					{ name: "One Item per User (Moodle's Shape)", value: 'users' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['grade'], operation: ['getItems'] } },
	properties,
);

const schema = z.object({
	courseid: moodleId,
	userid: z.coerce.number().int().nonnegative(),
	groupid: z.coerce.number().int().nonnegative(),
});

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const input = validateInput(
		this.getNode(),
		schema,
		{
			courseid: this.getNodeParameter('courseId', itemIndex, undefined, { extractValue: true }),
			userid: this.getNodeParameter('userId', itemIndex, 0, { extractValue: true }) || 0,
			groupid: options.groupid ?? 0,
		},
		{ itemIndex: itemIndex },
	);
	const result = await client.call<IDataObject>(FUNCTION, input, { itemIndex: itemIndex });
	const users = asArray(result?.usergrades);
	if (options.output === 'users') return users;
	return users.flatMap((u) =>
		asArray(u.gradeitems).map((g) => ({
			courseid: u.courseid ?? input.courseid,
			userid: u.userid,
			userfullname: u.userfullname,
			...g,
		})),
	);
}
