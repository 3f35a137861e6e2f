// Rustici's own JS client (`@rusticisoftware/scormcloud-api-v2-client-javascript`, generated from
// SCORM Cloud's API definition) pointed at the emulator: if the emulator's routes, methods, bodies or
// shapes differed from SCORM Cloud's, these calls would fail or deserialize to empty models.
import type { Sandbox } from '../../sandbox/server';
import type { ScormCloudEmulator } from '../../sandbox/providers/scormcloud';
import { SCORMCLOUD_DEMO, baseUrl, resetAll, startScormSandbox } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ScormCloud = require('@rusticisoftware/scormcloud-api-v2-client-javascript');

let sandbox: Sandbox;
let emulator: ScormCloudEmulator;

beforeAll(async () => {
	({ sandbox, emulator } = await startScormSandbox());
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => resetAll(sandbox));

type Callback = (error: any, data: any, response: any) => void;

/** Calls a callback-style client method; resolves with data and the raw response, rejects with the error. */
function call(api: any, method: string, ...args: unknown[]): Promise<{ data: any; response: any }> {
	return new Promise((resolve, reject) => {
		const cb: Callback = (error, data, response) =>
			error ? reject(Object.assign(error, { response })) : resolve({ data, response });
		api[method](...args, cb);
	});
}

function client(auth: { basic?: boolean; token?: string } = { basic: true }) {
	const apiClient = new ScormCloud.ApiClient();
	apiClient.basePath = baseUrl(sandbox);
	if (auth.basic) {
		apiClient.authentications.APP_NORMAL.username = SCORMCLOUD_DEMO.appId;
		apiClient.authentications.APP_NORMAL.password = SCORMCLOUD_DEMO.secretKey;
	}
	if (auth.token) apiClient.authentications.OAUTH.accessToken = auth.token;
	return {
		ping: new ScormCloud.PingApi(apiClient),
		registrations: new ScormCloud.RegistrationApi(apiClient),
		courses: new ScormCloud.CourseApi(apiClient),
		auth: new ScormCloud.AuthenticationApi(apiClient),
	};
}

describe("Rustici's official client against the emulator", () => {
	it('pingAppId (Basic) and getAppToken → pingAppId (OAuth)', async () => {
		const basic = client();
		const { data: pong } = await call(basic.ping, 'pingAppId');
		expect(pong.apiMessage).toBe(`pong ${SCORMCLOUD_DEMO.appId}`);
		expect(typeof pong.currentTime).toBe('string');
		const { data: token } = await call(basic.auth, 'getAppToken', 'read:ping read:registration', {
			expiration: 120,
		});
		// the model maps the wire names access_token / expires_in / token_type
		expect(token.accessToken).toMatch(/\S{10,}/);
		expect(token.expiresIn).toBe(119);
		expect(token.tokenType).toBe('Bearer');
		const { data: pong2 } = await call(client({ token: token.accessToken }).ping, 'pingAppId');
		expect(pong2.apiMessage).toBe(`pong ${SCORMCLOUD_DEMO.appId}`);
		await expect(call(client({}).ping, 'pingAppId')).rejects.toMatchObject({ status: 401 });
	});

	it('createRegistration, getRegistration (HEAD), getRegistrationProgress, getRegistrations, buildRegistrationLaunchLink', async () => {
		const api = client().registrations;
		await call(
			api,
			'createRegistration',
			{
				courseId: 'course-safety-101',
				registrationId: 'client-reg-1',
				learner: { id: 'client-learner', firstName: 'Dorothy', lastName: 'Vaughan' },
				registrationTags: ['official-client'],
				postBack: {
					url: 'https://hooks.example.com/pb',
					authType: 'HTTPBASIC',
					userName: 'u',
					password: 'p',
					resultsFormat: 'COURSE',
				},
			},
			{},
		);
		expect(emulator.registrations.get('client-reg-1')?.postBack).toMatchObject({
			authType: 'httpbasic',
			resultsFormat: 'course',
		});

		const head = await call(api, 'getRegistration', 'client-reg-1');
		expect(head.response.status).toBe(200);
		await expect(call(api, 'getRegistration', 'nobody')).rejects.toMatchObject({ status: 404 });

		const { data: progress } = await call(api, 'getRegistrationProgress', 'client-reg-1', {
			includeChildResults: true,
		});
		expect(progress.id).toBe('client-reg-1');
		expect(progress.registrationCompletion).toBe('UNKNOWN');
		expect(progress.learner.firstName).toBe('Dorothy');
		expect(progress.course.id).toBe('course-safety-101');

		const { data: list, response } = await call(api, 'getRegistrations', {
			courseId: 'course-safety-101',
			tags: ['official-client'],
			includeTotalCount: true,
		});
		expect(list.registrations.map((r: { id: string }) => r.id)).toEqual(['client-reg-1']);
		expect(response.headers['x-total-count']).toBe('1');

		const { data: link } = await call(api, 'buildRegistrationLaunchLink', 'client-reg-1', {
			redirectOnExitUrl: 'https://lms.example.com/back',
			expiry: 60,
		});
		expect(link.launchLink).toContain('/registration/launch/client-reg-1');
		await expect(
			call(api, 'buildRegistrationLaunchLink', 'client-reg-1', { expiry: 5 }),
		).rejects.toMatchObject({ status: 400 });
	});

	it('getRegistrations follows `more` the way the client does (only `more` on follow-ups)', async () => {
		emulator.seed({ generateRegistrations: 230 });
		const api = client().registrations;
		const ids: string[] = [];
		let more: string | undefined;
		let pages = 0;
		do {
			const { data } = await call(
				api,
				'getRegistrations',
				more ? { more } : { filter: 'gen-', orderBy: 'created_asc' },
			);
			ids.push(...data.registrations.map((r: { id: string }) => r.id));
			more = data.more;
			pages++;
		} while (more);
		expect(pages).toBe(3);
		expect(ids).toHaveLength(230);
		expect(new Set(ids).size).toBe(230);
	});

	it('getCourses, createFetchAndImportCourseJob and getImportJobStatus until COMPLETE', async () => {
		const api = client().courses;
		const { data: courses } = await call(api, 'getCourses', { includeRegistrationCount: true });
		expect(courses.courses.map((c: { id: string }) => c.id).sort()).toEqual([
			'course-leadership-301',
			'course-privacy-201',
			'course-safety-101',
		]);
		expect(
			courses.courses.find((c: { id: string }) => c.id === 'course-safety-101')
				.courseLearningStandard,
		).toBe('SCORM20043RDEDITION');

		const { data: started } = await call(
			api,
			'createFetchAndImportCourseJob',
			'client-course',
			{ url: 'https://files.example.com/client-course.zip', contentType: 'application/zip' },
			{},
		);
		expect(started.result).toMatch(/^[0-9a-f-]{36}$/);
		const statuses: string[] = [];
		let job: any;
		do {
			({ data: job } = await call(api, 'getImportJobStatus', started.result));
			statuses.push(job.status);
		} while (job.status === 'RUNNING' && statuses.length < 10);
		expect(statuses).toEqual(['RUNNING', 'RUNNING', 'COMPLETE']);
		expect(job.jobId).toBe(started.result);
		expect(job.importResult.course.id).toBe('client-course');
	});
});
