import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/descriptions';
import { withFixedParametersOnce } from '../shared/parameters';
import * as completion from './actions/completion/Completion.resource';
import * as content from './actions/content/Content.resource';
import { router } from './actions/router';
import * as user from './actions/user/User.resource';
import * as xapiStatement from './actions/xapiStatement/XapiStatement.resource';
import { applyOutput } from '../shared/simplify';
import { listSearch } from './methods/listSearch';
import { outputDescription, simplifiedFields } from './methods/simplified';

export class Degreed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Degreed',
		name: 'degreed',
		icon: { light: 'file:degreed.svg', dark: 'file:degreed.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Sync completions, content, users and xAPI statements with Degreed',
		defaults: { name: 'Degreed' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'degreedApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Completion', value: 'completion' },
					{ name: 'Content', value: 'content' },
					{ name: 'User', value: 'user' },
					{ name: 'xAPI Statement', value: 'xapiStatement' },
				],
				default: 'completion',
			},
			...completion.description,
			...content.description,
			...user.description,
			...xapiStatement.description,
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
