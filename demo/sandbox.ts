// The demo's provider sandbox: every emulator of test/sandbox, seeded with one consistent cast of
// learners across the five platforms (the same people, e-mail addresses and HR ids everywhere, as
// in a real company), and the demo credentials that point n8n at it.
//
//   learners   Ada Lovelace … Margaret Hamilton, <username>@academy.example, HR-1001 … HR-1006
//              (Moodle's own demo site already has them; the other platforms are seeded to match)
//   SCORM Cloud  3 own courses; 6 registrations, 4 of them completed            → workflows 1 and 5
//   Percipio     the cast as users; a learning-activity report with 3 completions
//                of the Percipio course that Moodle's Percipio plugin imported  → workflow 2
//   Learn.link   the cast as users; 3 completions, sent as signed content.completed webhooks → workflow 3
//   Degreed      the cast as users (its own demo users stay)                     → workflows 1, 2, 5
//   Moodle       its demo site (course 3 is the Percipio course)                 → workflow 2
import {
	LEARNLINK_DEMO,
	learnlinkProvider,
	type LearnLinkEmulator,
} from '../test/sandbox/providers/learnlink';
import { degreedProvider, degreedSandboxCredential } from '../test/sandbox/providers/degreed';
import { MOODLE_DEMO, moodleProvider } from '../test/sandbox/providers/moodle';
import { PERCIPIO_SANDBOX, percipioProvider } from '../test/sandbox/providers/percipio';
import { SCORMCLOUD_DEMO, scormCloudProvider } from '../test/sandbox/providers/scormcloud';
import { PERCIPIO_DEMO } from '../test/sandbox/fixtures';
import { startSandbox, type Sandbox } from '../test/sandbox/server';
import type { CredentialImport } from '../test/e2e/harness/n8n';

export interface Learner {
	username: string;
	firstName: string;
	lastName: string;
	email: string;
	hrId: string;
}

/** The demo company's learners: Moodle's demo site has exactly these users. */
export const CAST: Learner[] = [
	['ada.lovelace', 'Ada', 'Lovelace', 'HR-1001'],
	['alan.turing', 'Alan', 'Turing', 'HR-1002'],
	['grace.hopper', 'Grace', 'Hopper', 'HR-1003'],
	['katherine.johnson', 'Katherine', 'Johnson', 'HR-1004'],
	['tim.bernerslee', 'Tim', 'Berners-Lee', 'HR-1005'],
	['margaret.hamilton', 'Margaret', 'Hamilton', 'HR-1006'],
].map(([username, firstName, lastName, hrId]) => ({
	username,
	firstName,
	lastName,
	hrId,
	email: `${username}@academy.example`,
}));

const who = (username: string) => CAST.find((l) => l.username === username)!;

/** The company's own SCORM courses (workflow 5 publishes them to Percipio and Degreed). */
export const SCORM_COURSES = [
	{ id: 'course-safety-101', title: 'Workplace Safety Essentials', tags: ['compliance'] },
	{ id: 'course-privacy-201', title: 'Data Privacy in Practice', tags: ['compliance', 'privacy'] },
	{ id: 'course-leadership-301', title: 'Leading Hybrid Teams', tags: ['leadership'] },
];

/** [learner, course, completed, score] */
const SCORM_REGISTRATIONS: Array<[string, string, boolean, number?]> = [
	['ada.lovelace', 'course-safety-101', true, 92],
	['alan.turing', 'course-safety-101', true, 85],
	['grace.hopper', 'course-privacy-201', true, 100],
	['katherine.johnson', 'course-safety-101', false],
	['tim.bernerslee', 'course-privacy-201', false],
	['margaret.hamilton', 'course-leadership-301', true, 88],
];

/** Percipio learning-activity rows: [learner, status, completedDate]; all on the Moodle-imported Percipio course. */
const PERCIPIO_ACTIVITY: Array<[string, 'Completed' | 'Started', string | null]> = [
	['ada.lovelace', 'Completed', '2026-11-10T15:30:00Z'],
	['alan.turing', 'Completed', '2026-11-11T11:05:00Z'],
	['grace.hopper', 'Completed', '2026-11-12T09:45:00Z'],
	['katherine.johnson', 'Started', null],
];

