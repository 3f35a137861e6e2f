// "Insert records over time" over the control API: records land with the timestamps given (late and
// equal ones included) and the providers' own "since" filters see them.
import { learnlinkProvider } from '../../sandbox/providers/learnlink';
import { scormCloudProvider, SCORMCLOUD_DEMO } from '../../sandbox/providers/scormcloud';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		providers: [scormCloudProvider(), learnlinkProvider()],
		logLevel: 'silent',
	});
});
afterAll(async () => await sandbox.close());

const insert = async (body: unknown) => {
	const res = await fetch(`${sandbox.controlUrl}/insert`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as { ids?: string[]; message?: string } };
};

test('SCORM Cloud registrations are stored at the given times and found by since + datetimeFilter=updated', async () => {
	const t = Date.UTC(2026, 10, 20, 10, 0, 0);
	const res = await insert({
		provider: 'scormcloud',
		kind: 'registration',
		records: [
			{ id: 'ins-a', at: t },
			{ id: 'ins-b', at: new Date(t).toISOString() },
			{ id: 'ins-late', at: t - 60_000, completed: false },
		],
	});
	expect(res).toEqual({ status: 201, body: { ids: ['ins-a', 'ins-b', 'ins-late'] } });
	const auth = `Basic ${Buffer.from(`${SCORMCLOUD_DEMO.appId}:${SCORMCLOUD_DEMO.secretKey}`).toString('base64')}`;
	const list = await fetch(
		`${sandbox.urlFor('scormcloud', 'cloud')}/api/v2/registrations?since=${new Date(t - 120_000).toISOString()}&until=${new Date(t + 1).toISOString()}&datetimeFilter=updated&orderBy=updated_asc`,
		{ headers: { authorization: auth } },
	);
	const body = (await list.json()) as {
		registrations: Array<{ id: string; updated: string; registrationCompletion: string }>;
	};
	expect(body.registrations.map((r) => [r.id, r.updated, r.registrationCompletion])).toEqual([
		['ins-late', new Date(t - 60_000).toISOString(), 'UNKNOWN'],
		['ins-a', new Date(t).toISOString(), 'COMPLETED'],
		['ins-b', new Date(t).toISOString(), 'COMPLETED'],
	]);
});

test('an unknown kind, a bad time or a provider without insert is refused with 400', async () => {
	expect((await insert({ provider: 'learnlink', kind: 'audience', records: [{}] })).status).toBe(
		400,
	);
	expect(
		(await insert({ provider: 'learnlink', kind: 'activity', records: [{ at: 'yesterday-ish' }] }))
			.body.message,
	).toMatch(/"at" must be an ISO date/);
	expect((await insert({ provider: 'nope', kind: 'x', records: [] })).status).toBe(404);
	expect((await insert({ provider: 'learnlink' })).status).toBe(400);
});
