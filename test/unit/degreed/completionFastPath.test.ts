import {
	completionSchema,
	fastCompletionInput,
} from '../../../nodes/Degreed/actions/completion/create.operation';
import type { IDataObject } from 'n8n-workflow';

type Json = Record<string, unknown>;

const base = (): Json => ({
	userId: ' li.wei@acme.example ',
	userIdentifierType: 'Email',
	contentId: 'course-v1:acme+101',
	contentIdType: 'externalId',
	contentType: 'Course',
	completedAt: '2026-05-01T10:00:00Z',
	percentile: 90,
});

const odd: unknown[] = [
	undefined,
	null,
	'',
	'   ',
	' x ',
	'Email',
	'email',
	'Course',
	'course',
	'EmployeeId',
	'2026-05-01',
	'2026-13-01T00:00:00Z',
	'not a date',
	0,
	-1,
	50,
	100,
	100.5,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	'90',
	true,
	{},
	[],
	new Date('2026-05-01T10:00:00Z'),
];

/** Every field of a valid completion set to each odd value, and deleted. */
function nearValid(): Json[] {
	const out: Json[] = [base()];
	for (const key of Object.keys(base())) {
		const without = base();
		delete without[key];
		out.push(without);
		for (const value of odd) out.push({ ...base(), [key]: value });
	}
	// Two fields wrong at once, and extra keys zod strips.
	for (const a of odd) for (const b of odd) out.push({ ...base(), userId: a, completedAt: b });
	out.push({ ...base(), extra: 'dropped', 'user-id': 'kebab too' });
	return out;
}

describe('fastCompletionInput: the completion schema by hand, for the common case', () => {
	it('never accepts what zod refuses, and returns exactly what zod returns when it accepts', () => {
		let fast = 0;
		for (const input of nearValid()) {
			const zod = completionSchema.safeParse(input);
			const quick = fastCompletionInput(input as IDataObject);
			if (quick === undefined) continue;
			fast++;
			expect(zod.success).toBe(true);
			if (zod.success) expect(quick).toEqual(zod.data);
		}
		// It does take the common shapes (else it would be dead code).
		expect(fast).toBeGreaterThan(50);
	});

	it('trims the identifiers like the schema and keeps a missing percentile missing', () => {
		const input = base();
		delete input.percentile;
		expect(fastCompletionInput(input as IDataObject)).toEqual({
			userId: 'li.wei@acme.example',
			userIdentifierType: 'Email',
			contentId: 'course-v1:acme+101',
			contentIdType: 'externalId',
			contentType: 'Course',
			completedAt: '2026-05-01T10:00:00Z',
		});
		expect(fastCompletionInput({ ...base(), percentile: Number.NaN })).toBeUndefined();
		expect(fastCompletionInput({ ...base(), contentType: 'Webinar' })).toBeUndefined();
	});
});
