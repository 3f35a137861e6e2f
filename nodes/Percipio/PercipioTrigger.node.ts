import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { pollTriggerProperties, runPoll } from '../shared/pollTrigger';
import type { PollTriggerConfig } from '../shared/pollTrigger';
import { percipioPollEvents } from './polling/events';
import { createPercipioClient } from './transport/client';
import type { PercipioClient } from './transport/client';
import { percipioProfile } from './transport/profile';
import { readRequestSettings } from '../shared/descriptions';

const config: PollTriggerConfig<PercipioClient> = {
	events: percipioPollEvents,
	client: async (ctx) =>
		await createPercipioClient(ctx, readRequestSettings(ctx, percipioProfile.rateLimit)),
	defaultOverlapMinutes: 15,
	overlapHint:
		"Each poll looks this far behind the newest record already emitted: the learning-activity report lags behind the learner's activity. Records already emitted are not emitted again.",
};

export class PercipioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Skillsoft Percipio Trigger',
		name: 'percipioTrigger',
		icon: { light: 'file:percipio.svg', dark: 'file:percipio.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow on new Percipio learning activity, completions, or changed users and catalogue content (polls the API)',
		defaults: { name: 'Skillsoft Percipio Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'percipioApi', required: true }],
		properties: pollTriggerProperties(config),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this, config);
	}
}
