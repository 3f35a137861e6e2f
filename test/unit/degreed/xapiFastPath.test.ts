import { buildStatement, statementSchema } from '../../../nodes/Degreed/transport/xapi';
import { isCommonValidStatement } from '../../../nodes/Degreed/transport/xapiFastPath';

type Json = Record<string, unknown>;

const base = (): Json => ({
	id: '00000000-0000-4000-8000-000000000001',
	actor: { objectType: 'Agent', name: 'Li Wei', mbox: 'mailto:li.wei@acme.example' },
	verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
	object: {
		objectType: 'Activity',
		id: 'https://learn.acme.example/courses/privacy-101',
		definition: {
			name: { 'en-US': 'Privacy' },
			description: { de: 'Datenschutz' },
			type: 'http://adlnet.gov/expapi/activities/course',
		},
	},
	result: {
		completion: true,
		success: false,
		duration: 'PT30M',
		response: 'ok',
		score: { scaled: 0.5, raw: 5, min: 0, max: 10 },
	},
	timestamp: '2026-05-01T10:00:00Z',
	version: '1.0.3',
});

/** Every path in `value` set to each of `odd`, and deleted: statements near the valid ones. */
function mutations(value: Json): Json[] {
	const odd: unknown[] = [
		undefined,
		null,
		'',
		'x',
		'mailto:bad',
		'not an iri',
		'https://ok.example/x',
		'Agent',
		'Group',
		'Activity',
		'StatementRef',
		0,
		-2,
		2,
		11,
		Number.NaN,
		Infinity,
		true,
		[],
		{},
		{ 'en-US': 1 },
		{ 'not a tag!': 'x' },
		'2026-13-45T99:99:99Z',
		'2026-05-01T10:00',
		'P',
		'PT1H',
		'1.0',
		'2.0.0',
		'http://adlnet.gov/expapi/verbs/voided',
	];
	const out: Json[] = [];
	const walk = (node: Json, path: string[]) => {
		for (const key of Object.keys(node)) {
			for (const v of odd) out.push(setAt(value, [...path, key], v));
			out.push(setAt(value, [...path, key], DELETE));
			const child = node[key];
			if (child && typeof child === 'object' && !Array.isArray(child))
				walk(child as Json, [...path, key]);
		}
		out.push(setAt(value, [...path, 'extra'], 'x'));
		out.push(setAt(value, [...path, 'extra'], undefined));
	};
	walk(value, []);
	return out;
}

const DELETE = Symbol('delete');
function setAt(value: Json, path: string[], v: unknown): Json {
	const copy = structuredClone(value);
	let node = copy;
	for (const key of path.slice(0, -1)) node = node[key] as Json;
	const last = path[path.length - 1];
	if (v === DELETE) delete node[last];
	else node[last] = v;
	return copy;
}

describe('xAPI statement fast path', () => {
	const variants: Json[] = [
		base(),
		{
			actor: { mbox: 'mailto:a@b.example' },
			verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
			object: { id: 'urn:x:1' },
		},
		{
			...base(),
			actor: {
				objectType: 'Agent',
				account: { homePage: 'https://hr.acme.example', name: 'E123' },
			},
		},
		buildStatement({
			actorType: 'email',
			learnerEmail: 'li.wei@acme.example',
			verb: 'completed',
			activityId: 'https://x.example/a',
			activityName: 'A',
			timestamp: '2026-05-01T10:00:00',
			completion: true,
			scoreRaw: 3,
			scoreMin: 0,
			scoreMax: 5,
		}) as Json,
	];

	it('accepts the common statements zod accepts (so the fast path is taken)', () => {
		for (const s of variants) {
			expect(statementSchema.safeParse(s).success).toBe(true);
			expect(isCommonValidStatement(s)).toBe(true);
		}
	});

	it('never says yes where zod says no (thousands of near-valid mutations)', () => {
		let fastYes = 0;
		let zodNo = 0;
		for (const v of variants) {
			for (const s of mutations(v)) {
				const zodOk = statementSchema.safeParse(s).success;
				if (!zodOk) zodNo++;
				if (isCommonValidStatement(s)) {
					fastYes++;
					if (!zodOk) throw new Error(`fast path accepted what zod refuses: ${JSON.stringify(s)}`);
				}
			}
		}
		// Both sides are exercised: many mutations are refused by zod, and some are still valid.
		expect(zodNo).toBeGreaterThan(500);
		expect(fastYes).toBeGreaterThan(50);
	});

	it('leaves what it does not know to zod (context, groups, sub-statements, voiding)', () => {
		expect(isCommonValidStatement({ ...base(), context: { platform: 'n8n' } })).toBe(false);
		expect(
			isCommonValidStatement({
				...base(),
				actor: { objectType: 'Group', member: [{ mbox: 'mailto:a@b.example' }] },
			}),
		).toBe(false);
		expect(
			isCommonValidStatement({
				...base(),
				verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
				object: { objectType: 'StatementRef', id: '00000000-0000-4000-8000-000000000001' },
			}),
		).toBe(false);
		expect(isCommonValidStatement(null)).toBe(false);
		expect(isCommonValidStatement([base()])).toBe(false);
	});
});
