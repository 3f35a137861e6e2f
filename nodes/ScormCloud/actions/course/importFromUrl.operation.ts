import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { ScormCloudClient } from '../../transport/client';
import { importProperties, importQuery, importSchema, waitForImport } from './importJob';

const properties: INodeProperties[] = [
	{
		displayName: 'Package URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://files.example.com/course.zip',
		description: 'A URL SCORM Cloud can download the course package (zip) from',
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'string',
		default: 'application/zip',
		description:
			'MIME type of the file: application/zip for a package; application/pdf, audio/mpeg or video/mp4 for a media file',
	},
	...importProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['importFromUrl'] } },
	properties,
);

const schema = importSchema.extend({
	url: z
		.string({ required_error: 'Package URL is required' })
		.trim()
		.refine((u) => /^https?:\/\/\S+$/i.test(u), 'must be an http(s) URL'),
	contentType: z.string().trim().min(1, 'must not be empty'),
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
			url: this.getNodeParameter('url', itemIndex),
			contentType: this.getNodeParameter('contentType', itemIndex, 'application/zip'),
			courseId: this.getNodeParameter('courseId', itemIndex),
			waitForCompletion: this.getNodeParameter('waitForCompletion', itemIndex, true),
			importOptions: this.getNodeParameter('importOptions', itemIndex, {}),
		},
		{ itemIndex },
	);
	const started = await client.api.json<IDataObject>({
		method: 'POST',
		url: client.url('/courses/importJobs'),
		qs: importQuery(input),
		body: { url: input.url, contentType: input.contentType },
		itemIndex,
	});
	const jobId = String(started?.result ?? '');
	if (!input.waitForCompletion) return { jobId, status: 'RUNNING', courseId: input.courseId };
	return await waitForImport.call(this, client, jobId, input, itemIndex);
}
