import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { Batch } from '../../../shared/router';
import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { functionName, moodleId, optionsOf, unixSeconds, wsfunctionOption } from '../common';
import { courseLocator, userLocator } from '../../methods/locators';

const FUNCTION = 'enrol_manual_enrol_users';

const properties: INodeProperties[] = [
	courseLocator(),
	userLocator(),
	{
		displayName: 'Role ID',
		name: 'roleId',
		type: 'number',
		default: 5,
		required: true,
		description:
			'Role in the course. On a standard site 5 is Student, 4 Non-editing teacher, 3 Teacher.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Enrolment Starts', name: 'timestart', type: 'dateTime', default: '' },
			{ displayName: 'Enrolment Ends', name: 'timeend', type: 'dateTime', default: '' },
			{
				displayName: 'Suspended',
				name: 'suspend',
				type: 'boolean',
				default: false,
				description: 'Whether the enrolment is created suspended',
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
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 1, maxValue: 500 },
				description:
					'Enrolments sent per request. Moodle applies a request all or nothing, so an error fails the whole batch; use 1 to see errors per item.',
			},
			wsfunctionOption(FUNCTION),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['enrolment'], operation: ['enrol'] } },
	properties,
);

const schema = z.object({
	courseid: moodleId,
	userid: moodleId,
	roleid: moodleId,
	timestart: z.number().int().nonnegative().optional(),
	timeend: z.number().int().nonnegative().optional(),
	suspend: z.boolean().optional(),
});

/** Enrolments go to Moodle in batches: one call enrols many users. */
export function batch(this: IExecuteFunctions, client: MoodleClient): Batch<IDataObject> {
	const options = optionsOf(this, 0);
	const wsfunction = functionName(options, FUNCTION);
	return {
		size: Math.max(1, Math.floor(Number(options.batchSize ?? 50))),
		prepare: (i) => prepare.call(this, i),
		send: async (entries) => {
			// Enrolling an enrolled user again just updates the enrolment: safe to resend.
			await client.call(
				wsfunction,
				{ enrolments: entries.map((b) => b.payload) },
				{ itemIndex: entries[0].itemIndex, idempotent: true },
			);
			return entries.map(({ payload }) => ({ ...payload, enrolled: true }));
		},
	};
}

/** One item's enrolment, checked. */
function prepare(this: IExecuteFunctions, i: number): IDataObject {
	const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	return validateInput(
		this.getNode(),
		schema.refine((e) => !e.timestart || !e.timeend || e.timeend > e.timestart, {
			message: 'must be after "Enrolment Starts"',
			path: ['timeend'],
		}),
		{
			courseid: this.getNodeParameter('courseId', i, undefined, { extractValue: true }),
			userid: this.getNodeParameter('userId', i, undefined, { extractValue: true }),
			roleid: this.getNodeParameter('roleId', i, 5),
			timestart: unixSeconds(extra.timestart, {
				node: this.getNode(),
				itemIndex: i,
				field: 'timestart',
			}),
			timeend: unixSeconds(extra.timeend, { node: this.getNode(), itemIndex: i, field: 'timeend' }),
			suspend: extra.suspend === undefined ? undefined : extra.suspend === true,
		},
		{ itemIndex: i },
	);
}
