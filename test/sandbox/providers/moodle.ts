// Moodle web services (REST protocol) with the Skillsoft Percipio plugin (mod_percipio).
// Contract: /work/shared/reference/providers.md §2 and moodle/moodle webservice/rest/locallib.php.
//
//   POST|GET /moodle/site/webservice/rest/server.php
//     parameters from the query string and/or a form body (merged, PHP-style brackets parsed);
//     wstoken + wsfunction required; moodlewsrestformat=json → JSON, anything else → XML (Moodle's default).
//     Errors are HTTP 200 with {exception, errorcode, message[, debuginfo]} (XML: <EXCEPTION>).
//   GET /moodle/site/                 the site's front page (HTML)
//   ANY /moodle/site/sso/*            a single sign-on portal page in front of the site (HTML, 200):
//                                     what a wrong Site URL typically answers
//
// Functions: core_webservice_get_site_info, core_user_get_users_by_field, core_user_create_users,
// core_enrol_get_enrolled_users (options limitfrom/limitnumber/onlyactive/groupid/userfields/sortby/
// sortdirection), core_course_get_courses, core_course_get_courses_by_field, enrol_manual_enrol_users,
// core_completion_get_course_completion_status, core_completion_get_activities_completion_status,
// gradereport_user_get_grade_items, percipio_progress_tracking, percipio_asset_import.
//
// Write ledger kinds and keys (provider 'moodle'):
//   'user'              key = username            (core_user_create_users; a second create is refused)
//   'enrolment'         key = `${courseid}:${userid}` (enrol_manual_enrol_users; re-enrol = update)
//   'progress'          key = `${userid}:${courseshortname}` (percipio_progress_tracking; an upsert)
//   'course'            key = shortname           (percipio_asset_import; an upsert)
//
// Tokens (MOODLE_DEMO): `token` belongs to the admin with the full "n8n integration" service;
// `percipioToken` to the built-in "Percipio services" (only the two plugin functions);
// `limitedToken` to a service with core_webservice_get_site_info only; `disabledServiceToken` to a
// disabled service. seed({ debug: true }) adds debuginfo to errors like a site in debugging mode.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { mediaType } from '../http-helpers';
import type { ProviderContext, SandboxProvider } from '../types';

export const MOODLE_DEMO = {
	token: '5f2a9c0e7b1d4e3f8a6c2b9d0e1f3a47',
	percipioToken: '9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e',
	limitedToken: '1a2b3c4d5e6f708192a3b4c5d6e7f801',
	disabledServiceToken: '0f0e0d0c0b0a09080706050403020100',
	siteName: 'Sandbox Learning Academy',
	adminUserId: 2,
	/** A course with the Percipio activity and completions, enrolled users and grades. */
	courseId: 3,
	/** Its short name: the Percipio content UUID the plugin imported it for. */
	percipioContentId: '4bd4fd4b-3a1c-4d6e-9a2f-6f3b2e1d0c9a',
} as const;

type Row = Record<string, unknown>;

interface User {
	id: number;
	username: string;
	firstname: string;
	lastname: string;
	email: string;
	idnumber: string;
	auth: string;
	suspended: boolean;
	lang: string;
	timezone: string;
	city: string;
	country: string;
	department: string;
	institution: string;
	firstaccess: number;
	lastaccess: number;
	customfields: Array<{ type: string; value: string; name: string; shortname: string }>;
}

interface Course {
	id: number;
	shortname: string;
	fullname: string;
	idnumber: string;
	categoryid: number;
	summary: string;
	summaryformat: number;
	format: string;
	startdate: number;
	enddate: number;
	visible: number;
	enablecompletion: number;
	/** activities: course module id → module */
	modules: Array<{ cmid: number; modname: string; instance: number; name: string }>;
}

interface Enrolment {
	courseid: number;
	userid: number;
	roleid: number;
	timestart: number;
	timeend: number;
	suspend: number;
}

interface Service {
	shortname: string;
	enabled: boolean;
	functions: Set<string> | 'all';
}

class MoodleError extends Error {
	constructor(
		readonly exception: string,
		readonly errorcode: string,
		message: string,
		readonly debuginfo?: string,
		readonly status = 200,
	) {
		super(message);
	}
}

const invalidParameter = (debuginfo: string) =>
	new MoodleError(
		'invalid_parameter_exception',
		'invalidparameter',
		'Invalid parameter value detected',
		debuginfo,
	);
const missingRecord = (table: string) =>
	new MoodleError(
		'dml_missing_record_exception',
		'invalidrecord',
		`Can't find data record in database table ${table}.`,
	);

const ALL_FUNCTIONS = [
	'core_webservice_get_site_info',
	'core_user_get_users_by_field',
	'core_user_create_users',
	'core_enrol_get_enrolled_users',
	'core_course_get_courses',
	'core_course_get_courses_by_field',
	'core_course_search_courses',
	'core_user_get_users',
	'enrol_manual_enrol_users',
	'core_completion_get_course_completion_status',
	'core_completion_get_activities_completion_status',
	'gradereport_user_get_grade_items',
	'percipio_progress_tracking',
	'percipio_asset_import',
];

const FRONT_PAGE = `<!DOCTYPE html>\n<html lang="en"><head><title>${MOODLE_DEMO.siteName}</title></head><body><h1>${MOODLE_DEMO.siteName}</h1><a href="login/index.php">Log in</a></body></html>`;
const SSO_PAGE =
	'<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form method="post" action="/sso/login"><input name="user"><input type="password" name="pass"></form></body></html>';

// ---- XML, as Moodle's REST server writes it when the format is not json ----
function xmlEscape(s: string): string {
	return s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}
