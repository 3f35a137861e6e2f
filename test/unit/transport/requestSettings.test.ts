import type { IExecuteFunctions } from 'n8n-workflow';

import { readRequestSettings } from '../../../nodes/shared/descriptions';

const ctxWith = (requestOptions: Record<string, unknown>) =>
	({ getNodeParameter: () => requestOptions }) as unknown as IExecuteFunctions;
const published = { requestsPerMinute: 70, burst: 7 };

describe('Request Options → Requests Per Minute', () => {
	it("0 (the default) paces at the provider's published limit", () => {
		expect(readRequestSettings(ctxWith({}), published).rateLimit).toEqual(published);
		expect(readRequestSettings(ctxWith({ requestsPerMinute: 0 }), published).rateLimit).toEqual(
			published,
		);
	});

	it('a positive value replaces the published limit, keeping its burst', () => {
		expect(readRequestSettings(ctxWith({ requestsPerMinute: 200 }), published).rateLimit).toEqual({
			requestsPerMinute: 200,
			burst: 7,
		});
	});

	it('-1 turns client-side pacing off (the limiter then only follows 429s and rate-limit headers)', () => {
		expect(readRequestSettings(ctxWith({ requestsPerMinute: -1 }), published).rateLimit).toEqual(
			{},
		);
	});
});
