import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Moodle web services: a site URL and a static token an administrator creates (Site administration
 * → Server → Web services → Manage tokens), e.g. for the Percipio plugin's "Percipio services".
 * There is nothing to refresh: Moodle tokens last until their "Valid until" date.
 */
export class MoodleApi implements ICredentialType {
	name = 'moodleApi';

	displayName = 'Moodle API';

	icon: Icon = {
		light: 'file:../nodes/Moodle/moodle.svg',
		dark: 'file:../nodes/Moodle/moodle.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-learning-platforms/n8n-nodes-learning-platforms/blob/main/docs/moodle.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Site URL',
			name: 'siteUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://learn.example.com',
			description:
				'Address of the Moodle site, as in the browser (include a sub-folder such as /moodle if the site has one)',
			hint: 'Without /webservice/rest/server.php: the node adds it',
		},
		{
			displayName: 'Web Service Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Token from Site administration → Server → Web services → Manage tokens, created for the service that holds the functions you call (for the Percipio plugin: "Percipio services")',
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow a plain http:// Site URL on a host other than this machine. For lab and test sites only: the token would travel unencrypted.',
		},
	];

	/**
	 * For n8n's HTTP Request node and the Test button: the token travels as `wstoken` in the query
	 * (Moodle merges query and form parameters), with `moodlewsrestformat=json` unless the request
	 * names a format. The Moodle node itself sends the token in the POST body instead.
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	) => {
		const qs: IDataObject = {
			...(requestOptions.qs ?? {}),
			wstoken: String(credentials.token ?? '').trim(),
		};
		// The HTTP Request node sends a form body as `form` (urlencoded) or `formData` (multipart),
		// and a query typed into the URL stays in `uri`: a format named anywhere is the caller's choice.
		const legacy = requestOptions as IHttpRequestOptions & {
			form?: unknown;
			formData?: unknown;
			uri?: unknown;
		};
		const names = (value: unknown) =>
			(typeof value === 'string' && /(^|[&?])moodlewsrestformat=/.test(value)) ||
			(!!value && typeof value === 'object' && 'moodlewsrestformat' in (value as IDataObject));
		const address = [requestOptions.url, legacy.uri].map((u) =>
			typeof u === 'string' ? u.replace(/^[^?]*/, '') : '',
		);
		const formatGiven = [requestOptions.body, legacy.form, legacy.formData, ...address].some(names);
		if (qs.moodlewsrestformat === undefined && !formatGiven) qs.moodlewsrestformat = 'json';
		return { ...requestOptions, qs };
	};

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			// The site root, as the node computes it (a pasted endpoint URL or trailing slash is fine).
			baseURL:
				'={{ String($credentials.siteUrl).trim().replace(/\\/+$/, "").replace(/\\/webservice\\/rest\\/server\\.php$/i, "") }}',
			url: '/webservice/rest/server.php',
			qs: { wsfunction: 'core_webservice_get_site_info', moodlewsrestformat: 'json' },
		},
		// A token whose service lacks core_webservice_get_site_info (the built-in "Percipio services")
		// gets accessexception: Moodle accepted the token, so that passes.
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errorcode',
					value: 'invalidtoken',
					message:
						'Moodle did not accept the token (invalidtoken). Check the token, its "Valid until" date and IP restriction.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errorcode',
					value: 'servicenotavailable',
					message:
						"The token's external service is disabled (servicenotavailable): enable it under Site administration → Server → Web services → External services.",
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errorcode',
					value: 'enablewsdescription',
					message:
						'Web services are disabled on this site: enable them under Site administration → Advanced features.',
				},
			},
			// An HTML or XML page instead of JSON arrives as a string: its first character is "<" (or
			// white space before it). Moodle's JSON answer is an object, which has no key "0".
			...['<', '\n', '\r', ' ', '\t'].map((first) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: '0',
					value: first,
					message:
						'This URL did not answer like a Moodle web-service endpoint (it sent a web page). Check the Site URL: the address of the Moodle site itself, e.g. https://learn.example.com, without /login/… or /my/.',
				},
			})),
		],
	};
}
