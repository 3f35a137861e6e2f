import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { readRequestSettings } from '../../shared/descriptions';
import { listItem, matchesFilter, transportContextOf } from '../../shared/resourceLocator';
import { apiUrl } from '../actions/common';
import { createDegreedClient } from '../transport/client';
import { listItems, nextLink } from '../transport/jsonapi';
import { absoluteLink } from '../transport/paging';
import { degreedProfile } from '../transport/profile';

/** Records per page asked of Degreed for the editor's list. */
export const PAGE_SIZE = 50;

/**
 * One page of a Degreed list: the first page at `path` with `qs`, the next ones at the
 * `links.next` cursor URL Degreed returned (the paginationToken). Degreed's cursors expire after
 * two idle minutes; an expired one is reported by Degreed ("request the first page again"), and
 * the editor's list restarts when the user types or reopens it.
 */
async function page(
	ctx: ILoadOptionsFunctions,
	path: string,
	qs: IDataObject,
	token: string | undefined,
): Promise<{ records: IDataObject[]; next?: string }> {
	const context = transportContextOf(ctx);
	const client = await createDegreedClient(
		context,
		readRequestSettings(context, degreedProfile.rateLimit),
	);
	const url = token ? absoluteLink(token, client.hosts.apiBaseUrl) : apiUrl(client, path);
	// A token is a URL: only ever follow one on this credential's API host.
	if (token && new URL(url).origin !== new URL(client.hosts.apiBaseUrl).origin)
		return { records: [] };
	const body = await client.api.json({
		method: 'GET',
		url,
		qs: token ? undefined : { limit: PAGE_SIZE, ...qs },
	});
	return { records: listItems(body), next: nextLink(body) };
}

const personName = (u: IDataObject) => [u.firstName, u.lastName].filter(Boolean).join(' ');

async function users(
	ctx: ILoadOptionsFunctions,
	filter: string | undefined,
	token: string | undefined,
	value: (u: IDataObject) => unknown,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	// Degreed filters users by exact attribute: a full email is searched server-side; other text
	// is matched on this page only (name, email, employee ID).
	const exactEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
	const { records, next } = await page(
		ctx,
		'/api/v2/users',
		exactEmail ? { 'filter[email]': text } : {},
		token,
	);
	const shown = exactEmail
		? records
		: records.filter((u) =>
				matchesFilter(u, text, ['firstName', 'lastName', 'email', 'employeeId', 'userName']),
			);
	return {
		results: shown.map(
			(u): INodeListSearchItems =>
				listItem(`${personName(u)} <${String(u.email ?? '')}>`, value(u)),
		),
		paginationToken: next,
	};
}

/** Users; the value is the Degreed user ID. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await users(this, filter, paginationToken, (u) => u.id);
}

/** Users; the value is the email (completions identify their learner by email by default). */
export async function searchUserEmails(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const result = await users(this, filter, paginationToken, (u) => u.email);
	return { ...result, results: result.results.filter((r) => r.value !== '') };
}

async function content(
	ctx: ILoadOptionsFunctions,
	filter: string | undefined,
	token: string | undefined,
	value: (c: IDataObject) => unknown,
): Promise<INodeListSearchResult> {
	// Degreed's content list has no title search: the text is matched on each page (title, external ID).
	const { records, next } = await page(ctx, '/api/v2/content', {}, token);
	const shown = records.filter((c) => matchesFilter(c, filter, ['title', 'externalId', 'id']));
	return {
		results: shown
			.map((c) =>
				listItem(
					`${String(c.title ?? '')}${c.contentType ? ` [${String(c.contentType)}]` : ''}`,
					value(c),
					typeof c.url === 'string' ? c.url : undefined,
				),
			)
			.filter((r) => r.value !== ''),
		paginationToken: next,
	};
}

/** Content; the value is the Degreed content ID. */
export async function searchContent(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await content(this, filter, paginationToken, (c) => c.id);
}

/** Content; the value is its external ID (how completions identify content by default). */
export async function searchContentExternalIds(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await content(this, filter, paginationToken, (c) => c.externalId);
}

/** Completions (newest pages first as Degreed lists them); the text is matched on each page. */
export async function searchCompletions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { records, next } = await page(this, '/api/v2/completions', {}, paginationToken);
	const shown = records.filter((k) =>
		matchesFilter(k, filter, ['email', 'externalId', 'contentId', 'userId', 'id']),
	);
	return {
		results: shown.map((k) =>
			listItem(
				`${String(k.email ?? k.userId ?? '')} · ${String(k.externalId ?? k.contentId ?? '')} · ${String(k.completedAt ?? '').slice(0, 10)}`,
				k.id,
			),
		),
		paginationToken: next,
	};
}

export const listSearch = {
	searchUsers,
	searchUserEmails,
	searchContent,
	searchContentExternalIds,
	searchCompletions,
};
