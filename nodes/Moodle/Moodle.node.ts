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
import * as course from './actions/course/Course.resource';
import * as enrolment from './actions/enrolment/Enrolment.resource';
import * as grade from './actions/grade/Grade.resource';
import * as percipio from './actions/percipio/Percipio.resource';
import { router } from './actions/router';
import * as user from './actions/user/User.resource';
import * as webService from './actions/webService/WebService.resource';
import { applyOutput } from '../shared/simplify';
import { listSearch } from './methods/listSearch';
import { outputDescription, simplifiedFields } from './methods/simplified';

export class Moodle implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Moodle',
		name: 'moodle',
		icon: { light: 'file:moodle.svg', dark: 'file:moodle.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Users, courses, enrolments, completions and grades in Moodle, and the Skillsoft Percipio plugin',
		defaults: { name: 'Moodle' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'moodleApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Completion', value: 'completion' },
					{ name: 'Course', value: 'course' },
					{ name: 'Enrolment', value: 'enrolment' },
					{ name: 'Grade', value: 'grade' },
					{ name: 'Percipio Plugin', value: 'percipio' },
					{ name: 'User', value: 'user' },
					{
						name: 'Web Service',
						value: 'webService',
						description: 'Call any web-service function',
					},
				],
				default: 'user',
			},
			...completion.description,
			...course.description,
			...enrolment.description,
			...grade.description,
			...percipio.description,
			...user.description,
			...webService.description,
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
