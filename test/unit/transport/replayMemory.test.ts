import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { firstDelivery, forgetDeliveries } from '../../../nodes/shared/replayMemory';

/**
 * n8n's static data as a webhook sees it: each delivery gets its own copy read from the database,
 * and whatever it holds afterwards is saved back whole (last save wins), as live-webhooks does.
 */
class StaticDataInDatabase {
	saved: IDataObject = {};
	load(): IDataObject {
		return JSON.parse(JSON.stringify(this.saved)) as IDataObject;
	}
	save(copy: IDataObject): void {
		this.saved = JSON.parse(JSON.stringify(copy)) as IDataObject;
	}
}

const delivery = (staticData: IDataObject, workflowId = 'wf-1') =>
	({
		getWorkflow: () => ({ id: workflowId }),
		getNode: () => ({ name: 'Thrive Trigger' }),
		getWorkflowStaticData: () => staticData,
	}) as unknown as IWebhookFunctions;

const NOW = Date.parse('2026-11-23T12:00:00Z');
const WINDOW = 300_000;

beforeEach(() => forgetDeliveries());

describe('firstDelivery (trigger replay memory)', () => {
	it('deliveries handled at the same moment by one process: each event once, and the saved copy knows them all', () => {
		const db = new StaticDataInDatabase();
		// 40 deliveries read the database before any of them saves (the race n8n's static data has).
		const copies = Array.from({ length: 40 }, () => db.load());
		const accepted = copies.map((copy, n) =>
			firstDelivery(delivery(copy), 'seenEvents', `id:e${n % 20}`, NOW, NOW + WINDOW),
		);
		// Events e0..e19 each arrived twice: the second of each pair is a replay.
		expect(accepted.filter(Boolean)).toHaveLength(20);
		expect(accepted.slice(20).some(Boolean)).toBe(false);
		// Each saves its copy back (in the order they were handled): the last one carries every event.
		for (const copy of copies) db.save(copy);
		expect(Object.keys(db.saved.seenEvents as IDataObject).sort()).toEqual(
			Array.from({ length: 20 }, (_, n) => `id:e${n}`).sort(),
		);
	});

	it('another n8n process (nothing in its memory) refuses what the first one saved', () => {
		const db = new StaticDataInDatabase();
		const copy = db.load();
		expect(firstDelivery(delivery(copy), 'seenEvents', 'id:e1', NOW, NOW + WINDOW)).toBe(true);
		db.save(copy);
		forgetDeliveries();
		expect(
			firstDelivery(delivery(db.load()), 'seenEvents', 'id:e1', NOW + 1000, NOW + WINDOW),
		).toBe(false);
		expect(
			firstDelivery(delivery(db.load()), 'seenEvents', 'id:e2', NOW + 1000, NOW + WINDOW),
		).toBe(true);
	});

	it('an older copy saved last (a queue-mode execution saving its snapshot) does not make this process forget', () => {
		const db = new StaticDataInDatabase();
		const stale = db.load();
		const copy = db.load();
		expect(firstDelivery(delivery(copy), 'seenEvents', 'id:e1', NOW, NOW + WINDOW)).toBe(true);
		db.save(copy);
		db.save(stale);
		expect(
			firstDelivery(delivery(db.load()), 'seenEvents', 'id:e1', NOW + 1000, NOW + WINDOW),
		).toBe(false);
	});

	it('is scoped per workflow and forgets after the window', () => {
		expect(firstDelivery(delivery({}, 'wf-1'), 'seenEvents', 'id:e1', NOW, NOW + WINDOW)).toBe(
			true,
		);
		expect(firstDelivery(delivery({}, 'wf-2'), 'seenEvents', 'id:e1', NOW, NOW + WINDOW)).toBe(
			true,
		);
		expect(
			firstDelivery(
				delivery({}, 'wf-1'),
				'seenEvents',
				'id:e1',
				NOW + WINDOW - 1,
				NOW + 2 * WINDOW,
			),
		).toBe(false);
		expect(
			firstDelivery(delivery({}, 'wf-1'), 'seenEvents', 'id:e1', NOW + WINDOW, NOW + 2 * WINDOW),
		).toBe(true);
	});
});
