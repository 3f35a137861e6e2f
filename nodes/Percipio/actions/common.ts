import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { inputError } from '../../shared/errors';
import { pathProblem } from '../../shared/urls';
import type { PercipioClient } from '../transport/client';
import { isUuid } from '../transport/config';

/** Option: run against another organization than the credential's. */
export const organizationOption: INodeProperties = {
	displayName: 'Organization ID',
	name: 'organizationId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
	description: 'Organization UUID for this operation. Empty uses the one in the credential.',
};

/** The Options collection of the user operations: only the organization can be overridden. */
export const organizationOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [organizationOption],
};

/** Option: another iX Studio partner name than the credential's. */
export const partnerOption: INodeProperties = {
	displayName: 'Partner Name',
	name: 'partnerName',
	type: 'string',
	default: '',
	description: 'The iX Studio partner name used in the path. Empty uses the one in the credential.',
};

/** Option: the path template of a route Skillsoft has not fully documented (README → Unconfirmed). */
export function pathOption(
	name: string,
	displayName: string,
	defaultPath: string,
	extra = '',
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: defaultPath,
		description: `Path on the API host. {partnerName} and {orgId} are filled in (URL-encoded). Change it only if Skillsoft gave you a different path.${extra}`,
	};
}

const str = (v: unknown) =>
	typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v).trim();

export function options(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
}

/** The organization for this item: the option, else the credential's; always a UUID. */
export function organizationId(
	ctx: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
): string {
	const value = str(options(ctx, itemIndex).organizationId) || client.config.organizationId;
	if (!isUuid(value))
		throw inputError(
			ctx.getNode(),
			`Invalid "organizationId": must be a UUID (got "${value.slice(0, 60)}")`,
			{ itemIndex, description: 'Nothing was sent for this item.' },
		);
	return value;
}

/** The partner name for this item: the option, else the credential's; required by iX Studio routes. */
export function partnerName(
	ctx: IExecuteFunctions,
	client: PercipioClient,
	itemIndex: number,
): string {
	const value = str(options(ctx, itemIndex).partnerName) || client.config.partnerName;
	if (!value) {
		throw inputError(ctx.getNode(), 'The iX Studio "Partner Name" is empty', {
			itemIndex,
			description:
				'Set "Partner Name" in the Percipio credential (Skillsoft gives it at onboarding), or in this operation\'s options. Nothing was sent.',
		});
	}
	return value;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** Checks a path template from an option: starts with "/", no query, only known placeholders. */
export function pathTemplate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	fallback: string,
	allowed: string[],
): string {
	const value = str(options(ctx, itemIndex)[name]) || fallback;
	const bad = (why: string) =>
		inputError(ctx.getNode(), `Invalid "${name}" path "${value}": ${why}`, {
			itemIndex,
			description: `Use a path such as ${fallback}. Nothing was sent.`,
		});
	if (!value.startsWith('/')) throw bad('it must start with "/"');
	if (/\s/.test(value)) throw bad('it must not contain spaces');
	const problem = pathProblem(value);
	if (problem) throw bad(`it ${problem}`);
	for (const [, p] of value.matchAll(PLACEHOLDER))
		if (!allowed.includes(p))
			throw bad(`unknown placeholder {${p}} (allowed: ${allowed.map((a) => `{${a}}`).join(', ')})`);
	return value;
}

/** A number from a parameter that may arrive as text from an expression; '' and null = absent. */
export const optionalNumber = z.preprocess(
	(v) =>
		v === '' || v === null || v === undefined
			? undefined
			: typeof v === 'string'
				? Number(v.trim())
				: v,
	z.number({ invalid_type_error: 'must be a number' }).finite().optional(),
);

export const requiredText = (what = 'must not be empty') =>
	z.preprocess(
		(v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v),
		z.string({ required_error: what, invalid_type_error: 'must be text' }).min(1, what),
	);

export const optionalText = z.preprocess(
	(v) =>
		v === null || v === undefined
			? undefined
			: typeof v === 'number'
				? String(v)
				: typeof v === 'string'
					? v.trim() || undefined
					: v,
	z.string({ invalid_type_error: 'must be text' }).optional(),
);

export const isoDate = (what: string) =>
	z.preprocess(
		(v) =>
			v instanceof Date
				? v.toISOString()
				: typeof v === 'object' && v && 'toISO' in v
					? String((v as { toISO: () => string }).toISO())
					: typeof v === 'string'
						? v.trim()
						: v,
		z
			.string({
				required_error: `is required (${what})`,
				invalid_type_error: 'must be a date-time',
			})
			.min(1, `is required (${what})`)
			.refine(
				(s) => !Number.isNaN(Date.parse(s)),
				'must be an ISO 8601 date-time such as 2026-02-24T12:00:00Z',
			),
	);

/** Drops undefined values (they would otherwise be sent as nulls or empty strings). */
export function compact<T extends Record<string, unknown>>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Extra JSON fields from a "JSON" parameter: an object or its text; named in errors. */
export const extraJson = z.preprocess(
	(v) => {
		if (v === undefined || v === null || v === '') return undefined;
		if (typeof v === 'string') {
			try {
				return JSON.parse(v) as unknown;
			} catch {
				return Symbol.for('invalid-json');
			}
		}
		return v;
	},
	z.record(z.unknown(), { invalid_type_error: 'must be a JSON object' }).optional(),
);
