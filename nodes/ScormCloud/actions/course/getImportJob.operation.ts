import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { idSchema } from '../common';
import { flattenJob, getImportJob } from './importJob';

const properties: INodeProperties[] = [
	{
		displayName: 'Import Job ID',
		name: 'importJobId',
		type: 'string',
		required: true,
		default: '',
		description: 'The job ID an import returned (valid for a week after the import)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['getImportJob'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const { importJobId } = validateInput(
		this.getNode(),
		z.object({ importJobId: idSchema('Import Job ID') }),
		{ importJobId: this.getNodeParameter('importJobId', itemIndex) },
		{ itemIndex },
	);
	return flattenJob(await getImportJob(client, importJobId, itemIndex));
}
