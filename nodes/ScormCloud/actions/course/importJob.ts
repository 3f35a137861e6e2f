import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { z } from 'zod';

import type { ScormCloudClient } from '../../transport/client';
import { scormCloudError } from '../../transport/client';

/** Fields shared by both imports: where the course goes, and how long to wait for the import job. */
export const importProperties: INodeProperties[] = [
	{
		displayName: 'Course ID',
		name: 'courseId',
		type: 'string',
		required: true,
		default: '',
		description:
			'Your own unique ID for the course. Importing again to the same ID needs "May Create New Version".',
	},
	{
		displayName: 'Wait for Import to Finish',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to poll the import job until it is COMPLETE (or fails). Off: output the job ID at once and check it later with "Get Import Job".',
	},
	{
		displayName: 'Options',
		name: 'importOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'May Create New Version',
				name: 'mayCreateNewVersion',
				type: 'boolean',
				default: false,
				description:
					'Whether an import to an existing course ID adds a new version (otherwise the import fails)',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				default: 2,
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				description: 'Time between two status checks of the import job',
			},
			{
				displayName: 'Postback URL',
				name: 'postbackUrl',
				type: 'string',
				default: '',
				description: 'SCORM Cloud posts to this URL when the import has finished',
			},
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWaitSeconds',
				type: 'number',
				default: 300,
				typeOptions: { minValue: 1 },
				description:
					'Give up waiting after this long; the import goes on in SCORM Cloud and its job ID is in the error',
			},
		],
	},
];

export const importSchema = z.object({
	courseId: z
		.string({ required_error: 'Course ID is required' })
		.trim()
		.min(1, 'Course ID must not be empty')
		.max(255),
	waitForCompletion: z.boolean(),
	importOptions: z.object({
		mayCreateNewVersion: z.boolean().optional(),
		pollIntervalSeconds: z.number().min(0.1, 'must be at least 0.1 seconds').max(300).optional(),
		postbackUrl: z
			.string()
			.trim()
			.refine((u) => u === '' || /^https?:\/\/\S+$/i.test(u), 'must be an http(s) URL')
			.optional(),
		maxWaitSeconds: z.number().min(1).max(3600, 'must be at most 3600 seconds').optional(),
	}),
});

export type ImportInput = z.infer<typeof importSchema>;

export function importQuery(input: ImportInput): IDataObject {
	return {
		courseId: input.courseId,
		...(input.importOptions.mayCreateNewVersion ? { mayCreateNewVersion: true } : {}),
		...(input.importOptions.postbackUrl ? { postbackUrl: input.importOptions.postbackUrl } : {}),
	};
}

/** ImportJobResultSchema flattened: the job's status, and the imported course when it is there. */
export function flattenJob(job: IDataObject, courseId?: string): IDataObject {
	const result = (job.importResult as IDataObject | undefined) ?? {};
	const course = result.course as IDataObject | undefined;
	return {
		jobId: job.jobId,
		status: job.status,
		message: job.message,
		courseId: (course?.id as string | undefined) ?? courseId,
		...(course ? { course } : {}),
		...(result.webPathToCourse ? { webPathToCourse: result.webPathToCourse } : {}),
		...(result.parserWarnings ? { parserWarnings: result.parserWarnings } : {}),
		...(result.courseLanguages ? { courseLanguages: result.courseLanguages } : {}),
	};
}

export async function getImportJob(
	client: ScormCloudClient,
	jobId: string,
	itemIndex: number,
): Promise<IDataObject> {
	return await client.api.json<IDataObject>({
		method: 'GET',
		url: client.url('/courses/importJobs/{importJobId}', { importJobId: jobId }),
		itemIndex,
	});
}

/**
 * Polls the import job until COMPLETE (returned), ERROR (a clear error with SCORM Cloud's message)
 * or the time limit (an error naming the job, which goes on in SCORM Cloud).
 */
export async function waitForImport(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	jobId: string,
	input: ImportInput,
	itemIndex: number,
): Promise<IDataObject> {
	const intervalMs = Math.round((input.importOptions.pollIntervalSeconds ?? 2) * 1000);
	const maxWaitMs = (input.importOptions.maxWaitSeconds ?? 300) * 1000;
	const started = Date.now();
	for (;;) {
		const job = await getImportJob(client, jobId, itemIndex);
		if (job.status === 'COMPLETE') return flattenJob(job, input.courseId);
		if (job.status === 'ERROR') {
			throw scormCloudError(
				client,
				this.getNode(),
				`the import of course "${input.courseId}" failed: ${String(job.message ?? 'no reason given')}`,
				itemIndex,
				`Import job ${jobId} ended with status ERROR. Check that the package is a valid SCORM/xAPI/cmi5 zip, and use "May Create New Version" to import again to an existing course ID.`,
			);
		}
		if (Date.now() - started + intervalMs > maxWaitMs) {
			throw scormCloudError(
				client,
				this.getNode(),
				`the import of course "${input.courseId}" was still ${String(job.status ?? 'running')} after ${Math.round(maxWaitMs / 1000)} seconds`,
				itemIndex,
				`SCORM Cloud goes on importing. Check it later with Course → Get Import Job and the job ID ${jobId}, or raise "Max Wait".`,
			);
		}
		await sleep(intervalMs);
	}
}
