import { createHash } from 'node:crypto';

import type {
	IDataObject,
	IHookFunctions,
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
	safeEqual,
} from '../shared/webhookGuards';

export { safeEqual };

/** `Authorization: Basic …` → user and password; undefined when absent or malformed. */
export function parseBasic(header: unknown): { user: string; password: string } | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string') return undefined;
	const match = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(value);
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon === -1
		? undefined
		: { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Digest of a postback's content (the registration JSON or the legacy XML), never of the form's
 * user name and password, so no credential ends up in the static data, even hashed.
 */
export function postbackDigest(parsed: ParsedPostback): string {
	const content =
		parsed.format === 'xml'
			? `xml\n${parsed.xml ?? ''}`
			: `json\n${JSON.stringify(parsed.data ?? {})}`;
	return createHash('sha256').update(content, 'utf8').digest('hex');
}

export interface ParsedPostback {
	/** json: a v2 JSON body (httpbasic); form-json: form field `data` holding JSON (form); xml: legacy XML */
	format: 'json' | 'form-json' | 'xml';
	data?: IDataObject;
	xml?: string;
	/** the user name and password sent as form fields (form authentication) */
	formUser?: string;
	formPassword?: string;
}

/**
 * SCORM Cloud posts a registration's progress in one of these forms (v2 postback guide):
 * - authType httpbasic: `Content-Type: application/json`, the body is GetRegistrationProgress' JSON;
 * - authType form: `application/x-www-form-urlencoded` with `data` (that JSON, URL-encoded),
 *   `userName` and `password`;
 * - `legacy: true`: the same, with v1 XML instead of JSON (as the body, or in `data`).
 * Returns `{ error }` for a body that is none of these.
 */
export function parsePostback(
	raw: Buffer,
	contentType: string,
): ParsedPostback | { error: string } {
	const text = raw.toString('utf8').trim();
	const type = contentType.split(';')[0].trim().toLowerCase();
	const fromText = (
		value: string,
		format: 'json' | 'form-json',
	): ParsedPostback | { error: string } => {
		const v = value.trim();
		if (v.startsWith('<')) return { format: 'xml', xml: v };
		let parsed: unknown;
		try {
			parsed = JSON.parse(v);
		} catch {
			return { error: 'the postback body is neither JSON nor XML' };
		}
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
			return { error: 'the postback JSON is not an object' };
		return { format, data: parsed as IDataObject };
	};
	if (
		type === 'application/x-www-form-urlencoded' ||
		(!type && /^(data|userName|password)=/.test(text))
	) {
		const form = new URLSearchParams(text);
		const data = form.get('data');
		if (data === null) return { error: 'the form postback has no "data" field' };
		const out = fromText(data, 'form-json');
		if ('error' in out) return out;
		const user = form.get('userName') ?? form.get('username');
		const password = form.get('password');
		if (user !== null) out.formUser = user;
		if (password !== null) out.formPassword = password;
		return out;
	}
	if (!text) return { error: 'the postback body is empty' };
	return fromText(text, 'json');
}

export class ScormCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SCORM Cloud Trigger',
		name: 'scormCloudTrigger',
		icon: { light: 'file:scormcloud.svg', dark: 'file:scormcloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"registration postbacks"}}',
		description: "Starts the workflow when SCORM Cloud posts a registration's progress (postback)",
		defaults: { name: 'SCORM Cloud Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'postback' },
		],
		properties: [
			{
				displayName:
					"Copy this node's Production URL into \"Postback → URL\" of the SCORM Cloud node's Create Registration (or into the postback settings of your SCORM Cloud app), with the same user name and password. SCORM Cloud then posts each registration's progress here.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'User Name',
				name: 'userName',
				type: 'string',
				default: '',
				required: true,
				description:
					'The postback user name set on the registration. Every postback is refused while it is empty.',
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description:
					'The postback password set on the registration. Every postback is refused while it is empty.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Only When',
						name: 'onlyWhen',
						type: 'options',
						default: 'always',
						options: [
							{ name: 'Always', value: 'always', description: 'Every postback (any progress)' },
							{
								name: 'Completed',
								value: 'completed',
								description: 'Only when the registration is COMPLETED',
							},
							{
								name: 'Passed',
								value: 'passed',
								description: 'Only when the registration is PASSED',
							},
						],
						description:
							'Which postbacks start the workflow; the others are acknowledged and ignored',
					},
					{
						displayName: 'Max Body Size (KB)',
						name: 'maxBodyKb',
						type: 'number',
						default: DEFAULT_MAX_BODY_KB,
						typeOptions: { minValue: 1 },
						description:
							'Larger postbacks are refused with HTTP 413 (a "full" results format can be large). A value that is not a positive number means the default (1024).',
					},
					replayWindowOption(
						'Replay protection. A postback identical to one accepted within this many seconds is refused (HTTP 401) without starting the workflow: Basic credentials alone cannot tell a captured postback from a new one. 0 = off: not recommended.',
					),
				],
			},
		],
	};

	/**
	 * SCORM Cloud has no API to subscribe a URL: the postback URL is set on each registration (the
	 * node's Create Registration) or in the app's settings. The lifecycle only remembers which URL
	 * this trigger listens on, so n8n knows the webhook is in place.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').webhookUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.getWorkflowStaticData('node').webhookUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				delete data.webhookUrl;
				delete data.seenPostbacks;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const unauthorized = () =>
			refuse(this, 401, 'Authorization required', {
				'WWW-Authenticate': 'Basic realm="scormcloud-postback"',
			});

		// There is no unauthenticated mode (an "Authentication: None" saved by an older version is
		// ignored): without both a user name and a password every postback is refused.
		const expectedUser = this.getNodeParameter('userName', '') as unknown;
		const expectedPassword = this.getNodeParameter('password', '') as unknown;
		if (isBlank(expectedUser) || isBlank(expectedPassword)) {
			return refuse(
				this,
				500,
				'The trigger has no postback user name and password configured: every postback is refused until both are set',
			);
		}

		// SCORM Cloud's credentials are checked on the parsed content, not on the bytes, so n8n's
		// parsed body may stand in when the raw bytes are absent.
		const body = readRawBody(this, maxBodyBytes(options), 'postback', true);
		if (!body.ok) return refuse(this, body.status, body.message);

		const parsed = parsePostback(body.raw, String(req.headers['content-type'] ?? ''));
		if ('error' in parsed) {
			// Form authentication travels inside the body, so credentials are checked after parsing;
			// a bad body is refused without telling an unauthenticated caller anything more.
			if (!parseBasic(req.headers.authorization)) return unauthorized();
			return refuse(this, 400, parsed.error);
		}

		const basic = parseBasic(req.headers.authorization);
		const given =
			basic ??
			(parsed.formUser !== undefined || parsed.formPassword !== undefined
				? { user: parsed.formUser ?? '', password: parsed.formPassword ?? '' }
				: undefined);
		// Both comparisons always run, so the time taken says nothing about which one failed.
		const userOk = safeEqual(given?.user ?? '', expectedUser as string);
		const passwordOk = safeEqual(given?.password ?? '', expectedPassword as string);
		if (!given || !userOk || !passwordOk) return unauthorized();
		const authType = basic ? 'httpbasic' : 'form';

		// Replay protection (on unless the window is 0), checked only once the credentials are right,
		// so unauthenticated requests cannot fill the cache. SCORM Cloud re-posts only a postback that
		// did not get a 2xx, so an accepted one is not legitimately sent again with the same content.
		const windowSeconds = replayWindowSeconds(options);
		if (windowSeconds > 0) {
			const now = Date.now();
			if (
				!firstDelivery(
					this,
					'seenPostbacks',
					postbackDigest(parsed),
					now,
					now + windowSeconds * 1000,
				)
			) {
				return refuse(
					this,
					401,
					'Replayed postback refused: an identical postback was accepted within the replay window',
				);
			}
		}

		const receivedAt = new Date().toISOString();
		let json: IDataObject;
		if (parsed.format === 'xml') {
			const xml = parsed.xml as string;
			const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(xml)?.[1];
			json = {
				registrationId: attr('regid'),
				xml,
				postback: { format: 'xml', authType, receivedAt },
			};
		} else {
			const data = parsed.data as IDataObject;
			const onlyWhen = options.onlyWhen ?? 'always';
			if (
				(onlyWhen === 'completed' && data.registrationCompletion !== 'COMPLETED') ||
				(onlyWhen === 'passed' && data.registrationSuccess !== 'PASSED')
			) {
				return acknowledge(this, 'Ignored by the trigger\'s "Only When" option');
			}
			json = {
				...data,
				registrationId: data.id,
				postback: { format: parsed.format, authType, receivedAt },
			};
		}
		return { workflowData: [[{ json }]] };
	}
}
