import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { joinUrl } from '../../../shared/urls';
import { isValidDate, validateInput } from '../../../shared/validation';
import type { LearnLinkClient } from '../../transport/client';
import { contentLocator, userLocator } from '../../methods/locators';

const properties: INodeProperties[] = [
	userLocator(),
	contentLocator({
		description:
			"The content that was completed: pick it (search by title) or give Thrive's content ID",
	}),
	{
		displayName: 'Completed At',
		name: 'completedAt',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'When the learner completed it',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['completion'], operation: ['create'] } },
	properties,
);

const schema = z.object({
	userId: z.string().trim().min(1, 'Must not be empty'),
	contentId: z.string().trim().min(1, 'Must not be empty'),
	completedAt: z
		.string()
		.trim()
		.min(1, 'Must not be empty')
		.refine(isValidDate, 'Must be a date and time (ISO 8601)'),
});

const ALREADY_EXISTS = /already\s+exist/i;

function messageOf(body: unknown): string {
	if (!body || typeof body !== 'object') return typeof body === 'string' ? body : '';
	const b = body as IDataObject;
	return [b.message, b.status, b.result, b.error].filter((v) => typeof v === 'string').join(' ');
}

/**
 * POST /rest/v1/learning/completions `{userId, contentId, completedAt}`. Idempotent by
 * (userId, contentId, completedAt): "already exists" (a 409, or a 2xx saying so) is a success.
 */
export async function execute(
	this: IExecuteFunctions,
	client: LearnLinkClient,
	itemIndex: number,
): Promise<IDataObject | IDataObject[]> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			userId: String(this.getNodeParameter('userId', itemIndex, '', { extractValue: true }) ?? ''),
			contentId: String(
				this.getNodeParameter('contentId', itemIndex, '', { extractValue: true }) ?? '',
			),
			completedAt: String(this.getNodeParameter('completedAt', itemIndex, '') ?? ''),
		},
		{ itemIndex },
	);
	const body = {
		userId: input.userId,
		contentId: input.contentId,
		completedAt: new Date(input.completedAt).toISOString(),
	};
	const response = await client.api.request<IDataObject>({
		method: 'POST',
		url: joinUrl(client.v1, '/learning/completions'),
		body,
		// The natural key (user, content, time) makes a resend harmless: the provider answers "already exists".
		idempotent: true,
		acceptStatuses: [409],
		itemIndex,
	});
	const reply =
		response.body && typeof response.body === 'object' && !Array.isArray(response.body)
			? response.body
			: {};
	const exists = response.statusCode === 409 || ALREADY_EXISTS.test(messageOf(response.body));
	return {
		status: exists ? 'alreadyExists' : 'created',
		...body,
		...(reply.statementId !== undefined ? { statementId: reply.statementId } : {}),
		...(messageOf(response.body) ? { message: messageOf(response.body) } : {}),
	};
}
