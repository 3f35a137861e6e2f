'use strict';
// The two baselines of the write scenarios, inside the same n8n as the package's node:
// - transport "helper": every body goes through n8n's own `this.helpers.httpRequest` (the helper the
//   package sends through: SSRF policy, proxy, allowed domains), from a worker pool of the given
//   concurrency, with one token fetched once. No retries, no rate limiting, no validation: the
//   ceiling our transport can reach.
// - transport "undici": the same loop on an undici Agent with keep-alive (the wire), bypassing n8n.
// Bodies are built from the input items exactly like the package's node builds them.
const { pool, secretFromEnv } = require('./shared');

// Loaded with the node class at n8n's start, so the module load is not timed as part of a run.
const undici = require('undici');

function completionBody(j) {
	return {
		data: {
			attributes: {
				'user-id': j.email,
				'user-identifier-type': 'Email',
				'content-id': j.contentId,
				'content-id-type': 'externalId',
				'content-type': 'Course',
				'completed-at': j.completedAt,
			},
		},
	};
}

class BenchSend {
	constructor() {
		this.description = {
			displayName: 'Bench Send',
			name: 'benchSend',
			group: ['transform'],
			version: 1,
			description:
				"Bench-only: posts one body per item (or batches of statements) through n8n's helper or undici",
			defaults: { name: 'Bench Send' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{
					displayName: 'Transport',
					name: 'transport',
					type: 'options',
					options: [
						{ name: 'n8n helper', value: 'helper' },
						{ name: 'undici', value: 'undici' },
					],
					default: 'helper',
				},
				{
					displayName: 'Kind',
					name: 'kind',
					type: 'options',
					options: [
						{ name: 'Completion', value: 'completion' },
						{ name: 'Statement', value: 'statement' },
					],
					default: 'completion',
				},
				{ displayName: 'API Base URL', name: 'apiBaseUrl', type: 'string', default: '' },
				{ displayName: 'Token URL', name: 'tokenUrl', type: 'string', default: '' },
				{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
				{
					displayName: 'Secret Env Var',
					name: 'secretEnv',
					type: 'string',
					default: 'LP_BENCH_DEGREED_SECRET',
				},
				{ displayName: 'Scope', name: 'scope', type: 'string', default: 'completions:write' },
				{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 },
				{ displayName: 'Batch Size', name: 'batchSize', type: 'number', default: 50 },
				// "helper + expressions": the record's fields come from per-item expressions read with
				// getNodeParameter, as in the package's node and the HTTP Request node, so the ratio to
				// this variant isolates the transport from n8n's expression evaluation.
				{
					displayName: 'Fields From Parameters',
					name: 'fieldsFromParameters',
					type: 'boolean',
					default: false,
				},
				{ displayName: 'Email', name: 'email', type: 'string', default: '' },
				{ displayName: 'Content ID', name: 'contentId', type: 'string', default: '' },
				{ displayName: 'Completed At', name: 'completedAt', type: 'string', default: '' },
				{ displayName: 'Activity ID', name: 'activityId', type: 'string', default: '' },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const p = (name) => this.getNodeParameter(name, 0);
		const transport = p('transport');
		const kind = p('kind');
		const concurrency = Number(p('concurrency'));
		const apiBaseUrl = String(p('apiBaseUrl')).replace(/\/$/, '');
		const fromParameters = !!p('fieldsFromParameters');
		const fields = (i) =>
			fromParameters
				? // The same three expressions the package's node evaluates for this kind, no more.
					kind === 'completion'
					? {
							email: this.getNodeParameter('email', i),
							contentId: this.getNodeParameter('contentId', i),
							completedAt: this.getNodeParameter('completedAt', i),
						}
					: {
							email: this.getNodeParameter('email', i),
							activityId: this.getNodeParameter('activityId', i),
							completedAt: this.getNodeParameter('completedAt', i),
						}
				: items[i].json;
		const statementOf = (i) => {
			if (!fromParameters) return items[i].json.statement;
			const f = fields(i);
			const s = items[i].json.statement;
			return {
				...s,
				actor: { objectType: 'Agent', mbox: `mailto:${f.email}` },
				object: { ...s.object, id: f.activityId },
				timestamp: f.completedAt,
			};
		};
		let agent;
		let send;
		if (transport === 'undici') {
			const { Agent, request } = undici;
			agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000, pipelining: 1 });
			send = async (method, url, headers, body) => {
				const res = await request(url, {
					method,
					headers,
					body: typeof body === 'string' ? body : JSON.stringify(body),
					dispatcher: agent,
				});
				const text = await res.body.text();
				if (res.statusCode >= 400)
					throw new Error(`${method} ${url} → ${res.statusCode}: ${text.slice(0, 200)}`);
				return text ? JSON.parse(text) : undefined;
			};
		} else {
			// Objects go as JSON (json: true), as the package's transport sends them; the token form as a string.
			send = async (method, url, headers, body) => {
				const res = await this.helpers.httpRequest({
					method,
					url,
					headers,
					body,
					json: typeof body !== 'string',
				});
				return typeof res === 'string' && res ? JSON.parse(res) : res;
			};
		}
		try {
			const form = new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: String(p('clientId')),
				client_secret: secretFromEnv(String(p('secretEnv'))),
				scope: String(p('scope')),
			}).toString();
			const token = await send(
				'POST',
				String(p('tokenUrl')),
				{ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
				form,
			);
			const auth = `Bearer ${token.access_token}`;
			if (kind === 'completion') {
				const url = `${apiBaseUrl}/api/v2/completions`;
				const headers = {
					authorization: auth,
					'content-type': 'application/json',
					accept: 'application/json',
				};
				const out = await pool(items.length, concurrency, async (i) => {
					const res = await send('POST', url, headers, completionBody(fields(i)));
					return { json: res.data, pairedItem: { item: i } };
				});
				return [out];
			}
			const size = Math.max(1, Number(p('batchSize')));
			const url = `${apiBaseUrl}/xAPI/statements`;
			const headers = {
				authorization: auth,
				'content-type': 'application/json',
				accept: 'application/json',
				'X-Experience-API-Version': '1.0.3',
			};
			const batches = Math.ceil(items.length / size);
			const out = new Array(items.length);
			await pool(batches, concurrency, async (b) => {
				const slice = [];
				for (let i = b * size; i < Math.min(items.length, (b + 1) * size); i++)
					slice.push(statementOf(i));
				await send('POST', url, headers, slice.length === 1 ? slice[0] : slice);
				slice.forEach(
					(s, k) => (out[b * size + k] = { json: s, pairedItem: { item: b * size + k } }),
				);
			});
			return [out];
		} finally {
			if (agent) await agent.close();
		}
	}
}

module.exports = { BenchSend };
