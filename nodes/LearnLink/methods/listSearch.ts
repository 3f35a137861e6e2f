import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { readRequestSettings } from '../../shared/descriptions';
import { listItem, matchesFilter, transportContextOf } from '../../shared/resourceLocator';
import { joinUrl } from '../../shared/urls';
import { createLearnLinkClient } from '../transport/client';
import { learnLinkProfile } from '../transport/profile';

/** Records per page asked of Thrive for the editor's list. */
export const PAGE_SIZE = 100;

/**
 * One page of a Thrive list (`page`/`perPage`; the token is the next page number, given while
 * `pagination.totalPages` says there is one). Thrive's list endpoints have no text search, so
 * the typed text is matched on each page: a page may show fewer entries than it fetched.
 */
async function page(
	ctx: ILoadOptionsFunctions,
	path: string,
	token: string | undefined,
): Promise<{ records: IDataObject[]; next?: string }> {
	const context = transportContextOf(ctx);
	const client = await createLearnLinkClient(
		context,
		readRequestSettings(context, learnLinkProfile.rateLimit),
	);
	const pageNumber = Math.max(1, Number(token ?? 1) || 1);
	const body = (await client.api.json({
		method: 'GET',
		url: joinUrl(client.v1, path),
		qs: { page: pageNumber, perPage: PAGE_SIZE },
	})) as IDataObject;
	const records = Array.isArray(body?.results)
		? (body.results as IDataObject[])
		: Array.isArray(body)
			? (body as unknown as IDataObject[])
			: [];
	const totalPages = Number((body?.pagination as IDataObject | undefined)?.totalPages ?? 0);
	const more = totalPages ? pageNumber < totalPages : records.length === PAGE_SIZE;
	return { records, next: more ? String(pageNumber + 1) : undefined };
}

const userLabel = (u: IDataObject) =>
	`${[u.firstName, u.lastName].filter(Boolean).join(' ')}${u.email ? ` <${String(u.email)}>` : ''}`;

async function users(
	ctx: ILoadOptionsFunctions,
	filter: string | undefined,
	token: string | undefined,
	key: 'id' | 'ref',
): Promise<INodeListSearchResult> {
	const { records, next } = await page(ctx, '/users', token);
	const shown = records.filter((u) =>
		matchesFilter(u, filter, ['firstName', 'lastName', 'email', 'ref', 'id']),
	);
	return {
		results: shown.map((u) => listItem(userLabel(u), u[key])).filter((r) => r.value !== ''),
		paginationToken: next,
	};
}

/** Users; the value is Thrive's user ID. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await users(this, filter, paginationToken, 'id');
}

/** Users; the value is the user's reference (your own user ID), which updates address. */
export async function searchUserRefs(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await users(this, filter, paginationToken, 'ref');
}

/** Content; the value is Thrive's content ID. */
export async function searchContent(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { records, next } = await page(this, '/contents', paginationToken);
	const shown = records.filter((c) => matchesFilter(c, filter, ['title', 'type', 'id']));
	return {
		results: shown.map((c) =>
			listItem(`${String(c.title ?? '')}${c.type ? ` [${String(c.type)}]` : ''}`, c.id),
		),
		paginationToken: next,
	};
}

/** Audiences; the value is Thrive's audience ID. */
export async function searchAudiences(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { records, next } = await page(this, '/audiences', paginationToken);
	const shown = records.filter((a) => matchesFilter(a, filter, ['name', 'ref', 'id']));
	return {
		results: shown.map((a) =>
			listItem(
				`${String(a.name ?? '')}${a.apiControlled === true ? ' (API-controlled)' : ''}`,
				a.id,
			),
		),
		paginationToken: next,
	};
}

export const listSearch = { searchUsers, searchUserRefs, searchContent, searchAudiences };
