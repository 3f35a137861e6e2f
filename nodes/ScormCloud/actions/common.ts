import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { collect, moreTokenPaging, paginate } from '../../shared/pagination';
import type { ScormCloudClient } from '../transport/client';

/** A required ID that also goes into a URL path (buildPath encodes it; here it must not be blank). */
export const idSchema = (what: string) =>
	z
		.string({ required_error: `${what} is required`, invalid_type_error: `${what} must be text` })
		.trim()
		.min(1, `${what} must not be empty`)
		.max(255, `${what} must be at most 255 characters`);

/** Comma-separated text → list of trimmed, non-empty values. */
export function splitList(value: unknown): string[] {
	if (Array.isArray(value))
		return value
			.map(String)
			.map((s) => s.trim())
			.filter(Boolean);
	return typeof value === 'string'
		? value
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean)
		: [];
}

/** An n8n date-time (or any parseable date) as ISO 8601, undefined when empty. */
export const optionalDate = (field: string) =>
	z.union([z.string(), z.date(), z.undefined(), z.null()]).transform((v, ctx) => {
		if (v === undefined || v === null || v === '') return undefined;
		const d = v instanceof Date ? v : new Date(v);
		if (Number.isNaN(d.getTime())) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${field} is not a valid date-time` });
			return z.NEVER;
		}
		return d.toISOString();
	});

/** Drops undefined, null and '' values (optional query parameters that were not set). */
export function compact(values: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
	);
}

/**
 * A filtered SCORM Cloud list (`/courses`, `/registrations`): filters and tags go on the first
 * request only, later pages send just `more` (SCORM Cloud remembers the filters).
 */
export async function filteredList(
	client: ScormCloudClient,
	path: string,
	listKey: string,
	input: { returnAll: boolean; limit?: number; filters: IDataObject & { tags?: string } },
	itemIndex: number,
): Promise<IDataObject[]> {
	const { tags, ...filters } = input.filters;
	const tagList = splitList(tags);
	const paging = moreTokenPaging<IDataObject>({
		items: (body) => ((body as IDataObject)?.[listKey] as IDataObject[]) ?? [],
		token: (body) => ((body as IDataObject)?.more as string) || undefined,
	});
	const first = {
		method: 'GET' as const,
		url: client.url(path),
		qs: compact({ ...filters, tags: tagList.length ? tagList.join(',') : undefined }),
		itemIndex,
	};
	return await collect(
		paginate(async (request) => await client.api.request(request), first, paging.read),
		{ returnAll: input.returnAll, limit: input.limit },
	);
}
