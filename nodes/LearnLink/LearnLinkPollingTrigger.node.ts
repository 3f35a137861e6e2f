import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { pollTriggerProperties, runPoll } from '../shared/pollTrigger';
import type { PollTriggerConfig } from '../shared/pollTrigger';
import { learnLinkPollEvents } from './polling/events';
import { createLearnLinkClient } from './transport/client';
import type { LearnLinkClient } from './transport/client';
import { learnLinkProfile } from './transport/profile';
import { readRequestSettings } from '../shared/descriptions';

const config: PollTriggerConfig<LearnLinkClient> = {
	events: learnLinkPollEvents,
	client: async (ctx) =>
		await createLearnLinkClient(ctx, readRequestSettings(ctx, learnLinkProfile.rateLimit)),
	defaultOverlapMinutes: 5,
};

export class LearnLinkPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Learn.link Polling Trigger',
		name: 'learnLinkPollingTrigger',
		icon: { light: 'file:learnlink.svg', dark: 'file:learnlink.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow on new Learn.link (Thrive) completions, activities or content changes (polls the API, no webhook set-up)',
		defaults: { name: 'Learn.link Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'learnLinkApi', required: true }],
		properties: pollTriggerProperties(config),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this, config);
	}
}
