import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeProperties,
} from 'n8n-workflow';

/**
 * One record a user picks: n8n's resource locator, opening on "From List" (the UX guidelines'
 * default) with "By ID" beside it and "By URL" where the platform shows the record at an address
 * that carries its ID.
 *
 * Backward compatibility: workflows saved before the locator existed hold a plain string (or a
 * Moodle number) here. n8n's `getNodeParameter(..., { extractValue: true })` returns such a value
 * unchanged (n8n-core `extractValueRLC` only unwraps `{ __rl, mode, value }`), and a non-empty plain
 * value passes n8n's "required" check, so those workflows run as before: the value reads as By ID.
 */
export interface LocatorSpec {
	displayName: string;
	name: string;
	/** the listSearch method of the node's `methods.listSearch` */
	searchListMethod: string;
	description?: string;
	required?: boolean;
	/** the By ID field */
	id: { placeholder: string; regex?: string; error?: string };
	/** By URL: `regex` validates the whole address, `extract` has exactly one group, the ID */
	url?: { placeholder: string; regex: string; extract: string; error?: string };
	/** Typing in the list sends the search to the provider (true) or only to the page shown. */
	searchable?: boolean;
	displayOptions?: INodeProperties['displayOptions'];
}

export function resourceLocator(spec: LocatorSpec): INodeProperties {
	const what = spec.displayName.replace(/ ID$/, '').toLowerCase();
	const idValidation = spec.id.regex
		? [
				{
					type: 'regex',
					properties: { regex: spec.id.regex, errorMessage: spec.id.error ?? 'Not a valid ID' },
				},
			]
		: undefined;
	const url = spec.url;
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: spec.required ?? true,
		description: spec.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${what}...`,
				typeOptions: {
					searchListMethod: spec.searchListMethod,
					searchable: spec.searchable ?? true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: spec.id.placeholder,
				...(idValidation ? { validation: idValidation } : {}),
			},
			...(url
				? [
						{
							displayName: 'By URL',
							name: 'url',
							type: 'string' as const,
							placeholder: url.placeholder,
							validation: [
								{
									type: 'regex',
									properties: {
										regex: url.regex,
										errorMessage: url.error ?? 'Not a valid URL of this record',
									},
								},
							],
							extractValue: { type: 'regex' as const, regex: url.extract },
						},
					]
				: []),
		],
		...(spec.displayOptions ? { displayOptions: spec.displayOptions } : {}),
	};
}

/**
 * The narrow execute context the client factories read (credentials, node, Request Options, the
 * HTTP helper) built over a load-options context, so list search builds its client exactly as the
 * operations do: same limits, token cache, retries and error messages.
 */
export function transportContextOf(ctx: ILoadOptionsFunctions): IExecuteFunctions {
	const view = {
		getNode: () => ctx.getNode(),
		getCredentials: async (type: string) => await ctx.getCredentials(type),
		// Load-options contexts take (name, fallback); the factories ask (name, itemIndex, fallback).
		getNodeParameter: (name: string, _itemIndex?: number, fallback?: unknown) => {
			try {
				return ctx.getNodeParameter(name, fallback as never) ?? fallback;
			} catch {
				return fallback;
			}
		},
		helpers: { httpRequest: ctx.helpers.httpRequest.bind(ctx.helpers) },
		logger: ctx.logger,
	};
	return view as unknown as IExecuteFunctions;
}

/** Case-insensitive "contains" over the given fields: for APIs that cannot search, per page. */
export function matchesFilter(
	record: IDataObject,
	filter: string | undefined,
	fields: string[],
): boolean {
	const needle = (filter ?? '').trim().toLowerCase();
	if (!needle) return true;
	return fields.some((field) =>
		String(record[field] ?? '')
			.toLowerCase()
			.includes(needle),
	);
}

/** A list entry: the name a person recognises, the value the node stores. */
export function listItem(name: unknown, value: unknown, url?: string): INodeListSearchItems {
	const id = String(value ?? '');
	const label = String(name ?? '').trim();
	return {
		name: label && label !== id ? `${label} (${id})` : id,
		value: id,
		...(url ? { url } : {}),
	};
}
