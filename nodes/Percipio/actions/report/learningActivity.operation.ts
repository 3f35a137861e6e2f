import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { validateInput } from '../../../shared/validation';
import type { PercipioClient } from '../../transport/client';
import {
	compact,
	isoDate,
	optionalText,
	options,
	organizationId,
	organizationOption,
} from '../common';

export const REPORT_REQUEST_PATH =
	'/reporting/v1/organizations/{orgId}/report-requests/learning-activity';
export const REPORT_POLL_PATH = '/reporting/v1/organizations/{orgId}/report-requests/{id}';

const TIME_FRAMES = ['DAY', 'WEEK', 'THIRTY_DAYS', 'CALENDAR_MONTH'] as const;
const STATUSES = [
	'ACHIEVED',
	'ACTIVE',
	'COMPLETED',
	'LISTENED',
	'READ',
	'STARTED',
	'WATCHED',
	'ABANDONED',
] as const;
const RUNNING = new Set(['PENDING', 'IN_PROGRESS']);

const titleCase = (v: string) =>
	v
		.replace(/_/g, ' ')
		.toLowerCase()
		.replace(/\b\w/g, (c) => c.toUpperCase());

const properties: INodeProperties[] = [
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{
				name: 'Time Frame',
				value: 'timeFrame',
				description: 'A period ending now (day, week, 30 days, calendar month)',
			},
			{ name: 'Start and End', value: 'range', description: 'An explicit start and end date-time' },
		],
		default: 'timeFrame',
	},
	{
		displayName: 'Time Frame',
		name: 'timeFrame',
		type: 'options',
		options: TIME_FRAMES.map((t) => ({
			name: t === 'THIRTY_DAYS' ? '30 Days' : titleCase(t),
			value: t,
		})),
		default: 'DAY',
		displayOptions: { show: { period: ['timeFrame'] } },
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { period: ['range'] } },
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { period: ['range'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Audience',
				name: 'audience',
				type: 'string',
				default: 'ALL',
				description: 'Audience to report on (default ALL)',
			},
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'string',
				default: '',
				placeholder: 'e.g. Course,Assessment',
				description: 'Comma-separated content types',
			},
			{
				displayName: 'Locale',
				name: 'locale',
				type: 'string',
				default: '',
				placeholder: 'e.g. en-US',
			},
			{
				displayName: 'Sort Field',
				name: 'sortField',
				type: 'string',
				default: '',
				placeholder: 'e.g. completedDate',
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'desc',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: STATUSES.map((s) => ({ name: titleCase(s), value: s })),
				default: 'COMPLETED',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Existing Report Request ID',
				name: 'reportRequestId',
				type: 'string',
				default: '',
				description: 'Wait for a report requested earlier instead of requesting a new one',
			},
			{
				displayName: 'Max Wait (Minutes)',
				name: 'maxWaitMinutes',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				description: 'Give up (with an error) when the report is not ready by then',
			},
			organizationOption,
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1 },
				description: 'Time between two checks of the report status',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['report'], operation: ['learningActivity'] } },
	properties,
);

const inputSchema = z
	.object({
		period: z.enum(['timeFrame', 'range']),
		timeFrame: z
			.enum(TIME_FRAMES, {
				errorMap: () => ({ message: `must be one of ${TIME_FRAMES.join(', ')}` }),
			})
			.optional(),
		start: isoDate('the start of the period').optional(),
		end: isoDate('the end of the period').optional(),
		audience: optionalText,
		contentType: optionalText,
		locale: optionalText,
		status: z
			.enum(STATUSES, { errorMap: () => ({ message: `must be one of ${STATUSES.join(', ')}` }) })
			.optional(),
		sortField: optionalText,
		sortOrder: z.enum(['asc', 'desc']).optional(),
		pollIntervalSeconds: z.number().positive('must be more than 0'),
		maxWaitMinutes: z.number().positive('must be more than 0'),
		reportRequestId: optionalText,
	})
	.superRefine((v, ctx) => {
		if (v.period === 'range') {
			if (!v.start)
				ctx.addIssue({
					code: 'custom',
					path: ['start'],
					message: 'is required when Period is Start and End',
				});
			if (!v.end)
				ctx.addIssue({
					code: 'custom',
					path: ['end'],
					message: 'is required when Period is Start and End',
				});
			if (v.start && v.end && Date.parse(v.start) > Date.parse(v.end))
				ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
		}
	});

