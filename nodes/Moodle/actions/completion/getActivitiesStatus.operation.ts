import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { MoodleClient } from '../../transport/client';
import { asArray, functionName, moodleId, optionsOf, wsfunctionOption } from '../common';
import { courseLocator, userLocator } from '../../methods/locators';

const FUNCTION = 'core_completion_get_activities_completion_status';

const properties: INodeProperties[] = [
	courseLocator(),
	userLocator(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Only Completed',
				name: 'onlyCompleted',
				type: 'boolean',
				default: false,
				description:
					'Whether to output only activities whose completion state is complete (1), passed (2) or failed (3)',
			},
			wsfunctionOption(FUNCTION),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['getActivitiesStatus'] } },
	properties,
);

const schema = z.object({ courseid: moodleId, userid: moodleId });

export async function execute(
	this: IExecuteFunctions,
	client: MoodleClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			courseid: this.getNodeParameter('courseId', itemIndex, undefined, { extractValue: true }),
			userid: this.getNodeParameter('userId', itemIndex, undefined, { extractValue: true }),
		},
		{ itemIndex: itemIndex },
	);
	const options = optionsOf(this, itemIndex);
	const result = await client.call<IDataObject>(functionName(options, FUNCTION), input, {
		itemIndex: itemIndex,
	});
	let statuses = asArray(result?.statuses);
	if (options.onlyCompleted === true) statuses = statuses.filter((s) => Number(s.state) > 0);
	// One item per activity, each carrying the course and user it belongs to.
	return statuses.map((s) => ({ ...input, ...s }));
}
