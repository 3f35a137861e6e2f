import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_WAIT_SECONDS, DEFAULT_RETRY } from './retryPolicy';
import type { RateLimitOptions, RetryOptions } from './types';

/** "Return All" + "Limit" for a list operation, shown for the given resource and operation. */
export function returnAllOrLimit(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** The transport settings every action node exposes under "Options → Request Options". */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'How requests are paced and retried. The defaults suit most syncs.',
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 0, maxValue: 50 },
			description:
				'How many items are sent at the same time (also how many pages of a list are fetched at once where the API gives the total). 0 = Auto: starts at 5 and adapts to the response times, 429s and 503s, up to 50. Results keep the order of the input items.',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			default: DEFAULT_MAX_ATTEMPTS,
			typeOptions: { minValue: 1, maxValue: 20 },
			description:
				'Attempts per request, the first included, on 429, 502, 503, 504 and dropped connections',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			default: DEFAULT_MAX_RETRY_WAIT_SECONDS,
			typeOptions: { minValue: 0 },
			description:
				'Longest total time one request may spend waiting: between attempts (Retry-After or backoff), for a rate limit the provider announced, and checking whether a failed write landed. A longer wait fails at once.',
		},
		{
			displayName: 'Requests Per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			default: 0,
			typeOptions: { minValue: -1 },
			description:
				"Client-side rate limit for this credential. 0 uses the provider's published limit (or none); -1 turns client-side pacing off (the provider's 429 and rate-limit headers are still followed).",
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1 },
			description: 'How long to wait for one response',
		},
	],
};

export interface RequestSettings {
	concurrency: number;
	retry: Partial<RetryOptions>;
	rateLimit?: RateLimitOptions;
	timeoutMs: number;
}

/** Reads "Request Options" (node-level: the first item's value applies to the whole run). */
export function readRequestSettings(
	ctx: IExecuteFunctions,
	providerDefault?: RateLimitOptions,
): RequestSettings {
	const o = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const rpm = Number(o.requestsPerMinute ?? 0);
	return {
		// 0 stays 0: Auto (adaptiveConcurrency.ts)
		concurrency: Math.max(0, Math.floor(Number(o.concurrency ?? 5)) || 0),
		retry: {
			maxAttempts: Math.max(1, Number(o.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
			maxTotalWaitMs:
				Math.max(0, Number(o.maxRetryWaitSeconds ?? DEFAULT_RETRY.maxTotalWaitMs / 1000)) * 1000,
		},
		rateLimit:
			rpm > 0
				? { requestsPerMinute: rpm, burst: providerDefault?.burst }
				: rpm < 0
					? {}
					: providerDefault,
		timeoutMs: Math.max(1, Number(o.timeoutSeconds ?? 60)) * 1000,
	};
}
