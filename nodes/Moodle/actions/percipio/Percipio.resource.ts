import type { INodeProperties } from 'n8n-workflow';

import * as importAsset from './importAsset.operation';
import * as trackProgress from './trackProgress.operation';

export { importAsset, trackProgress };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['percipio'] } },
		options: [
			{
				name: 'Import Asset',
				value: 'importAsset',
				description: 'Create or update the Moodle course of a Percipio content item (percipio_asset_import)',
				action: 'Import content item as course',
			},
			{
				name: 'Track Progress',
				value: 'trackProgress',
				description: "Record a learner's Percipio progress, completion and grade in Moodle (percipio_progress_tracking)",
				action: 'Track learner progress',
			},
		],
		default: 'trackProgress',
	},
	...trackProgress.description,
	...importAsset.description,
];
