import type { IExecuteFunctions } from 'n8n-workflow';

import {
	activityTimestamp,
	listOf,
	resultsOf,
	totalPagesOf,
} from '../../../nodes/LearnLink/actions/common';
import { isValidDate } from '../../../nodes/shared/validation';
import { memberResults } from '../../../nodes/LearnLink/actions/audience/members';
import { lifecycleEventIdFor } from '../../../nodes/LearnLink/actions/userEvent/eventId';
import { parseLearnLinkError } from '../../../nodes/LearnLink/transport/profile';

describe('audience member results (207 partial success)', () => {
	const requested = ['a@example.com', 'emp-2', 'emp-3', 'emp-4'];

	it('gives one item per user: reported successes, failures with reasons, and unreported users', () => {
		const out = memberResults('aud-1', 'add', requested, {
			statusCode: 207,
			headers: {},
			body: {
				success: { count: 2, entities: ['a@example.com', { ref: 'emp-2', id: 'u2' }] },
				failure: { count: 1, entities: [{ reference: 'emp-3', reason: 'User is suspended' }] },
			},
		});
		expect(out.map((o) => [o.reference, o.success, o.outcome, o.reason ?? null])).toEqual([
			['a@example.com', true, 'added', null],
			['emp-2', true, 'added', null],
			['emp-3', false, 'failed', 'User is suspended'],
			[
				'emp-4',
				null,
				'unreported',
				'Thrive did not report this user in the success or failure list',
			],
		]);
		expect(out.every((o) => o.httpStatus === 207 && o.audienceId === 'aud-1')).toBe(true);
	});

	it('a 2xx without entity lists means every requested user succeeded', () => {
		const out = memberResults('aud-1', 'replace', ['x', 'y'], {
			statusCode: 204,
			headers: {},
			body: undefined,
		});
		expect(out.map((o) => [o.reference, o.success, o.outcome])).toEqual([
			['x', true, 'member'],
			['y', true, 'member'],
		]);
	});

	it('accepts the entity lists as bare arrays too', () => {
		const out = memberResults('a', 'add', ['x', 'y'], {
			statusCode: 207,
			headers: {},
			body: { success: ['x'], failure: [{ reference: 'y', reason: { code: 'NOT_FOUND' } }] },
		});
		expect(out.map((o) => [o.reference, o.success, o.reason ?? null])).toEqual([
			['x', true, null],
			['y', false, '{"code":"NOT_FOUND"}'],
		]);
	});
});

describe('lifecycle event ids', () => {
	const ctx = (executionId: string | undefined, runIndex = 0, nodeId = 'node-1') =>
		({
			getExecutionId: () => executionId,
			getWorkflowDataProxy: () => ({ $thisRunIndex: runIndex }),
			getWorkflow: () => ({ id: 'wf-1' }),
			getNode: () => ({ id: nodeId, name: 'Learn.link' }),
		}) as unknown as IExecuteFunctions;
	const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

	it('are the same for every retry of one send (same execution, node, run and item)', () => {
		const id = lifecycleEventIdFor(ctx('exec-1'), 0, 'user_joined', 'emp-1');
		expect(id).toMatch(UUID);
		expect(lifecycleEventIdFor(ctx('exec-1'), 0, 'user_joined', 'emp-1')).toBe(id);
	});

	it('are new for a new item, a new execution, another run of the node or another node, whatever the content', () => {
		const id = lifecycleEventIdFor(ctx('exec-1'), 0, 'user_joined', 'emp-1');
		expect(lifecycleEventIdFor(ctx('exec-1'), 2, 'user_joined', 'emp-1')).not.toBe(id);
		expect(lifecycleEventIdFor(ctx('exec-2'), 0, 'user_joined', 'emp-1')).not.toBe(id);
		expect(lifecycleEventIdFor(ctx('exec-1', 1), 0, 'user_joined', 'emp-1')).not.toBe(id);
		expect(lifecycleEventIdFor(ctx('exec-1', 0, 'node-2'), 0, 'user_joined', 'emp-1')).not.toBe(id);
	});

	it('are random (never content-derived) where n8n gives no execution id', () => {
		const a = lifecycleEventIdFor(ctx(undefined), 0, 'user_joined', 'emp-1');
		const b = lifecycleEventIdFor(ctx(undefined), 0, 'user_joined', 'emp-1');
		expect(a).toMatch(UUID);
		expect(b).not.toBe(a);
		expect(lifecycleEventIdFor({} as IExecuteFunctions, 0, 'user_joined', 'emp-1')).toMatch(UUID);
	});
});

