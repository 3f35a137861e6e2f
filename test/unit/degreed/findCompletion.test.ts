/**
 * The look-up made before resending a completion after an ambiguous failure walks Degreed's cursor
 * pages. When a follow-up page answers that its cursor expired (410, as Degreed does after a fault
 * on that page), the look-up restarts from the first page instead of failing the item.
 */
import type { INode } from 'n8n-workflow';

import { findCompletion } from '../../../nodes/Degreed/actions/completion/create.operation';
import type { DegreedClient } from '../../../nodes/Degreed/transport/client';
import { bearerClient, json, scriptedServer } from '../transport/helpers';

const node = {
	name: 'Degreed',
	type: 'n8n-nodes-learning-platforms.degreed',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as unknown as INode;
const record = (id: string, user: string) => ({
	id,
	type: 'completions',
	attributes: { 'user-id': user, 'content-id': 'course-1', 'completed-at': '2026-06-01T10:00:00Z' },
});
const attrs = {
	'user-id': 'ada@acme.example',
	'content-id': 'course-1',
	'completed-at': '2026-06-01T10:00:00Z',
};

async function degreed(expireTimes: number) {
	let expired = 0;
	const server = await scriptedServer((req, res) => {
		if (req.url === '/token') return json(res, 200, { access_token: 'tok-1', expires_in: 3600 });
		const url = new URL(req.url ?? '/', 'http://x');
		if (url.searchParams.get('next') === 'page-2') {
			if (expired < expireTimes) {
				expired++;
				return json(res, 410, {
					errors: [{ status: '410', title: 'Gone', detail: 'The paging cursor has expired' }],
				});
			}
			return json(res, 200, { data: [record('c-2', 'ada@acme.example')], links: {} });
		}
		return json(res, 200, {
			data: [record('c-1', 'bob@acme.example')],
			links: { next: `${server.url}/api/v2/completions?next=page-2` },
		});
	});
	const { client } = bearerClient(server.url);
	const degreedClient = {
		api: client,
		hosts: { apiBaseUrl: server.url },
		settings: {},
		scopes: '',
	} as unknown as DegreedClient;
	return { server, degreedClient };
}

describe('Degreed completion look-up (findCompletion)', () => {
	it('restarts from the first page when the cursor of a follow-up page expired, and finds the completion', async () => {
		const { server, degreedClient } = await degreed(1);
		try {
			const found = await findCompletion(degreedClient, node, attrs, 0);
			expect(found?.body).toEqual({ data: record('c-2', 'ada@acme.example') });
			const pages = server.requests
				.filter((r) => r.url.startsWith('/api/v2/completions'))
				.map((r) => (r.url.includes('next=page-2') ? 'next' : 'first'));
			expect(pages).toEqual(['first', 'next', 'first', 'next']);
		} finally {
			await server.close();
		}
	});

	it('reports "not found" only after reading every page', async () => {
		const { server, degreedClient } = await degreed(2);
		try {
			await expect(
				findCompletion(degreedClient, node, { ...attrs, 'user-id': 'eve@acme.example' }, 0),
			).resolves.toBeUndefined();
		} finally {
			await server.close();
		}
	});

	it('an expiry that keeps recurring is an error naming the item, not a silent "not found"', async () => {
		const { server, degreedClient } = await degreed(100);
		try {
			await expect(findCompletion(degreedClient, node, attrs, 3)).rejects.toThrow(
				/cursor expired 4 times/,
			);
		} finally {
			await server.close();
		}
	});
});
