import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { readRequestSettings } from '../../shared/descriptions';
import { listItem, transportContextOf } from '../../shared/resourceLocator';
import { createMoodleClient } from '../transport/client';
import type { MoodleClient } from '../transport/client';
import { moodleProfile } from '../transport/profile';

/** Entries per list page in the editor. */
export const PAGE_SIZE = 50;

/** The site's address, from the REST endpoint the client calls. */
const siteOf = (client: MoodleClient) =>
	client.endpoint.replace(/\/webservice\/rest\/server\.php$/, '');

async function clientOf(ctx: ILoadOptionsFunctions): Promise<MoodleClient> {
	const context = transportContextOf(ctx);
	return await createMoodleClient(context, readRequestSettings(context, moodleProfile.rateLimit));
}

/** Offset tokens for functions that answer everything at once: the editor still gets pages. */
function pageOf(
	records: IDataObject[],
	token: string | undefined,
): { page: IDataObject[]; next?: string } {
	const from = Math.max(0, Number(token ?? 0) || 0);
	const page = records.slice(from, from + PAGE_SIZE);
	return { page, next: from + PAGE_SIZE < records.length ? String(from + PAGE_SIZE) : undefined };
}

/**
 * Courses. With search text: `core_course_search_courses` (Moodle searches names server-side and
 * pages with page/perpage). Without: `core_course_get_courses` (no paging in Moodle; paged here),
 * the front-page "course" left out.
 */
export async function searchCourses(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await clientOf(this);
	const site = siteOf(client);
	const toItem = (c: IDataObject) =>
		listItem(c.fullname ?? c.shortname, c.id, `${site}/course/view.php?id=${String(c.id)}`);
	const text = (filter ?? '').trim();
	if (text) {
		const page = Math.max(0, Number(paginationToken ?? 0) || 0);
		const body = await client.call<IDataObject>('core_course_search_courses', {
			criterianame: 'search',
			criteriavalue: text,
			page,
			perpage: PAGE_SIZE,
		});
		const courses = Array.isArray(body?.courses) ? (body.courses as IDataObject[]) : [];
		const more = (page + 1) * PAGE_SIZE < Number(body?.total ?? 0);
		return { results: courses.map(toItem), paginationToken: more ? String(page + 1) : undefined };
	}
	const all = await client.call<IDataObject[]>('core_course_get_courses', {});
	const { page, next } = pageOf(
		(Array.isArray(all) ? all : []).filter((c) => c.format !== 'site'),
		paginationToken,
	);
	return { results: page.map(toItem), paginationToken: next };
}

/**
 * Users, through `core_user_get_users`: the search text matches the email address server-side
 * (Moodle's `%` wildcard); Moodle has no paging for it, so the answer is paged here.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await clientOf(this);
	const site = siteOf(client);
	const text = (filter ?? '').trim().replace(/%/g, '');
	const body = await client.call<IDataObject>('core_user_get_users', {
		criteria: [{ key: 'email', value: text ? `%${text}%` : '%' }],
	});
	const users = Array.isArray(body?.users) ? (body.users as IDataObject[]) : [];
	const { page, next } = pageOf(users, paginationToken);
	return {
		results: page.map((u) =>
			listItem(
				`${String(u.fullname ?? `${String(u.firstname ?? '')} ${String(u.lastname ?? '')}`).trim()} <${String(u.email ?? '')}>`,
				u.id,
				`${site}/user/profile.php?id=${String(u.id)}`,
			),
		),
		paginationToken: next,
	};
}

export const listSearch = { searchCourses, searchUsers };
