/**
 * Issue #9, bad input catalogue: malformed inputs across the five nodes. For each one:
 *  - alone, without "Continue On Fail": the node fails with an error naming the item and the field,
 *    and the sandbox received no request at all (not even a token request);
 *  - between two good items, with "Continue On Fail": it becomes an error item in its place (same
 *    message, paired with its input), and both good items are still written.
 * Secrets are the canaries; no error message or description may contain one.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { Degreed } from '../../nodes/Degreed/Degreed.node';
import { LearnLink } from '../../nodes/LearnLink/LearnLink.node';
import { Moodle } from '../../nodes/Moodle/Moodle.node';
import { Percipio } from '../../nodes/Percipio/Percipio.node';
import { ScormCloud } from '../../nodes/ScormCloud/ScormCloud.node';
import { LearnLinkEmulator } from '../sandbox/providers/learnlink';
import { MOODLE_DEMO } from '../sandbox/providers/moodle';
import type { Sandbox } from '../sandbox/server';
import {
	CANARY_PROVIDERS,
	canaryCredentials,
	findCanaries,
	resetCanarySandbox,
	scanTexts,
	startCanarySandbox,
} from '../support/canaries';
import type { CanaryProvider } from '../support/canaries';
import { runNode } from '../support/n8nContext';

let sandbox: Sandbox;
const PROVIDERS = CANARY_PROVIDERS;

beforeAll(async () => {
	sandbox = await startCanarySandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	resetCanarySandbox(sandbox);
});

const NODES: Record<
	CanaryProvider,
	{ node: new () => INodeType; credential: string; kind: string }
> = {
	percipio: { node: Percipio, credential: 'percipioApi', kind: 'content' },
	degreed: { node: Degreed, credential: 'degreedApi', kind: 'completion' },
	learnlink: { node: LearnLink, credential: 'learnLinkApi', kind: 'completion' },
	scormcloud: { node: ScormCloud, credential: 'scormCloudApi', kind: 'registration' },
	moodle: { node: Moodle, credential: 'moodleApi', kind: 'progress' },
};

const learnLinkUser = () =>
	[...sandbox.provider<LearnLinkEmulator>('learnlink').users.values()][0].id;

/** A good item of each provider's main write operation; `n` keeps good items distinct. */
const GOOD: Record<CanaryProvider, (n: number) => IDataObject> = {
	percipio: (n) => ({
		resource: 'contentImport',
		operation: 'upsert',
		contentId: `good-${n}`,
		title: `Good ${n}`,
		contentType: 'COURSE',
		url: `https://learn.example.com/${n}`,
		language: 'en',
		duration: 60,
		additionalFields: {},
		options: {},
	}),
	degreed: (n) => ({
		resource: 'completion',
		operation: 'create',
		userId: 'jane.doe@acme.example',
		userIdentifierType: 'Email',
		contentId: 'course-privacy-101',
		contentIdType: 'externalId',
		contentType: 'Course',
		completedAt: `2026-06-0${n + 1}T10:00:00Z`,
		additionalFields: {},
	}),
	learnlink: (n) => ({
		resource: 'completion',
		operation: 'create',
		userId: learnLinkUser(),
		contentId: 'cnt-101',
		completedAt: `2026-06-0${n + 1}T10:00:00Z`,
	}),
	scormcloud: (n) => ({
		resource: 'registration',
		operation: 'create',
		courseId: 'course-safety-101',
		registrationId: `good-reg-${n}`,
		learnerId: `good-learner-${n}`,
		learnerFirstName: 'Good',
		learnerLastName: 'Learner',
		ifExists: 'returnExisting',
		postBack: {},
		additionalFields: {},
	}),
	moodle: (n) => ({
		resource: 'percipio',
		operation: 'trackProgress',
		moodleUserId: 3 + n,
		courseShortname: MOODLE_DEMO.percipioContentId,
		completionState: 2,
		additionalFields: {},
	}),
};

