import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import type { Sandbox } from '../../sandbox/server';
import { apiCalls, oauth, resetAll, run, startScormSandbox } from './helpers';

let sandbox: Sandbox;
let emulator: ScormCloudEmulator;

beforeAll(async () => {
	({ sandbox, emulator } = await startScormSandbox());
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => resetAll(sandbox));

/** A small but real zip archive (one stored file), as a course package would start. */
function tinyZip(): Buffer {
	const name = Buffer.from('imsmanifest.xml');
	const data = Buffer.from('<manifest identifier="m1"/>');
	const local = Buffer.alloc(30);
	local.writeUInt32LE(0x04034b50, 0);
	local.writeUInt16LE(20, 4);
	local.writeUInt32LE(data.length, 18);
	local.writeUInt32LE(data.length, 22);
	local.writeUInt16LE(name.length, 26);
	return Buffer.concat([local, name, data]);
}

const binaryItem = (
	buffer: Buffer,
	fileName = 'safety-v2.zip',
	mimeType = 'application/zip',
): INodeExecutionData => ({
	json: {},
	binary: { data: { data: buffer.toString('base64'), fileName, mimeType } },
});

const fastPolling = { pollIntervalSeconds: 0.1, maxWaitSeconds: 10 };

describe('Course → Get Many, Get, Delete', () => {
	it('lists the courses, one item each, with registration counts', async () => {
		const { output } = await run(sandbox, {
			resource: 'course',
			operation: 'getAll',
			returnAll: true,
			filters: { includeRegistrationCount: true, orderBy: 'title_asc' },
		});
		expect(output.map((o) => o.json.title)).toEqual([
			'Data Privacy in Practice',
			'Leading Hybrid Teams',
			'Workplace Safety Essentials',
		]);
		expect(output.find((o) => o.json.id === 'course-safety-101')?.json.registrationCount).toBe(3);
		expect(apiCalls(sandbox)).toEqual([
			'GET /api/v2/courses?orderBy=title_asc&includeRegistrationCount=true 200',
		]);
	});

	it('pages courses with `more` as well', async () => {
		emulator.seed({ pageSize: 2 });
		const { output } = await run(sandbox, {
			resource: 'course',
			operation: 'getAll',
			returnAll: true,
			filters: { tags: 'compliance' },
		});
		expect(output.map((o) => o.json.id).sort()).toEqual([
			'course-privacy-201',
			'course-safety-101',
		]);
		const { output: all } = await run(sandbox, {
			resource: 'course',
			operation: 'getAll',
			returnAll: true,
			filters: {},
		});
		expect(all).toHaveLength(3);
		const calls = apiCalls(sandbox, /^\/api\/v2\/courses$/).slice(-2);
		expect(calls[1]).toMatch(/^GET \/api\/v2\/courses\?more=[0-9a-f]+ 200$/);
	});

	it('gets one course and deletes it (with its registrations)', async () => {
		const { output } = await run(sandbox, {
			resource: 'course',
			operation: 'get',
			courseId: 'course-privacy-201',
			options: { includeCourseMetadata: true },
		});
		expect(output[0].json).toMatchObject({
			id: 'course-privacy-201',
			title: 'Data Privacy in Practice',
			courseLearningStandard: 'SCORM12',
			metadata: { duration: 'PT30M' },
		});
		const del = await run(sandbox, {
			resource: 'course',
			operation: 'delete',
			courseId: 'course-privacy-201',
		});
		expect(del.output[0].json).toEqual({ courseId: 'course-privacy-201', deleted: true });
		expect(emulator.courses.has('course-privacy-201')).toBe(false);
		expect(
			[...emulator.registrations.values()].some((r) => r.courseId === 'course-privacy-201'),
		).toBe(false);
	});
});

describe('Course → Delete after a lost answer', () => {
	it('a delete whose answer is lost is confirmed by a look-up (404 = it landed), never reported as "not found"', async () => {
		sandbox.faults.add({
			kind: 'reset-after',
			count: 1,
			match: { provider: 'scormcloud', method: 'DELETE', path: '/courses/course-privacy-201$' },
		});
		const { output } = await run(sandbox, {
			resource: 'course',
			operation: 'delete',
			courseId: 'course-privacy-201',
		});
		expect(output[0].json).toEqual({ courseId: 'course-privacy-201', deleted: true });
		expect(emulator.courses.has('course-privacy-201')).toBe(false);
		expect(sandbox.ledger.requests({ provider: 'scormcloud', method: 'DELETE' })).toHaveLength(1);
	});
});

describe('Course → Import From URL', () => {
	it('starts the import job and polls it to COMPLETE', async () => {
		const { output } = await run(sandbox, {
			resource: 'course',
			operation: 'importFromUrl',
			url: 'https://files.example.com/packages/fire-safety.zip',
			contentType: 'application/zip',
			courseId: 'fire-safety',
			waitForCompletion: true,
			importOptions: fastPolling,
		});
		expect(output[0].json).toMatchObject({
			status: 'COMPLETE',
			courseId: 'fire-safety',
			course: { id: 'fire-safety', title: 'fire safety', version: 0 },
			parserWarnings: [],
		});
		const jobId = String(output[0].json.jobId);
		expect(apiCalls(sandbox)).toEqual([
			'POST /api/v2/courses/importJobs?courseId=fire-safety 200',
			`GET /api/v2/courses/importJobs/${jobId} 200`,
			`GET /api/v2/courses/importJobs/${jobId} 200`,
			`GET /api/v2/courses/importJobs/${jobId} 200`,
		]);
		expect(sandbox.ledger.writes('scormcloud', 'course')).toMatchObject({
			total: 1,
			keys: ['fire-safety'],
		});
	});

	it("a job that ends in ERROR is a clear error with SCORM Cloud's reason", async () => {
		const error = (await run(sandbox, {
			resource: 'course',
			operation: 'importFromUrl',
			url: 'https://files.example.com/invalid-package.zip',
			contentType: 'application/zip',
			courseId: 'bad-course',
			waitForCompletion: true,
			importOptions: fastPolling,
		}).catch((e: unknown) => e)) as Error & { description?: string };
		expect(error.message).toContain(
			'the import of course "bad-course" failed: Could not fetch or parse the package',
		);
		expect(error.description).toMatch(/Import job [0-9a-f-]{36} ended with status ERROR/);
	});

	it('importing to an existing course ID fails unless "May Create New Version" is on', async () => {
		const params = {
			resource: 'course',
			operation: 'importFromUrl',
			url: 'https://files.example.com/safety.zip',
			contentType: 'application/zip',
			courseId: 'course-safety-101',
			waitForCompletion: true,
		};
		await expect(run(sandbox, { ...params, importOptions: fastPolling })).rejects.toThrow(
			"Course 'course-safety-101' already exists and mayCreateNewVersion is false",
		);
		const { output } = await run(sandbox, {
			...params,
			importOptions: { ...fastPolling, mayCreateNewVersion: true },
		});
		expect(output[0].json).toMatchObject({
			status: 'COMPLETE',
			course: { id: 'course-safety-101', version: 1 },
		});
		expect(
			apiCalls(sandbox)
				.filter((c) => c.startsWith('POST'))
				.at(-1),
		).toBe(
			'POST /api/v2/courses/importJobs?courseId=course-safety-101&mayCreateNewVersion=true 200',
		);
	});

	it('gives up after Max Wait with the job ID, and Get Import Job reads it later', async () => {
		emulator.seed({ importPolls: 1000 });
		const started = Date.now();
		const error = (await run(sandbox, {
			resource: 'course',
			operation: 'importFromUrl',
			url: 'https://files.example.com/slow.zip',
			contentType: 'application/zip',
			courseId: 'slow',
			waitForCompletion: true,
			importOptions: { pollIntervalSeconds: 0.2, maxWaitSeconds: 1 },
		}).catch((e: unknown) => e)) as Error & { description?: string };
		expect(Date.now() - started).toBeLessThan(5000);
		expect(error.message).toContain(
			'the import of course "slow" was still RUNNING after 1 seconds',
		);
		const jobId = /job ID ([0-9a-f-]{36})/.exec(String(error.description))?.[1];
		expect(jobId).toBeDefined();
		const { output } = await run(sandbox, {
			resource: 'course',
			operation: 'getImportJob',
			importJobId: jobId,
		});
		expect(output[0].json).toMatchObject({ jobId, status: 'RUNNING', courseId: undefined });
	});

	it('without waiting: outputs the job at once', async () => {
		const { output } = await run(sandbox, {
			resource: 'course',
			operation: 'importFromUrl',
			url: 'https://files.example.com/x.zip',
			contentType: 'application/zip',
			courseId: 'x',
			waitForCompletion: false,
			importOptions: {},
		});
		expect(output[0].json).toMatchObject({ status: 'RUNNING', courseId: 'x' });
		expect(apiCalls(sandbox)).toHaveLength(1);
	});

	it('refuses a non-http URL before sending', async () => {
		await expect(
			run(sandbox, {
				resource: 'course',
				operation: 'importFromUrl',
				url: 'file:///etc/passwd',
				contentType: 'application/zip',
				courseId: 'x',
				waitForCompletion: false,
				importOptions: {},
			}),
		).rejects.toThrow('Invalid "url" must be an http(s) URL');
		expect(apiCalls(sandbox)).toEqual([]);
	});
});

describe('Course → Import From Binary Data', () => {
	it('uploads the zip from the binary field as multipart "file" and waits for COMPLETE', async () => {
		const zip = tinyZip();
		const { output } = await run(
			sandbox,
			{
				resource: 'course',
				operation: 'importFromBinary',
				binaryPropertyName: 'data',
				courseId: 'safety-v2',
				waitForCompletion: true,
				importOptions: fastPolling,
			},
			{ items: [binaryItem(zip)] },
		);
		expect(output[0].json).toMatchObject({
			status: 'COMPLETE',
			course: { id: 'safety-v2', title: 'safety v2' },
		});
		const upload = sandbox.ledger.writes('scormcloud', 'course-upload');
		expect(upload.total).toBe(1);
		expect(apiCalls(sandbox)[0]).toBe(
			'POST /api/v2/courses/importJobs/upload?courseId=safety-v2 200',
		);
		expect(sandbox.ledger.writes('scormcloud', 'course')).toMatchObject({
			total: 1,
			keys: ['safety-v2'],
		});
	});

	it('the upload is sent again after an expired OAuth token (a re-sendable FormData body)', async () => {
		// first run gets a token; then every token is expired, so the upload meets a 401 first
		await run(
			sandbox,
			{ resource: 'ping', operation: 'ping' },
			{ credentials: oauth(['read', 'write']) },
		);
		sandbox.tokens.expireAll('scormcloud');
		const { output } = await run(
			sandbox,
			{
				resource: 'course',
				operation: 'importFromBinary',
				binaryPropertyName: 'data',
				courseId: 'after-refresh',
				waitForCompletion: true,
				importOptions: fastPolling,
			},
			{ items: [binaryItem(tinyZip())], credentials: oauth(['read', 'write']) },
		);
		expect(output[0].json).toMatchObject({ status: 'COMPLETE', courseId: 'after-refresh' });
		const uploads = apiCalls(sandbox, /upload$/);
		expect(uploads).toEqual([
			'POST /api/v2/courses/importJobs/upload?courseId=after-refresh 401',
			'POST /api/v2/courses/importJobs/upload?courseId=after-refresh 200',
		]);
		expect(sandbox.ledger.tokenRequests('scormcloud')).toBe(2);
	});

	it('a file that is not a zip ends in ERROR with the reason', async () => {
		await expect(
			run(
				sandbox,
				{
					resource: 'course',
					operation: 'importFromBinary',
					binaryPropertyName: 'data',
					courseId: 'pdf',
					waitForCompletion: true,
					importOptions: fastPolling,
				},
				{
					items: [
						binaryItem(Buffer.from('%PDF-1.7 hello'), 'notes.pdf', 'application/octet-stream'),
					],
				},
			),
		).rejects.toThrow("The uploaded file 'notes.pdf' is not a zip package");
	});

	it('a missing binary field is an input error naming the field, and nothing is sent', async () => {
		const { output } = await run(
			sandbox,
			{
				resource: 'course',
				operation: 'importFromBinary',
				binaryPropertyName: 'package',
				courseId: 'x',
				waitForCompletion: true,
				importOptions: {},
			},
			{ items: [binaryItem(tinyZip())], continueOnFail: true },
		);
		expect(output[0].json.error).toBe('Item 0: has no binary field "package"');
		expect(apiCalls(sandbox)).toEqual([]);
	});
});

describe('Course → Get Import Job', () => {
	it('reads the job status with the imported course', async () => {
		const start = await run(sandbox, {
			resource: 'course',
			operation: 'importFromUrl',
			url: 'https://files.example.com/y.zip',
			contentType: 'application/zip',
			courseId: 'y',
			waitForCompletion: false,
			importOptions: {},
		});
		const jobId = String(start.output[0].json.jobId);
		const polls: IDataObject[] = [];
		for (let i = 0; i < 3; i++)
			polls.push(
				(await run(sandbox, { resource: 'course', operation: 'getImportJob', importJobId: jobId }))
					.output[0].json,
			);
		expect(polls.map((p) => p.status)).toEqual(['RUNNING', 'RUNNING', 'COMPLETE']);
		expect(polls[2]).toMatchObject({ jobId, courseId: 'y', course: { id: 'y' } });
	});
});
