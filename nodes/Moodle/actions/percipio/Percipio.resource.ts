import { resourceDescription } from '../../../shared/router';
import type { Operations } from '../../../shared/router';
import type { MoodleClient } from '../../transport/client';
import * as importAsset from './importAsset.operation';
import * as trackProgress from './trackProgress.operation';

export const operations = { trackProgress, importAsset } satisfies Operations<MoodleClient>;

export const description = resourceDescription(
	'percipio',
	operations,
	{
		importAsset: {
			name: 'Import Asset',
			description:
				'Create or update the Moodle course of a Percipio content item (percipio_asset_import)',
			action: 'Import content item as course',
		},
		trackProgress: {
			name: 'Track Progress',
			description:
				"Record a learner's Percipio progress, completion and grade in Moodle (percipio_progress_tracking)",
			action: 'Track learner progress',
		},
	},
	'trackProgress',
);
