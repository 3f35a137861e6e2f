import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/descriptions';
import { withFixedParametersOnce } from '../shared/parameters';
import * as catalogContent from './actions/catalogContent/CatalogContent.resource';
import * as contentImport from './actions/contentImport/ContentImport.resource';
import * as report from './actions/report/Report.resource';
import { router } from './actions/router';
import * as statement from './actions/statement/Statement.resource';
import * as track from './actions/track/Track.resource';
import * as user from './actions/user/User.resource';
import { applyOutput } from '../shared/simplify';
import { listSearch } from './methods/listSearch';
import { outputDescription, simplifiedFields } from './methods/simplified';

export class Percipio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Skillsoft Percipio',
		name: 'percipio',
		icon: { light: 'file:percipio.svg', dark: 'file:percipio.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Import content, send learner progress and xAPI statements, manage users, list the catalog and get learning activity reports in Skillsoft Percipio',
		defaults: { name: 'Skillsoft Percipio' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'percipioApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Catalog Content',
						value: 'catalogContent',
						description: 'The Percipio catalog of your organization',
					},
					{
						name: 'Content Import',
						value: 'contentImport',
						description: 'Your own content, imported into Percipio (iX Studio)',
					},
					{
						name: 'Learning Activity Report',
						value: 'report',
						description: 'Who did what, when (asynchronous report)',
					},
					{
						name: 'Statement',
						value: 'statement',
						description: 'Send xAPI statements into Percipio (iX Studio)',
					},
					{
						name: 'Track',
						value: 'track',
						description: 'Learner progress on imported content (iX Studio)',
					},
					{ name: 'User', value: 'user', description: 'Percipio users' },
				],
				default: 'contentImport',
			},
			...contentImport.description,
			...track.description,
			...statement.description,
			...user.description,
			...catalogContent.description,
			...report.description,
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
