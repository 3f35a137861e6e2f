import type { INodeProperties } from 'n8n-workflow';

import { Percipio } from '../../../nodes/Percipio/Percipio.node';
import { contentSchema } from '../../../nodes/Percipio/actions/contentImport/upsert.operation';
import { reportBody } from '../../../nodes/Percipio/actions/report/learningActivity.operation';
import { VERBS } from '../../../nodes/Percipio/actions/statement/send.operation';
import { trackKey } from '../../../nodes/Percipio/actions/track/send.operation';
import { parsePercipioError } from '../../../nodes/Percipio/transport/profile';
import { percipioTrackKey } from '../../sandbox/providers/percipio';

describe('statement ids', () => {
	test("Percipio's vocabulary maps to ADL verb IRIs and Percipio's own arrived verb", () => {
		expect(VERBS.completed).toBe('http://adlnet.gov/expapi/verbs/completed');
		expect(VERBS.arrived).toBe('https://xapi.percipio.com/xapi/verbs/arrived');
		expect(Object.keys(VERBS).sort()).toEqual([
			'arrived',
			'completed',
			'experienced',
			'failed',
			'initialized',
			'passed',
			'satisfied',
			'scored',
		]);
	});
});

test('the node and the sandbox derive the same Track key from (content_id, user, status, event_date)', () => {
	const event = {
		content_id: 'c-1',
		user: 'u',
		status: 'Completed',
		event_date: '2026-02-24T12:00:00',
	};
	expect(trackKey(event)).toBe(percipioTrackKey(event));
	expect(trackKey({ ...event, status: 'completed' })).toBe(trackKey(event));
	expect(trackKey({ ...event, event_date: '2026-02-24T12:00:01' })).not.toBe(trackKey(event));
});

describe('content schema (onboarding guide)', () => {
	const ok = {
		content_id: 'ext-1',
		title: 'T',
		type: 'VIDEO',
		url: 'https://x.example/1',
		language: 'en',
		duration: 900,
	};
	test('accepts the documented example and keeps extra fields', () => {
		expect(contentSchema.parse({ ...ok, level: 'beginner' })).toEqual({ ...ok, level: 'beginner' });
		expect(contentSchema.parse({ ...ok, duration: '900', language: 'fr-CA' })).toMatchObject({
			duration: 900,
			language: 'fr-CA',
		});
	});
	test.each([
		[{ content_id: '' }, 'content_id'],
		[{ title: '  ' }, 'title'],
		[{ url: 'ftp://x/1' }, 'url'],
		[{ language: 'English' }, 'language'],
		[{ duration: -1 }, 'duration'],
		[{ duration: 1.5 }, 'duration'],
		[{ description: 'x'.repeat(501) }, 'description'],
	])('rejects %j naming %s', (change, field) => {
		const r = contentSchema.safeParse({ ...ok, ...change });
		expect(r.success).toBe(false);
		expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toContain(field);
	});
});

test('report body: timeFrame or start/end, never both; JSON rows', () => {
	const base = { pollIntervalSeconds: 1, maxWaitMinutes: 1 };
	expect(
		reportBody({ ...base, period: 'timeFrame', timeFrame: 'WEEK', status: 'COMPLETED' }),
	).toEqual({ timeFrame: 'WEEK', status: 'COMPLETED', formatType: 'JSON' });
	expect(
		reportBody({
			...base,
			period: 'range',
			start: '2026-11-01T00:00:00+01:00',
			end: '2026-11-02T00:00:00Z',
			timeFrame: 'DAY',
		}),
	).toEqual({
		start: '2026-10-31T23:00:00.000Z',
		end: '2026-11-02T00:00:00.000Z',
		formatType: 'JSON',
	});
});

test.each([
	[{ message: 'Invalid orgId' }, { message: 'Invalid orgId' }],
	[
		{ error: 'invalid_token', error_description: 'expired' },
		{ message: 'invalid_token: expired', code: 'invalid_token' },
	],
	[
		{ errors: [{ message: 'title is required' }, 'url is invalid'] },
		{ message: 'title is required; url is invalid' },
	],
	[
		{ code: 'E42', message: 'Bad', errors: [{ message: 'detail' }] },
		{ message: 'Bad', description: 'detail', code: 'E42' },
	],
	['<html>502 Bad Gateway</html>', {}],
	['plain text failure', { message: 'plain text failure' }],
])('error body %j is read as %j', (body, expected) => {
	expect(parsePercipioError({ statusCode: 400, headers: {}, body })).toEqual(
		expect.objectContaining(expected),
	);
});

describe('node description', () => {
	const { description } = new Percipio();
	const props = description.properties;

	test('names, tool use, and Request Options last', () => {
		expect([
			description.name,
			description.displayName,
			description.version,
			description.usableAsTool,
		]).toEqual(['percipio', 'Skillsoft Percipio', [1, 2], true]);
		expect(props.at(-1)?.name).toBe('requestOptions');
	});

	test('every operation has an action text and its fields are shown only for it', () => {
		const resources = (
			props.find((p) => p.name === 'resource')?.options as Array<{ value: string }>
		).map((o) => o.value);
		expect(resources.sort()).toEqual([
			'catalogContent',
			'contentImport',
			'report',
			'statement',
			'track',
			'user',
		]);
		for (const resource of resources) {
			const op = props.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			) as INodeProperties;
			const values = (op.options as Array<{ value: string; action?: string }>).map((o) => {
				expect(o.action).toBeTruthy();
				return o.value;
			});
			for (const value of values) {
				const fields = props.filter(
					(p) =>
						p.displayOptions?.show?.operation?.includes(value) &&
						p.displayOptions?.show?.resource?.includes(resource),
				);
				expect(fields.length).toBeGreaterThan(0);
			}
		}
		const limit = props.find(
			(p) => p.name === 'limit' && p.displayOptions?.show?.resource?.includes('user'),
		);
		expect(limit?.displayOptions?.show).toEqual({
			resource: ['user'],
			operation: ['getAll'],
			returnAll: [false],
		});
	});
});
