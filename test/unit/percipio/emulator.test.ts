// The Percipio emulator's own contract, checked with plain HTTP (no node code involved).
import { PERCIPIO_DEMO } from '../../sandbox/fixtures';
import {
	PERCIPIO_SANDBOX,
	percipioProvider,
	percipioTrackKey,
} from '../../sandbox/providers/percipio';
import type { PercipioEmulator } from '../../sandbox/providers/percipio';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';

let sandbox: Sandbox;
let emulator: PercipioEmulator;
let api: string;
let token: string;
const ORG = PERCIPIO_DEMO.orgId;
const IX = `/content-aggregation/v1/partners/${PERCIPIO_SANDBOX.partnerName}`;

beforeAll(async () => {
	sandbox = await startSandbox({
		providers: [percipioProvider({ demoData: true })],
		logLevel: 'silent',
	});
	emulator = sandbox.provider<PercipioEmulator>('percipio');
	api = sandbox.urlFor('percipio', 'api');
});
afterAll(async () => await sandbox.close());
beforeEach(async () => {
	sandbox.reset();
	const res = await fetch(`${sandbox.urlFor('percipio', 'oauth')}/oauth2-provider/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			client_id: PERCIPIO_DEMO.clientId,
			client_secret: PERCIPIO_DEMO.clientSecret,
			grant_type: 'client_credentials',
			scope: 'api',
		}),
	});
	token = ((await res.json()) as { access_token: string }).access_token;
});

const call = async (
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
) => {
	const res = await fetch(`${api}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return {
		status: res.status,
		headers: res.headers,
		body: text ? (JSON.parse(text) as unknown) : undefined,
	};
};

test('organization and paging parameters are validated like Percipio does', async () => {
	expect((await call('GET', `/user-management/v1/organizations/not-a-uuid/users`)).status).toBe(
		400,
	);
	expect(
		(
			await call(
				'GET',
				`/user-management/v1/organizations/00000000-0000-4000-8000-000000000000/users`,
			)
		).status,
	).toBe(403);
	expect(
		await call('GET', `/user-management/v1/organizations/${ORG}/users?max=1001`),
	).toMatchObject({ status: 400, body: { message: 'max must be an integer between 1 and 1000' } });
	const ok = await call('GET', `/user-management/v1/organizations/${ORG}/users?offset=4&max=2`);
	expect(ok.headers.get('x-total-count')).toBe('5');
	expect((ok.body as unknown[]).length).toBe(1);
});

test('catalog: x-total-count, x-paging-request-id and link rel="last"; an unknown pagingRequestId is refused', async () => {
	const first = await call(
		'GET',
		`/content-discovery/v2/organizations/${ORG}/catalog-content?max=5`,
	);
	expect(first.headers.get('x-total-count')).toBe('12');
	const snapshot = first.headers.get('x-paging-request-id')!;
	expect(first.headers.get('link')).toBe(
		`<${api}/content-discovery/v2/organizations/${ORG}/catalog-content?offset=10&max=5&pagingRequestId=${snapshot}>; rel="last"`,
	);
	expect(
		(
			await call(
				'GET',
				`/content-discovery/v2/organizations/${ORG}/catalog-content?offset=10&max=5&pagingRequestId=${snapshot}`,
			)
		).body,
	).toHaveLength(2);
	expect(
		(
			await call(
				'GET',
				`/content-discovery/v2/organizations/${ORG}/catalog-content?pagingRequestId=nope`,
			)
		).status,
	).toBe(400);
});

test('report: timeFrame and start/end together are refused; PENDING → IN_PROGRESS → rows on the same URL', async () => {
	const base = `/reporting/v1/organizations/${ORG}/report-requests`;
	expect(
		(
			await call('POST', `${base}/learning-activity`, {
				timeFrame: 'DAY',
				start: '2026-11-01T00:00:00Z',
			})
		).status,
	).toBe(400);
	const created = await call('POST', `${base}/learning-activity`, { timeFrame: 'WEEK' });
	const { id, status } = created.body as { id: string; status: string };
	expect(status).toBe('PENDING');
	expect((await call('GET', `${base}/${id}`)).body).toEqual({ id, status: 'PENDING' });
	expect((await call('GET', `${base}/${id}`)).body).toEqual({ id, status: 'IN_PROGRESS' });
	const rows = (await call('GET', `${base}/${id}`)).body as Array<Record<string, unknown>>;
	expect(rows).toHaveLength(6);
	expect(rows[0]).toMatchObject({
		userId: 'ada.lovelace',
		status: 'Completed',
		contentTitle: 'Leading Remote Teams',
	});
});

test('content import requires the onboarding fields and keys by content_id', async () => {
	const path = `${IX}/organizations/${ORG}/content`;
	const bad = await call('POST', path, {
		content_id: 'x',
		title: 'T',
		description: 'd'.repeat(501),
	});
	expect(bad.status).toBe(400);
	expect((bad.body as { message: string }).message).toBe(
		'Invalid content: type is required; url is required; language is required; duration is required; description must be at most 500 characters',
	);
	const item = {
		content_id: 'x',
		title: 'T',
		type: 'VIDEO',
		url: 'https://x.example/1',
		language: 'en',
		duration: 900,
	};
	expect((await call('POST', path, item)).body).toEqual({ content_id: 'x', status: 'CREATED' });
	expect((await call('POST', path, [item, { ...item, content_id: 'y' }])).body).toEqual([
		{ content_id: 'x', status: 'UPDATED' },
		{ content_id: 'y', status: 'CREATED' },
	]);
	expect(sandbox.ledger.writes('percipio', 'content')).toMatchObject({
		total: 2,
		updates: 1,
		duplicates: [],
	});
});

test('track: statuses are checked and a repeated event shows as a duplicate in the ledger', async () => {
	const event = {
		content_id: 'x',
		user: 'u',
		status: 'completed',
		event_date: '2026-11-20T10:00:00Z',
	};
	expect((await call('POST', `${IX}/track`, { ...event, status: 'done' })).status).toBe(400);
	expect((await call('POST', `${IX}/track`, event)).body).toEqual({
		status: 'ok',
		message: 'Track event accepted',
	});
	await call('POST', `${IX}/organizations/${ORG}/track`, event);
	expect(sandbox.ledger.duplicates('percipio', 'track')).toEqual([percipioTrackKey(event)]);
	expect(
		(await call('POST', `/content-aggregation/v1/partners/someone-else/track`, event)).status,
	).toBe(404);
});

test('statements: the xAPI version header is required; same id + same content is an update, other content a 409', async () => {
	const s = {
		id: '886313e1-3b8a-5372-9b90-0c9aee199e5d',
		actor: { mbox: 'mailto:a@example.com' },
		verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
		object: { id: 'https://x.example/1' },
	};
	const v = { 'x-experience-api-version': '1.0.3' };
	expect((await call('POST', `${IX}/statements`, s)).status).toBe(400);
	expect((await call('POST', `${IX}/statements`, s, v)).body).toEqual([s.id]);
	expect((await call('POST', `${IX}/statements`, s, v)).status).toBe(200);
	expect(
		(
			await call(
				'POST',
				`${IX}/statements`,
				{ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } },
				v,
			)
		).status,
	).toBe(409);
	expect(sandbox.ledger.writes('percipio', 'statement')).toMatchObject({
		total: 1,
		updates: 1,
		duplicates: [],
	});
});

test('service-account JWTs are accepted without a token request; an optional rate limit answers 429 with Retry-After', async () => {
	token = PERCIPIO_SANDBOX.serviceAccountToken;
	expect(
		(await call('GET', `/user-management/v1/organizations/${ORG}/users/external-user-id/emp-1003`))
			.body,
	).toMatchObject({ loginName: 'grace.hopper' });
	emulator.seed({ rateLimitPerMinute: 2 });
	await call('GET', `/user-management/v1/organizations/${ORG}/users?max=1`);
	await call('GET', `/user-management/v1/organizations/${ORG}/users?max=1`);
	const limited = await call('GET', `/user-management/v1/organizations/${ORG}/users?max=1`);
	expect(limited.status).toBe(429);
	expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
});
