import type { IDataObject } from 'n8n-workflow';

/**
 * A key conversion remembered: every record of a run carries the same few attribute names, and the
 * regular expressions cost more than the rest of the mapping (bench/FINDINGS.md §8). Bounded, since
 * the names come from the provider's answers.
 */
function remembered(convert: (key: string) => string): (key: string) => string {
	const known = new Map<string, string>();
	return (key) => {
		let out = known.get(key);
		if (out === undefined) {
			out = convert(key);
			if (known.size < 2000) known.set(key, out);
		}
		return out;
	};
}

/** `learningMinutes` → `learning-minutes` (Degreed's attribute names are kebab-case). */
export const kebab = remembered((key: string) =>
	key
		.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
		.replace(/_/g, '-')
		.toLowerCase(),
);

/** `learning-minutes` → `learningMinutes`. */
export const camel = remembered((key: string) =>
	key.replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()),
);

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/** Plain fields (camelCase or kebab-case keys) → JSON:API attributes; empty values are left out. */
export function toAttributes(fields: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const key in fields) {
		if (!Object.hasOwn(fields, key)) continue;
		const value = fields[key];
		if (isEmpty(value)) continue;
		out[kebab(key)] = value;
	}
	return out;
}

export interface JsonApiResource {
	id?: string;
	type?: string;
	attributes?: IDataObject;
	relationships?: Record<
		string,
		{ data?: { id?: string; type?: string } | Array<{ id?: string; type?: string }> | null }
	>;
	links?: IDataObject;
}

/**
 * One JSON:API resource → one plain item: `id`, `type`, the attributes in camelCase, and each
 * relationship as `<name>Id` (or `<name>Ids`), so users never unwrap `data.attributes`.
 */
export function toItem(resource: JsonApiResource): IDataObject {
	const item: IDataObject = {};
	if (resource.id !== undefined) item.id = resource.id;
	if (resource.type !== undefined) item.type = resource.type;
	const attributes = resource.attributes;
	if (attributes) for (const key of Object.keys(attributes)) item[camel(key)] = attributes[key];
	for (const [name, rel] of Object.entries(resource.relationships ?? {})) {
		const data = rel?.data;
		if (Array.isArray(data))
			item[`${camel(name)}Ids`] = data
				.map((d) => d?.id)
				.filter((id) => id !== undefined) as string[];
		else if (data && data.id !== undefined && item[`${camel(name)}Id`] === undefined)
			item[`${camel(name)}Id`] = data.id;
	}
	return item;
}

/** The records of a JSON:API list body. */
export function listItems(body: unknown): IDataObject[] {
	const data = (body as { data?: unknown })?.data;
	return Array.isArray(data) ? (data as JsonApiResource[]).map(toItem) : [];
}

/** The record of a JSON:API single-resource body (or an empty object for 204s). */
export function singleItem(body: unknown): IDataObject {
	const data = (body as { data?: unknown })?.data;
	if (Array.isArray(data)) return data.length ? toItem(data[0] as JsonApiResource) : {};
	return data && typeof data === 'object' ? toItem(data as JsonApiResource) : {};
}

/** `links.next` of a JSON:API list (a full URL carrying the cursor), or undefined at the end. */
export function nextLink(body: unknown): string | undefined {
	const next = (body as { links?: { next?: unknown } })?.links?.next;
	return typeof next === 'string' && next.trim() ? next : undefined;
}

/** A copy of `object` without `keys`. */
export function omit<T extends IDataObject>(object: T, ...keys: string[]): IDataObject {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(object)) if (!keys.includes(k)) out[k] = v;
	return out;
}

/** Parses "Additional Attributes (JSON)": an object, given as text or as an object. */
export function parseJsonObject(value: unknown): IDataObject {
	if (isEmpty(value)) return {};
	if (typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
	const parsed = JSON.parse(String(value)) as unknown;
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		throw new Error('must be a JSON object');
	return parsed as IDataObject;
}
