import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { offsetPaging, paginate } from '../../shared/pagination';
import type { PollEvent } from '../../shared/pollTrigger';
import { timeOf } from '../../shared/pollTrigger';
import { CATALOG_PATH } from '../actions/catalogContent/getAll.operation';
import {
	REPORT_POLL_PATH,
	REPORT_REQUEST_PATH,
} from '../actions/report/learningActivity.operation';
import { USERS_PATH } from '../actions/user/fields';
import type { PercipioClient } from '../transport/client';

/** How long a poll waits for the learning-activity report: past it, the poll fails and the window is read again next time. */
export const REPORT_MAX_WAIT_MS = 4 * 60_000;
const RUNNING = new Set(['PENDING', 'IN_PROGRESS']);

/**
 * The learning-activity report over the window: requested, then checked at growing intervals
 * (0.5 s doubling to 15 s) until its rows come, for at most {@link REPORT_MAX_WAIT_MS}.
 */
async function* reportRows(
	client: PercipioClient,
	window: { since: number; until: number },
	node: INode,
	status?: string,
): AsyncGenerator<IDataObject[]> {
	const orgId = client.config.organizationId;
	const body: IDataObject = {
		start: new Date(window.since).toISOString(),
		end: new Date(window.until).toISOString(),
		formatType: 'JSON',
		...(status ? { status } : {}),
	};
	const created = (await client.api.json({
		method: 'POST',
		url: client.url(REPORT_REQUEST_PATH, { orgId }),
		body,
		idempotent: true,
	})) as IDataObject;
	const id = typeof created?.id === 'string' ? created.id : undefined;
	if (!id)
		throw new NodeOperationError(
			node,
			'Skillsoft Percipio accepted the report request but returned no report request ID',
		);
	const deadline = Date.now() + REPORT_MAX_WAIT_MS;
	for (let wait = 500; ; wait = Math.min(wait * 2, 15_000)) {
		await sleep(wait);
		const answer = await client.api.json({
			method: 'GET',
			url: client.url(REPORT_POLL_PATH, { orgId, id }),
			headers: { 'Cache-Control': 'no-cache', Pragma: 'no-cache' },
		});
		if (Array.isArray(answer)) {
			yield answer as IDataObject[];
			return;
		}
		const state =
			answer && typeof answer === 'object' ? String((answer as IDataObject).status ?? '') : '';
		if (!RUNNING.has(state))
			throw new NodeOperationError(
				node,
				`The learning activity report ${id} ended with status ${state || 'unknown'}`,
				{ description: 'Nothing was emitted; the next poll requests the same window again.' },
			);
		if (Date.now() + wait > deadline) {
			throw new NodeOperationError(
				node,
				`The learning activity report ${id} was not ready after ${REPORT_MAX_WAIT_MS / 60_000} minutes`,
				{
					description:
						'Nothing was emitted; the next poll requests the same window again. Poll less often if Percipio is slow to build reports.',
				},
			);
		}
	}
}

/** Users or catalogue items changed since the window opened (offset/max paging, a paging snapshot for the catalogue). */
function updatedSince(
	client: PercipioClient,
	path: string,
	since: number,
	snapshot: boolean,
): AsyncGenerator<IDataObject[]> {
	const strategy = offsetPaging<IDataObject>({
		pageSize: 1000,
		...(snapshot
			? { snapshotHeader: 'x-paging-request-id', snapshotParam: 'pagingRequestId' }
			: {}),
	});
	const first = strategy.first({
		method: 'GET',
		url: client.url(path, { orgId: client.config.organizationId }),
		qs: { updatedSince: new Date(since).toISOString() },
	});
	return paginate(async (request) => await client.api.request(request), first, strategy.read);
}

/** A report row has no id: the learner, the content and the status name it (its time is the key's other half). */
const rowId = (r: IDataObject) => {
	const user = r.userUuid ?? r.userId;
	const content = r.contentUuid ?? r.contentTitle;
	return user === undefined || user === null || content === undefined || content === null
		? undefined
		: `${String(user)}|${String(content)}|${String(r.status ?? '')}`;
};

export const percipioPollEvents: Array<PollEvent<PercipioClient>> = [
	{
		name: 'New Learning Activity',
		value: 'learningActivity',
		description:
			'A learner accesses, progresses or completes content (learning-activity report rows, by last access)',
		fetch: (client, window, node) => reportRows(client, window, node),
		id: rowId,
		at: (r) => timeOf(r.lastAccess),
	},
	{
		name: 'New Completion',
		value: 'completion',
		description:
			'A learner completes content (learning-activity report rows with status Completed, by completion date)',
		fetch: (client, window, node) => reportRows(client, window, node, 'COMPLETED'),
		id: rowId,
		at: (r) => timeOf(r.completedDate) ?? timeOf(r.lastAccess),
		keep: (r) => String(r.status ?? '').toUpperCase() === 'COMPLETED',
	},
	{
		name: 'User Created or Updated',
		value: 'userUpdated',
		description: 'A user is created or changed (by updatedAt)',
		fetch: (client, window) => updatedSince(client, USERS_PATH, window.since, false),
		id: (r) => (r.id === undefined ? undefined : String(r.id)),
		at: (r) => timeOf(r.updatedAt),
	},
	{
		name: 'Catalogue Content Updated',
		value: 'contentUpdated',
		description: 'A catalogue item is published or changed (by its last updated date)',
		fetch: (client, window) => updatedSince(client, CATALOG_PATH, window.since, true),
		id: (r) => (r.id === undefined ? undefined : String(r.id)),
		at: (r) => timeOf((r.lifecycle as IDataObject | undefined)?.lastUpdatedDate),
	},
];