/** Learn.link content and completions (each becomes a signed content.completed webhook in the demo). */
const LEARNLINK_CONTENT = [
	{
		id: 'cnt-101',
		title: 'Information Security Essentials',
		type: 'course',
		urls: ['https://academy.learn.link/content/cnt-101'],
	},
	{
		id: 'cnt-102',
		title: 'Giving Feedback That Lands',
		type: 'video',
		urls: ['https://academy.learn.link/content/cnt-102'],
	},
];
const LEARNLINK_COMPLETIONS: Array<[string, string, string]> = [
	['ada.lovelace', 'cnt-101', '2026-11-13T10:00:00.000Z'],
	['alan.turing', 'cnt-102', '2026-11-14T14:20:00.000Z'],
	['margaret.hamilton', 'cnt-101', '2026-11-15T08:10:00.000Z'],
];

export interface DemoSandbox {
	sandbox: Sandbox;
	/** Credentials for `n8n import:credentials`, pointing at this sandbox. */
	credentials: CredentialImport[];
	/** The signed content.completed events Learn.link would send (one per seeded completion). */
	learnLinkEvents(): Array<Record<string, unknown>>;
	learnLink: LearnLinkEmulator;
}

/** Ids and names the example workflows use for their credentials (users pick their own on import). */
export const CREDENTIAL_REFS = {
	percipioApi: { id: 'lpDemoPercipio', name: 'Percipio account' },
	degreedApi: { id: 'lpDemoDegreed', name: 'Degreed account' },
	learnLinkApi: { id: 'lpDemoLearnLink', name: 'Learn.link account' },
	scormCloudApi: { id: 'lpDemoScormCloud', name: 'SCORM Cloud account' },
	moodleApi: { id: 'lpDemoMoodle', name: 'Moodle account' },
} as const;

export async function startDemoSandbox(
	options: { port?: number; seed?: number } = {},
): Promise<DemoSandbox> {
	const sandbox = await startSandbox({
		port: options.port ?? 0,
		seed: options.seed ?? 1,
		logLevel: 'error',
		providers: [
			percipioProvider({ demoData: false }),
			degreedProvider(),
			learnlinkProvider({ demoData: false }),
			scormCloudProvider({ demoData: false }),
			moodleProvider(),
		],
	});
	try {
		seed(sandbox);
	} catch (e) {
		await sandbox.close();
		throw e;
	}
	const learnLink = sandbox.provider<LearnLinkEmulator>('learnlink');
	return {
		sandbox,
		credentials: credentialsFor(sandbox),
		learnLink,
		learnLinkEvents: () => learnLinkEvents(learnLink),
	};
}

function seed(sandbox: Sandbox): void {
	const p = (name: string) => sandbox.providers[name]!;
	p('scormcloud').seed!({
		courses: SCORM_COURSES.map((c) => ({ ...c, courseLearningStandard: 'SCORM20043RDEDITION' })),
		registrations: SCORM_REGISTRATIONS.map(([username, courseId, completed, score]) => {
			const l = who(username);
			return {
				id: `${l.hrId}-${courseId}`,
				courseId,
				learner: { id: l.hrId, firstName: l.firstName, lastName: l.lastName, email: l.email },
				completed,
				score,
			};
		}),
	});
	p('degreed').seed!({
		users: CAST.map((l, i) => ({
			id: `U${101 + i}`,
			'first-name': l.firstName,
			'last-name': l.lastName,
			email: l.email,
			'employee-id': l.hrId,
			'user-name': l.username,
			'is-active': true,
		})),
	});
	p('percipio').seed!({
		users: CAST.map((l) => ({
			externalUserId: l.hrId,
			loginName: l.username,
			firstName: l.firstName,
			lastName: l.lastName,
			email: l.email,
			updatedAt: '2026-10-01T09:00:00.000Z',
		})),
		catalog: [
			{
				id: MOODLE_DEMO.percipioContentId,
				title: 'Leading Teams: Building Trust',
				duration: 'PT47M',
			},
		],
		activity: PERCIPIO_ACTIVITY.map(([username, status, completedDate]) => {
			const l = who(username);
			return {
				userId: l.username,
				firstName: l.firstName,
				lastName: l.lastName,
				emailAddress: l.email,
				userStatus: 'ACTIVE',
				contentUuid: MOODLE_DEMO.percipioContentId,
				contentTitle: 'Leading Teams: Building Trust',
				contentType: 'Course',
				status,
				completedDate,
				firstAccess: '2026-11-09T10:00:00Z',
				lastAccess: completedDate ?? '2026-11-12T10:00:00Z',
				duration: 2820,
				languageCode: 'en',
				audience: 'ALL',
			};
		}),
		// Report polling: answer at once (the node's bounded polling is exercised by the integration tests).
		reportPolls: 0,
	});
	p('learnlink').seed!({
		users: CAST.map((l) => ({
			ref: l.hrId,
			firstName: l.firstName,
			lastName: l.lastName,
			email: l.email,
			updatedAt: '2026-11-01T09:00:00.000Z',
		})),
		contents: LEARNLINK_CONTENT.map((c) => ({
			...c,
			createdAt: '2026-11-01T09:00:00.000Z',
			updatedAt: '2026-11-01T09:00:00.000Z',
		})),
	});
	const ll = sandbox.provider<LearnLinkEmulator>('learnlink');
	const userId = (username: string) =>
		[...ll.users.values()].find((u) => u.ref === who(username).hrId)!.id;
	p('learnlink').seed!({
		completions: LEARNLINK_COMPLETIONS.map(([username, contentId, completedAt]) => ({
			userId: userId(username),
			contentId,
			completedAt,
		})),
	});
}

