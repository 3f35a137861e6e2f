import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ScormCloudClient } from '../../transport/client';

export const description: INodeProperties[] = [
	{
		displayName:
			"Checks that SCORM Cloud is reachable and accepts the credential. Answers the API's message and time.",
		name: 'pingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['ping'] } },
	},
];

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	return await client.api.json<IDataObject>({ method: 'GET', url: client.url('/ping'), itemIndex });
}
