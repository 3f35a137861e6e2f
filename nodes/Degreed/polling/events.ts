import type { IDataObject } from 'n8n-workflow';

import type { PollEvent } from '../../shared/pollTrigger';
import { timeOf } from '../../shared/pollTrigger';
import { apiUrl } from '../actions/common';
import { DEFAULT_STATEMENTS_PATH, xapiHeaders } from '../actions/xapiStatement/shared';
import type { DegreedClient } from '../transport/client';
import { listItems, nextLink } from '../transport/jsonapi';
import { MAX_PAGE_SIZE, recordPages } from '../transport/paging';
import { joinUrl } from '../../shared/urls';

const statementsOf = (body: unknown): IDataObject[] => {
	const list = (body as { statements?: unknown })?.statements;
	return Array.isArray(list) ? (list as IDataObject[]) : [];
};
const moreOf = (body: unknown): string | undefined => {
	const more = (body as { more?: unknown })?.more;
	return typeof more === 'string' && more.trim() ? more : undefined;
};
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const idOf = (r: IDataObject) => (r.id === undefined || r.id === null ? undefined : String(r.id));

export const degreedPollEvents: Array<PollEvent<DegreedClient>> = [
	{
		name: 'New xAPI Statement',
		value: 'xapiStatement',
		description: "A statement is stored in Degreed's LRS (by its stored time, oldest first)",
		fetch: (client, window, node) =>
			recordPages(
				client.api,
				{
					method: 'GET',
					url: joinUrl(client.hosts.apiBaseUrl, DEFAULT_STATEMENTS_PATH),
					qs: {
						since: new Date(window.since).toISOString(),
						until: new Date(window.until).toISOString(),
						ascending: true,
						limit: MAX_PAGE_SIZE,
					},
					headers: xapiHeaders,
				},
				{ items: statementsOf, next: moreOf, apiBaseUrl: client.hosts.apiBaseUrl, node },
			),
		id: idOf,
		at: (r) => timeOf(r.stored) ?? timeOf(r.timestamp),
		ascending: true,
	},
	{
		name: 'New Completion',
		value: 'completion',
		description:
			'A completion is recorded (Degreed filters completions by day: each poll reads whole days and keeps the new ones)',
		fetch: (client, window, node) =>
			recordPages(
				client.api,
				{
					method: 'GET',
					url: apiUrl(client, '/api/v2/completions'),
					qs: {
						limit: MAX_PAGE_SIZE,
						'filter[start_date]': day(window.since),
						'filter[end_date]': day(window.until),
					},
				},
				{ items: listItems, next: nextLink, apiBaseUrl: client.hosts.apiBaseUrl, node },
			),
		id: idOf,
		at: (r) => timeOf(r.completedAt),
	},
];
