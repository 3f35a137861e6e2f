import type {
	IDataObject,
	IHookFunctions,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { firstDelivery, replayWindowOption, replayWindowSeconds } from '../shared/replayMemory';
import {
	DEFAULT_MAX_BODY_KB,
	acknowledge,
	isBlank,
	maxBodyBytes,
	readRawBody,
	refuse,
} from '../shared/webhookGuards';
import { SIGNATURE_HEADER, eventIdentity, verifyThriveSignature } from './trigger/signature';

/** Thrive's webhook subscription types and their events (docs: Webhooks → subscription types). */
export const SUBSCRIPTIONS: Record<string, { name: string; events: string[] }> = {
	completion_subscription: { name: 'Completions', events: ['content.completed', 'content.passed'] },
	content_subscription: {
		name: 'Content',
		events: [
			'content.created',
			'content.updated',
			'content.published',
			'content.deleted',
			'content.archived',
			'content.restored',
		],
	},
	assignment_subscription: { name: 'Assignments and Enrolments', events: [] },
	notification_subscription: { name: 'Notifications', events: ['notification.dispatched'] },
	user_subscription: {
		name: 'Users',
		events: ['user.created', 'user.activated', 'user.deactivated', 'user.updated'],
	},
};

const eventProperties: INodeProperties[] = Object.entries(SUBSCRIPTIONS)
	.filter(([, s]) => s.events.length > 0)
	.map(([value, s]) => ({
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions' as const,
		default: [],
		description:
			'Events that start the workflow. None selected: every event of this subscription. Other events are acknowledged (HTTP 200) and ignored.',
		options: s.events.map((e) => ({ name: e, value: e })),
		displayOptions: { show: { subscriptionType: [value] } },
	}));

export class LearnLinkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Learn.link (Thrive) Trigger',
		name: 'learnLinkTrigger',
		icon: { light: 'file:learnlink.svg', dark: 'file:learnlink.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["subscriptionType"]}}',
		description: 'Starts the workflow when Thrive (Learn.link) sends a signed webhook event',
		defaults: { name: 'Learn.link (Thrive) Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'learnLinkApi',
				required: true,
				displayOptions: { show: { secretSource: ['credential'] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'Thrive has no self-service webhook API: send this node\'s Production URL (above, under "Webhook URLs") and the signing secret to Thrive support or your implementation contact, and name the subscription type chosen below. Publish the workflow before Thrive tests the URL. One URL per subscription type.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Subscription Type',
				name: 'subscriptionType',
				type: 'options',
				default: 'completion_subscription',
				options: Object.entries(SUBSCRIPTIONS).map(([value, s]) => ({
					name: s.name,
					value,
					description: value,
				})),
				description: 'The Thrive subscription this URL is registered for',
			},
			...eventProperties,
			{
				displayName: 'Signing Secret From',
				name: 'secretSource',
				type: 'options',
				default: 'parameter',
				options: [
					{ name: 'This Node', value: 'parameter' },
					{ name: 'Credential (Webhook Signing Secret)', value: 'credential' },
				],
			},
			{
				displayName: 'Signing Secret',
				name: 'webhookSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description:
					'The secret Thrive signs events with (x-hmac-signature). Choose a long random value and give the same value to Thrive support.',
				displayOptions: { show: { secretSource: ['parameter'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Body Size (KB)',
						name: 'maxBodyKb',
						type: 'number',
						default: DEFAULT_MAX_BODY_KB,
						typeOptions: { minValue: 1 },
						description:
							'Larger deliveries are refused with HTTP 413 before the signature is computed. A value that is not a positive number means the default (1024).',
					},
					replayWindowOption(
						'Replay protection. Events whose dispatchedAt is missing or further than this from now are refused (HTTP 401), and an event (same ID, or same content when it has none) already accepted within the window is refused (401) without starting the workflow again. 0 = off: not recommended, since a captured, correctly signed event could then be replayed to start the workflow again.',
					),
				],
			},
		],
	};

	/** Thrive is configured by its support team: these only remember which URL was handed out, and never call Thrive. */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				return data.webhookUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				data.webhookUrl = this.getNodeWebhookUrl('default');
				data.subscriptionType = this.getNodeParameter('subscriptionType') as string;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				delete data.webhookUrl;
				delete data.subscriptionType;
				delete data.seenEvents;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const body = readRawBody(this, maxBodyBytes(options), 'event');
		if (!body.ok) return refuse(this, body.status, body.message);
		const raw = body.raw;

		let secret: unknown;
		if ((this.getNodeParameter('secretSource', 'parameter') as string) === 'credential') {
			const credentials = await this.getCredentials('learnLinkApi');
			secret = credentials.webhookSecret;
		} else {
			secret = this.getNodeParameter('webhookSecret', '');
		}
		// No secret (or only spaces) would make every signature "valid" for anyone who computes an
		// HMAC with an empty key: every delivery is refused until one is set.
		if (isBlank(secret))
			return refuse(
				this,
				500,
				'The trigger has no signing secret configured: every event is refused until one is set',
			);
		const check = verifyThriveSignature(
			raw,
			req.headers[SIGNATURE_HEADER] as string | string[] | undefined,
			secret as string,
		);
		if (!check.ok) {
			if (check.reason === 'noSecret')
				return refuse(
					this,
					500,
					'The trigger has no signing secret configured: every event is refused until one is set',
				);
			return refuse(
				this,
				401,
				check.reason === 'missing'
					? `Missing ${SIGNATURE_HEADER} header`
					: `Invalid ${SIGNATURE_HEADER} signature`,
			);
		}

		let parsed: unknown;
		try {
			parsed = JSON.parse(raw.toString('utf8'));
		} catch {
			parsed = undefined;
		}
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
			return refuse(this, 400, 'The event body is not a JSON object');
		const event = parsed as IDataObject;

		// Replay protection (on unless the window is set to 0): the signature proves who sent the
		// bytes, not when, so a captured delivery would verify forever without this.
		const windowSeconds = replayWindowSeconds(options);
		if (windowSeconds > 0) {
			const now = Date.now();
			const dispatched = Date.parse(String(event.dispatchedAt ?? ''));
			if (Number.isNaN(dispatched))
				return refuse(
					this,
					401,
					'The event has no valid dispatchedAt, so its age cannot be checked',
				);
			if (Math.abs(now - dispatched) > windowSeconds * 1000)
				return refuse(
					this,
					401,
					`The event's dispatchedAt is more than ${windowSeconds} seconds away from now (replay window)`,
				);
			// Remembered until its dispatchedAt leaves the window: after that the age check refuses it.
			if (
				!firstDelivery(
					this,
					'seenEvents',
					eventIdentity(event),
					now,
					dispatched + windowSeconds * 1000,
				)
			) {
				return refuse(
					this,
					401,
					'Replayed event refused: this event was already received within the replay window',
				);
			}
		}

		const selected = this.getNodeParameter('events', []) as string[];
		if (
			Array.isArray(selected) &&
			selected.length > 0 &&
			!selected.includes(String(event.eventType ?? ''))
		) {
			return acknowledge(this, `Event ${String(event.eventType ?? '')} ignored`);
		}

		return { workflowData: [this.helpers.returnJsonArray(event)] };
	}
}
