/** The hostile world itself: through the recording proxy, with nothing hostile, every operation works. */
import {
	PROVIDERS,
	credentialsSentTo,
	leaksOf,
	resetWorld,
	run,
	shown,
	startWorld,
	stopWorld,
} from './harness';
import type { World } from './harness';
import { LIST, READ, WRITES } from './ops';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(async () => await stopWorld(world));
beforeEach(() => resetWorld(world));

const ops = PROVIDERS.flatMap((p) =>
	[READ[p], LIST[p], ...WRITES[p]].map((op) => [`${p} ${op.name}`, p, op] as const),
);

it.each(ops)('%s: recorded, on the configured origin, nothing shown', async (_l, provider, op) => {
	const r = await run(world, provider, op.params);
	expect(r.escaped).toEqual([]);
	expect(world.hostile.seen.length).toBeGreaterThan(0);
	expect(world.foreign.seen).toEqual([]);
	expect(leaksOf(world, provider, shown(r))).toEqual([]);
	expect(credentialsSentTo(world, world.foreign, provider)).toEqual([]);
	expect({
		error: r.error?.message,
		out: r.output.map((o) => o.json.error ?? 'ok').slice(0, 1),
	}).toMatchObject({ error: undefined });
});
