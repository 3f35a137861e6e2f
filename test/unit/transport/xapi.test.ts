import { IRI_PATTERN, isIri, uuidV5 } from '../../../nodes/shared/xapi';

// Any fixed namespace: the properties below hold for every one.
const NS = 'b6b3f7f2-3c1e-4b55-9a0e-6f5f0d7c2a91';

describe('uuidV5 (shared by the Degreed and Percipio statement ids)', () => {
	test('is RFC 4122 name-based SHA-1 (known vectors: DNS namespace)', () => {
		// Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org') and 'www.example.com'
		expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
			'886313e1-3b8a-5372-9b90-0c9aee199e5d',
		);
		expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
			'2ed6657d-e927-568b-95e1-2665a8aea6a2',
		);
	});

	test('the same name gives the same id; any change gives another', () => {
		expect(uuidV5('a', NS)).toBe(uuidV5('a', NS));
		expect(uuidV5('a', NS)).not.toBe(uuidV5('b', NS));
		const a = uuidV5(
			'["learner_1","http://adlnet.gov/expapi/verbs/completed","https://x/1","2026-11-21T11:00:00.000Z",null]',
			NS,
		);
		expect(
			uuidV5(
				'["learner_1","http://adlnet.gov/expapi/verbs/completed","https://x/1","2026-11-21T11:00:00.000Z",null]',
				NS,
			),
		).toBe(a);
		expect(
			uuidV5(
				'["learner_1","http://adlnet.gov/expapi/verbs/completed","https://x/1","2026-11-21T11:00:01.000Z",null]',
				NS,
			),
		).not.toBe(a);
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	test('the namespace is part of the id', () => {
		expect(uuidV5('a', NS)).not.toBe(uuidV5('a', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'));
	});
});

describe('xAPI IRIs', () => {
	test.each([
		'https://example.com/a',
		'http://adlnet.gov/expapi/verbs/completed',
		'urn:uuid:1',
		'mailto:a@b.example',
	])('%s is an IRI', (value) => {
		expect(isIri(value)).toBe(true);
		expect(IRI_PATTERN.test(value)).toBe(true);
	});

	test.each(['', 'completed', '/relative/path', 'https://exa mple.com', '1http://x'])(
		'"%s" is not an IRI',
		(value) => {
			expect(isIri(value)).toBe(false);
		},
	);
});
