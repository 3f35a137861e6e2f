import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { readRequestSettings } from '../../shared/descriptions';
import { listItem, transportContextOf } from '../../shared/resourceLocator';
import { createScormCloudClient } from '../transport/client';
import { scormCloudProfile } from '../transport/profile';

/**
 * One page of a SCORM Cloud list. The first request carries the search (`filter` + `filterBy`,
 * SCORM Cloud matches "contains" server-side); the next pages send only the `more` token SCORM
 * Cloud returned, as its API requires.
 */
async function listPage(
	ctx: ILoadOptionsFunctions,
	path: '/courses' | '/registrations',
	qs: IDataObject,
	more: string | undefined,
): Promise<{ records: IDataObject[]; more?: string }> {
	const context = transportContextOf(ctx);
	const client = await createScormCloudClient(
		context,
		readRequestSettings(context, scormCloudProfile.rateLimit),
	);
	const body = (await client.api.json({
		method: 'GET',
		url: client.url(path),
		qs: more ? { more } : qs,
	})) as IDataObject;
	const key = path === '/courses' ? 'courses' : 'registrations';
	const records = Array.isArray(body?.[key]) ? (body[key] as IDataObject[]) : [];
	return { records, more: typeof body?.more === 'string' && body.more ? body.more : undefined };
}

/** Courses by title (server-side "contains"), newest first. */
export async function searchCourses(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	const qs: IDataObject = {
		orderBy: 'title_asc',
		...(text ? { filter: text, filterBy: 'title' } : {}),
	};
	const { records, more } = await listPage(this, '/courses', qs, paginationToken);
	return { results: records.map((c) => listItem(c.title, c.id)), paginationToken: more };
}

/**
 * Registrations. Search text with "@" matches the learner's email, other text the registration ID
 * (both server-side "contains"); SCORM Cloud filters on one field per request.
 */
export async function searchRegistrations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	const qs: IDataObject = text
		? { filter: text, filterBy: text.includes('@') ? 'learner_email' : 'registration_id' }
		: {};
	const { records, more } = await listPage(this, '/registrations', qs, paginationToken);
	return {
		results: records.map((r) => {
			const learner = (r.learner ?? {}) as IDataObject;
			const who =
				[learner.firstName, learner.lastName].filter(Boolean).join(' ') ||
				learner.email ||
				learner.id;
			const course =
				((r.course ?? {}) as IDataObject).title ?? ((r.course ?? {}) as IDataObject).id;
			return listItem([who, course].filter(Boolean).join(' · '), r.id);
		}),
		paginationToken: more,
	};
}

export const listSearch = { searchCourses, searchRegistrations };
