import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ScormCloudApi } from '../../transport/client';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['ping'] } },
		options: [{ name: 'Ping', value: 'ping', description: 'Check the connection and the credential', action: 'Ping API' }],
		default: 'ping',
	},
	{
		displayName: 'Checks that SCORM Cloud is reachable and accepts the credential. Answers the API\'s message and time.',
		name: 'pingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['ping'] } },
	},
];

export async function execute(this: IExecuteFunctions, api: ScormCloudApi, itemIndex: number): Promise<IDataObject> {
	return await api.client.json<IDataObject>({ method: 'GET', url: api.url('/ping'), itemIndex });
}
