import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { HttpResponse } from '../../../shared/types';
import { buildPath, joinUrl } from '../../../shared/urls';
import { validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { listOf } from '../common';
import { audienceLocator } from '../../methods/locators';

/** Entities per request: Thrive's documented range for add/replace is 1–100. */
const MAX_MEMBERS_PER_REQUEST = 100;

export function memberProperties(operation: string, verb: string): INodeProperties[] {
	return [
		audienceLocator(),
		{
			displayName: 'Users',
			name: 'users',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			placeholder: 'e.g. ada@example.com, emp-1002, 64f0c2…',
			description: `Users to ${verb}, as emails, references or Thrive IDs: comma- or line-separated, or an array expression${operation === 'replaceMembers' ? ` (1–${MAX_MEMBERS_PER_REQUEST}; an empty list is refused because it would empty the audience)` : ' (sent in batches of 100)'}`,
		},
	];
}

/** Reference of an entity in a result list: a plain string or an object naming it. */
function referenceOf(entity: unknown): string {
	if (typeof entity === 'string' || typeof entity === 'number') return String(entity);
	if (entity && typeof entity === 'object') {
		const e = entity as IDataObject;
		for (const key of ['reference', 'ref', 'email', 'id', 'userId'])
			if (e[key] !== undefined && e[key] !== null) return String(e[key]);
	}
	return JSON.stringify(entity);
}

function entitiesOf(part: unknown): unknown[] {
	if (Array.isArray(part)) return part;
	if (part && typeof part === 'object' && Array.isArray((part as IDataObject).entities))
		return (part as IDataObject).entities as unknown[];
	return [];
}

/**
 * One result per entity: what Thrive reported as success and as failure (with its reason). On a 207
 * partial success every requested user is accounted for: one the answer does not mention is
 * reported as `success: null` ("unreported"), never silently dropped.
 */
export function memberResults(
	audienceId: string,
	operation: 'add' | 'replace',
	requested: string[],
	response: HttpResponse,
): IDataObject[] {
	const body =
		response.body && typeof response.body === 'object' && !Array.isArray(response.body)
			? (response.body as IDataObject)
			: {};
	const hasLists = body.success !== undefined || body.failure !== undefined;
	const base = { audienceId, operation, httpStatus: response.statusCode };
	if (!hasLists)
		return requested.map((reference) => ({
			...base,
			reference,
			success: true,
			outcome: operation === 'add' ? 'added' : 'member',
		}));
	const out: IDataObject[] = [];
	const seen = new Set<string>();
	for (const entity of entitiesOf(body.success)) {
		const reference = referenceOf(entity);
		seen.add(reference.toLowerCase());
		out.push({
			...base,
			reference,
			success: true,
			outcome: operation === 'add' ? 'added' : 'member',
			...(entity && typeof entity === 'object' ? { entity: entity as IDataObject } : {}),
		});
	}
	for (const entity of entitiesOf(body.failure)) {
		const reference = referenceOf(entity);
		seen.add(reference.toLowerCase());
		const reason =
			entity && typeof entity === 'object' ? (entity as IDataObject).reason : undefined;
		out.push({
			...base,
			reference,
			success: false,
			outcome: 'failed',
			reason:
				typeof reason === 'string'
					? reason
					: reason !== undefined
						? JSON.stringify(reason)
						: 'No reason given',
		});
	}
	for (const reference of requested) {
		if (!seen.has(reference.toLowerCase()))
			out.push({
				...base,
				reference,
				success: null,
				outcome: 'unreported',
				reason: 'Thrive did not report this user in the success or failure list',
			});
	}
	return out;
}

const schemaFor = (max: number | undefined) =>
	z.object({
		audienceId: z.string().trim().min(1, 'Must not be empty'),
		users: z
			.array(z.string())
			.min(1, 'Must name at least one user')
			.max(
				max ?? Number.MAX_SAFE_INTEGER,
				`Must name at most ${max} users (Thrive's limit for one replace)`,
			),
	});

/** Add (POST, batches of 100) or replace (PATCH, one request) the members of an audience. */
export function membersExecute(
	operation: 'add' | 'replace',
): (this: IExecuteFunctions, client: LearnLinkClient, itemIndex: number) => Promise<IDataObject[]> {
	const method = operation === 'add' ? 'POST' : 'PATCH';
	return async function (this: IExecuteFunctions, client: LearnLinkClient, itemIndex: number) {
		const input = validateInput(
			this.getNode(),
			schemaFor(operation === 'replace' ? MAX_MEMBERS_PER_REQUEST : undefined),
			{
				audienceId: String(
					this.getNodeParameter('audienceId', itemIndex, '', { extractValue: true }) ?? '',
				),
				users: [...new Set(listOf(this.getNodeParameter('users', itemIndex, '')))],
			},
			{ itemIndex },
		);
		const url = joinUrl(client.v1, buildPath('/audiences/{id}/members', { id: input.audienceId }));
		const batches: string[][] = [];
		for (let i = 0; i < input.users.length; i += MAX_MEMBERS_PER_REQUEST)
			batches.push(input.users.slice(i, i + MAX_MEMBERS_PER_REQUEST));
		const out: IDataObject[] = [];
		for (const batch of batches) {
			// Adding a member twice, or replacing with the same list, leaves the same audience: safe to resend.
			const response = await client.api.request({
				method,
				url,
				body: batch,
				idempotent: true,
				itemIndex,
			});
			out.push(...memberResults(input.audienceId, operation, batch, response));
		}
		return out;
	};
}
