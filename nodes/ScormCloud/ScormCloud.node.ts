import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/descriptions';
import { withFixedParametersOnce } from '../shared/parameters';
import * as course from './actions/course/Course.resource';
import * as ping from './actions/ping/Ping.resource';
import * as registration from './actions/registration/Registration.resource';
import { router } from './actions/router';
import { applyOutput } from '../shared/simplify';
import { listSearch } from './methods/listSearch';
import { outputDescription, simplifiedFields } from './methods/simplified';

export class ScormCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SCORM Cloud',
		name: 'scormCloud',
		icon: { light: 'file:scormcloud.svg', dark: 'file:scormcloud.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Register learners, launch courses, read progress and import courses in Rustici SCORM Cloud',
		defaults: { name: 'SCORM Cloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scormCloudApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Course', value: 'course' },
					{ name: 'Ping', value: 'ping' },
					{ name: 'Registration', value: 'registration' },
				],
				default: 'registration',
			},
			...registration.description,
			...course.description,
			...ping.description,
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
