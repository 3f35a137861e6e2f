import {
	DEFAULT_MAX_ATTEMPTS,
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	DEFAULT_RETRY,
	decide,
} from '../../../nodes/shared/retryPolicy';
import type { AttemptState, Decision, Outcome } from '../../../nodes/shared/retryPolicy';
import { requestOptionsProperty } from '../../../nodes/shared/descriptions';

const options = { maxAttempts: 4, maxTotalWaitMs: 10_000, baseDelayMs: 1000, maxDelayMs: 8000 };
const half = () => 0.5;
const read: AttemptState = {
	attempt: 1,
	waitedMs: 0,
	idempotent: true,
	canRecover: false,
	canRenewToken: true,
};
const write: AttemptState = { ...read, idempotent: false };
const writeWithRecover: AttemptState = { ...write, canRecover: true };

const resend = (waitMs: number, waitSource: 'retry-after' | 'backoff' = 'backoff'): Decision => ({
	action: 'resend',
	waitMs,
	waitSource,
});
const giveUp = (reason: string): Decision => ({ action: 'give-up', reason }) as Decision;
const status = (s: number, retryAfterMs?: number, authFailure?: boolean): Outcome => ({
	kind: 'status',
	status: s,
	retryAfterMs,
	authFailure,
});
const net = (code?: string): Outcome => ({ kind: 'network', code });

/** [case, outcome, state, decision] */
const table: Array<[string, Outcome, AttemptState, Decision]> = [
	[
		'401 with a token not yet renewed: renew and resend at once',
		status(401, undefined, true),
		read,
		{ action: 'resend', waitMs: 0, renewToken: true, waitSource: 'none' },
	],
	[
		'401 after the renewal: give up (auth)',
		status(401, undefined, true),
		{ ...read, canRenewToken: false },
		giveUp('auth'),
	],
	[
		'401 on a write is renewed too (nothing was processed)',
		status(401, undefined, true),
		write,
		{ action: 'resend', waitMs: 0, renewToken: true, waitSource: 'none' },
	],
	['429 with Retry-After on a read: wait it', status(429, 3000), read, resend(3000, 'retry-after')],
	[
		'429 with Retry-After on a plain write: wait it (a 429 proves nothing was done)',
		status(429, 3000),
		write,
		resend(3000, 'retry-after'),
	],
	['429 without Retry-After: jittered backoff', status(429), read, resend(500)],
	[
		'429 with Retry-After longer than the budget left',
		status(429, 10_001),
		read,
		giveUp('retry-after-too-long'),
	],
	[
		'429 with Retry-After past the budget already spent',
		status(429, 3000),
		{ ...read, waitedMs: 8000 },
		giveUp('retry-after-too-long'),
	],
	['429 on the last attempt', status(429, 1000), { ...read, attempt: 4 }, giveUp('attempts')],
	[
		'503 on a read: backoff grows with the attempt',
		status(503),
		{ ...read, attempt: 3 },
		resend(2000),
	],
	['503 with Retry-After on a read', status(503, 2000), read, resend(2000, 'retry-after')],
	['502 on a plain write: may have landed', status(502), write, giveUp('may-have-landed')],
	[
		'504 on a write that can be asked about: recover first',
		status(504),
		writeWithRecover,
		{ action: 'recover' },
	],
	[
		'504 on a write recover said did not land: resend',
		status(504),
		{ ...writeWithRecover, recovered: true },
		resend(500),
	],
	[
		'504 on a write on its last attempt: still ask (it may have landed)',
		status(504),
		{ ...writeWithRecover, attempt: 4 },
		{ action: 'recover' },
	],
	[
		'504 after recover on the last attempt: give up',
		status(504),
		{ ...writeWithRecover, attempt: 4, recovered: true },
		giveUp('attempts'),
	],
	[
		'504 on a write with an idempotency key: resend',
		status(504),
		{ ...write, idempotent: true },
		resend(500),
	],
	['500 is not retried', status(500), read, giveUp('not-retryable')],
	['400 is not retried', status(400), read, giveUp('not-retryable')],
	['403 is not retried', status(403), read, giveUp('not-retryable')],
	['404 is not retried', status(404), read, giveUp('not-retryable')],
	[
		'backoff past the wait budget',
		status(503),
		{ ...read, attempt: 3, waitedMs: 9000 },
		giveUp('wait-budget'),
	],
	[
		'ECONNREFUSED proves not sent: a plain write is resent',
		net('ECONNREFUSED'),
		write,
		resend(500),
	],
	['EAI_AGAIN proves not sent', net('EAI_AGAIN'), write, resend(500)],
	['UND_ERR_CONNECT_TIMEOUT proves not sent', net('UND_ERR_CONNECT_TIMEOUT'), write, resend(500)],
	['ECONNRESET is ambiguous: a read is resent', net('ECONNRESET'), read, resend(500)],
	[
		'ECONNRESET on a plain write: may have landed',
		net('ECONNRESET'),
		write,
		giveUp('may-have-landed'),
	],
	[
		'ETIMEDOUT on a write with recover: ask',
		net('ETIMEDOUT'),
		writeWithRecover,
		{ action: 'recover' },
	],
	['a TLS failure is not retried', net('CERT_HAS_EXPIRED'), read, giveUp('not-retryable')],
	['an error without a code is not retried', net(undefined), read, giveUp('not-retryable')],
	[
		'network failure on the last attempt',
		net('ECONNREFUSED'),
		{ ...read, attempt: 4 },
		giveUp('attempts'),
	],
	['token endpoint unreachable: retried', { kind: 'token' }, read, resend(500)],
	[
		'token endpoint 503 with Retry-After',
		{ kind: 'token', status: 503, retryAfterMs: 4000 },
		read,
		resend(4000, 'retry-after'),
	],
	[
		'token endpoint 401: not retried',
		{ kind: 'token', status: 401 },
		read,
		giveUp('not-retryable'),
	],
	[
		'token endpoint unreachable for good (status 0)',
		{ kind: 'token', status: 0 },
		read,
		giveUp('not-retryable'),
	],
];

describe('retry policy: decide(outcome, state, budget)', () => {
	it.each(table)('%s', (_name, outcome, state, expected) => {
		expect(decide(outcome, state, options, half)).toEqual(expected);
	});

	it('never waits past the budget, for any attempt and any jitter', () => {
		for (let attempt = 1; attempt <= 6; attempt++) {
			for (const r of [0, 0.3, 0.999]) {
				for (const waitedMs of [0, 5000, 9999]) {
					const d = decide(
						status(503),
						{ ...read, attempt, waitedMs },
						{ ...options, maxAttempts: 6 },
						() => r,
					);
					if (d.action === 'resend')
						expect(waitedMs + d.waitMs).toBeLessThanOrEqual(options.maxTotalWaitMs);
					if (attempt >= 6) expect(d).toEqual(giveUp('attempts'));
				}
			}
		}
	});

	it('the UI defaults are the policy defaults', () => {
		const field = (name: string) =>
			requestOptionsProperty.options!.find((o) => 'name' in o && o.name === name) as {
				default: number;
			};
		expect(field('maxAttempts').default).toBe(DEFAULT_MAX_ATTEMPTS);
		expect(field('maxRetryWaitSeconds').default).toBe(DEFAULT_MAX_RETRY_WAIT_SECONDS);
		expect(DEFAULT_RETRY.maxAttempts).toBe(DEFAULT_MAX_ATTEMPTS);
		expect(DEFAULT_RETRY.maxTotalWaitMs).toBe(DEFAULT_MAX_RETRY_WAIT_SECONDS * 1000);
	});
});
