// SCORM Cloud API v2 emulator (reference: /work/shared/reference/providers.md §5, sources/scormcloud-oauth.txt;
// routes and shapes as Rustici's own JS client `@rusticisoftware/scormcloud-api-v2-client-javascript` sends them).
//
// Hosts:
//   cloud    → the API, routes under /api/v2 exactly as documented, so a credential's Base URL is
//              http://127.0.0.1:<port>/scormcloud/cloud/api/v2 (mirrors https://cloud.scorm.com/api/v2)
//   control  → test controls that are not part of SCORM Cloud:
//              POST /scormcloud/control/complete {registrationId, score?, completion?, success?, totalSecondsTracked?}
//              updates a registration's progress as if the learner had taken the course, and sends the
//              registration's postback (as SCORM Cloud does); answers {registration, postback}.
//
// What is emulated: HTTP Basic (App ID : Secret Key) and OAuth bearer tokens on every route (scopes
// checked), GetAppToken (form body, `scope` required and space-delimited, `expiration` honoured),
// `{"error":"Authorization Required."}` on 401 and `{"message": …}` otherwise, registrations (create
// with caller-owned id, list with filters and `more` paging that refuses other parameters beside
// `more`, HEAD, get, delete, reset progress, launch link with expiry 10–300 and a required redirectOnExitUrl ("" = configured default, closer/blank/message, an invalid URL → message page), launch history, xAPI
// statements), courses (list, get, delete) and import jobs (fetch from URL and multipart upload,
// RUNNING → COMPLETE | ERROR), postbacks (httpbasic: JSON body + Basic header; form: data/userName/password).
//
// Large data sets (benchmarks): `configure({ registrations: 100_000 })` (or seed `{ syntheticRegistrations }`)
// adds that many registrations `syn-0000000`… that are never stored: each is generated from its index
// when a page (or a lookup by id) needs it, so 100,000 cost no memory and the first page no sort. They
// take part in every filter, order and `more` page like stored ones (merged in order), and a synthetic
// registration touched by id (get, progress, delete…) becomes a stored one from then on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { basicAuth, mediaType } from '../http-helpers';
import type { InsertRecord, ProviderContext, SandboxProvider } from '../types';
import { insertTime } from '../types';

export const SCORMCLOUD_DEMO = {
	appId: 'SANDBOXAPP1',
	secretKey: 'sandbox-scormcloud-secret-key',
	defaultTokenExpiration: 300,
} as const;

/** Every OAuth scope the emulator grants (the documented list). */
export const SCORMCLOUD_SCOPES = [
	'read',
	'write',
	'delete',
	'admin',
	'read:course',
	'write:course',
	'delete:course',
	'read:registration',
	'write:registration',
	'delete:registration',
	'read:ping',
	'read:learner',
	'write:learner',
	'read:reporting',
	'read:about',
	'read:dispatch',
	'write:dispatch',
	'delete:dispatch',
	'read:invitation',
	'write:invitation',
	'delete:invitation',
	'read:xapicredential',
	'write:xapicredential',
	'delete:xapicredential',
	'read:xapipipe',
	'write:xapipipe',
	'delete:xapipipe',
	'read:appmgmt',
	'write:appmgmt',
	'delete:appmgmt',
];

const API = '/api/v2';
const AUTH_REQUIRED = { error: 'Authorization Required.' };

export interface ScormCloudApp {
	appId: string;
	secretKey: string;
}

export interface ScormCourse {
	id: string;
	title: string;
	version: number;
	created: string;
	updated: string;
	courseLearningStandard: string;
	tags: string[];
	activityId: string;
	xapiActivityId: string;
	dispatched: boolean;
}

export interface PostBack {
	url: string;
	authType?: string;
	userName?: string;
	password?: string;
	resultsFormat?: string;
	legacy?: boolean;
}

export interface ScormRegistration {
	id: string;
	instance: number;
	xapiRegistrationId: string;
	courseId: string;
	courseVersion: number;
	learner: { id: string; firstName?: string; lastName?: string; email?: string };
	tags: string[];
	learnerTags: string[];
	courseTags: string[];
	registrationCompletion: 'UNKNOWN' | 'COMPLETED' | 'INCOMPLETE';
	registrationCompletionAmount: number;
	registrationSuccess: 'UNKNOWN' | 'PASSED' | 'FAILED';
	score?: number;
	totalSecondsTracked: number;
	createdDate: string;
	updated: string;
	firstAccessDate?: string;
	lastAccessDate?: string;
	completedDate?: string;
	postBack?: PostBack;
	launches: Array<Record<string, unknown>>;
	statements: Array<Record<string, unknown>>;
}

interface ImportJob {
	jobId: string;
	courseId: string;
	mayCreateNewVersion: boolean;
	source: string;
	title: string;
	pollsLeft: number;
	failure?: string;
	status: 'RUNNING' | 'COMPLETE' | 'ERROR';
	message: string;
	course?: ScormCourse;
}

interface MoreCursor {
	kind: string;
	ids: string[];
	offset: number;
	appId: string;
}

/** A registrations listing: stored ids (filtered, sorted) merged with the synthetic range. Immutable. */
interface RegistrationCursor {
	kind: 'registrations';
	appId: string;
	q: Record<string, unknown>;
	stored: string[];
	storedPos: number;
	/** next synthetic index to look at (ascending: counts up from 0; descending: down from count - 1) */
	synPos: number;
}

/** Synthetic registrations: created one second apart from this instant (before the demo data). */
const SYNTHETIC_START = Date.UTC(2025, 11, 1, 0, 0, 0);
const SYNTHETIC_ID = /^syn-(\d{7})$/;

export interface ScormCloudSeed {
	apps?: ScormCloudApp[];
	courses?: Array<Partial<ScormCourse> & { id: string }>;
	registrations?: Array<{
		id: string;
		courseId: string;
		learner: ScormRegistration['learner'];
		completed?: boolean;
		score?: number;
		createdDate?: string;
		tags?: string[];
	}>;
	/** generates this many extra registrations `gen-<n>` on the first demo course (paging tests) */
	generateRegistrations?: number;
	/** this many synthetic registrations `syn-<7 digits>`, generated per page, never stored (benchmarks); 0 removes them */
	syntheticRegistrations?: number;
	/** records per list page (default 100) */
	pageSize?: number;
	/** status polls an import job answers RUNNING before it finishes (default 2) */
	importPolls?: number;
}

export interface ScormCloudOptions {
	pageSize?: number;
	importPolls?: number;
	/** seed the demo courses, learners and registrations (default true) */
	demoData?: boolean;
}

interface Caller {
	appId: string;
	scopes?: readonly string[];
}

const DEMO_COURSES: Array<
	Pick<ScormCourse, 'id' | 'title' | 'courseLearningStandard'> & { tags: string[] }
> = [
	{
		id: 'course-safety-101',
		title: 'Workplace Safety Essentials',
		courseLearningStandard: 'SCORM20043RDEDITION',
		tags: ['compliance'],
	},
	{
		id: 'course-privacy-201',
		title: 'Data Privacy in Practice',
		courseLearningStandard: 'SCORM12',
		tags: ['compliance', 'privacy'],
	},
	{
		id: 'course-leadership-301',
		title: 'Leading Hybrid Teams',
		courseLearningStandard: 'CMI5',
		tags: ['leadership'],
	},
];

