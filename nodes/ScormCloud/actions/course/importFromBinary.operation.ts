import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { inputError } from '../../../shared/errors';
import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { importProperties, importQuery, importSchema, waitForImport } from './importJob';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description:
			'The binary field of the input item that holds the course package (zip), e.g. from "Read/Write Files from Disk" or "HTTP Request"',
	},
	...importProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['importFromBinary'] } },
	properties,
);

const schema = importSchema.extend({
	binaryPropertyName: z.string().trim().min(1, 'must not be empty'),
});

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			binaryPropertyName: this.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
			courseId: this.getNodeParameter('courseId', itemIndex),
			waitForCompletion: this.getNodeParameter('waitForCompletion', itemIndex, true),
			importOptions: this.getNodeParameter('importOptions', itemIndex, {}),
		},
		{ itemIndex },
	);
	let binary;
	try {
		binary = this.helpers.assertBinaryData(itemIndex, input.binaryPropertyName);
	} catch {
		throw inputError(this.getNode(), `has no binary field "${input.binaryPropertyName}"`, {
			itemIndex,
			description:
				'Pass the course zip from a previous node (e.g. Read/Write Files from Disk, HTTP Request with response format "File") and name its binary field here.',
		});
	}
	const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, input.binaryPropertyName);
	if (!buffer.length)
		throw inputError(this.getNode(), `the binary field "${input.binaryPropertyName}" is empty`, {
			itemIndex,
		});
	const mimeType =
		binary.mimeType && binary.mimeType !== 'application/octet-stream'
			? binary.mimeType
			: 'application/zip';
	// A global FormData (not the form-data package) is re-sendable: n8n and the transport can send it
	// again after a token refresh or a 429.
	const form = new FormData();
	form.append(
		'file',
		new Blob([new Uint8Array(buffer)], { type: mimeType }),
		binary.fileName || `${input.courseId}.zip`,
	);
	const started = await client.api.json<IDataObject>({
		method: 'POST',
		url: client.url('/courses/importJobs/upload'),
		qs: importQuery(input),
		headers: { uploadedContentType: mimeType },
		body: form,
		itemIndex,
	});
	const jobId = String(started?.result ?? '');
	if (!input.waitForCompletion) return { jobId, status: 'RUNNING', courseId: input.courseId };
	return await waitForImport.call(this, client, jobId, input, itemIndex);
}
