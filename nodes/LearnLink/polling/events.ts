import type { IDataObject } from 'n8n-workflow';

import { pageNumberPaging, paginate } from '../../shared/pagination';
import type { PollEvent } from '../../shared/pollTrigger';
import { timeOf } from '../../shared/pollTrigger';
import type { RequestSpec } from '../../shared/types';
import { joinUrl } from '../../shared/urls';
import { MAX_PER_PAGE, resultsOf, totalPagesOf } from '../actions/common';
import type { LearnLinkClient } from '../transport/client';

/** Every page of a page/perPage list of the public API, at Thrive's largest page size. */
function pages(api: LearnLinkClient, request: RequestSpec): AsyncGenerator<IDataObject[]> {
	const strategy = pageNumberPaging<IDataObject>({
		pageSize: MAX_PER_PAGE,
		items: resultsOf,
		totalPages: totalPagesOf,
	});
	return paginate(
		async (spec) => await api.api.request(spec),
		strategy.first(request),
		strategy.read,
	);
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The activities filter takes 'YYYY-MM-DD hh:mm:ss' (UTC, whole seconds): round the window outwards. */
const activityStamp = (ms: number, up: boolean) =>
	iso(up ? Math.ceil(ms / 1000) * 1000 : Math.floor(ms / 1000) * 1000)
		.slice(0, 19)
		.replace('T', ' ');
const idOf = (r: IDataObject) => (r.id === undefined || r.id === null ? undefined : String(r.id));

export const learnLinkPollEvents: Array<PollEvent<LearnLinkClient>> = [
	{
		name: 'New Completion',
		value: 'completion',
		description: 'A learner completes content (by its completion time)',
		fetch: (api, window) =>
			pages(api, {
				method: 'GET',
				url: joinUrl(api.v1, '/learning/completions'),
				qs: {
					completedDateRangeStart: iso(window.since),
					completedDateRangeEnd: iso(window.until),
				},
			}),
		id: idOf,
		at: (r) => timeOf(r.completedAt) ?? timeOf(r.completedDate),
	},
	{
		name: 'Content Updated',
		value: 'contentUpdated',
		description: 'Content is created or changed (by its updated time)',
		fetch: (api, window) =>
			pages(api, {
				method: 'GET',
				url: joinUrl(api.v1, '/contents'),
				qs: { updatedSince: iso(window.since) },
			}),
		id: idOf,
		at: (r) => timeOf(r.updatedAt),
	},
	{
		name: 'New Activity',
		value: 'activity',
		description: 'A learner activity is recorded (viewed, completed, liked …)',
		fetch: (api, window) =>
			pages(api, {
				method: 'GET',
				url: joinUrl(api.v1, '/activities'),
				qs: {
					timestampFrom: activityStamp(window.since, false),
					timestampTo: activityStamp(window.until, true),
				},
			}),
		id: idOf,
		at: (r) => timeOf(r.timestamp),
	},
];
