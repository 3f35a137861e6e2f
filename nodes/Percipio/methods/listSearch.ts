import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { readRequestSettings } from '../../shared/descriptions';
import { listItem, matchesFilter, transportContextOf } from '../../shared/resourceLocator';
import { createPercipioClient } from '../transport/client';
import { percipioProfile } from '../transport/profile';

/** Users per page asked of Percipio for the editor's list. */
export const PAGE_SIZE = 100;

/**
 * Users of the credential's organization, paged with Percipio's offset/max (the token is the next
 * offset). Percipio's user list has no text search, so the typed text is matched on each page
 * (name, login name, email, external ID); a page may show fewer entries than it fetched.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const context = transportContextOf(this);
	const client = await createPercipioClient(
		context,
		readRequestSettings(context, percipioProfile.rateLimit),
	);
	const offset = Math.max(0, Number(paginationToken ?? 0) || 0);
	const url = client.url('/user-management/v1/organizations/{orgId}/users', {
		orgId: client.config.organizationId,
	});
	const body = await client.api.json({ method: 'GET', url, qs: { offset, max: PAGE_SIZE } });
	const users = Array.isArray(body) ? (body as IDataObject[]) : [];
	const shown = users.filter((u) =>
		matchesFilter(u, filter, ['firstName', 'lastName', 'loginName', 'email', 'externalUserId']),
	);
	return {
		results: shown.map((u) =>
			listItem(
				`${[u.firstName, u.lastName].filter(Boolean).join(' ')} <${String(u.email ?? u.loginName ?? '')}>`,
				u.id,
			),
		),
		paginationToken: users.length === PAGE_SIZE ? String(offset + PAGE_SIZE) : undefined,
	};
}

export const listSearch = { searchUsers };
