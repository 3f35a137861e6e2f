'use strict';
// The baselines of the read scenario: pages through SCORM Cloud's GET /registrations following the
// opaque `more` token (HTTP Basic with App ID + Secret Key), one record per output item, through
// n8n's `this.helpers.httpRequest` ("helper") or an undici Agent with keep-alive ("undici").
const { secretFromEnv } = require('./shared');
// Loaded with the node class at n8n's start, so the module load is not timed as part of a run.
const undici = require('undici');

class BenchPage {
	constructor() {
		this.description = {
			displayName: 'Bench Page',
			name: 'benchPage',
			group: ['transform'],
			version: 1,
			description: 'Bench-only: reads every SCORM Cloud registration page by page',
			defaults: { name: 'Bench Page' },
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
				{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
				{ displayName: 'App ID', name: 'appId', type: 'string', default: '' },
				{
					displayName: 'Secret Env Var',
					name: 'secretEnv',
					type: 'string',
					default: 'LP_BENCH_SCORM_SECRET',
				},
			],
		};
	}

	async execute() {
		const p = (name) => this.getNodeParameter(name, 0);
		const base = String(p('baseUrl')).replace(/\/$/, '');
		const headers = {
			authorization: `Basic ${Buffer.from(`${p('appId')}:${secretFromEnv(String(p('secretEnv')))}`).toString('base64')}`,
			accept: 'application/json',
		};
		let agent;
		let get;
		if (p('transport') === 'undici') {
			const { Agent, request } = undici;
			agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
			get = async (url) => {
				const res = await request(url, { method: 'GET', headers, dispatcher: agent });
				const text = await res.body.text();
				if (res.statusCode >= 400)
					throw new Error(`GET ${url} → ${res.statusCode}: ${text.slice(0, 200)}`);
				return JSON.parse(text);
			};
		} else {
			get = async (url) =>
				await this.helpers.httpRequest({ method: 'GET', url, headers, json: true });
		}
		const out = [];
		try {
			let url = `${base}/registrations`;
			for (;;) {
				const page = await get(url);
				for (const r of page.registrations || []) out.push({ json: r });
				if (!page.more) break;
				url = `${base}/registrations?more=${encodeURIComponent(page.more)}`;
			}
		} finally {
			if (agent) await agent.close();
		}
		return [out];
	}
}

module.exports = { BenchPage };