const DEMO_LEARNERS = [
	{ id: 'learner-ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
	{ id: 'learner-grace', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' },
	{ id: 'learner-alan', firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com' },
	{
		id: 'learner-katherine',
		firstName: 'Katherine',
		lastName: 'Johnson',
		email: 'katherine@example.com',
	},
	{ id: 'learner-linus', firstName: 'Linus', lastName: 'Torvalds', email: 'linus@example.com' },
];

const iso = (ms: number) => new Date(ms).toISOString();
const one = (v: unknown): string | undefined =>
	Array.isArray(v) ? (v[0] as string) : typeof v === 'string' ? v : undefined;
const csv = (v: unknown): string[] =>
	(Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
		.flatMap((s) => String(s).split(','))
		.map((s) => s.trim())
		.filter(Boolean);
const bool = (v: unknown): boolean => one(v) === 'true';

/** The application's configured exit page (SCORM Cloud's default). */
export const DEFAULT_EXIT_URL = 'https://www.scorm.com';

/** Where SCORM Cloud sends the learner on exit for a `redirectOnExitUrl` value (documented keywords are lower case). */
export function launchExitTarget(value: string): string {
	if (value === '') return DEFAULT_EXIT_URL;
	if (['closer', 'blank', 'message'].includes(value)) return `keyword:${value}`;
	try {
		const url = new URL(value);
		if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) return url.href;
	} catch {
		// fall through: an invalid URL shows the message page
	}
	return 'keyword:message';
}

export class ScormCloudEmulator implements SandboxProvider {
	readonly name = 'scormcloud';
	readonly hosts = ['cloud', 'control'] as const;
	readonly multipart = true;
	readonly demo = {
		appId: SCORMCLOUD_DEMO.appId,
		secretKey: SCORMCLOUD_DEMO.secretKey,
		baseUrl: '<sandbox>/scormcloud/cloud/api/v2',
	};

	private ctx!: ProviderContext;
	apps = new Map<string, ScormCloudApp>();
	courses = new Map<string, ScormCourse>();
	registrations = new Map<string, ScormRegistration>();
	importJobs = new Map<string, ImportJob>();
	private cursors = new Map<string, MoreCursor>();
	pageSize = 100;
	importPolls = 2;
	/** synthetic registrations: how many, on which courses (round robin), and the indices now stored or deleted */
	private synthetic = { count: 0, courses: [] as string[], taken: new Set<number>() };
	/** launch links built, newest last: what was asked for and where the learner's exit would go */
	readonly launchLinks: Array<{
		registrationId: string;
		redirectOnExitUrl: string;
		exitTo: string;
	}> = [];
	/** postbacks sent, newest last (status 0 = not delivered) */
	readonly postbacks: Array<{
		registrationId: string;
		url: string;
		status: number;
		error?: string;
		contentType: string;
	}> = [];
	private seq = 0;

	constructor(private readonly options: ScormCloudOptions = {}) {
		this.reset();
	}

	register(host: string, app: FastifyInstance, ctx: ProviderContext): void {
		this.ctx = ctx;
		if (host === 'cloud') this.registerApi(app);
		else if (host === 'control') this.registerControl(app);
	}

	reset(): void {
		this.apps = new Map([
			[
				SCORMCLOUD_DEMO.appId,
				{ appId: SCORMCLOUD_DEMO.appId, secretKey: SCORMCLOUD_DEMO.secretKey },
			],
		]);
		this.courses = new Map();
		this.registrations = new Map();
		this.importJobs = new Map();
		this.cursors = new Map();
		this.postbacks.length = 0;
		this.launchLinks.length = 0;
		this.pageSize = this.options.pageSize ?? 100;
		this.importPolls = this.options.importPolls ?? 2;
		this.seq = 0;
		this.synthetic = { count: 0, courses: [], taken: new Set() };
		if (this.options.demoData !== false) this.seedDemo();
	}

	/**
	 * Benchmark sizes at run time. `registrations`: how many synthetic registrations exist (0 = none),
	 * spread over the first three courses there are now (a course 'course-synthetic' is added when there
	 * are none); `pageSize`: records per list page.
	 */
	configure(settings: { registrations?: number; pageSize?: number }): void {
		if (settings.pageSize !== undefined) {
			if (!(Number.isInteger(settings.pageSize) && settings.pageSize > 0))
				throw new Error('pageSize must be a positive integer');
			this.pageSize = settings.pageSize;
		}
		if (settings.registrations !== undefined) {
			const n = settings.registrations;
			if (!(Number.isInteger(n) && n >= 0 && n < 10_000_000))
				throw new Error('registrations must be an integer from 0 to 9,999,999');
			let courses = [...this.courses.keys()].slice(0, 3);
			if (n > 0 && courses.length === 0)
				courses = [
					this.addCourse(
						{
							id: 'course-synthetic',
							title: 'Synthetic Course',
							courseLearningStandard: 'SCORM20043RDEDITION',
							tags: [],
						},
						SYNTHETIC_START,
					).id,
				];
			this.synthetic = { count: n, courses, taken: new Set() };
		}
	}

	/** Synthetic registrations that exist (configured, not stored or deleted since, course still there). */
	get syntheticRegistrations(): number {
		return this.synthetic.count;
	}

	/** The synthetic registration number `i`, built from the index alone (same index, same record). */
	private syntheticRegistration(i: number): ScormRegistration {
		const courseId = this.synthetic.courses[i % this.synthetic.courses.length];
		const l = DEMO_LEARNERS[i % DEMO_LEARNERS.length];
		const created = SYNTHETIC_START + i * 1000;
		const completed = i % 3 === 0;
		const score = completed ? 55 + ((i * 37) % 46) : undefined;
		const reg: ScormRegistration = {
			id: `syn-${String(i).padStart(7, '0')}`,
			instance: 0,
			xapiRegistrationId: `5e000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
			courseId,
			courseVersion: this.courses.get(courseId)?.version ?? 0,
			learner: {
				id: `${l.id}-${i}`,
				firstName: l.firstName,
				lastName: l.lastName,
				email: l.email.replace('@', `+${i}@`),
			},
			tags: i % 10 === 0 ? ['synthetic', 'sample'] : ['synthetic'],
			learnerTags: [],
			courseTags: [],
			registrationCompletion: completed ? 'COMPLETED' : i % 3 === 1 ? 'INCOMPLETE' : 'UNKNOWN',
			registrationCompletionAmount: completed ? 1 : i % 3 === 1 ? 0.5 : 0,
			registrationSuccess: completed ? ((score as number) >= 80 ? 'PASSED' : 'FAILED') : 'UNKNOWN',
			totalSecondsTracked: completed ? 600 + (i % 1200) : i % 3 === 1 ? 300 : 0,
			createdDate: iso(created),
			// progress half a second after creation keeps `updated` in index order too (paging merges by it)
			updated: iso(completed || i % 3 === 1 ? created + 500 : created),
			launches: [],
			statements: [],
		};
		if (score !== undefined) reg.score = score;
		if (completed || i % 3 === 1) {
			reg.firstAccessDate = iso(created + 100);
			reg.lastAccessDate = iso(created + 500);
		}
		if (completed) reg.completedDate = iso(created + 500);
		return reg;
	}

	/** The index of a synthetic registration that currently exists under `id`, else -1. */
	private syntheticIndex(id: string): number {
		const m = SYNTHETIC_ID.exec(id);
		if (!m) return -1;
		const i = Number(m[1]);
		return this.syntheticLive(i) ? i : -1;
	}

	private syntheticLive(i: number): boolean {
		const s = this.synthetic;
		return i < s.count && !s.taken.has(i) && this.courses.has(s.courses[i % s.courses.length]);
	}

	/** A registration by id; a synthetic one becomes stored (so changes to it stick). */
	findRegistration(id: string): ScormRegistration | undefined {
		const reg = this.registrations.get(id);
		if (reg) return reg;
		const i = this.syntheticIndex(id);
		if (i < 0) return undefined;
		const made = this.syntheticRegistration(i);
		this.synthetic.taken.add(i);
		this.registrations.set(made.id, made);
		return made;
	}

	private hasRegistration(id: string): boolean {
		return this.registrations.has(id) || this.syntheticIndex(id) >= 0;
	}

	private deleteRegistration(id: string): boolean {
		const i = this.syntheticIndex(id);
		if (i >= 0) {
			this.synthetic.taken.add(i);
			return true;
		}
		return this.registrations.delete(id);
	}

	private now(): number {
		return this.ctx ? this.ctx.now() : Date.now();
	}

	private seedDemo(): void {
		const base = Date.UTC(2026, 0, 5, 9, 0, 0);
		for (const [i, c] of DEMO_COURSES.entries()) this.addCourse({ ...c }, base + i * 86_400_000);
		const plan: Array<[number, number, boolean, number?]> = [
			[0, 0, true, 92],
			[1, 0, true, 78],
			[2, 0, false],
			[3, 1, true, 100],
			[4, 1, false],
			[0, 2, false],
			[1, 2, true, 85],
			[2, 1, false],
		];
		plan.forEach(([learner, course, completed, score], i) => {
			const l = DEMO_LEARNERS[learner];
			const reg = this.addRegistration(
				{
					id: `reg-${l.id.slice(8)}-${DEMO_COURSES[course].id.slice(7)}`,
					courseId: DEMO_COURSES[course].id,
					learner: { ...l },
				},
				base + (i + 3) * 3_600_000 * 7,
			);
			if (completed)
				this.progress(
					reg,
					{
						score,
						completion: 'COMPLETED',
						success: (score ?? 0) >= 80 ? 'PASSED' : 'FAILED',
						totalSecondsTracked: 900 + i * 60,
					},
					base + (i + 4) * 3_600_000 * 7,
				);
		});
	}

	seed(data: unknown): void {
		const d = (data ?? {}) as ScormCloudSeed;
		for (const a of d.apps ?? []) {
			if (typeof a?.appId !== 'string' || typeof a.secretKey !== 'string')
				throw new Error('each app needs appId and secretKey');
			this.apps.set(a.appId, { appId: a.appId, secretKey: a.secretKey });
		}
		if (d.pageSize !== undefined) {
			if (!(Number.isInteger(d.pageSize) && d.pageSize > 0))
				throw new Error('pageSize must be a positive integer');
			this.pageSize = d.pageSize;
		}
		if (d.importPolls !== undefined) {
			if (!(Number.isInteger(d.importPolls) && d.importPolls >= 0))
				throw new Error('importPolls must be a non-negative integer');
			this.importPolls = d.importPolls;
		}
		for (const c of d.courses ?? [])
			this.addCourse({
				title: c.title ?? c.id,
				courseLearningStandard: c.courseLearningStandard ?? 'SCORM20043RDEDITION',
				tags: c.tags ?? [],
				id: c.id,
			});
		for (const r of d.registrations ?? []) {
			if (!this.courses.has(r.courseId))
				throw new Error(`registration ${r.id}: unknown course ${r.courseId}`);
			const reg = this.addRegistration(r, r.createdDate ? Date.parse(r.createdDate) : undefined);
			if (r.tags) reg.tags = [...r.tags];
			if (r.completed)
				this.progress(reg, { score: r.score, completion: 'COMPLETED', success: 'PASSED' });
		}
		if (d.syntheticRegistrations !== undefined)
			this.configure({ registrations: d.syntheticRegistrations });
		if (d.generateRegistrations) {
			const course = this.courses.values().next().value as ScormCourse;
			const start = Date.UTC(2026, 1, 1);
			for (let i = 0; i < d.generateRegistrations; i++) {
				const l = DEMO_LEARNERS[i % DEMO_LEARNERS.length];
				this.addRegistration(
					{
						id: `gen-${String(i).padStart(5, '0')}`,
						courseId: course.id,
						learner: { ...l, id: `${l.id}-${i}` },
					},
					start + i * 1000,
				);
			}
		}
	}

	/** kind 'registration': a registration created at `at`, completed then too unless `completed: false`. */
	insert(kind: string, records: InsertRecord[]): string[] {
		if (kind !== 'registration')
			throw new Error(`SCORM Cloud inserts 'registration' records (got '${kind}')`);
		const course = [...this.courses.values()][0];
		if (!course) throw new Error('no course to register on');
		return records.map((r, i) => {
			const at = insertTime(r, this.now());
			const l = DEMO_LEARNERS[i % DEMO_LEARNERS.length];
			const reg = this.addRegistration(
				{ id: r.id ?? `ins-${this.uuid()}`, courseId: course.id, learner: { ...l } },
				at,
			);
			if (r.completed !== false) this.progress(reg, { completion: 'COMPLETED', score: 90 }, at);
			return reg.id;
		});
	}

	errorBody(status: number, message: string): unknown {
		return status === 401 ? AUTH_REQUIRED : { message };
	}

	// ---- model ----

	private addCourse(
		c: Pick<ScormCourse, 'id' | 'title' | 'courseLearningStandard' | 'tags'>,
		at = this.now(),
	): ScormCourse {
		const existing = this.courses.get(c.id);
		const course: ScormCourse = {
			id: c.id,
			title: c.title,
			version: existing ? existing.version + 1 : 0,
			created: existing?.created ?? iso(at),
			updated: iso(at),
			courseLearningStandard: c.courseLearningStandard,
			tags: c.tags,
			activityId: `urn:scormcloud:${c.id}`,
			xapiActivityId: `urn:scormcloud:${c.id}`,
			dispatched: false,
		};
		this.courses.set(c.id, course);
		return course;
	}

	private addRegistration(
		r: { id: string; courseId: string; learner: ScormRegistration['learner'] },
		at = this.now(),
	): ScormRegistration {
		const course = this.courses.get(r.courseId) as ScormCourse;
		const reg: ScormRegistration = {
			id: r.id,
			instance: 0,
			xapiRegistrationId: this.uuid(),
			courseId: r.courseId,
			courseVersion: course.version,
			learner: { ...r.learner },
			tags: [],
			learnerTags: [],
			courseTags: [],
			registrationCompletion: 'UNKNOWN',
			registrationCompletionAmount: 0,
			registrationSuccess: 'UNKNOWN',
			totalSecondsTracked: 0,
			createdDate: iso(at),
			updated: iso(at),
			launches: [],
			statements: [],
		};
		this.registrations.set(reg.id, reg);
		return reg;
	}

	private uuid(): string {
		if (this.ctx) return this.ctx.rng.uuid();
		this.seq++;
		return `00000000-0000-4000-8000-${String(this.seq).padStart(12, '0')}`;
	}

	private progress(
		reg: ScormRegistration,
		p: { score?: number; completion?: string; success?: string; totalSecondsTracked?: number },
		at = this.now(),
	): void {
		const completion = (
			p.completion ?? 'COMPLETED'
		).toUpperCase() as ScormRegistration['registrationCompletion'];
		const success = (
			p.success ?? (p.score === undefined ? 'UNKNOWN' : p.score >= 80 ? 'PASSED' : 'FAILED')
		).toUpperCase() as ScormRegistration['registrationSuccess'];
		const seconds = p.totalSecondsTracked ?? 600;
		reg.registrationCompletion = completion;
		reg.registrationCompletionAmount = completion === 'COMPLETED' ? 1 : 0.5;
		reg.registrationSuccess = success;
		if (p.score !== undefined) reg.score = p.score;
		reg.totalSecondsTracked += seconds;
		reg.firstAccessDate ??= iso(at - seconds * 1000);
		reg.lastAccessDate = iso(at);
		if (completion === 'COMPLETED') reg.completedDate = iso(at);
		reg.updated = iso(at);
		reg.launches.push({
			id: this.uuid(),
			instance: reg.instance,
			score: p.score === undefined ? undefined : { scaled: p.score },
			completionStatus: completion,
			successStatus: success,
			totalSecondsTracked: seconds,
			launchTime: iso(at - seconds * 1000),
			exitTime: iso(at),
			lastRuntimeUpdate: iso(at),
			historyLog: `launched ${iso(at - seconds * 1000)}; exited ${iso(at)}`,
		});
		const course = this.courses.get(reg.courseId);
		reg.statements.push({
			id: this.uuid(),
			actor: {
				objectType: 'Agent',
				name: `${reg.learner.firstName ?? ''} ${reg.learner.lastName ?? ''}`.trim(),
				account: { homePage: 'https://cloud.scorm.com', name: reg.learner.id },
			},
			verb: {
				id:
					completion === 'COMPLETED'
						? 'http://adlnet.gov/expapi/verbs/completed'
						: 'http://adlnet.gov/expapi/verbs/progressed',
				display: { 'en-US': completion === 'COMPLETED' ? 'completed' : 'progressed' },
			},
			object: {
				objectType: 'Activity',
				id: course?.xapiActivityId ?? reg.courseId,
				definition: { name: { 'en-US': course?.title ?? reg.courseId } },
			},
			result: {
				completion: completion === 'COMPLETED',
				success: success === 'UNKNOWN' ? undefined : success === 'PASSED',
				score: p.score === undefined ? undefined : { scaled: p.score / 100 },
				duration: `PT${seconds}S`,
			},
			context: { registration: reg.xapiRegistrationId },
			timestamp: iso(at),
			stored: iso(at),
		});
	}

	/** RegistrationSchema as GET /registrations/{id} answers. */
	registrationView(
		reg: ScormRegistration,
		opts: {
			includeChildResults?: boolean;
			includeRuntime?: boolean;
			includeInteractionsAndObjectives?: boolean;
		} = {},
	): Record<string, unknown> {
		const course = this.courses.get(reg.courseId);
		const view: Record<string, unknown> = {
			id: reg.id,
			instance: reg.instance,
			xapiRegistrationId: reg.xapiRegistrationId,
			updated: reg.updated,
			registrationCompletion: reg.registrationCompletion,
			registrationCompletionAmount: reg.registrationCompletionAmount,
			registrationSuccess: reg.registrationSuccess,
			...(reg.score === undefined ? {} : { score: { scaled: reg.score } }),
			totalSecondsTracked: reg.totalSecondsTracked,
			...(reg.firstAccessDate ? { firstAccessDate: reg.firstAccessDate } : {}),
			...(reg.lastAccessDate ? { lastAccessDate: reg.lastAccessDate } : {}),
			...(reg.completedDate ? { completedDate: reg.completedDate } : {}),
			createdDate: reg.createdDate,
			course: {
				id: reg.courseId,
				title: course?.title ?? reg.courseId,
				version: reg.courseVersion,
			},
			learner: { ...reg.learner },
			tags: [...reg.tags],
		};
		if (opts.includeChildResults || opts.includeRuntime || opts.includeInteractionsAndObjectives) {
			const activity: Record<string, unknown> = {
				id: course?.activityId ?? reg.courseId,
				title: course?.title ?? reg.courseId,
				attempts: reg.launches.length,
				activityCompletion: reg.registrationCompletion,
				activitySuccess: reg.registrationSuccess,
				...(reg.score === undefined ? {} : { score: { scaled: reg.score } }),
				timeTracked: `PT${reg.totalSecondsTracked}S`,
			};
			if (opts.includeChildResults)
				activity.children = [
					{
						id: `${course?.activityId ?? reg.courseId}/sco-1`,
						title: 'Lesson 1',
						activityCompletion: reg.registrationCompletion,
						activitySuccess: reg.registrationSuccess,
					},
				];
			if (opts.includeRuntime)
				activity.runtime = {
					completionStatus: reg.registrationCompletion.toLowerCase(),
					successStatus: reg.registrationSuccess.toLowerCase(),
					scoreScaled: reg.score === undefined ? undefined : String(reg.score / 100),
					totalTime: `PT${reg.totalSecondsTracked}S`,
				};
			if (opts.includeInteractionsAndObjectives) activity.objectives = [];
			view.activityDetails = activity;
		}
		return view;
	}

	courseView(
		c: ScormCourse,
		opts: { includeRegistrationCount?: boolean; includeCourseMetadata?: boolean } = {},
	): Record<string, unknown> {
		const view: Record<string, unknown> = { ...c, tags: [...c.tags] };
		if (opts.includeRegistrationCount)
			view.registrationCount =
				[...this.registrations.values()].filter((r) => r.courseId === c.id).length +
				this.syntheticCountFor(c.id);
		if (opts.includeCourseMetadata)
			view.metadata = {
				title: c.title,
				description: `${c.title} (sandbox course)`,
				duration: 'PT30M',
				typicalTime: 'PT30M',
				keywords: c.tags,
			};
		return view;
	}

	private syntheticCountFor(courseId: string): number {
		const s = this.synthetic;
		const k = s.courses.indexOf(courseId);
		if (k < 0 || s.count <= k) return 0;
		let n = Math.floor((s.count - 1 - k) / s.courses.length) + 1;
		for (const i of s.taken) if (i % s.courses.length === k) n--;
		return n;
	}

	/** Updates progress as a learner's session would, then sends the postback (when configured). */
	async completeRegistration(
		id: string,
		p: { score?: number; completion?: string; success?: string; totalSecondsTracked?: number } = {},
	) {
		const reg = this.findRegistration(id);
		if (!reg) return undefined;
		this.progress(reg, p);
		this.ctx.ledger.recordUpdate(this.name, 'registration-progress', id, { score: p.score });
		const postback = reg.postBack?.url ? await this.sendPostback(reg) : undefined;
		return { registration: this.registrationView(reg), postback };
	}

	private async sendPostback(reg: ScormRegistration) {
		const pb = reg.postBack as PostBack;
		const format = (pb.resultsFormat ?? 'course').toLowerCase();
		const view = this.registrationView(reg, {
			includeChildResults: format !== 'course',
			includeRuntime: format === 'full',
			includeInteractionsAndObjectives: format === 'full',
		});
		const legacy = pb.legacy === true;
		const payload = legacy
			? `<?xml version="1.0" encoding="utf-8"?><registrationreport format="${format}" regid="${reg.id}" instanceid="${reg.instance}"><complete>${reg.registrationCompletion.toLowerCase()}</complete><success>${reg.registrationSuccess.toLowerCase()}</success><totaltime>${reg.totalSecondsTracked}</totaltime><score>${reg.score ?? 'unknown'}</score></registrationreport>`
			: JSON.stringify(view);
		const authType = (pb.authType ?? 'form').toLowerCase();
		let result;
		let contentType: string;
		if (authType === 'httpbasic') {
			contentType = legacy ? 'text/xml; charset=UTF-8' : 'application/json; charset=UTF-8';
			const headers: Record<string, string> = { 'content-type': contentType };
			if (pb.userName || pb.password)
				headers.authorization = `Basic ${Buffer.from(`${pb.userName ?? ''}:${pb.password ?? ''}`).toString('base64')}`;
			result = await this.ctx.sendWebhook(pb.url, payload, headers);
		} else {
			contentType = 'application/x-www-form-urlencoded; charset=UTF-8';
			const form = new URLSearchParams({ data: payload });
			if (pb.userName) form.set('userName', pb.userName);
			if (pb.password) form.set('password', pb.password);
			result = await this.ctx.sendWebhook(pb.url, form.toString(), { 'content-type': contentType });
		}
		this.postbacks.push({
			registrationId: reg.id,
			url: pb.url,
			status: result.status,
			error: result.error,
			contentType,
		});
		return { status: result.status, error: result.error };
	}

	// ---- auth ----

	/** Basic (App ID : Secret Key) or a bearer token with one of `scopes`; answers 401/403 itself. */
	private authorize(
		req: FastifyRequest,
		reply: FastifyReply,
		scopes: string[],
	): Caller | undefined {
		const header = req.headers.authorization;
		const basic = basicAuth(header);
		if (basic) {
			const app = this.apps.get(basic.user);
			if (app && app.secretKey === basic.password) return { appId: app.appId };
			reply.code(401).header('www-authenticate', 'Basic realm="SCORM Cloud"').send(AUTH_REQUIRED);
			return undefined;
		}
		const v = this.ctx.tokens.verify(header);
		if (!v.ok) {
			reply.code(401).header('www-authenticate', 'Basic realm="SCORM Cloud"').send(AUTH_REQUIRED);
			return undefined;
		}
		const granted = v.grant.scopes;
		if (!granted.includes('admin') && !scopes.some((s) => granted.includes(s))) {
			reply.code(403).send({
				message: `The OAuth token does not have the required scope (one of: ${scopes.join(', ')})`,
			});
			return undefined;
		}
		return { appId: v.grant.clientId, scopes: granted };
	}

	private bad(reply: FastifyReply, status: number, message: string) {
		return reply.code(status).send({ message });
	}

	// ---- routes ----

	private registerControl(app: FastifyInstance): void {
		app.post('/complete', async (req, reply) => {
			const b = (req.body ?? {}) as Record<string, unknown>;
			if (typeof b.registrationId !== 'string')
				return this.bad(reply, 400, 'registrationId is required');
			const out = await this.completeRegistration(b.registrationId, {
				score: typeof b.score === 'number' ? b.score : undefined,
				completion: typeof b.completion === 'string' ? b.completion : undefined,
				success: typeof b.success === 'string' ? b.success : undefined,
				totalSecondsTracked:
					typeof b.totalSecondsTracked === 'number' ? b.totalSecondsTracked : undefined,
			});
			if (!out) return this.bad(reply, 404, `Registration '${b.registrationId}' was not found`);
			return out;
		});
		app.get('/postbacks', async () => ({ postbacks: this.postbacks }));
	}

	private registerApi(app: FastifyInstance): void {
		const read = (r: string) => ['read', `read:${r}`];
		const write = (r: string) => ['write', `write:${r}`];
		const del = (r: string) => ['delete', `delete:${r}`];

		// GetAppToken
		app.post(
			`${API}/oauth/authenticate/application/token`,
			{ config: { tokenEndpoint: true } },
			async (req, reply) => this.token(req, reply),
		);

		app.get(`${API}/ping`, async (req, reply) => {
			const caller = this.authorize(req, reply, ['read:ping', 'read']);
			if (!caller) return reply;
			return { apiMessage: `pong ${caller.appId}`, currentTime: iso(this.now()) };
		});

		// ---- registrations ----
		app.post<{ Querystring: Record<string, unknown> }>(
			`${API}/registrations`,
			async (req, reply) => {
				if (!this.authorize(req, reply, write('registration'))) return reply;
				if (mediaType(req) !== 'application/json')
					return this.bad(reply, 415, 'Content-Type must be application/json');
				const b = req.body as Record<string, unknown> | undefined;
				if (!b || typeof b !== 'object')
					return this.bad(reply, 400, 'A registration body is required');
				const learner = b.learner as Record<string, unknown> | undefined;
				if (typeof b.courseId !== 'string' || !b.courseId)
					return this.bad(reply, 400, 'courseId is required');
				if (typeof b.registrationId !== 'string' || !b.registrationId)
					return this.bad(reply, 400, 'registrationId is required');
				if (!learner || typeof learner.id !== 'string' || !learner.id)
					return this.bad(reply, 400, 'learner.id is required');
				if (this.hasRegistration(b.registrationId))
					return this.bad(
						reply,
						400,
						`A registration with id '${b.registrationId}' already exists`,
					);
				const course = this.courses.get(b.courseId);
				if (!course) return this.bad(reply, 404, `Course '${b.courseId}' was not found`);
				const pb = b.postBack as PostBack | undefined;
				if (pb !== undefined) {
					if (typeof pb !== 'object' || typeof pb.url !== 'string' || !/^https?:\/\//i.test(pb.url))
						return this.bad(reply, 400, 'postBack.url must be an http(s) URL');
					if (
						pb.authType &&
						!['form', 'httpbasic', 'undefined'].includes(String(pb.authType).toLowerCase())
					)
						return this.bad(
							reply,
							400,
							`postBack.authType '${pb.authType}' is not one of form, httpbasic`,
						);
					if (
						pb.resultsFormat &&
						!['course', 'activity', 'full', 'undefined'].includes(
							String(pb.resultsFormat).toLowerCase(),
						)
					)
						return this.bad(
							reply,
							400,
							`postBack.resultsFormat '${pb.resultsFormat}' is not one of course, activity, full`,
						);
				}
				const reg = this.addRegistration({
					id: b.registrationId,
					courseId: b.courseId,
					learner: {
						id: learner.id,
						firstName: learner.firstName as string,
						lastName: learner.lastName as string,
						...(learner.email ? { email: learner.email as string } : {}),
					},
				});
				reg.tags = Array.isArray(b.registrationTags) ? (b.registrationTags as string[]) : [];
				reg.learnerTags = Array.isArray(b.learnerTags) ? (b.learnerTags as string[]) : [];
				reg.courseTags = Array.isArray(b.courseTags) ? (b.courseTags as string[]) : [];
				if (typeof b.xapiRegistrationId === 'string') reg.xapiRegistrationId = b.xapiRegistrationId;
				if (pb)
					reg.postBack = {
						...pb,
						authType:
							pb.authType && pb.authType.toLowerCase() !== 'undefined'
								? pb.authType.toLowerCase()
								: 'form',
						resultsFormat:
							pb.resultsFormat && pb.resultsFormat.toLowerCase() !== 'undefined'
								? pb.resultsFormat.toLowerCase()
								: 'course',
					};
				this.ctx.ledger.recordWrite(this.name, 'registration', reg.id, {
					courseId: reg.courseId,
					learnerId: reg.learner.id,
					postBack: reg.postBack
						? {
								url: reg.postBack.url,
								authType: reg.postBack.authType,
								resultsFormat: reg.postBack.resultsFormat,
							}
						: undefined,
				});
				return reply.code(204).send();
			},
		);

		app.get<{ Querystring: Record<string, unknown> }>(
			`${API}/registrations`,
			async (req, reply) => {
				const caller = this.authorize(req, reply, read('registration'));
				if (!caller) return reply;
				return this.listRegistrations(req, reply, caller);
			},
		);

		app.head<{ Params: { id: string } }>(`${API}/registrations/:id`, async (req, reply) => {
			if (!this.authorize(req, reply, read('registration'))) return reply;
			return reply.code(this.hasRegistration(req.params.id) ? 200 : 404).send();
		});

		app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
			`${API}/registrations/:id`,
			async (req, reply) => {
				if (!this.authorize(req, reply, read('registration'))) return reply;
				const reg = this.findRegistration(req.params.id);
				if (!reg) return this.bad(reply, 404, `Registration '${req.params.id}' was not found`);
				return this.registrationView(reg, {
					includeChildResults: bool(req.query.includeChildResults),
					includeRuntime: bool(req.query.includeRuntime),
					includeInteractionsAndObjectives: bool(req.query.includeInteractionsAndObjectives),
				});
			},
		);

		app.delete<{ Params: { id: string } }>(`${API}/registrations/:id`, async (req, reply) => {
			if (!this.authorize(req, reply, del('registration'))) return reply;
			if (!this.deleteRegistration(req.params.id))
				return this.bad(reply, 404, `Registration '${req.params.id}' was not found`);
			this.ctx.ledger.recordWrite(this.name, 'registration-delete', req.params.id);
			return reply.code(204).send();
		});

		app.delete<{ Params: { id: string } }>(
			`${API}/registrations/:id/progress`,
			async (req, reply) => {
				if (!this.authorize(req, reply, del('registration'))) return reply;
				const reg = this.findRegistration(req.params.id);
				if (!reg) return this.bad(reply, 404, `Registration '${req.params.id}' was not found`);
				Object.assign(reg, {
					registrationCompletion: 'UNKNOWN',
					registrationCompletionAmount: 0,
					registrationSuccess: 'UNKNOWN',
					totalSecondsTracked: 0,
					updated: iso(this.now()),
				});
				delete reg.score;
				delete reg.completedDate;
				delete reg.firstAccessDate;
				delete reg.lastAccessDate;
				this.ctx.ledger.recordUpdate(this.name, 'registration-progress', reg.id, { reset: true });
				return reply.code(204).send();
			},
		);

		app.post<{ Params: { id: string } }>(
			`${API}/registrations/:id/launchLink`,
			async (req, reply) => {
				if (!this.authorize(req, reply, read('registration'))) return reply;
				const b = (req.body ?? {}) as Record<string, unknown>;
				const reg = this.findRegistration(req.params.id);
				if (!reg) return this.bad(reply, 404, `Registration '${req.params.id}' was not found`);
				const expiry = b.expiry === undefined ? 120 : Number(b.expiry);
				if (!Number.isInteger(expiry) || (expiry !== 0 && (expiry < 10 || expiry > 300)))
					return this.bad(
						reply,
						400,
						`expiry must be between 10 and 300 seconds (got ${String(b.expiry)})`,
					);
				// LaunchLinkRequestSchema: redirectOnExitUrl is required; "" means the application's configured
				// redirect, the keywords closer/blank/message name SCORM Cloud's own exit pages, and an invalid
				// URL is not refused: the learner lands on the message page.
				if (typeof b.redirectOnExitUrl !== 'string')
					return this.bad(
						reply,
						400,
						'redirectOnExitUrl is required (a URL, closer, blank or message; "" for the configured default)',
					);
				const exitTo = launchExitTarget(b.redirectOnExitUrl);
				const token = this.ctx.rng.hex(32);
				this.launchLinks.push({
					registrationId: reg.id,
					redirectOnExitUrl: b.redirectOnExitUrl,
					exitTo,
				});
				const launchLink = `${this.ctx.publicUrl(req, 'cloud')}/api/cloud/registration/launch/${encodeURIComponent(reg.id)}?token=${token}&expires=${this.now() + expiry * 1000}`;
				return { launchLink };
			},
		);

		app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
			`${API}/registrations/:id/launchHistory`,
			async (req, reply) => {
				if (!this.authorize(req, reply, read('registration'))) return reply;
				const reg = this.findRegistration(req.params.id);
				if (!reg) return this.bad(reply, 404, `Registration '${req.params.id}' was not found`);
				const withLog = bool(req.query.includeHistoryLog);
				return {
					launchHistory: reg.launches.map((l) =>
						withLog ? { ...l } : { ...l, historyLog: undefined },
					),
				};
			},
		);

		app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
			`${API}/registrations/:id/xAPIStatements`,
			async (req, reply) => {
				const caller = this.authorize(req, reply, read('registration'));
				if (!caller) return reply;
				const reg = this.findRegistration(req.params.id);
				if (!reg && !one(req.query.more))
					return this.bad(reply, 404, `Registration '${req.params.id}' was not found`);
				const statements = reg?.statements ?? [];
				return this.list(
					req,
					reply,
					caller,
					'statements',
					() => {
						const since = one(req.query.since);
						const until = one(req.query.until);
						return statements
							.filter(
								(s) =>
									(!since || String(s.stored) >= since) && (!until || String(s.stored) <= until),
							)
							.map((s) => `${req.params.id}\u0000${s.id}`);
					},
					(key) => {
						const [regId, statementId] = key.split('\u0000');
						return this.registrations.get(regId)?.statements.find((s) => s.id === statementId);
					},
				);
			},
		);

		// ---- courses ----
		app.get<{ Querystring: Record<string, unknown> }>(`${API}/courses`, async (req, reply) => {
			const caller = this.authorize(req, reply, read('course'));
			if (!caller) return reply;
			return this.list(
				req,
				reply,
				caller,
				'courses',
				() => this.filterCourses(req.query),
				(id, q) => {
					const c = this.courses.get(id);
					return c
						? this.courseView(c, {
								includeRegistrationCount: bool(q.includeRegistrationCount),
								includeCourseMetadata: bool(q.includeCourseMetadata),
							})
						: undefined;
				},
			);
		});

		app.post<{ Querystring: Record<string, unknown> }>(
			`${API}/courses/importJobs`,
			async (req, reply) => {
				if (!this.authorize(req, reply, write('course'))) return reply;
				const courseId = one(req.query.courseId);
				if (!courseId) return this.bad(reply, 400, 'courseId is required');
				const b = (req.body ?? {}) as Record<string, unknown>;
				if (typeof b.url !== 'string' || !/^https?:\/\/\S+$/i.test(b.url))
					return this.bad(reply, 400, 'url must be an http(s) URL of the course package');
				const fileName = decodeURIComponent(b.url.split('?')[0].split('/').pop() || 'course.zip');
				const failure = /error|invalid|missing/i.test(b.url)
					? `Could not fetch or parse the package at ${b.url}: the file is not a valid course package`
					: undefined;
				return {
					result: this.startImport(
						courseId,
						bool(req.query.mayCreateNewVersion),
						b.url,
						fileName,
						failure,
					),
				};
			},
		);

		app.post<{ Querystring: Record<string, unknown> }>(
			`${API}/courses/importJobs/upload`,
			async (req, reply) => {
				if (!this.authorize(req, reply, write('course'))) return reply;
				const courseId = one(req.query.courseId);
				if (!courseId) return this.bad(reply, 400, 'courseId is required');
				if (!req.isMultipart())
					return this.bad(
						reply,
						400,
						'The package must be sent as multipart/form-data in the field "file"',
					);
				let file: Buffer | undefined;
				let fileName = 'course.zip';
				for await (const part of req.parts()) {
					if (part.type === 'file') {
						const buf = await part.toBuffer();
						if (part.fieldname === 'file') {
							file = buf;
							fileName = part.filename || fileName;
						}
					}
				}
				if (!file) return this.bad(reply, 400, 'No file was uploaded in the field "file"');
				const isZip = file.length >= 4 && file.readUInt32LE(0) === 0x04034b50;
				const failure = isZip ? undefined : `The uploaded file '${fileName}' is not a zip package`;
				this.ctx.ledger.recordWrite(
					this.name,
					'course-upload',
					`${courseId}#${this.importJobs.size + 1}`,
					{ bytes: file.length, fileName },
				);
				return {
					result: this.startImport(
						courseId,
						bool(req.query.mayCreateNewVersion),
						`upload:${fileName}`,
						fileName,
						failure,
					),
				};
			},
		);

		app.get<{ Params: { id: string } }>(`${API}/courses/importJobs/:id`, async (req, reply) => {
			if (!this.authorize(req, reply, read('course'))) return reply;
			const job = this.importJobs.get(req.params.id);
			if (!job) return this.bad(reply, 404, `Import job '${req.params.id}' was not found`);
			this.advance(job);
			return {
				jobId: job.jobId,
				status: job.status,
				message: job.message,
				...(job.course
					? {
							importResult: {
								webPathToCourse: `/courses/${job.courseId}/${job.course.version}`,
								parserWarnings: [],
								courseLanguages: ['en-US'],
								course: this.courseView(job.course),
							},
						}
					: {}),
			};
		});

		app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
			`${API}/courses/:id`,
			async (req, reply) => {
				if (!this.authorize(req, reply, read('course'))) return reply;
				const c = this.courses.get(req.params.id);
				if (!c) return this.bad(reply, 404, `Course '${req.params.id}' was not found`);
				return this.courseView(c, {
					includeRegistrationCount: bool(req.query.includeRegistrationCount),
					includeCourseMetadata: bool(req.query.includeCourseMetadata),
				});
			},
		);

		app.delete<{ Params: { id: string } }>(`${API}/courses/:id`, async (req, reply) => {
			if (!this.authorize(req, reply, del('course'))) return reply;
			if (!this.courses.delete(req.params.id))
				return this.bad(reply, 404, `Course '${req.params.id}' was not found`);
			for (const [id, r] of this.registrations)
				if (r.courseId === req.params.id) this.registrations.delete(id);
			this.ctx.ledger.recordWrite(this.name, 'course-delete', req.params.id);
			return reply.code(204).send();
		});
	}

	private token(req: FastifyRequest, reply: FastifyReply) {
		const basic = basicAuth(req.headers.authorization);
		const app = basic ? this.apps.get(basic.user) : undefined;
		if (!basic || !app || app.secretKey !== basic.password)
			return reply
				.code(401)
				.header('www-authenticate', 'Basic realm="SCORM Cloud"')
				.send(AUTH_REQUIRED);
		if (mediaType(req) !== 'application/x-www-form-urlencoded')
			return this.bad(
				reply,
				400,
				'The token request must be form-encoded (Content-Type: application/x-www-form-urlencoded)',
			);
		const b = (req.body ?? {}) as Record<string, unknown>;
		const scope = one(b.scope)?.trim();
		if (!scope) return this.bad(reply, 400, "The parameter 'scope' is required");
		if (scope.includes(','))
			return this.bad(reply, 400, `Scopes are space-delimited; got '${scope}'`);
		const scopes = scope.split(/\s+/);
		const unknown = scopes.filter((s) => !SCORMCLOUD_SCOPES.includes(s));
		if (unknown.length) return this.bad(reply, 400, `Unknown scope(s): ${unknown.join(' ')}`);
		const rawExpiration = one(b.expiration);
		const expiration =
			rawExpiration === undefined || rawExpiration === ''
				? SCORMCLOUD_DEMO.defaultTokenExpiration
				: Number(rawExpiration);
		if (!Number.isInteger(expiration) || expiration < 1)
			return this.bad(
				reply,
				400,
				`expiration must be a positive number of seconds (got '${rawExpiration}')`,
			);
		const { accessToken } = this.ctx.tokens.issue({
			clientId: app.appId,
			scopes,
			lifetimeSeconds: expiration,
		});
		// The documented example answers expires_in 299 for expiration=300.
		return {
			access_token: accessToken,
			expires_in: Math.max(1, expiration - 1),
			token_type: 'Bearer',
		};
	}

	// ---- lists with `more` ----

	private list(
		req: FastifyRequest<{ Querystring: Record<string, unknown> }>,
		reply: FastifyReply,
		caller: Caller,
		kind: 'registrations' | 'courses' | 'statements',
		ids: () => string[],
		view: (id: string, q: Record<string, unknown>) => Record<string, unknown> | undefined,
	) {
		const q = req.query;
		const more = one(q.more);
		let cursor: MoreCursor;
		let options = q;
		if (more !== undefined) {
			const others = Object.keys(q).filter((k) => k !== 'more');
			if (others.length)
				return this.bad(
					reply,
					400,
					`When 'more' is given no other parameters may be sent (got: ${others.join(', ')})`,
				);
			const found = this.cursors.get(more);
			if (!found || found.kind !== kind || found.appId !== caller.appId)
				return this.bad(reply, 400, `The 'more' token is not valid`);
			cursor = found;
			options = (found as MoreCursor & { q?: Record<string, unknown> }).q ?? {};
		} else {
			cursor = { kind, ids: ids(), offset: 0, appId: caller.appId };
			(cursor as MoreCursor & { q?: Record<string, unknown> }).q = { ...q };
			if (bool(q.includeTotalCount)) reply.header('x-total-count', String(cursor.ids.length));
		}
		const slice = cursor.ids.slice(cursor.offset, cursor.offset + this.pageSize);
		const records = slice
			.map((id) => view(id, options))
			.filter((r): r is Record<string, unknown> => !!r);
		const nextOffset = cursor.offset + slice.length;
		let nextToken: string | undefined;
		if (nextOffset < cursor.ids.length) {
			nextToken = this.ctx.rng.hex(24);
			this.cursors.set(nextToken, { ...cursor, offset: nextOffset });
		}
		if (more !== undefined) this.cursors.delete(more);
		return { [kind]: records, ...(nextToken ? { more: nextToken } : {}) };
	}

	private dateFilter(
		q: Record<string, unknown>,
		created: (id: string) => string,
		updated: (id: string) => string,
	) {
		const since = one(q.since);
		const until = one(q.until);
		const by = (one(q.datetimeFilter) ?? 'created').toLowerCase();
		const pick = by === 'updated' ? updated : created;
		return (id: string) =>
			(!since || pick(id) >= new Date(since).toISOString()) &&
			(!until || pick(id) <= new Date(until).toISOString());
	}

	/** The filters and order of a registrations listing, as a predicate and a comparator. */
	private registrationQuery(q: Record<string, unknown>) {
		for (const d of ['since', 'until'])
			if (one(q[d]) && Number.isNaN(Date.parse(one(q[d]) as string)))
				throw Object.assign(new Error(`${d} must be an ISO 8601 date-time`), { statusCode: 400 });
		const courseId = one(q.courseId);
		const learnerId = one(q.learnerId);
		const tags = csv(q.tags);
		const filter = one(q.filter)?.toLowerCase();
		const filterBy = (one(q.filterBy) ?? 'registration_id').toLowerCase();
		const order = (one(q.orderBy) ?? 'created_desc').toLowerCase();
		const since = one(q.since) ? new Date(one(q.since) as string).toISOString() : undefined;
		const until = one(q.until) ? new Date(one(q.until) as string).toISOString() : undefined;
		const dateKey =
			(one(q.datetimeFilter) ?? 'created').toLowerCase() === 'updated' ? 'updated' : 'createdDate';
		const field = (r: ScormRegistration): string =>
			({
				registration_id: r.id,
				course_id: r.courseId,
				learner_id: r.learner.id,
				learner_first_name: r.learner.firstName ?? '',
				learner_last_name: r.learner.lastName ?? '',
				learner_email: r.learner.email ?? '',
			})[filterBy] ?? r.id;
		const matches = (r: ScormRegistration) =>
			(!courseId || r.courseId === courseId) &&
			(!learnerId || r.learner.id === learnerId) &&
			(!tags.length || tags.some((t) => r.tags.includes(t))) &&
			(!filter || field(r).toLowerCase().includes(filter)) &&
			(!since || r[dateKey] >= since) &&
			(!until || r[dateKey] <= until);
		const key = order.startsWith('updated') ? 'updated' : 'createdDate';
		const descending = order.endsWith('desc');
		const ascending = (a: ScormRegistration, b: ScormRegistration) =>
			a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id < b.id ? -1 : 1;
		return {
			matches,
			descending,
			compare: (a: ScormRegistration, b: ScormRegistration) =>
				descending ? ascending(b, a) : ascending(a, b),
		};
	}

	/** Stored registrations matching `q`, in its order (synthetic ones are merged in by listRegistrations). */
	private filterRegistrations(q: Record<string, unknown>): string[] {
		const { matches, compare } = this.registrationQuery(q);
		return [...this.registrations.values()]
			.filter(matches)
			.sort(compare)
			.map((r) => r.id);
	}

	/**
	 * GET /registrations: stored registrations (filtered and sorted on the first page) merged, page by
	 * page, with synthetic ones generated from their index: a page costs pageSize records, whatever the total.
	 */
	private listRegistrations(
		req: FastifyRequest<{ Querystring: Record<string, unknown> }>,
		reply: FastifyReply,
		caller: Caller,
	) {
		const more = one(req.query.more);
		let cursor: RegistrationCursor;
		if (more !== undefined) {
			const others = Object.keys(req.query).filter((k) => k !== 'more');
			if (others.length)
				return this.bad(
					reply,
					400,
					`When 'more' is given no other parameters may be sent (got: ${others.join(', ')})`,
				);
			const found = this.cursors.get(more) as unknown as RegistrationCursor | undefined;
			if (!found || found.kind !== 'registrations' || found.appId !== caller.appId)
				return this.bad(reply, 400, `The 'more' token is not valid`);
			cursor = found;
		} else {
			const q = { ...req.query };
			const { descending } = this.registrationQuery(q); // validates the filters before anything is counted
			cursor = {
				kind: 'registrations',
				appId: caller.appId,
				q,
				stored: this.filterRegistrations(q),
				storedPos: 0,
				synPos: descending ? this.synthetic.count - 1 : 0,
			};
			if (bool(q.includeTotalCount))
				reply.header('x-total-count', String(cursor.stored.length + this.countSynthetic(q)));
		}
		const { matches, descending, compare } = this.registrationQuery(cursor.q);
		const step = descending ? -1 : 1;
		const nextSynthetic = (from: number): { i: number; reg?: ScormRegistration } => {
			for (let i = from; i >= 0 && i < this.synthetic.count; i += step) {
				if (!this.syntheticLive(i)) continue;
				const reg = this.syntheticRegistration(i);
				if (matches(reg)) return { i, reg };
			}
			return { i: -1 };
		};
		const q = cursor.q;
		const viewOptions = {
			includeChildResults: bool(q.includeChildResults),
			includeRuntime: bool(q.includeRuntime),
			includeInteractionsAndObjectives: bool(q.includeInteractionsAndObjectives),
		};
		const records: Array<Record<string, unknown>> = [];
		let { storedPos, synPos } = cursor;
		let syn = nextSynthetic(synPos);
		let stored: ScormRegistration | undefined;
		const nextStored = () => {
			while (storedPos < cursor.stored.length) {
				const r = this.registrations.get(cursor.stored[storedPos]);
				if (r) return r;
				storedPos++; // deleted since the first page
			}
			return undefined;
		};
		stored = nextStored();
		while (records.length < this.pageSize && (stored || syn.reg)) {
			if (stored && (!syn.reg || compare(stored, syn.reg) <= 0)) {
				records.push(this.registrationView(stored, viewOptions));
				storedPos++;
				stored = nextStored();
			} else {
				records.push(this.registrationView(syn.reg as ScormRegistration, viewOptions));
				synPos = syn.i + step;
				syn = nextSynthetic(synPos);
			}
		}
		if (syn.reg) synPos = syn.i; // resume at the next match, not at a scan of the non-matching ones again
		let nextToken: string | undefined;
		if (stored || syn.reg) {
			nextToken = this.ctx.rng.hex(24);
			this.cursors.set(nextToken, { ...cursor, storedPos, synPos } as unknown as MoreCursor);
		}
		if (more !== undefined) this.cursors.delete(more);
		return { registrations: records, ...(nextToken ? { more: nextToken } : {}) };
	}

	private countSynthetic(q: Record<string, unknown>): number {
		const { matches } = this.registrationQuery(q);
		let n = 0;
		for (let i = 0; i < this.synthetic.count; i++)
			if (this.syntheticLive(i) && matches(this.syntheticRegistration(i))) n++;
		return n;
	}

	private filterCourses(q: Record<string, unknown>): string[] {
		const tags = csv(q.tags);
		const filter = one(q.filter)?.toLowerCase();
		const filterBy = (one(q.filterBy) ?? 'title').toLowerCase();
		const order = (one(q.orderBy) ?? 'created_desc').toLowerCase();
		const inDates = this.dateFilter(
			q,
			(id) => (this.courses.get(id) as ScormCourse).created,
			(id) => (this.courses.get(id) as ScormCourse).updated,
		);
		const list = [...this.courses.values()].filter(
			(c) =>
				(!tags.length || tags.some((t) => c.tags.includes(t))) &&
				(!filter || (filterBy === 'course_id' ? c.id : c.title).toLowerCase().includes(filter)) &&
				inDates(c.id),
		);
		const key = order.startsWith('updated')
			? 'updated'
			: order.startsWith('title')
				? 'title'
				: 'created';
		list.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id < b.id ? -1 : 1));
		if (order.endsWith('desc')) list.reverse();
		return list.map((c) => c.id);
	}

	// ---- import jobs ----

	private startImport(
		courseId: string,
		mayCreateNewVersion: boolean,
		source: string,
		fileName: string,
		failure?: string,
	): string {
		const jobId = this.ctx.rng.uuid();
		const title =
			fileName
				.replace(/\.zip$/i, '')
				.replace(/[-_]+/g, ' ')
				.trim() || courseId;
		this.importJobs.set(jobId, {
			jobId,
			courseId,
			mayCreateNewVersion,
			source,
			title,
			pollsLeft: this.importPolls,
			failure,
			status: 'RUNNING',
			message: 'Import started',
		});
		return jobId;
	}

	private advance(job: ImportJob): void {
		if (job.status !== 'RUNNING') return;
		if (job.pollsLeft > 0) {
			job.pollsLeft--;
			job.message = 'Import in progress';
			return;
		}
		if (!job.failure && this.courses.has(job.courseId) && !job.mayCreateNewVersion)
			job.failure = `Course '${job.courseId}' already exists and mayCreateNewVersion is false`;
		if (job.failure) {
			job.status = 'ERROR';
			job.message = job.failure;
			return;
		}
		const existed = this.courses.has(job.courseId);
		job.course = this.addCourse({
			id: job.courseId,
			title: job.title,
			courseLearningStandard: 'SCORM20043RDEDITION',
			tags: [],
		});
		if (existed)
			this.ctx.ledger.recordUpdate(this.name, 'course', job.courseId, {
				version: job.course.version,
			});
		else this.ctx.ledger.recordWrite(this.name, 'course', job.courseId, { source: job.source });
		job.status = 'COMPLETE';
		job.message = 'Import complete';
	}
}

export function scormCloudProvider(options?: ScormCloudOptions): ScormCloudEmulator {
	return new ScormCloudEmulator(options);
}