/** The request body: timeFrame or start/end (never both), filters, JSON rows. */
export function reportBody(input: z.infer<typeof inputSchema>): IDataObject {
	const period =
		input.period === 'range'
			? {
					start: new Date(Date.parse(input.start!)).toISOString(),
					end: new Date(Date.parse(input.end!)).toISOString(),
				}
			: { timeFrame: input.timeFrame ?? 'DAY' };
	return compact({
		...period,
		audience: input.audience,
		contentType: input.contentType,
		locale: input.locale,
		status: input.status,
		sort: input.sortField
			? { field: input.sortField, order: input.sortOrder ?? 'desc' }
			: undefined,
		formatType: 'JSON',
	}) as IDataObject;
}

export async function execute(
	this: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const opts = options(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const period = this.getNodeParameter('period', itemIndex, 'timeFrame') as string;
	const input = validateInput(
		this.getNode(),
		inputSchema,
		compact({
			period,
			timeFrame:
				period === 'timeFrame' ? this.getNodeParameter('timeFrame', itemIndex, 'DAY') : undefined,
			start:
				period === 'range' ? this.getNodeParameter('start', itemIndex, '') || undefined : undefined,
			end:
				period === 'range' ? this.getNodeParameter('end', itemIndex, '') || undefined : undefined,
			...filters,
			pollIntervalSeconds: Number(opts.pollIntervalSeconds ?? 10),
			maxWaitMinutes: Number(opts.maxWaitMinutes ?? 30),
			reportRequestId: opts.reportRequestId,
		}),
		{ itemIndex },
	);
	const orgId = organizationId(this, client, itemIndex);
	let id = input.reportRequestId;
	if (!id) {
		// A duplicated report request only costs Percipio some work (nothing is written), so it may be resent.
		const created = (await client.api.json({
			method: 'POST',
			url: client.url(REPORT_REQUEST_PATH, { orgId }),
			body: reportBody(input),
			idempotent: true,
			itemIndex,
		})) as IDataObject;
		id = typeof created?.id === 'string' ? created.id : undefined;
		if (!id) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: Skillsoft Percipio accepted the report request but returned no report request ID`,
				{ itemIndex },
			);
		}
	}
	const pollUrl = client.url(REPORT_POLL_PATH, { orgId, id });
	const intervalMs = Math.round(input.pollIntervalSeconds * 1000);
	const deadline = Date.now() + input.maxWaitMinutes * 60_000;
	let lastStatus = 'PENDING';
	for (let polls = 1; ; polls++) {
		await sleep(intervalMs);
		if (this.getExecutionCancelSignal?.()?.aborted)
			throw new NodeOperationError(
				this.getNode(),
				'The execution was cancelled while waiting for the report',
				{ itemIndex },
			);
		// Same URL, two shapes: {id, status} while running, the rows (an array) once ready. Never
		// from a cache: a cached IN_PROGRESS would keep the node waiting until its deadline.
		const body = await client.api.json({
			method: 'GET',
			url: pollUrl,
			headers: { 'Cache-Control': 'no-cache', Pragma: 'no-cache' },
			itemIndex,
		});
		if (Array.isArray(body)) return body as IDataObject[];
		const status =
			body && typeof body === 'object' ? String((body as IDataObject).status ?? '') : '';
		if (!RUNNING.has(status)) {
			const said =
				body && typeof body === 'object'
					? String((body as IDataObject).message ?? (body as IDataObject).error ?? '')
					: String(body ?? '');
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: the learning activity report ${id} ended with status ${status || 'unknown'}${said ? `: ${said}` : ''}`,
				{
					itemIndex,
					description:
						'Percipio could not produce the report. Check the filters (period, status, content type) and try again.',
				},
			);
		}
		lastStatus = status;
		if (Date.now() + intervalMs > deadline) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: the learning activity report ${id} was not ready after ${input.maxWaitMinutes} min (${polls} checks, last status ${lastStatus})`,
				{
					itemIndex,
					description: `Raise "Max Wait", or run again later with "Existing Report Request ID" set to ${id} to collect this report without requesting a new one.`,
				},
			);
		}
	}
}