interface Case {
	provider: CanaryProvider;
	what: string;
	/** the bad item's parameters: overrides of a good item, or a whole other operation */
	params: (good: IDataObject) => IDataObject;
	/** the field the error must name */
	field: string;
	/** the operation of the good items around the bad one, when not the main write */
	goodFor?: (n: number) => IDataObject;
	goodKind?: string;
}

const long = (n: number) => 'x'.repeat(n);
const pc = (what: string, field: string, over: IDataObject): Case => ({
	provider: 'percipio',
	what,
	field,
	params: (g) => ({ ...g, ...over }),
});
const pcAdd = (what: string, field: string, add: IDataObject): Case => ({
	provider: 'percipio',
	what,
	field,
	params: (g) => ({ ...g, additionalFields: add }),
});
const pcOpt = (what: string, field: string, opt: IDataObject): Case => ({
	provider: 'percipio',
	what,
	field,
	params: (g) => ({ ...g, options: opt }),
});
const dg = (what: string, field: string, over: IDataObject): Case => ({
	provider: 'degreed',
	what,
	field,
	params: (g) => ({ ...g, ...over }),
});
const ll = (what: string, field: string, over: IDataObject): Case => ({
	provider: 'learnlink',
	what,
	field,
	params: (g) => ({ ...g, ...over }),
});
const sc = (what: string, field: string, over: IDataObject): Case => ({
	provider: 'scormcloud',
	what,
	field,
	params: (g) => ({ ...g, ...over }),
});
const scAdd = (what: string, field: string, add: IDataObject): Case => ({
	provider: 'scormcloud',
	what,
	field,
	params: (g) => ({ ...g, additionalFields: add }),
});
const md = (what: string, field: string, over: IDataObject): Case => ({
	provider: 'moodle',
	what,
	field,
	params: (g) => ({ ...g, ...over }),
});
const mdAdd = (what: string, field: string, add: IDataObject): Case => ({
	provider: 'moodle',
	what,
	field,
	params: (g) => ({ ...g, additionalFields: add }),
});

const percipioUser = (n: number): IDataObject => ({
	resource: 'user',
	operation: 'upsert',
	externalUserId: `emp-9${n}00`,
	additionalFields: { firstName: 'Good', loginName: `good.user${n}` },
});
const pcUser = (what: string, field: string, over: IDataObject): Case => ({
	provider: 'percipio',
	what,
	field,
	goodFor: percipioUser,
	goodKind: 'user',
	params: () => ({ ...percipioUser(7), ...over }),
});