describe('list helpers', () => {
	it('read records from {results}, a bare array, and totals from pagination', () => {
		expect(resultsOf({ results: [{ a: 1 }] })).toEqual([{ a: 1 }]);
		expect(resultsOf([{ a: 2 }])).toEqual([{ a: 2 }]);
		expect(resultsOf({ message: 'x' })).toEqual([]);
		expect(totalPagesOf({ results: [], pagination: { totalPages: 3 } })).toBe(3);
		expect(totalPagesOf({ results: [], totalPages: 2 })).toBe(2);
		expect(totalPagesOf([{}])).toBeUndefined();
		expect(totalPagesOf({ results: [] })).toBeUndefined();
	});

	it('format activity timestamps as YYYY-MM-DD hh:mm:ss (UTC) and split lists', () => {
		expect(activityTimestamp('2026-11-10T09:15:30.123Z')).toBe('2026-11-10 09:15:30');
		expect(activityTimestamp('2026-11-10T10:15:30+01:00')).toBe('2026-11-10 09:15:30');
		expect(activityTimestamp('2026-11-10 09:15:30')).toBe('2026-11-10 09:15:30');
		expect(activityTimestamp('')).toBeUndefined();
		expect(listOf('a, b\nc,,')).toEqual(['a', 'b', 'c']);
		expect(listOf(['x', ' y '])).toEqual(['x', 'y']);
	});
});

describe('strict dates (the calendar date must exist)', () => {
	it('accepts real dates and date-times', () => {
		for (const v of [
			'2026-06-01',
			'2026-06-01T10:00:00Z',
			'2024-02-29T23:59:59.999+02:00',
			'2026-12-31 23:59:59',
			' 2026-01-31 ',
		])
			expect(isValidDate(v)).toBe(true);
	});
	it('refuses impossible dates that Date.parse would roll over, and non-dates', () => {
		for (const v of [
			'2026-02-30T10:00:00Z',
			'2026-02-29',
			'2026-04-31',
			'2026-02-30 10:00:00',
			'2026-13-01',
			'2026-06-01T24:30:00Z',
			'yesterday-ish',
			'',
			'   ',
		])
			expect(isValidDate(v)).toBe(false);
	});
	it('an impossible activity filter date stays as given, so validation refuses it', () => {
		expect(activityTimestamp('2026-02-30 10:00:00')).toBe('2026-02-30 10:00:00');
		expect(activityTimestamp('2026-02-30T10:00:00Z')).toBe('2026-02-30T10:00:00Z');
	});
});

describe("Thrive's error body", () => {
	it('reads {status, error, message}, message lists and plain text', () => {
		expect(
			parseLearnLinkError({
				statusCode: 404,
				headers: {},
				body: { status: 404, error: 'Not Found', message: 'User not found' },
			}),
		).toEqual({ message: 'User not found', description: '(Not Found)', code: 'Not Found' });
		expect(
			parseLearnLinkError({
				statusCode: 422,
				headers: {},
				body: {
					status: 422,
					error: 'Unprocessable Entity',
					message: ['email is invalid', 'ref is required'],
				},
			}).message,
		).toBe('email is invalid; ref is required');
		expect(parseLearnLinkError({ statusCode: 502, headers: {}, body: 'Bad gateway' }).message).toBe(
			'Bad gateway',
		);
	});
});
