import type { IDataObject } from 'n8n-workflow';

import { moreTokenPaging, paginate } from '../../shared/pagination';
import type { PollEvent } from '../../shared/pollTrigger';
import { timeOf } from '../../shared/pollTrigger';
import type { ScormCloudClient } from '../transport/client';

/**
 * Registrations whose `updated` falls in the window, oldest first (`datetimeFilter=updated`,
 * `orderBy=updated_asc`); follow-up pages send only `more`, as SCORM Cloud requires.
 */
async function* updatedRegistrations(
	api: ScormCloudClient,
	window: { since: number; until: number },
): AsyncGenerator<IDataObject[]> {
	const paging = moreTokenPaging<IDataObject>({
		items: (body) => ((body as IDataObject)?.registrations as IDataObject[]) ?? [],
		token: (body) => ((body as IDataObject)?.more as string) || undefined,
	});
	const first = {
		method: 'GET' as const,
		url: api.url('/registrations'),
		qs: {
			since: new Date(window.since).toISOString(),
			until: new Date(window.until).toISOString(),
			datetimeFilter: 'updated',
			orderBy: 'updated_asc',
		},
	};
	yield* paginate(async (request) => await api.api.request(request), first, paging.read);
}

const isCompleted = (r: IDataObject) =>
	String(r.registrationCompletion ?? '').toUpperCase() === 'COMPLETED';

export const scormCloudPollEvents: Array<PollEvent<ScormCloudClient>> = [
	{
		name: 'Registration Completed',
		value: 'registrationCompleted',
		description:
			'A registration reaches COMPLETED (emitted again only if it is completed again, e.g. after a reset)',
		fetch: updatedRegistrations,
		id: (r) => (r.id === undefined ? undefined : String(r.id)),
		// the completion time, not `updated`: later progress on a completed registration is no new completion
		at: (r) => timeOf(r.completedDate) ?? timeOf(r.updated),
		keep: isCompleted,
	},
	{
		name: 'Registration Updated',
		value: 'registrationUpdated',
		description: 'A registration is created or has new progress (its updated date changes)',
		fetch: updatedRegistrations,
		id: (r) => (r.id === undefined ? undefined : String(r.id)),
		at: (r) => timeOf(r.updated),
		ascending: true,
	},
];
