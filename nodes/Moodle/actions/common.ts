import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { MoodleClient } from '../transport/client';

/** What every operation's `execute` receives from the router. */
export interface OperationContext {
	client: MoodleClient;
	concurrency: number;
}

export type OperationExecute = (this: IExecuteFunctions, op: OperationContext) => Promise<INodeExecutionData[]>;

/**
 * A Moodle record id: a positive whole number (a numeric string from an expression is fine).
 * Moodle ids are BIGINT; above Number.MAX_SAFE_INTEGER a JavaScript number no longer holds the
 * exact id (1e30 would be sent as another number), so larger values are refused.
 */
export const moodleId = z.coerce
	.number({ invalid_type_error: 'must be a number' })
	.int('must be a whole number (a Moodle ID)')
	.positive('must be a positive Moodle ID')
	.max(Number.MAX_SAFE_INTEGER, `must be a Moodle ID of at most ${Number.MAX_SAFE_INTEGER}`);

/**
 * The "Web Service Function" override for functions whose name or parameters come from general
 * Moodle knowledge rather than a page we could read ([I] in the provider reference).
 */
export function wsfunctionOption(defaultName: string): INodeProperties {
	return {
		displayName: 'Web Service Function',
		name: 'wsfunction',
		type: 'string',
		default: defaultName,
		description: `Name of the Moodle web-service function to call. Change it only if your site exposes this operation under another name (default: ${defaultName}).`,
	};
}

/** A date/time parameter (ISO text, as n8n's date picker gives it) in Unix seconds, Moodle's unit. */
export function unixSeconds(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') return value > 1e11 ? Math.floor(value / 1000) : Math.floor(value);
	const ms = Date.parse(String(value));
	return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** The same in epoch milliseconds (the Percipio plugin's unit). */
export function epochMillis(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
	const ms = Date.parse(String(value));
	return Number.isNaN(ms) ? null : ms;
}

/** Moodle lists come back as arrays; anything else means no records. */
export const asArray = (value: unknown): IDataObject[] => (Array.isArray(value) ? (value as IDataObject[]) : []);

/** The options collection of an operation (empty object when not set). */
export const optionsOf = (ctx: IExecuteFunctions, itemIndex: number, name = 'options'): IDataObject =>
	(ctx.getNodeParameter(name, itemIndex, {}) as IDataObject) ?? {};

export const functionName = (options: IDataObject, fallback: string): string => {
	const name = typeof options.wsfunction === 'string' ? options.wsfunction.trim() : '';
	return name || fallback;
};
