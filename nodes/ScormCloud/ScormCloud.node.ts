import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/descriptions';
import { withFixedParametersOnce } from '../shared/parameters';
import * as course from './actions/course/Course.resource';
import * as ping from './actions/ping/Ping.resource';
import * as registration from './actions/registration/Registration.resource';
import { router } from './actions/router';

export class ScormCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SCORM Cloud',
		name: 'scormCloud',
		icon: { light: 'file:scormcloud.svg', dark: 'file:scormcloud.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Register learners, launch courses, read progress and import courses in Rustici SCORM Cloud',
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
			requestOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(withFixedParametersOnce(this));
	}
}
