import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { epochMillis, functionName, moodleId, optionsOf, wsfunctionOption } from '../common';
import { extraDataOption, parseExtraData } from './extraData';
import { userLocator } from '../../methods/locators';

const FUNCTION = 'percipio_progress_tracking';

const properties: INodeProperties[] = [
	userLocator({
		displayName: 'Moodle User',
		name: 'moodleUserId',
		description:
			'The learner: pick them, or give their numeric Moodle user ID. The plugin\'s JSON calls this key "username", but looks the value up as the user ID: a username here would not be found.',
	}),
	{
		displayName: 'Percipio Content ID',
		name: 'courseShortname',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 0c3f3a3e-1b7d-4a55-9c1e-2f6a8d9e0b11',
		description:
			'The Percipio content UUID: it is the short name of the Moodle course the plugin imported for it (sent as "courseshortname")',
	},
	{
		displayName: 'Completion State',
		name: 'completionState',
		type: 'options',
		default: 1,
		options: [
			{ name: 'Incomplete', value: 0 },
			{ name: 'Complete', value: 1 },
			{ name: 'Complete (Passed)', value: 2 },
			{ name: 'Complete (Failed)', value: 3 },
		],
		description: "Moodle's activity completion state",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Completion Message',
				name: 'completionmessage',
				type: 'string',
				default: '',
				placeholder: 'e.g. completed',
			},
			{
				displayName: 'Final Grade',
				name: 'finalgrade',
				type: 'number',
				default: 0,
				typeOptions: { numberPrecision: 2 },
			},
			{
				displayName: 'Last Score',
				name: 'lastscore',
				type: 'number',
				default: 0,
				typeOptions: { numberPrecision: 2 },
			},
			{
				displayName: 'Passing Score',
				name: 'passingscore',
				type: 'number',
				default: 0,
				typeOptions: { numberPrecision: 2 },
			},
			{
				displayName: 'Percent Complete',
				name: 'percentcomplete',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 0, maxValue: 100 },
			},
			{
				displayName: 'Time Completed',
				name: 'timecompleted',
				type: 'dateTime',
				default: '',
				description:
					'Empty: the plugin records the current time. A value that is not a date fails the item.',
			},
			{
				displayName: 'Time Created',
				name: 'timecreated',
				type: 'dateTime',
				default: '',
				description: 'When the learner started',
			},
			{
				displayName: 'Time Modified',
				name: 'timemodified',
				type: 'dateTime',
				default: '',
				description:
					'Empty: the plugin records the current time. A value that is not a date fails the item.',
			},
			{
				displayName: 'Time Revisited',
				name: 'timerevisited',
				type: 'dateTime',
				default: '',
				description: 'When the learner last came back',
			},
			{
				displayName: 'Total Duration',
				name: 'totalduration',
				type: 'string',
				default: '',
				placeholder: 'e.g. PT1H30M',
				description: 'Time spent, as an ISO 8601 duration',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [extraDataOption, wsfunctionOption(FUNCTION)],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['percipio'], operation: ['trackProgress'] } },
	properties,
);

const number = z.coerce.number().finite().optional();
const schema = z.object({
	username: moodleId,
	courseshortname: z.string().trim().min(1, 'must not be empty'),
	completionstate: z.coerce.number().int().min(0).max(3),
	completionmessage: z.string().optional(),
	finalgrade: number,
	passingscore: number,
	lastscore: number,
	percentcomplete: z.coerce.number().min(0).max(100).optional(),
	totalduration: z
		.string()
		.regex(
			/^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/,
			'must be an ISO 8601 duration such as PT1H30M',
		)
		.optional(),
});

const TIMES = ['timecreated', 'timerevisited', 'timecompleted', 'timemodified'] as const;

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const options = optionsOf(this, itemIndex);
	const fields = validateInput(
		this.getNode(),
		schema,
		{
			username: this.getNodeParameter('moodleUserId', itemIndex, undefined, { extractValue: true }),
			courseshortname: this.getNodeParameter('courseShortname', itemIndex),
			completionstate: this.getNodeParameter('completionState', itemIndex, 1),
			completionmessage: extra.completionmessage || undefined,
			finalgrade: extra.finalgrade,
			passingscore: extra.passingscore,
			lastscore: extra.lastscore,
			percentcomplete: extra.percentcomplete,
			totalduration: extra.totalduration || undefined,
		},
		{ itemIndex: itemIndex },
	);
	const times = Object.fromEntries(
		TIMES.map((t) => [
			t,
			epochMillis(extra[t], { node: this.getNode(), itemIndex: itemIndex, field: t }),
		]),
	);
	// Every key the plugin reads is present (it reads them without checking); times in epoch ms,
	// null = "now" on the Moodle side.
	const data: IDataObject = {
		username: String(fields.username),
		courseshortname: fields.courseshortname,
		completionstate: fields.completionstate,
		completionmessage: fields.completionmessage ?? '',
		finalgrade: fields.finalgrade ?? null,
		passingscore: fields.passingscore ?? null,
		lastscore: fields.lastscore ?? null,
		percentcomplete: fields.percentcomplete ?? null,
		totalduration: fields.totalduration ?? '',
		...times,
		...parseExtraData(this, options, itemIndex),
	};
	// The plugin upserts the learner's attempt, completion and grade: sending it twice is harmless.
	const result = await client.call<IDataObject>(
		functionName(options, FUNCTION),
		{ data: JSON.stringify(data) },
		{ itemIndex: itemIndex, idempotent: true },
	);
	return {
		moodleUserId: fields.username,
		courseshortname: fields.courseshortname,
		completionstate: fields.completionstate,
		...(result ?? {}),
	};
}