function learnLinkEvents(ll: LearnLinkEmulator): Array<Record<string, unknown>> {
	return ll.completions.map((c) => {
		const u = ll.users.get(c.userId)!;
		const content = ll.contents.get(c.contentId)!;
		return ll.completionEvent({
			createdAt: c.completedAt,
			dispatchedAt: new Date().toISOString(),
			user: {
				id: u.id,
				reference: u.ref,
				email: u.email,
				firstName: u.firstName,
				lastName: u.lastName,
			},
			content: { id: content.id, title: content.title, type: content.type, urls: content.urls },
		});
	});
}

/** Demo credentials: each provider's sandbox URLs and demo client id/secret (test/sandbox fixtures). */
export function credentialsFor(sandbox: Sandbox): CredentialImport[] {
	return [
		{
			...CREDENTIAL_REFS.percipioApi,
			type: 'percipioApi',
			data: {
				authMethod: 'oAuth2ClientCredentials',
				region: 'custom',
				apiBaseUrl: sandbox.urlFor('percipio', 'api'),
				tokenUrl: `${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`,
				organizationId: PERCIPIO_DEMO.orgId,
				clientId: PERCIPIO_DEMO.clientId,
				clientSecret: PERCIPIO_DEMO.clientSecret,
				scope: PERCIPIO_DEMO.scope,
				partnerName: PERCIPIO_SANDBOX.partnerName,
				testRoute: 'users',
			},
		},
		{
			...CREDENTIAL_REFS.degreedApi,
			type: 'degreedApi',
			data: {
				...degreedSandboxCredential(sandbox),
			},
		},
		{
			...CREDENTIAL_REFS.learnLinkApi,
			type: 'learnLinkApi',
			data: {
				environment: 'custom',
				publicApiUrl: sandbox.urlFor('learnlink', 'public'),
				usersApiUrl: sandbox.urlFor('learnlink', 'users'),
				tenantId: LEARNLINK_DEMO.tenantId,
				apiSecret: LEARNLINK_DEMO.apiSecret,
				authentication: 'oauth2',
				scopes: ['api/all'],
				webhookSecret: LEARNLINK_DEMO.webhookSecret,
			},
		},
		{
			...CREDENTIAL_REFS.scormCloudApi,
			type: 'scormCloudApi',
			data: {
				appId: SCORMCLOUD_DEMO.appId,
				secretKey: SCORMCLOUD_DEMO.secretKey,
				baseUrl: `${sandbox.urlFor('scormcloud', 'cloud')}/api/v2`,
				authMethod: 'oauth',
				scopes: ['read', 'write'],
				expirationSeconds: 300,
			},
		},
		{
			...CREDENTIAL_REFS.moodleApi,
			type: 'moodleApi',
			data: { siteUrl: `${sandbox.urlFor('moodle', 'site')}/`, token: MOODLE_DEMO.token },
		},
	];
}
