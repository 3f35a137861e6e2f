import { jsonParse, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import { BracketEncodingError, encodeMoodleParams } from '../../transport/encode';
import { inputError } from '../../../shared/errors';
import type { MoodleClient } from '../../transport/client';
import { optionsOf } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Function Name',
		name: 'functionName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. core_course_get_contents',
		description:
			"Any web-service function of the token's external service (Site administration → Server → Web services → External services → Functions)",
	},
	{
		displayName: 'Parameters (JSON)',
		name: 'parameters',
		type: 'json',
		default: '{}',
		description:
			'The function\'s arguments as JSON; arrays and objects are sent in Moodle\'s bracket form, e.g. {"users": [{"username": "ada"}]} → users[0][username]=ada. Booleans become 1/0.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Safe to Retry',
				name: 'idempotent',
				type: 'boolean',
				default: false,
				description:
					'Whether the function may be sent again after a gateway error or dropped connection (true for reads and upserts; leave off for functions that create records)',
			},
			{
				displayName: 'Split Array Result',
				name: 'split',
				type: 'boolean',
				default: true,
				description: 'Whether a result that is a list becomes one item per element',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['webService'], operation: ['call'] } },
	properties,
);

const schema = z.object({
	functionName: z
		.string()
		.trim()
		.regex(
			/^[a-z][a-z0-9_]*$/i,
			'must be a web-service function name such as core_webservice_get_site_info (letters, digits, underscores)',
		),
	parameters: z.record(z.unknown(), {
		invalid_type_error: 'must be a JSON object of named arguments',
	}),
});

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const raw = this.getNodeParameter('parameters', itemIndex, '{}') as unknown;
	let parameters: unknown = raw;
	if (typeof raw === 'string') {
		try {
			parameters = jsonParse<unknown>(raw.trim() || '{}');
		} catch (error) {
			throw inputError(
				this.getNode(),
				`"Parameters (JSON)" is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex: itemIndex,
					description: 'For example {"courseid": 2}. Nothing was sent for this item.',
				},
			);
		}
	}
	const input = validateInput(
		this.getNode(),
		schema,
		{ functionName: this.getNodeParameter('functionName', itemIndex), parameters },
		{ itemIndex: itemIndex },
	);
	for (const reserved of ['wstoken', 'wsfunction', 'moodlewsrestformat']) {
		if (reserved in input.parameters)
			throw inputError(this.getNode(), `"Parameters (JSON)" must not contain "${reserved}"`, {
				itemIndex: itemIndex,
				description: 'The node sets it. Nothing was sent for this item.',
			});
	}
	try {
		encodeMoodleParams(input.parameters);
	} catch (error) {
		const reason = error instanceof BracketEncodingError ? error.message : String(error);
		throw inputError(this.getNode(), `"Parameters (JSON)": ${reason}`, {
			itemIndex: itemIndex,
			description: 'Nothing was sent for this item.',
		});
	}
	const options = optionsOf(this, itemIndex);
	const result = await client.call<unknown>(input.functionName, input.parameters, {
		itemIndex: itemIndex,
		idempotent: options.idempotent === true,
	});
	if (Array.isArray(result) && options.split !== false)
		return result.map((r) =>
			r && typeof r === 'object' && !Array.isArray(r)
				? (r as IDataObject)
				: { value: r as IDataObject[keyof IDataObject] },
		);
	if (result && typeof result === 'object' && !Array.isArray(result)) return result as IDataObject;
	return { result: (result as IDataObject[keyof IDataObject]) ?? null };
}