const CASES: Case[] = [
	// Percipio Content Import
	pc('missing content ID', 'content_id', { contentId: '' }),
	pc('content ID of spaces only', 'content_id', { contentId: '   ' }),
	pc('content ID longer than 255', 'content_id', { contentId: long(256) }),
	pc('missing title', 'title', { title: '' }),
	pc('title longer than 255', 'title', { title: long(300) }),
	pc('title as an object', 'title', { title: { text: 'x' } }),
	pc('title as an array', 'title', { title: ['a', 'b'] }),
	pc('launch URL is not a URL', 'url', { url: 'not a url' }),
	pc('launch URL with javascript:', 'url', { url: 'javascript:alert(1)' }),
	pc('launch URL over ftp', 'url', { url: 'ftp://files.example.com/x' }),
	pc('language is not a code', 'language', { language: 'English!' }),
	pc('duration negative', 'duration', { duration: -5 }),
	pc('duration as words', 'duration', { duration: 'ten minutes' }),
	pc('duration fractional', 'duration', { duration: 1.5 }),
	pc('duration NaN', 'duration', { duration: Number.NaN }),
	pc('duration huge (Infinity)', 'duration', { duration: Number.POSITIVE_INFINITY }),
	pcAdd('description over 500', 'description', { description: long(501) }),
	pcAdd('extra fields: invalid JSON', 'extraFields', { extraFields: '{"level": beginner}' }),
	pcAdd('extra fields: an array', 'extraFields', { extraFields: '[1,2,3]' }),
	pcAdd('extra fields: a number', 'extraFields', { extraFields: '42' }),
	pcAdd('thumbnail URL invalid', 'thumbnail_url', { thumbnailUrl: 'thumb.png' }),
	pcOpt('organization ID is not a UUID', 'organizationId', { organizationId: '../../admin' }),
	pcOpt('organization ID with a query', 'organizationId', {
		organizationId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f?x=1',
	}),
	pcOpt('path option with ../', 'contentPath', {
		contentPath: '/content-aggregation/../admin/{orgId}',
	}),
	pcOpt('path option with ?', 'contentPath', {
		contentPath:
			'/content-aggregation/v1/partners/{partnerName}/organizations/{orgId}/content?debug=1',
	}),
	pcOpt('path option with an unknown placeholder', 'contentPath', { contentPath: '/x/{secret}' }),
	pcUser('user: email invalid', 'email', { additionalFields: { email: 'not-an-email' } }),
	pcUser('user: role unknown', 'role', { additionalFields: { role: 'BOSS' } }),
	pcUser('user: external ID "..", a path segment', 'externalUserId', { externalUserId: '..' }),
	pcUser('user: external ID empty', 'externalUserId', { externalUserId: '' }),
	// Degreed completions
	dg('missing user', 'userId', { userId: '' }),
	dg('missing content ID', 'contentId', { contentId: '' }),
	dg('completion date is not a date', 'completedAt', { completedAt: 'yesterday' }),
	dg('completion date with month 13', 'completedAt', { completedAt: '2026-13-45T10:00:00Z' }),
	dg('completion date empty', 'completedAt', { completedAt: '' }),
	dg('user identifier type unknown', 'userIdentifierType', { userIdentifierType: 'ShoeSize' }),
	dg('content type unknown', 'contentType', { contentType: 'Hologram' }),
	dg('percentile above 100', 'percentile', { additionalFields: { percentile: 250 } }),
	dg('percentile as words', 'percentile', { additionalFields: { percentile: 'most' } }),
	dg('additional attributes: invalid JSON', 'Additional Attributes \\(JSON\\)', {
		additionalFields: { additionalAttributes: '{oops' },
	}),
	// Learn.link completions
	ll('missing user ID', 'userId', { userId: '' }),
	ll('missing content ID', 'contentId', { contentId: '' }),
	ll('completion time is not a date', 'completedAt', { completedAt: 'yesterday-ish' }),
	ll('completion time Feb 30', 'completedAt', { completedAt: '2026-02-30T10:00:00Z' }),
	ll('completion time empty', 'completedAt', { completedAt: '' }),
	// SCORM Cloud registrations
	sc('missing course ID', 'courseId', { courseId: '' }),
	sc('missing registration ID', 'registrationId', { registrationId: '' }),
	sc('registration ID longer than 255', 'registrationId', { registrationId: long(256) }),
	sc('registration ID as an array', 'registrationId', { registrationId: ['a'] }),
	sc('missing learner ID', 'learnerId', { learnerId: '  ' }),
	sc('learner ID as a number object', 'learnerId', { learnerId: { id: 5 } }),
	sc('ifExists unknown', 'ifExists', { ifExists: 'overwrite' }),
	sc('postback URL invalid', 'postBack.url', { postBack: { url: 'not-a-url' } }),
	sc('postback settings without URL', 'postBack.url', { postBack: { userName: 'n8n' } }),
	scAdd('learner email invalid', 'learnerEmail', { learnerEmail: 'ann@@example' }),
	scAdd('xAPI registration ID not a UUID', 'xapiRegistrationId', {
		xapiRegistrationId: '1234-not-uuid',
	}),
	scAdd('course version negative', 'courseVersion', { courseVersion: -1 }),
	scAdd('course version fractional', 'courseVersion', { courseVersion: 1.5 }),
	// Moodle percipio_progress_tracking
	md('user ID as words', 'username', { moodleUserId: 'ada' }),
	md('user ID negative', 'username', { moodleUserId: -3 }),
	md('user ID huge', 'username', { moodleUserId: 1e30 }),
	md('missing course short name', 'courseshortname', { courseShortname: '' }),
	md('completion state out of range', 'completionstate', { completionState: 9 }),
	mdAdd('duration not ISO 8601', 'totalduration', { totalduration: '65 minutes' }),
	mdAdd('percent complete above 100', 'percentcomplete', { percentcomplete: 150 }),
	mdAdd('time completed invalid', 'timecompleted', { timecompleted: 'noon-ish' }),
	md('extra data: invalid JSON', 'Extra Data \\(JSON\\)', {
		options: { extraData: '{"completionstate": }' },
	}),
	md('extra data: an array', 'Extra Data \\(JSON\\)', { options: { extraData: '[1]' } }),
	pc('unicode: language code with a Cyrillic look-alike letter', 'language', {
		language: 'е' + 'n',
	}),
	pc('unicode: title of 256 characters with accents', 'title', { title: 'é'.repeat(256) }),
];

