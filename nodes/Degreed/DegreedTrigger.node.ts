import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { pollTriggerProperties, runPoll } from '../shared/pollTrigger';
import type { PollTriggerConfig } from '../shared/pollTrigger';
import { degreedPollEvents } from './polling/events';
import { createDegreedClient } from './transport/client';
import type { DegreedClient } from './transport/client';
import { degreedProfile } from './transport/profile';
import { readRequestSettings } from '../shared/descriptions';

const config: PollTriggerConfig<DegreedClient> = {
	events: degreedPollEvents,
	client: async (ctx) =>
		await createDegreedClient(ctx, readRequestSettings(ctx, degreedProfile.rateLimit)),
	// Degreed advises reading statements with a 15-minute lag: they can be stored late
	defaultOverlapMinutes: 15,
	overlapHint:
		'Each poll looks this far behind the newest record already emitted. Degreed advises 15 minutes: statements and completions can be stored late with an older time. Records already emitted are not emitted again.',
};

export class DegreedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Degreed Trigger',
		name: 'degreedTrigger',
		icon: { light: 'file:degreed.svg', dark: 'file:degreed.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow on new Degreed xAPI statements or completions (polls the API)',
		defaults: { name: 'Degreed Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'degreedApi', required: true }],
		properties: pollTriggerProperties(config),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this, config);
	}
}
