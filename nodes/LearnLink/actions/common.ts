import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiClient } from '../../shared/apiClient';
import { collect, pageNumberPaging } from '../../shared/pagination';
import { paginateParallel, pagingWidth } from '../../shared/parallelPaging';
import type { RequestSpec } from '../../shared/types';
import { isValidDate } from '../../shared/validation';

/** Thrive's largest page (perPage 1–1000). */
export const MAX_PER_PAGE = 1000;

/** Records of a list response: `{results: [...]}` (documented) or a bare array (some endpoints). */
export function resultsOf(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (body && typeof body === 'object') {
		const b = body as IDataObject;
		for (const key of ['results', 'data', 'items'])
			if (Array.isArray(b[key])) return b[key] as IDataObject[];
	}
	return [];
}

/** `totalPages` when the response says it (top level or under `pagination`). */
export function totalPagesOf(body: unknown): number | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const b = body as IDataObject;
	const paging = (
		b.pagination && typeof b.pagination === 'object' ? b.pagination : b
	) as IDataObject;
	const n = Number(paging.totalPages);
	return Number.isFinite(n) &&
		n >= 0 &&
		paging.totalPages !== undefined &&
		paging.totalPages !== null
		? n
		: undefined;
}

/** Reads "Return All"/"Limit" of one item. */
export function listLimits(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { returnAll: boolean; limit: number } {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Infinity
		: Math.max(1, Number(ctx.getNodeParameter('limit', itemIndex, 50)));
	return { returnAll, limit };
}

/**
 * Walks a page/perPage list to the end (or to the limit): one n8n item per record. The page size is
 * the limit when that is smaller than Thrive's maximum, so a small limit is a single small request.
 */
export async function listAll(
	client: ApiClient,
	request: RequestSpec,
	limits: { returnAll: boolean; limit: number },
	concurrency = 1,
): Promise<IDataObject[]> {
	const pageSize = limits.returnAll
		? MAX_PER_PAGE
		: Math.min(MAX_PER_PAGE, Math.max(1, limits.limit));
	const strategy = pageNumberPaging<IDataObject>({
		pageSize,
		items: resultsOf,
		totalPages: totalPagesOf,
	});
	return await collect(
		// Hook: pages in parallel when the response gives totalPages (concurrency from Request Options).
		paginateParallel(
			(spec) => client.request(spec),
			strategy.first(request),
			strategy,
			pagingWidth(concurrency, limits.returnAll),
		),
		{ returnAll: limits.returnAll, limit: limits.limit },
	);
}

/** Drops empty strings/undefined so only what the user filled in is sent. */
export function compact(values: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(values)) {
		if (v === undefined || v === null || v === '') continue;
		if (Array.isArray(v) && v.length === 0) continue;
		out[k] = v;
	}
	return out;
}

/** Splits "a, b\nc" or an array into trimmed, non-empty strings. */
export function listOf(value: unknown): string[] {
	const raw = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[\n,]+/)
			: value === undefined || value === null
				? []
				: [value];
	return raw.map((v) => String(v).trim()).filter(Boolean);
}

/** A JSON-object parameter given as text or as an object. */
export function jsonObject(value: unknown): unknown {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string') {
		try {
			return JSON.parse(value);
		} catch {
			return value; // left for validation to reject with the field's name
		}
	}
	return value;
}

/** `YYYY-MM-DD hh:mm:ss` (UTC), the form Thrive's activity filters take, from any date input. */
export function activityTimestamp(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (!isValidDate(text)) return text; // validation reports it
	if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return text;
	const date = new Date(text);
	return date.toISOString().slice(0, 19).replace('T', ' ');
}