/** The provider's requests to every host (token endpoints included). */
const requestsOf = (provider: CanaryProvider) => sandbox.ledger.requests({ provider }).length;

type NodeError = Error & { description?: string; context?: { itemIndex?: number } };

describe('bad input catalogue', () => {
	it(`has at least 60 cases across all five nodes (${CASES.length})`, () => {
		expect(CASES.length).toBeGreaterThanOrEqual(60);
		expect(new Set(CASES.map((c) => c.provider))).toEqual(new Set(PROVIDERS));
	});

	const check = async (c: Case) => {
		const { node, credential } = NODES[c.provider];
		const credentials = { [credential]: canaryCredentials(sandbox, c.provider) };
		const fast = {
			requestOptions: { maxAttempts: 2, maxRetryWaitSeconds: 1, requestsPerMinute: 1_000_000 },
		};
		const good = c.goodFor ?? GOOD[c.provider];
		const bad = { ...fast, ...c.params(good(0)) };
		const field = new RegExp(c.field.replace(/\./g, '\\.'));

		// Alone, without Continue On Fail: a clear error naming item 0 and the field; nothing sent.
		const error = (await runNode(node, {
			parameters: bad,
			items: [{}],
			credentials,
			nodeType: `n8n-nodes-learning-platforms.${c.provider}`,
		}).then(
			() => undefined,
			(e: unknown) => e,
		)) as NodeError | undefined;
		expect(error).toBeInstanceOf(Error);
		expect(error!.message).toMatch(/^Item 0: /);
		expect(`${error!.message} ${error!.description ?? ''}`).toMatch(field);
		expect(requestsOf(c.provider)).toBe(0);

		// Between two good items, with Continue On Fail: an error item in its place, the good ones written.
		const params = [{ ...fast, ...good(1) }, bad, { ...fast, ...good(2) }];
		const { output } = await runNode(node, {
			parameters: (i) => params[i],
			items: [{}, {}, {}],
			credentials,
			continueOnFail: true,
			nodeType: `n8n-nodes-learning-platforms.${c.provider}`,
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.error).toBeUndefined();
		expect(output[2].json.error).toBeUndefined();
		expect(String(output[1].json.error)).toMatch(/^Item 1: /);
		expect(`${String(output[1].json.error)} ${String(output[1].json.description ?? '')}`).toMatch(
			field,
		);
		expect(sandbox.ledger.writes(c.provider, c.goodKind ?? NODES[c.provider].kind)).toMatchObject({
			total: 2,
			duplicates: [],
		});

		expect(
			findCanaries([...scanTexts('alone', error), ...scanTexts('continueOnFail output', output)]),
		).toEqual([]);
	};

	it.each(CASES.map((c) => [`${c.provider}: ${c.what}`, c] as const))(
		'%s',
		async (_label, c) => await check(c),
	);
});
