import { jsonParse, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { inputError } from '../../../shared/errors';
import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { epochMillis, functionName, optionsOf, wsfunctionOption } from '../common';
import { extraDataOption, parseExtraData } from './extraData';

const FUNCTION = 'percipio_asset_import';

/** One `courseformatoptions` entry; the plugin reads the activity module from the first. */
const formatOption = (name: string, value: string): IDataObject => ({ name, value });

const properties: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'fullname',
		type: 'string',
		default: '',
		required: true,
		description: 'Course full name in Moodle',
	},
	{
		displayName: 'Percipio Content ID',
		name: 'shortname',
		type: 'string',
		default: '',
		required: true,
		description:
			'The Percipio content UUID. It becomes the course short name, and a second import with the same ID updates that course.',
	},
	{
		displayName: 'xAPI Activity ID',
		name: 'xapiActivityId',
		type: 'string',
		default: '',
		required: true,
		description:
			'The content\'s xAPI activity ID, used to launch it from Moodle (Percipio catalog field "xapiActivityId")',
	},
	{
		displayName: 'Launch Link',
		name: 'link',
		type: 'string',
		default: '',
		required: true,
		description: "The content's Percipio launch URL",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Additional Metadata (JSON)',
				name: 'additionalMetadata',
				type: 'json',
				default: '{}',
				description: 'Shown with the activity: {"values": [...], "settings": {...}}',
			},
			{
				displayName: 'Category',
				name: 'category',
				type: 'string',
				default: '',
				description:
					'Name of the Moodle course category; created when missing. Empty = the default category.',
			},
			{
				displayName: 'Display Label',
				name: 'displaylabel',
				type: 'string',
				default: '',
				placeholder: 'e.g. Course',
			},
			{ displayName: 'Image URL', name: 'imageurl', type: 'string', default: '' },
			{ displayName: 'Language', name: 'lang', type: 'string', default: 'en' },
			{
				displayName: 'Percipio Type',
				name: 'percipiotype',
				type: 'string',
				default: 'COURSE',
				placeholder: 'e.g. COURSE, VIDEO, BOOK, AUDIOBOOK, COMPLIANCE…',
			},
			{ displayName: 'Start Date', name: 'startdate', type: 'dateTime', default: '' },
			{
				displayName: 'Summary',
				name: 'summary',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
			},
			{
				displayName: 'Visible',
				name: 'visible',
				type: 'boolean',
				default: true,
				description: 'Whether the course is visible to learners',
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
	{ show: { resource: ['percipio'], operation: ['importAsset'] } },
	properties,
);

const schema = z.object({
	fullname: z.string().trim().min(1, 'must not be empty'),
	shortname: z.string().trim().min(1, 'must not be empty').max(255),
	xapiActivityId: z.string().trim().min(1, 'must not be empty'),
	link: z.string().trim().url('must be a URL'),
	imageurl: z.union([z.literal(''), z.string().url('must be a URL')]).optional(),
	additionalMetadata: z.record(z.unknown()).optional(),
});

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const options = optionsOf(this, itemIndex);
	const meta = extra.additionalMetadata;
	const parseMetadata = (text: string): IDataObject => {
		try {
			return jsonParse<IDataObject>(text.trim() || '{}');
		} catch (error) {
			throw inputError(
				this.getNode(),
				`"Additional Metadata (JSON)" is not valid JSON: ${(error as Error).message}`,
				{ itemIndex: itemIndex, description: 'Nothing was sent for this item.' },
			);
		}
	};
	const fields = validateInput(
		this.getNode(),
		schema,
		{
			fullname: this.getNodeParameter('fullname', itemIndex),
			shortname: this.getNodeParameter('shortname', itemIndex),
			xapiActivityId: this.getNodeParameter('xapiActivityId', itemIndex),
			link: this.getNodeParameter('link', itemIndex),
			imageurl: extra.imageurl ?? '',
			additionalMetadata:
				typeof meta === 'string' ? parseMetadata(meta) : (meta as IDataObject | undefined),
		},
		{ itemIndex: itemIndex },
	);
	const startdate = epochMillis(extra.startdate, {
		node: this.getNode(),
		itemIndex: itemIndex,
		field: 'startdate',
	});
	const data: IDataObject = {
		fullname: fields.fullname,
		shortname: fields.shortname,
		summary: (extra.summary as string) ?? '',
		summaryformat: 1,
		xapiActivityId: fields.xapiActivityId,
		format: 'singleactivity',
		startdate: startdate ?? Date.now(),
		lang: (extra.lang as string) || 'en',
		visible: extra.visible === false ? 0 : 1,
		courseformatoptions: [formatOption('activitytype', 'percipio')],
		category: (extra.category as string) ?? '',
		percipiotype: (extra.percipiotype as string) || 'COURSE',
		displaylabel: (extra.displaylabel as string) ?? '',
		link: fields.link,
		imageurl: fields.imageurl ?? '',
		additionalMetadata: fields.additionalMetadata ?? { values: [], settings: {} },
		...parseExtraData(this, options, itemIndex),
	};
	// An upsert keyed by the short name (the Percipio content ID): safe to send again.
	const result = await client.call<IDataObject>(
		functionName(options, FUNCTION),
		{ data: JSON.stringify(data) },
		{ itemIndex: itemIndex, idempotent: true },
	);
	return { ...(result ?? {}), shortname: fields.shortname };
}
