import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { pollTriggerProperties, runPoll } from '../shared/pollTrigger';
import type { PollTriggerConfig } from '../shared/pollTrigger';
import { scormCloudPollEvents } from './polling/events';
import { createScormCloudClient } from './transport/client';
import type { ScormCloudClient } from './transport/client';
import { scormCloudProfile } from './transport/profile';
import { readRequestSettings } from '../shared/descriptions';

const config: PollTriggerConfig<ScormCloudClient> = {
	events: scormCloudPollEvents,
	client: async (ctx) =>
		await createScormCloudClient(ctx, readRequestSettings(ctx, scormCloudProfile.rateLimit)),
	defaultOverlapMinutes: 5,
};

export class ScormCloudPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SCORM Cloud Polling Trigger',
		name: 'scormCloudPollingTrigger',
		icon: { light: 'file:scormcloud.svg', dark: 'file:scormcloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when SCORM Cloud registrations are completed or updated (polls the API, no postback set-up)',
		defaults: { name: 'SCORM Cloud Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scormCloudApi', required: true }],
		properties: pollTriggerProperties(config),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this, config);
	}
}