function toXml(value: unknown): string {
	if (Array.isArray(value))
		return `<MULTIPLE>\n${value.map((v) => toXml(v)).join('')}</MULTIPLE>\n`;
	if (value !== null && typeof value === 'object') {
		return `<SINGLE>\n${Object.entries(value as Row)
			.map(([k, v]) => `<KEY name="${xmlEscape(k)}">${toXml(v)}</KEY>\n`)
			.join('')}</SINGLE>\n`;
	}
	if (value === null || value === undefined) return '<VALUE null="null"/>';
	const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
	return `<VALUE>${xmlEscape(text)}</VALUE>\n`;
}
const xmlDocument = (inner: string) => `<?xml version="1.0" encoding="UTF-8" ?>\n${inner}`;

const int = (v: unknown): number | undefined => {
	if (typeof v === 'number' && Number.isInteger(v)) return v;
	if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
	return undefined;
};
const requireInt = (params: Row, name: string, fallback?: number): number => {
	const raw = params[name];
	if (raw === undefined || raw === '') {
		if (fallback !== undefined) return fallback;
		throw invalidParameter(`Missing required key in single structure: ${name}`);
	}
	const n = int(raw);
	if (n === undefined)
		throw invalidParameter(
			`${name} => Invalid parameter value detected (Invalid external api parameter: the value is "${String(raw)}", the server was expecting "int" type)`,
		);
	return n;
};
const requireString = (params: Row, name: string): string => {
	const raw = params[name];
	if (raw === undefined)
		throw invalidParameter(`Missing required key in single structure: ${name}`);
	if (typeof raw !== 'string')
		throw invalidParameter(`${name} => Invalid parameter value detected`);
	return raw;
};
const asList = (v: unknown): unknown[] =>
	Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v as Row) : [];
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

export class MoodleEmulator implements SandboxProvider {
	readonly name = 'moodle';
	readonly hosts = ['site'] as const;
	readonly demo = {
		siteUrl: '<sandbox>/moodle/site',
		token: MOODLE_DEMO.token,
		percipioToken: MOODLE_DEMO.percipioToken,
	};

	private ctx!: ProviderContext;
	debug = false;
	users = new Map<number, User>();
	courses = new Map<number, Course>();
	categories = new Map<string, number>();
	enrolments = new Map<string, Enrolment>();
	/** `${cmid}:${userid}` → completion state 0..3 */
	activityCompletion = new Map<string, { state: number; timecompleted: number }>();
	/** `${courseid}:${userid}` → time the course was completed */
	courseCompletion = new Map<string, number>();
	/** `${courseid}:${userid}` → grade items */
	grades = new Map<string, Row[]>();
	/** Percipio plugin: content UUID (course short name) → course and its Percipio activity */
	percipioEntries = new Map<string, { courseid: number; cmid: number }>();
	/** Percipio plugin attempts: `${cmid}:${userid}` → the tracking data */
	percipioAttempts = new Map<string, Row>();
	tokens = new Map<string, { userid: number; service: string }>();
	services = new Map<string, Service>();
	/** Calls per function, for tests. */
	calls = new Map<string, number>();
	private nextUserId = 1;
	private nextCourseId = 1;
	private nextCmid = 100;

	constructor() {
		this.reset();
	}

