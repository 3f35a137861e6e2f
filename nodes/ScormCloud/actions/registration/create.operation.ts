import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { sameKey } from '../../../shared/exactMatch';
import { validateInput } from '../../../shared/validation';
import type { HttpResponse } from '../../../shared/types';
import type { ScormCloudClient } from '../../transport/client';
import { responseError } from '../../transport/client';
import { idSchema, splitList } from '../common';
import { courseLocator } from '../../methods/locators';

const properties: INodeProperties[] = [
	courseLocator(),
	{
		displayName: 'Registration ID',
		name: 'registrationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.employeeId }}-{{ $json.courseId }}',
		description:
			'Your own unique ID for this registration. Build it from stable values so a re-run finds the registration instead of creating another.',
		hint: 'SCORM Cloud registration IDs are chosen by you and must be unique in the application',
	},
	{
		displayName: 'Learner ID',
		name: 'learnerId',
		type: 'string',
		required: true,
		default: '',
		description: 'Your ID of the learner (several registrations may share one learner)',
	},
	{ displayName: 'Learner First Name', name: 'learnerFirstName', type: 'string', default: '' },
	{ displayName: 'Learner Last Name', name: 'learnerLastName', type: 'string', default: '' },
	{
		displayName: 'If Registration Exists',
		name: 'ifExists',
		type: 'options',
		default: 'returnExisting',
		options: [
			{
				name: 'Return the Existing Registration',
				value: 'returnExisting',
				description:
					'Output the registration already there (created: false) when it is for the same course and learner',
			},
			{
				name: 'Fail',
				value: 'error',
				description: 'Stop with an error (or an error item with Continue On Fail)',
			},
		],
		description:
			'What to do when a registration with this ID is already there. A registration that this node itself created on an earlier, interrupted attempt always counts as created.',
	},
	{
		displayName: 'Postback (Send Results to a URL)',
		name: 'postBack',
		type: 'collection',
		placeholder: 'Add Postback Setting',
		default: {},
		description:
			"SCORM Cloud posts the registration's progress to this URL whenever it changes. Paste the production URL of a SCORM Cloud Trigger node here.",
		options: [
			{
				displayName: 'Authentication',
				name: 'authType',
				type: 'options',
				default: 'httpbasic',
				options: [
					{
						name: 'HTTP Basic (JSON Body)',
						value: 'httpbasic',
						description:
							'User name and password in the Authorization header; the results as a JSON body',
					},
					{
						name: 'Form Fields',
						value: 'form',
						description:
							'Form-encoded: the results in the field "data", user name and password as form fields',
					},
				],
			},
			{
				displayName: 'Legacy XML',
				name: 'legacy',
				type: 'boolean',
				default: false,
				description:
					'Whether to receive the old v1 XML format instead of JSON (only for existing XML handlers)',
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Sent with every postback; the trigger checks it',
			},
			{
				displayName: 'Results Format',
				name: 'resultsFormat',
				type: 'options',
				default: 'course',
				options: [
					{ name: 'Course (Summary)', value: 'course' },
					{ name: 'Activity (Per-Activity Summary)', value: 'activity' },
					{ name: 'Full (Everything, Incl. Runtime)', value: 'full' },
				],
			},
			{
				displayName: 'URL',
				name: 'url',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/…/postback',
				description: "Where SCORM Cloud posts the results (the SCORM Cloud Trigger's URL)",
			},
			{
				displayName: 'User Name',
				name: 'userName',
				type: 'string',
				default: '',
				description: 'Sent with every postback; the trigger checks it',
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Course Tags',
				name: 'courseTags',
				type: 'string',
				default: '',
				description: 'Comma-separated',
			},
			{
				displayName: 'Course Version',
				name: 'courseVersion',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Register against this version instead of the latest',
			},
			{
				displayName: 'Learner Email',
				name: 'learnerEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{
				displayName: 'Learner Tags',
				name: 'learnerTags',
				type: 'string',
				default: '',
				description: 'Comma-separated',
			},
			{
				displayName: 'Registration Tags',
				name: 'registrationTags',
				type: 'string',
				default: '',
				description: 'Comma-separated',
			},
			{
				displayName: 'xAPI Registration ID',
				name: 'xapiRegistrationId',
				type: 'string',
				default: '',
				description: 'A UUID to use as the xAPI registration (SCORM Cloud makes one when empty)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['registration'], operation: ['create'] } },
	properties,
);

const httpUrl = z
	.string()
	.trim()
	.url('must be a full URL')
	.refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://');

const schema = z.object({
	courseId: idSchema('Course ID'),
	registrationId: idSchema('Registration ID'),
	learnerId: idSchema('Learner ID'),
	learnerFirstName: z.string().trim().optional(),
	learnerLastName: z.string().trim().optional(),
	ifExists: z.enum(['returnExisting', 'error']),
	postBack: z
		.object({
			url: httpUrl.optional(),
			authType: z.enum(['httpbasic', 'form']).optional(),
			userName: z.string().optional(),
			password: z.string().optional(),
			resultsFormat: z.enum(['course', 'activity', 'full']).optional(),
			legacy: z.boolean().optional(),
		})
		.refine((p) => p.url || Object.keys(p).length === 0, {
			message: 'needs a URL when other postback settings are set',
			path: ['url'],
		}),
	additionalFields: z.object({
		courseTags: z.string().optional(),
		courseVersion: z.number().int().min(0).optional(),
		learnerEmail: z
			.string()
			.trim()
			.email('is not a valid email address')
			.or(z.literal(''))
			.optional(),
		learnerTags: z.string().optional(),
		registrationTags: z.string().optional(),
		xapiRegistrationId: z.string().trim().uuid('must be a UUID').or(z.literal('')).optional(),
	}),
});

export async function execute(
	this: IExecuteFunctions,
	client: ScormCloudClient,
	itemIndex: number,
): Promise<IDataObject> {
	const input = validateInput(
		this.getNode(),
		schema,
		{
			courseId: this.getNodeParameter('courseId', itemIndex, undefined, { extractValue: true }),
			registrationId: this.getNodeParameter('registrationId', itemIndex),
			learnerId: this.getNodeParameter('learnerId', itemIndex),
			learnerFirstName: this.getNodeParameter('learnerFirstName', itemIndex, ''),
			learnerLastName: this.getNodeParameter('learnerLastName', itemIndex, ''),
			ifExists: this.getNodeParameter('ifExists', itemIndex, 'returnExisting'),
			postBack: this.getNodeParameter('postBack', itemIndex, {}),
			additionalFields: this.getNodeParameter('additionalFields', itemIndex, {}),
		},
		{ itemIndex },
	);
	const extra = input.additionalFields;
	const pb = input.postBack;
	const body: IDataObject = {
		courseId: input.courseId,
		registrationId: input.registrationId,
		learner: {
			id: input.learnerId,
			...(input.learnerFirstName ? { firstName: input.learnerFirstName } : {}),
			...(input.learnerLastName ? { lastName: input.learnerLastName } : {}),
			...(extra.learnerEmail ? { email: extra.learnerEmail } : {}),
		},
	};
	if (extra.xapiRegistrationId) body.xapiRegistrationId = extra.xapiRegistrationId;
	for (const key of ['registrationTags', 'learnerTags', 'courseTags'] as const) {
		const tags = splitList(extra[key]);
		if (tags.length) body[key] = tags;
	}
	if (pb.url) {
		body.postBack = {
			url: pb.url,
			authType: pb.authType ?? 'httpbasic',
			...(pb.userName ? { userName: pb.userName } : {}),
			...(pb.password ? { password: pb.password } : {}),
			resultsFormat: pb.resultsFormat ?? 'course',
			...(pb.legacy ? { legacy: true } : {}),
		};
	}

	const registrationUrl = client.url('/registrations/{registrationId}', {
		registrationId: input.registrationId,
	});
	const fetchExisting = async (): Promise<HttpResponse<IDataObject>> =>
		await client.api.request<IDataObject>({
			method: 'GET',
			url: registrationUrl,
			acceptStatuses: [404],
			itemIndex,
		});

	const response = await client.api.request<IDataObject>({
		method: 'POST',
		url: client.url('/registrations'),
		qs: extra.courseVersion !== undefined ? { courseVersion: extra.courseVersion } : undefined,
		body,
		itemIndex,
		// registrationId is the idempotency key: after an ambiguous failure (a 5xx, a dropped
		// connection) the transport asks whether the registration is there before sending again.
		recover: async () => {
			const existing = await fetchExisting();
			// Only the registration asked for counts: an answer for another (or no) ID is not it.
			return existing.statusCode === 200 && sameKey(existing.body?.id, input.registrationId)
				? existing
				: undefined;
		},
		// SCORM Cloud answers a registration ID already in use with a 4xx; decided below.
		acceptStatuses: [400, 409],
	});

	const summary = {
		id: input.registrationId,
		courseId: input.courseId,
		learnerId: input.learnerId,
	};
	const assertSamePair = (registration: IDataObject, answer: HttpResponse) => {
		const course = (registration.course as IDataObject | undefined)?.id;
		const learner = (registration.learner as IDataObject | undefined)?.id;
		if (
			(course !== undefined && course !== input.courseId) ||
			(learner !== undefined && learner !== input.learnerId)
		) {
			throw responseError(client, this.getNode(), answer, itemIndex, {
				message: `registration ID "${input.registrationId}" is already used for course "${String(course)}" and learner "${String(learner)}"`,
				description:
					'Registration IDs must be unique in the SCORM Cloud application. Build the ID from the learner and the course (e.g. "<learner>-<course>") so that different pairs never collide.',
			});
		}
	};
	if (response.statusCode < 300) {
		// 204 (created), or the registration found after an interrupted attempt of ours.
		if (response.body && typeof response.body === 'object' && response.body.id) {
			assertSamePair(response.body, response);
			return { ...response.body, ...summary, created: true };
		}
		return { ...summary, created: true };
	}

	const existing = await fetchExisting();
	if (existing.statusCode !== 200) throw responseError(client, this.getNode(), response, itemIndex);
	const registration = existing.body;
	assertSamePair(registration, response);
	if (input.ifExists === 'error') {
		throw responseError(client, this.getNode(), response, itemIndex, {
			message: `registration "${input.registrationId}" already exists`,
			description:
				'Set "If Registration Exists" to "Return the Existing Registration" to treat this as success.',
		});
	}
	return { ...registration, ...summary, created: false };
}
