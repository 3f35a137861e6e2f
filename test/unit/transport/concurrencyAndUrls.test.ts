import { mapConcurrent } from '../../../nodes/shared/concurrency';
import { Redactor, REDACTED } from '../../../nodes/shared/redact';
import { redactText } from '../../support/testOnlyHelpers';
import { PathSegmentError, apiPath, buildPath, joinUrl } from '../../../nodes/shared/urls';

describe('mapConcurrent', () => {
	it('keeps input order and never exceeds the limit', async () => {
		let inFlight = 0;
		let peak = 0;
		const out = await mapConcurrent(
			Array.from({ length: 30 }, (_, i) => i),
			4,
			async (n) => {
				inFlight++;
				peak = Math.max(peak, inFlight);
				await new Promise((r) => setTimeout(r, (30 - n) % 7));
				inFlight--;
				return n * 2;
			},
		);
		expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
		expect(peak).toBe(4);
	});

	it('with stopOnError starts no new work after a failure and throws the lowest-index failure', async () => {
		const started: number[] = [];
		const error = await mapConcurrent(
			Array.from({ length: 20 }, (_, i) => i),
			2,
			async (n) => {
				started.push(n);
				await new Promise((r) => setTimeout(r, 5));
				if (n === 3 || n === 2) throw new Error(`fail ${n}`);
				return n;
			},
			{ stopOnError: true },
		).catch((e: any) => e);
		expect(error.message).toBe('fail 2');
		expect(started.length).toBeLessThan(8);
	});
});

describe('paths and URLs', () => {
	it('encodes each value as one segment', () => {
		expect(buildPath('/orgs/{orgId}/users/{userId}', { orgId: 'a b', userId: 'x/../y?z=1' })).toBe(
			'/orgs/a%20b/users/x%2F..%2Fy%3Fz%3D1',
		);
		expect(apiPath`/users/${'ref#1'}/suspend`).toBe('/users/ref%231/suspend');
	});
	it('rejects dot segments and empty values, naming the field', () => {
		expect(() => buildPath('/users/{userId}', { userId: '..' })).toThrow(PathSegmentError);
		expect(() => buildPath('/users/{userId}', { userId: ' ' })).toThrow(
			'"userId" must not be empty',
		);
	});
	it('joins without doubled slashes', () => {
		expect(joinUrl('https://a/api/', '/v1/x')).toBe('https://a/api/v1/x');
	});
});

describe('Redactor', () => {
	const secret = 'S3cr3t-client-secret';
	const r = new Redactor([secret, 'tok.abc.def']).addBasic('app', 'pw-123456');
	it('hides known secrets, their URL-encoded and Basic forms', () => {
		expect(r.text(`failed with ${secret} and ${encodeURIComponent('tok.abc.def')}`)).toBe(
			`failed with ${REDACTED} and ${REDACTED}`,
		);
		expect(
			r.text(`Authorization: Basic ${Buffer.from('app:pw-123456').toString('base64')}`),
		).not.toContain(Buffer.from('app:pw-123456').toString('base64'));
	});
	it('hides credentials by pattern even when the value is unknown', () => {
		const text = redactText(
			'GET /server.php?wstoken=abcdef123&wsfunction=x body {"client_secret":"zzz999","ok":1} Bearer eyJhbGciOi.x.y',
		);
		expect(text).not.toMatch(/abcdef123|zzz999|eyJhbGciOi/);
		expect(text).toContain('wsfunction=x');
	});
	it('redacts nested values and secret-named keys, leaving other data intact', () => {
		const out = r.value({
			headers: { Authorization: 'Bearer x', accept: 'json' },
			list: [{ note: `uses ${secret}` }],
			n: 3,
		});
		expect(out).toEqual({
			headers: { Authorization: REDACTED, accept: 'json' },
			list: [{ note: `uses ${REDACTED}` }],
			n: 3,
		});
	});
});