	register(_host: string, app: FastifyInstance, ctx: ProviderContext): void {
		this.ctx = ctx;
		const handler = async (req: FastifyRequest, reply: FastifyReply) => this.handle(req, reply);
		app.get('/webservice/rest/server.php', handler);
		app.post('/webservice/rest/server.php', handler);
		app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(FRONT_PAGE));
		app.all('/sso/*', async (_req, reply) => reply.type('text/html; charset=utf-8').send(SSO_PAGE));
	}

	/** Apache/PHP answer anything else with an HTML page. */
	errorBody(status: number, message: string): unknown {
		return `<!DOCTYPE html>\n<html><head><title>${status} ${xmlEscape(message)}</title></head><body><h1>${xmlEscape(message)}</h1></body></html>`;
	}

	reset(): void {
		this.debug = false;
		this.users.clear();
		this.courses.clear();
		this.categories = new Map([['Miscellaneous', 1]]);
		this.enrolments.clear();
		this.activityCompletion.clear();
		this.courseCompletion.clear();
		this.grades.clear();
		this.percipioEntries.clear();
		this.percipioAttempts.clear();
		this.calls.clear();
		this.nextUserId = 1;
		this.nextCourseId = 1;
		this.nextCmid = 100;
		this.services = new Map<string, Service>([
			['n8n_integration', { shortname: 'n8n_integration', enabled: true, functions: 'all' }],
			[
				'Percipio-API',
				{
					shortname: 'Percipio-API',
					enabled: true,
					functions: new Set(['percipio_asset_import', 'percipio_progress_tracking']),
				},
			],
			[
				'site_info_only',
				{
					shortname: 'site_info_only',
					enabled: true,
					functions: new Set(['core_webservice_get_site_info']),
				},
			],
			['retired', { shortname: 'retired', enabled: false, functions: 'all' }],
		]);
		this.tokens = new Map([
			[MOODLE_DEMO.token, { userid: MOODLE_DEMO.adminUserId, service: 'n8n_integration' }],
			[MOODLE_DEMO.percipioToken, { userid: MOODLE_DEMO.adminUserId, service: 'Percipio-API' }],
			[MOODLE_DEMO.limitedToken, { userid: MOODLE_DEMO.adminUserId, service: 'site_info_only' }],
			[MOODLE_DEMO.disabledServiceToken, { userid: MOODLE_DEMO.adminUserId, service: 'retired' }],
		]);
		this.seedDemo();
	}

	/**
	 * Adds data: `{ debug?: boolean, users?: Partial<User>[], courses?: Partial<Course>[],
	 * enrolments?: {courseid, userid, roleid?}[], tokens?: {token, userid?, service?}[] }`.
	 */
	seed(data: unknown): void {
		const d = (data ?? {}) as {
			debug?: boolean;
			users?: Array<Partial<User>>;
			courses?: Array<Partial<Course>>;
			enrolments?: Array<Partial<Enrolment>>;
			tokens?: Array<{ token: string; userid?: number; service?: string }>;
		};
		if (typeof d !== 'object') throw new Error('seed data must be an object');
		if (d.debug !== undefined) this.debug = d.debug === true;
		for (const u of d.users ?? []) this.addUser(u);
		for (const c of d.courses ?? []) this.addCourse(c);
		for (const e of d.enrolments ?? []) {
			if (!e.courseid || !e.userid) throw new Error('an enrolment needs courseid and userid');
			this.enrol({
				courseid: e.courseid,
				userid: e.userid,
				roleid: e.roleid ?? 5,
				timestart: 0,
				timeend: 0,
				suspend: e.suspend ?? 0,
			});
		}
		for (const t of d.tokens ?? [])
			this.tokens.set(t.token, {
				userid: t.userid ?? MOODLE_DEMO.adminUserId,
				service: t.service ?? 'n8n_integration',
			});
	}

	addUser(u: Partial<User>): User {
		const id = u.id ?? this.nextUserId;
		this.nextUserId = Math.max(this.nextUserId, id + 1);
		const username = (u.username ?? `user${id}`).toLowerCase();
		const user: User = {
			id,
			username,
			firstname: u.firstname ?? username,
			lastname: u.lastname ?? 'Learner',
			email: u.email ?? `${username}@academy.example`,
			idnumber: u.idnumber ?? '',
			auth: u.auth ?? 'manual',
			suspended: u.suspended ?? false,
			lang: u.lang ?? 'en',
			timezone: u.timezone ?? '99',
			city: u.city ?? '',
			country: u.country ?? '',
			department: u.department ?? '',
			institution: u.institution ?? '',
			firstaccess: u.firstaccess ?? 0,
			lastaccess: u.lastaccess ?? 0,
			customfields: u.customfields ?? [],
		};
		this.users.set(id, user);
		return user;
	}

	addCourse(c: Partial<Course>): Course {
		const id = c.id ?? this.nextCourseId;
		this.nextCourseId = Math.max(this.nextCourseId, id + 1);
		const course: Course = {
			id,
			shortname: c.shortname ?? `C${id}`,
			fullname: c.fullname ?? `Course ${id}`,
			idnumber: c.idnumber ?? '',
			categoryid: c.categoryid ?? 1,
			summary: c.summary ?? '',
			summaryformat: c.summaryformat ?? 1,
			format: c.format ?? 'topics',
			startdate: c.startdate ?? 1_767_225_600,
			enddate: c.enddate ?? 0,
			visible: c.visible ?? 1,
			enablecompletion: c.enablecompletion ?? 1,
			modules: c.modules ?? [],
		};
		this.courses.set(id, course);
		return course;
	}

	private addModule(course: Course, modname: string, name: string) {
		const mod = { cmid: this.nextCmid++, modname, instance: course.modules.length + 1, name };
		course.modules.push(mod);
		return mod;
	}

	private enrol(e: Enrolment): boolean {
		const key = `${e.courseid}:${e.userid}`;
		const existed = this.enrolments.has(key);
		this.enrolments.set(key, e);
		return existed;
	}

	/** Demo data: a site course, an admin, six learners, three courses (one from Percipio), completions and grades. */
	private seedDemo(): void {
		this.addCourse({
			id: 1,
			shortname: 'academy',
			fullname: MOODLE_DEMO.siteName,
			format: 'site',
			enablecompletion: 0,
		});
		this.addUser({
			id: 1,
			username: 'guest',
			firstname: 'Guest user',
			lastname: ' ',
			email: 'root@localhost',
			auth: 'manual',
		});
		this.addUser({
			id: 2,
			username: 'admin',
			firstname: 'Admin',
			lastname: 'User',
			email: 'admin@academy.example',
		});
		const learners: Array<[string, string, string, string]> = [
			['ada.lovelace', 'Ada', 'Lovelace', 'HR-1001'],
			['alan.turing', 'Alan', 'Turing', 'HR-1002'],
			['grace.hopper', 'Grace', 'Hopper', 'HR-1003'],
			['katherine.johnson', 'Katherine', 'Johnson', 'HR-1004'],
			['tim.bernerslee', 'Tim', 'Berners-Lee', 'HR-1005'],
			['margaret.hamilton', 'Margaret', 'Hamilton', 'HR-1006'],
		];
		for (const [username, firstname, lastname, idnumber] of learners) {
			this.addUser({
				username,
				firstname,
				lastname,
				idnumber,
				email: `${username}@academy.example`,
				department: 'Engineering',
				firstaccess: 1_767_312_000,
				lastaccess: 1_768_000_000,
			});
		}
		this.categories.set('Percipio', 2);
		const onboarding = this.addCourse({
			id: 2,
			shortname: 'ONB-101',
			fullname: 'Onboarding essentials',
			idnumber: 'ONB-101',
		});
		this.addModule(onboarding, 'page', 'Welcome');
		this.addModule(onboarding, 'quiz', 'Policies quiz');
		const percipio = this.addCourse({
			id: 3,
			shortname: MOODLE_DEMO.percipioContentId,
			fullname: 'Leading Teams: Building Trust',
			format: 'singleactivity',
			categoryid: 2,
		});
		const activity = this.addModule(percipio, 'percipio', 'Leading Teams: Building Trust');
		this.percipioEntries.set(percipio.shortname, { courseid: percipio.id, cmid: activity.cmid });
		this.addCourse({
			id: 4,
			shortname: 'SEC-201',
			fullname: 'Security awareness 2026',
			idnumber: 'SEC-201',
		});

		for (const userid of [3, 4, 5, 6, 7, 8])
			this.enrol({
				courseid: 3,
				userid,
				roleid: 5,
				timestart: 1_767_312_000,
				timeend: 0,
				suspend: userid === 8 ? 1 : 0,
			});
		for (const userid of [3, 4, 5])
			this.enrol({
				courseid: 2,
				userid,
				roleid: 5,
				timestart: 1_767_312_000,
				timeend: 0,
				suspend: 0,
			});
		// Ada and Alan completed the Percipio course, Grace is half-way.
		for (const [userid, grade] of [
			[3, 92],
			[4, 81],
		] as const) {
			this.activityCompletion.set(`${activity.cmid}:${userid}`, {
				state: 2,
				timecompleted: 1_768_100_000 + userid,
			});
			this.courseCompletion.set(`3:${userid}`, 1_768_100_000 + userid);
			this.grades.set(`3:${userid}`, [
				this.gradeItem(activity.name, 'percipio', grade),
				this.gradeItem('Course total', 'course', grade),
			]);
		}
		this.activityCompletion.set(`${onboarding.modules[0].cmid}:3`, {
			state: 1,
			timecompleted: 1_767_400_000,
		});
	}

	private gradeItem(itemname: string, itemtype: string, grade: number | null): Row {
		return {
			id: itemtype === 'course' ? 1 : 2,
			itemname: itemtype === 'course' ? null : itemname,
			itemtype: itemtype === 'course' ? 'course' : 'mod',
			itemmodule: itemtype === 'course' ? null : itemtype,
			graderaw: grade,
			gradeformatted: grade === null ? '-' : grade.toFixed(2),
			grademin: 0,
			grademax: 100,
			percentageformatted: grade === null ? '-' : `${grade.toFixed(2)} %`,
		};
	}

	// ---------------------------------------------------------------------------------------------

	private async handle(req: FastifyRequest, reply: FastifyReply) {
		const query = (req.query ?? {}) as Row;
		// PHP fills $_POST only from form bodies; a JSON body is invisible to the REST server.
		const form = mediaType(req) === 'application/x-www-form-urlencoded';
		const body =
			form && req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)
				? (req.body as Row)
				: {};
		const params: Row = { ...query, ...body };
		const json = params.moodlewsrestformat === 'json';
		reply.header('Cache-Control', 'private, must-revalidate, pre-check=0, post-check=0, max-age=0');
		try {
			const result = this.dispatch(params);
			if (json)
				return reply
					.type('application/json')
					.send(result === null || result === undefined ? 'null' : JSON.stringify(result));
			return reply
				.type('application/xml; charset=utf-8')
				.send(xmlDocument(`<RESPONSE>\n${toXml(result ?? null)}</RESPONSE>\n`));
		} catch (error) {
			if (!(error instanceof MoodleError)) throw error;
			reply.code(error.status);
			const debuginfo = this.debug ? error.debuginfo : undefined;
			if (json)
				return reply.type('application/json').send({
					exception: error.exception,
					errorcode: error.errorcode,
					message: error.message,
					...(debuginfo ? { debuginfo } : {}),
				});
			return reply
				.type('application/xml; charset=utf-8')
				.send(
					xmlDocument(
						`<EXCEPTION class="${error.exception}">\n<ERRORCODE>${xmlEscape(error.errorcode)}</ERRORCODE>\n<MESSAGE>${xmlEscape(error.message)}</MESSAGE>\n${debuginfo ? `<DEBUGINFO>${xmlEscape(debuginfo)}</DEBUGINFO>\n` : ''}</EXCEPTION>\n`,
					),
				);
		}
	}

	private dispatch(params: Row): unknown {
		const token = typeof params.wstoken === 'string' ? params.wstoken : '';
		const grant = this.tokens.get(token);
		if (!grant)
			throw new MoodleError('moodle_exception', 'invalidtoken', 'Invalid token - token not found');
		const service = this.services.get(grant.service);
		if (!service || !service.enabled)
			throw new MoodleError(
				'webservice_access_exception',
				'servicenotavailable',
				"Web service is not available (it doesn't exist or might be disabled)",
			);
		const fn = typeof params.wsfunction === 'string' ? params.wsfunction : '';
		if (!fn) throw invalidParameter('Missing required parameter wsfunction');
		if (!ALL_FUNCTIONS.includes(fn)) throw missingRecord('external_functions');
		if (service.functions !== 'all' && !service.functions.has(fn)) {
			throw new MoodleError(
				'webservice_access_exception',
				'accessexception',
				'Access control exception',
				`Access to the function ${fn}() is not allowed. There could be multiple reasons for this: 1. The service linked to the user token does not contain the function. 2. The service is user-restricted and the user is not listed. 3. The service is IP-restricted and the user IP is not listed. 4. The service is time-restricted and the time has expired. 5. The token is time-restricted and the time has expired. 6. The user has no capability to call the exact function. 7. The function is called with username/password (no user token is sent in the request). 8. The function is called from unsupported protocol.`,
			);
		}
		this.calls.set(fn, (this.calls.get(fn) ?? 0) + 1);
		const args: Row = { ...params };
		delete args.wstoken;
		delete args.wsfunction;
		delete args.moodlewsrestformat;
		switch (fn) {
			case 'core_webservice_get_site_info':
				return this.siteInfo(grant.userid, service);
			case 'core_user_get_users_by_field':
				return this.usersByField(args);
			case 'core_user_create_users':
				return this.createUsers(args);
			case 'core_enrol_get_enrolled_users':
				return this.enrolledUsers(args);
			case 'core_course_get_courses':
				return this.getCourses(args);
			case 'core_course_get_courses_by_field':
				return this.coursesByField(args);
			case 'core_course_search_courses':
				return this.searchCourses(args);
			case 'core_user_get_users':
				return this.getUsers(args);
			case 'enrol_manual_enrol_users':
				return this.manualEnrol(args);
			case 'core_completion_get_course_completion_status':
				return this.courseCompletionStatus(args);
			case 'core_completion_get_activities_completion_status':
				return this.activitiesCompletionStatus(args);
			case 'gradereport_user_get_grade_items':
				return this.gradeItems(args);
			case 'percipio_progress_tracking':
				return this.percipioProgress(args);
			case 'percipio_asset_import':
				return this.percipioImport(args);
			default:
				throw missingRecord('external_functions');
		}
	}

	private siteInfo(userid: number, service: Service): Row {
		const user = this.users.get(userid);
		const functions = service.functions === 'all' ? ALL_FUNCTIONS : [...service.functions];
		return {
			sitename: MOODLE_DEMO.siteName,
			username: user?.username ?? 'admin',
			firstname: user?.firstname ?? 'Admin',
			lastname: user?.lastname ?? 'User',
			fullname: `${user?.firstname ?? 'Admin'} ${user?.lastname ?? 'User'}`,
			lang: 'en',
			userid,
			siteurl: this.ctx.urlFor('site'),
			userpictureurl: `${this.ctx.urlFor('site')}/theme/image.php/boost/core/1/u/f1`,
			functions: functions.map((name) => ({ name, version: '2024100700' })),
			downloadfiles: 1,
			uploadfiles: 1,
			release: '4.5 (Build: 20241007)',
			version: '2024100700',
			mobilecssurl: '',
			advancedfeatures: [{ name: 'usecomments', value: 1 }],
			usercanmanageownfiles: true,
			userquota: 0,
			usermaxuploadfilesize: -1,
			userhomepage: 1,
			siteid: 1,
			sitecalendartype: 'gregorian',
			usercalendartype: 'gregorian',
			userissiteadmin: userid === MOODLE_DEMO.adminUserId,
			theme: 'boost',
		};
	}

	private userRecord(u: User): Row {
		return {
			id: u.id,
			username: u.username,
			firstname: u.firstname,
			lastname: u.lastname,
			fullname: `${u.firstname} ${u.lastname}`,
			email: u.email,
			idnumber: u.idnumber,
			department: u.department,
			institution: u.institution,
			firstaccess: u.firstaccess,
			lastaccess: u.lastaccess,
			auth: u.auth,
			suspended: u.suspended,
			confirmed: true,
			lang: u.lang,
			theme: '',
			timezone: u.timezone,
			mailformat: 1,
			city: u.city,
			country: u.country,
			profileimageurlsmall: `${this.ctx?.urlFor('site') ?? ''}/theme/image.php/boost/core/1/u/f2`,
			profileimageurl: `${this.ctx?.urlFor('site') ?? ''}/theme/image.php/boost/core/1/u/f1`,
			...(u.customfields.length ? { customfields: u.customfields } : {}),
		};
	}

	private usersByField(args: Row): Row[] {
		const field = requireString(args, 'field');
		if (!['id', 'idnumber', 'username', 'email'].includes(field))
			throw invalidParameter(
				`The search field '${field}' is not supported, look at the web service documentation`,
			);
		const values = asList(args.values).map(String);
		if (args.values === undefined)
			throw invalidParameter('Missing required key in single structure: values');
		if (field === 'id' && values.some((v) => int(v) === undefined))
			throw invalidParameter('values => Invalid parameter value detected');
		// Moodle cleans the values with the field's PARAM type: ids as integers, usernames and emails lowercased.
		const wanted = new Set(
			values.map((v) =>
				field === 'id'
					? String(int(v))
					: field === 'email' || field === 'username'
						? v.toLowerCase()
						: v,
			),
		);
		return [...this.users.values()]
			.filter((u) => {
				const value =
					field === 'id'
						? String(u.id)
						: field === 'email'
							? u.email.toLowerCase()
							: String(u[field as keyof User]);
				return u.id !== 1 && wanted.has(value);
			})
			.map((u) => this.userRecord(u));
	}

	private createUsers(args: Row): Row[] {
		if (args.users === undefined)
			throw invalidParameter('Missing required key in single structure: users');
		const users = asList(args.users) as Row[];
		const prepared: Array<Partial<User> & { username: string }> = [];
		for (const u of users) {
			for (const k of ['username', 'firstname', 'lastname', 'email'])
				if (typeof u[k] !== 'string' || u[k] === '')
					throw invalidParameter(
						`users => Invalid parameter value detected (Missing required key in single structure: ${k})`,
					);
			const username = u.username as string;
			if (username !== username.toLowerCase())
				throw invalidParameter('The username must be in lower case');
			if (
				[...this.users.values()].some((x) => x.username === username) ||
				prepared.some((p) => p.username === username)
			)
				throw invalidParameter(`Username already exists: ${username}`);
			if (
				!bool(u.createpassword) &&
				(u.auth ?? 'manual') === 'manual' &&
				(typeof u.password !== 'string' || u.password.length < 8)
			) {
				throw invalidParameter(
					'Invalid password: you must provide a password, or set createpassword.',
				);
			}
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(u.email as string))
				throw invalidParameter(`Email address is invalid: ${String(u.email)}`);
			const customfields = (asList(u.customfields) as Row[]).map((f) => ({
				type: String(f.type),
				value: String(f.value ?? ''),
				name: String(f.type),
				shortname: String(f.type),
			}));
			prepared.push({
				...(u as Partial<User>),
				username,
				customfields,
				suspended: false,
				firstaccess: 0,
				lastaccess: 0,
			});
		}
		// All or nothing, as Moodle's delegated transaction.
		return prepared.map((p) => {
			const user = this.addUser({ ...p, id: undefined });
			this.ctx.ledger.recordWrite(this.name, 'user', user.username, this.userRecord(user));
			return { id: user.id, username: user.username };
		});
	}

	private optionsOf(args: Row): Map<string, string> {
		const out = new Map<string, string>();
		for (const o of asList(args.options) as Row[]) {
			if (!o || typeof o.name !== 'string')
				throw invalidParameter(
					'options => Invalid parameter value detected (Missing required key in single structure: name)',
				);
			out.set(o.name, String(o.value ?? ''));
		}
		return out;
	}

	private courseOrFail(courseid: number): Course {
		const course = this.courses.get(courseid);
		if (!course) throw missingRecord('course');
		return course;
	}

	private enrolledUsers(args: Row): Row[] {
		const courseid = requireInt(args, 'courseid');
		this.courseOrFail(courseid);
		const o = this.optionsOf(args);
		const from = o.has('limitfrom') ? int(o.get('limitfrom')) : 0;
		const count = o.has('limitnumber') ? int(o.get('limitnumber')) : 0;
		if (from === undefined || count === undefined || from < 0 || count < 0)
			throw invalidParameter('limitfrom/limitnumber must be integers');
		const sortby = o.get('sortby') ?? 'id';
		if (!['id', 'firstname', 'lastname', 'siteorder'].includes(sortby))
			throw invalidParameter(`Invalid sort parameter: ${sortby}`);
		const direction = (o.get('sortdirection') ?? 'ASC').toUpperCase();
		if (!['ASC', 'DESC'].includes(direction))
			throw invalidParameter(`Invalid sort direction parameter: ${direction}`);
		const onlyActive = bool(o.get('onlyactive'));
		const fields = o
			.get('userfields')
			?.split(',')
			.map((f) => f.trim())
			.filter(Boolean);
		let rows = [...this.enrolments.values()]
			.filter((e) => e.courseid === courseid && (!onlyActive || e.suspend === 0))
			.map((e) => this.users.get(e.userid))
			.filter((u): u is User => !!u);
		const key = sortby === 'siteorder' ? 'id' : sortby;
		rows.sort((a, b) => {
			const av = a[key as keyof User] as string | number;
			const bv = b[key as keyof User] as string | number;
			return (av < bv ? -1 : av > bv ? 1 : a.id - b.id) * (direction === 'DESC' ? -1 : 1);
		});
		rows = count > 0 ? rows.slice(from, from + count) : rows.slice(from);
		return rows.map((u) => {
			const e = this.enrolments.get(`${courseid}:${u.id}`) as Enrolment;
			const full: Row = {
				...this.userRecord(u),
				lastcourseaccess: u.lastaccess,
				roles: [
					{
						roleid: e.roleid,
						name: '',
						shortname: e.roleid === 5 ? 'student' : 'editingteacher',
						sortorder: 0,
					},
				],
				enrolledcourses: [
					{
						id: courseid,
						fullname: this.courses.get(courseid)?.fullname,
						shortname: this.courses.get(courseid)?.shortname,
					},
				],
			};
			if (!fields?.length) return full;
			return Object.fromEntries(
				Object.entries(full).filter(([k]) => k === 'id' || fields.includes(k)),
			);
		});
	}

	private courseRecord(c: Course): Row {
		return {
			id: c.id,
			shortname: c.shortname,
			fullname: c.fullname,
			displayname: c.fullname,
			categoryid: c.categoryid,
			idnumber: c.idnumber,
			summary: c.summary,
			summaryformat: c.summaryformat,
			format: c.format,
			startdate: c.startdate,
			enddate: c.enddate,
			visible: c.visible,
			enablecompletion: c.enablecompletion,
			timecreated: 1_767_225_600,
			timemodified: 1_767_225_600,
		};
	}

	private getCourses(args: Row): Row[] {
		const raw = (args.options as Row | undefined)?.ids;
		const ids = raw === undefined ? undefined : asList(raw).map((v) => int(v));
		if (ids?.some((v) => v === undefined))
			throw invalidParameter('options => Invalid parameter value detected');
		const all: Row[] = [...this.courses.values()].map((c) => ({
			...this.courseRecord(c),
			categorysortorder: 1,
			numsections: 1,
			showgrades: 1,
			newsitems: 5,
			lang: '',
		}));
		if (!ids) return all;
		return ids.map((id) => {
			const c = all.find((x) => x.id === id);
			if (!c) throw missingRecord('course');
			return c;
		});
	}

	private coursesByField(args: Row): Row {
		const field = typeof args.field === 'string' ? args.field : '';
		const value = args.value === undefined ? '' : String(args.value);
		if (field && !['id', 'ids', 'shortname', 'idnumber', 'category'].includes(field))
			throw invalidParameter(`Invalid field name: ${field}`);
		if (field && value === '')
			throw invalidParameter('When using a field you must provide a value');
		let list = [...this.courses.values()].filter((c) => c.format !== 'site');
		if (field === 'id') list = list.filter((c) => String(c.id) === value);
		if (field === 'ids') {
			const ids = new Set(value.split(',').map((v) => v.trim()));
			list = list.filter((c) => ids.has(String(c.id)));
		}
		if (field === 'shortname') list = list.filter((c) => c.shortname === value);
		if (field === 'idnumber') list = list.filter((c) => c.idnumber === value);
		if (field === 'category') list = list.filter((c) => String(c.categoryid) === value);
		return {
			courses: list.map((c) => ({
				...this.courseRecord(c),
				categoryname: [...this.categories].find(([, id]) => id === c.categoryid)?.[0] ?? '',
			})),
			warnings: [],
		};
	}

	/** core_course_search_courses with criterianame=search: words in the full or short name, paged. */
	private searchCourses(args: Row): Row {
		if (args.criterianame !== 'search')
			throw invalidParameter('criterianame => Invalid parameter value detected');
		const words = String(args.criteriavalue ?? '')
			.toLowerCase()
			.split(/\s+/)
			.filter(Boolean);
		if (!words.length)
			throw new MoodleError(
				'moodle_exception',
				'invalidparameter',
				'Invalid parameter value detected',
				'The search text must not be empty',
			);
		const page = int(args.page ?? 0) ?? 0;
		const perpage = int(args.perpage ?? 0) ?? 0;
		const found = [...this.courses.values()].filter(
			(c) =>
				c.format !== 'site' &&
				words.every((w) => `${c.fullname} ${c.shortname}`.toLowerCase().includes(w)),
		);
		const slice = perpage > 0 ? found.slice(page * perpage, page * perpage + perpage) : found;
		return { total: found.length, courses: slice.map((c) => this.courseRecord(c)), warnings: [] };
	}

	/** core_user_get_users: AND of criteria; email, firstname and lastname take % wildcards as SQL LIKE. */
	private getUsers(args: Row): Row {
		const criteria = asList(args.criteria) as Row[];
		if (!criteria.length)
			throw invalidParameter('Missing required key in single structure: criteria');
		const like = (pattern: string, value: string) =>
			new RegExp(
				`^${pattern
					.split('%')
					.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
					.join('.*')}$`,
				'i',
			).test(value);
		const users = [...this.users.values()].filter(
			(u) =>
				u.id !== 1 &&
				criteria.every((c) => {
					const key = String(c.key);
					if (
						!['id', 'lastname', 'firstname', 'idnumber', 'username', 'email', 'auth'].includes(key)
					)
						throw invalidParameter(
							`The search key '${key}' is not supported, look at the web service documentation`,
						);
					const value = String((u as unknown as Row)[key] ?? '');
					return ['email', 'firstname', 'lastname'].includes(key)
						? like(String(c.value ?? ''), value)
						: value === String(c.value ?? '');
				}),
		);
		return { users: users.map((u) => this.userRecord(u)), warnings: [] };
	}

	private manualEnrol(args: Row): null {
		if (args.enrolments === undefined)
			throw invalidParameter('Missing required key in single structure: enrolments');
		const list = asList(args.enrolments) as Row[];
		const prepared = list.map((e) => {
			const enrolment: Enrolment = {
				roleid: requireInt(e, 'roleid'),
				userid: requireInt(e, 'userid'),
				courseid: requireInt(e, 'courseid'),
				timestart: requireInt(e, 'timestart', 0),
				timeend: requireInt(e, 'timeend', 0),
				suspend: requireInt(e, 'suspend', 0),
			};
			this.courseOrFail(enrolment.courseid);
			if (!this.users.has(enrolment.userid)) throw missingRecord('user');
			if (![1, 2, 3, 4, 5, 6, 7, 8].includes(enrolment.roleid))
				throw new MoodleError(
					'moodle_exception',
					'wsusercannotassign',
					'You do not have the permission to assign this role ' +
						enrolment.roleid +
						' to this user ' +
						enrolment.userid +
						' in this course ' +
						enrolment.courseid +
						'.',
				);
			return enrolment;
		});
		for (const e of prepared) {
			const key = `${e.courseid}:${e.userid}`;
			if (this.enrol(e)) this.ctx.ledger.recordUpdate(this.name, 'enrolment', key, e);
			else this.ctx.ledger.recordWrite(this.name, 'enrolment', key, e);
		}
		return null;
	}

	private requireEnrolled(courseid: number, userid: number): void {
		this.courseOrFail(courseid);
		if (!this.users.has(userid)) throw missingRecord('user');
		if (!this.enrolments.has(`${courseid}:${userid}`))
			throw new MoodleError('moodle_exception', 'notenrolled', 'User not enrolled in the course');
	}

	private courseCompletionStatus(args: Row): Row {
		const courseid = requireInt(args, 'courseid');
		const userid = requireInt(args, 'userid');
		const course = this.courseOrFail(courseid);
		this.requireEnrolled(courseid, userid);
		if (!course.enablecompletion)
			throw new MoodleError(
				'moodle_exception',
				'completionnotenabled',
				'Completion is not enabled for this course',
			);
		const timecompleted = this.courseCompletion.get(`${courseid}:${userid}`) ?? null;
		const completions = course.modules.map((m) => {
			const c = this.activityCompletion.get(`${m.cmid}:${userid}`);
			return {
				type: 4,
				title: 'Activity completion',
				status: c && c.state > 0 ? 'Yes' : 'No',
				complete: !!c && c.state > 0,
				timecompleted: c?.timecompleted ?? null,
				details: {
					type: 'Activity completion',
					criteria: m.name,
					requirement: 'Marking yourself complete',
					status: c && c.state > 0 ? 'Yes' : 'No',
				},
			};
		});
		return {
			completionstatus: { completed: timecompleted !== null, aggregation: 1, completions },
			warnings: [],
		};
	}

	private activitiesCompletionStatus(args: Row): Row {
		const courseid = requireInt(args, 'courseid');
		const userid = requireInt(args, 'userid');
		const course = this.courseOrFail(courseid);
		this.requireEnrolled(courseid, userid);
		const statuses = course.modules.map((m) => {
			const c = this.activityCompletion.get(`${m.cmid}:${userid}`);
			return {
				cmid: m.cmid,
				modname: m.modname,
				instance: m.instance,
				name: m.name,
				state: c?.state ?? 0,
				timecompleted: c?.timecompleted ?? 0,
				tracking: 2,
				valueused: false,
				hascompletion: true,
				isautomatic: true,
				istrackeduser: true,
				uservisible: true,
				overrideby: null,
			};
		});
		return { statuses, warnings: [] };
	}

	private gradeItems(args: Row): Row {
		const courseid = requireInt(args, 'courseid');
		const userid = requireInt(args, 'userid', 0);
		requireInt(args, 'groupid', 0);
		const course = this.courseOrFail(courseid);
		const userids =
			userid === 0
				? [...this.enrolments.values()].filter((e) => e.courseid === courseid).map((e) => e.userid)
				: [userid];
		if (userid !== 0) this.requireEnrolled(courseid, userid);
		const usergrades = userids.map((id) => {
			const u = this.users.get(id) as User;
			const items =
				this.grades.get(`${courseid}:${id}`) ??
				course.modules
					.filter((m) => m.modname !== 'page')
					.map((m) => this.gradeItem(m.name, m.modname, null))
					.concat([this.gradeItem('Course total', 'course', null)]);
			return {
				courseid,
				courseidnumber: course.idnumber,
				userid: id,
				userfullname: `${u.firstname} ${u.lastname}`,
				useridnumber: u.idnumber,
				maxdepth: 2,
				gradeitems: items,
			};
		});
		return { usergrades, warnings: [] };
	}

	private data(args: Row): Row {
		const raw = requireString(args, 'data');
		try {
			const parsed = JSON.parse(raw) as unknown;
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
				throw new Error('not an object');
			return parsed as Row;
		} catch {
			// json_decode gives null; the plugin then fails reading its keys.
			throw new MoodleError(
				'moodle_exception',
				'errorinvalidparam',
				'Invalid parameter',
				'data is not a JSON object',
			);
		}
	}

	private percipioProgress(args: Row): Row {
		const data = this.data(args);
		const shortname = String(data.courseshortname ?? '').trim();
		const username = String(data.username ?? '').trim();
		if (!shortname)
			throw new MoodleError(
				'moodle_exception',
				'errorinvalidparam',
				'Invalid parameter: courseshortname',
			);
		if (!username)
			throw new MoodleError('moodle_exception', 'errorinvalidparam', 'Invalid parameter: username');
		const entry = this.percipioEntries.get(shortname);
		if (!entry) throw new MoodleError('moodle_exception', 'error', 'Course not found');
		// The plugin looks the "username" value up as the user *id*.
		const user = int(username) === undefined ? undefined : this.users.get(int(username) as number);
		if (!user) throw new MoodleError('moodle_exception', 'error', 'User not found');
		const state = int(data.completionstate);
		if (state === undefined || state < 0 || state > 3)
			throw new MoodleError(
				'dml_write_exception',
				'dmlwriteexception',
				'Error writing to database',
				'completionstate',
				422,
			);
		// Self-enrols the learner when needed, then upserts attempt, completion and grades.
		if (!this.enrolments.has(`${entry.courseid}:${user.id}`))
			this.enrol({
				courseid: entry.courseid,
				userid: user.id,
				roleid: 5,
				timestart: Math.floor(this.ctx.now() / 1000),
				timeend: 0,
				suspend: 0,
			});
		const key = `${user.id}:${shortname}`;
		const attemptKey = `${entry.cmid}:${user.id}`;
		const seconds = (v: unknown) =>
			v === null || v === undefined || v === ''
				? Math.floor(this.ctx.now() / 1000)
				: Math.round(Number(v) / 1000);
		const attempt = {
			...data,
			timecompleted: seconds(data.timecompleted),
			timemodified: seconds(data.timemodified),
		};
		if (this.percipioAttempts.has(attemptKey))
			this.ctx.ledger.recordUpdate(this.name, 'progress', key, attempt);
		else this.ctx.ledger.recordWrite(this.name, 'progress', key, attempt);
		this.percipioAttempts.set(attemptKey, attempt);
		this.activityCompletion.set(attemptKey, {
			state,
			timecompleted: state > 0 ? (attempt.timecompleted as number) : 0,
		});
		if (state === 1 || state === 2)
			this.courseCompletion.set(`${entry.courseid}:${user.id}`, attempt.timecompleted as number);
		else this.courseCompletion.delete(`${entry.courseid}:${user.id}`);
		const grade =
			data.finalgrade === null || data.finalgrade === undefined || data.finalgrade === ''
				? null
				: Number(data.finalgrade);
		const activity = this.courses.get(entry.courseid)?.modules.find((m) => m.cmid === entry.cmid);
		this.grades.set(`${entry.courseid}:${user.id}`, [
			this.gradeItem(activity?.name ?? 'Percipio', 'percipio', grade),
			this.gradeItem('Course total', 'course', grade),
		]);
		return { message: 'Success', code: 200 };
	}

	private percipioImport(args: Row): Row {
		const data = this.data(args);
		const fullname = String(data.fullname ?? '').trim();
		const shortname = String(data.shortname ?? '').trim();
		if (!fullname)
			throw new MoodleError('moodle_exception', 'errorinvalidparam', 'Invalid parameter: fullname');
		if (!shortname)
			throw new MoodleError(
				'moodle_exception',
				'errorinvalidparam',
				'Invalid parameter: shortname',
			);
		const modname =
			((data.courseformatoptions as Row[] | undefined)?.[0]?.value as string | undefined) ?? '';
		if (modname !== 'percipio')
			throw new MoodleError(
				'dml_missing_record_exception',
				'invalidrecord',
				"Can't find data record in database table modules.",
				undefined,
				422,
			);
		const categoryName = String(data.category ?? '').trim();
		let categoryid = 1;
		if (categoryName) {
			if (!this.categories.has(categoryName))
				this.categories.set(categoryName, Math.max(...this.categories.values()) + 1);
			categoryid = this.categories.get(categoryName) as number;
		}
		const fields: Partial<Course> = {
			shortname,
			fullname,
			categoryid,
			summary: String(data.summary ?? ''),
			summaryformat: int(data.summaryformat) ?? 1,
			format: String(data.format ?? 'singleactivity'),
			startdate: Math.round(Number(data.startdate ?? this.ctx.now()) / 1000),
			visible: int(data.visible) ?? 1,
		};
		const existing = this.percipioEntries.get(shortname);
		if (existing) {
			const course = this.courses.get(existing.courseid) as Course;
			Object.assign(course, fields);
			this.ctx.ledger.recordUpdate(this.name, 'course', shortname, data);
			return {
				moodlecourseid: course.id,
				percipioid: shortname,
				message: 'Course updated successfully',
				code: 200,
			};
		}
		const course = this.addCourse({ ...fields, id: undefined });
		const activity = this.addModule(course, 'percipio', fullname);
		this.percipioEntries.set(shortname, { courseid: course.id, cmid: activity.cmid });
		this.ctx.ledger.recordWrite(this.name, 'course', shortname, data);
		return {
			moodlecourseid: course.id,
			percipioid: shortname,
			message: 'Course created successfully',
			code: 200,
		};
	}
}

export const moodleProvider = () => new MoodleEmulator();
