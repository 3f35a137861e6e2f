import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/descriptions';
import { withFixedParametersOnce } from '../shared/parameters';
import * as activity from './actions/activity/Activity.resource';
import * as audience from './actions/audience/Audience.resource';
import * as completion from './actions/completion/Completion.resource';
import * as content from './actions/content/Content.resource';
import { router } from './actions/router';
import * as user from './actions/user/User.resource';
import * as userEvent from './actions/userEvent/UserEvent.resource';
import { applyOutput } from '../shared/simplify';
import { listSearch } from './methods/listSearch';
import { outputDescription, simplifiedFields } from './methods/simplified';

export class LearnLink implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Learn.link (Thrive)',
		name: 'learnLink',
		icon: { light: 'file:learnlink.svg', dark: 'file:learnlink.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Sync users, completions, content, activity and audiences with Thrive Learning (Learn.link)',
		defaults: { name: 'Learn.link (Thrive)' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'learnLinkApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Activity', value: 'activity' },
					{ name: 'Audience', value: 'audience' },
					{ name: 'Completion', value: 'completion' },
					{ name: 'Content', value: 'content' },
					{ name: 'User', value: 'user' },
					{ name: 'User Lifecycle Event', value: 'userEvent' },
				],
				default: 'user',
			},
			...user.description,
			...userEvent.description,
			...completion.description,
			...content.description,
			...activity.description,
			...audience.description,
			...outputDescription,
			requestOptionsProperty,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const ctx = withFixedParametersOnce(this);
		const [output] = await router.call(ctx);
		return [applyOutput(ctx, output, simplifiedFields)];
	}
}
