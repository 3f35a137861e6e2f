/**
 * No secret, nor a recognisable fragment of one, survives a cut: for every form a secret travels
 * in, placed across every cut position, neither `clipText` nor the error builder (which cuts bodies
 * at 4,000 characters) shows 6 consecutive characters of it.
 */
import { apiError } from '../../../nodes/shared/errors';
import { CUT, REDACTED, Redactor, clipText } from '../../../nodes/shared/redact';
import type { INode } from 'n8n-workflow';

const CLIENT_ID = 'client-7';
// Spaces, quotes, a slash, a plus and a backslash: every encoding differs from the raw value.
const SECRET = 'sk live/Q9+"x"\\zT8vW3-pLm';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXRva2Vu';

const basic = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
const FORMS: Array<[string, string]> = [
	['raw', SECRET],
	['Basic header', `Basic ${basic}`],
	['bare Base64 of id:secret', basic],
	['bare Base64, unpadded', basic.replace(/=+$/, '')],
	[
		'Base64 of the URL-encoded pair',
		Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(SECRET)}`).toString(
			'base64',
		),
	],
	['URL-encoded', encodeURIComponent(SECRET)],
	['form-encoded', new URLSearchParams({ s: SECRET }).toString().slice(2)],
	['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
	['the token', TOKEN],
	['the token as Bearer', `Bearer ${TOKEN}`],
];

const redactor = () => new Redactor([SECRET, TOKEN]).addBasic(CLIENT_ID, SECRET);

/** Every run of 6 characters of every form of both secrets. */
const FRAGMENTS = (() => {
	const all = new Set<string>();
	for (const [, form] of FORMS) {
		const credential = form.replace(/^(Basic|Bearer) /, '');
		for (let i = 0; i + 6 <= credential.length; i++) all.add(credential.slice(i, i + 6));
	}
	for (const s of [SECRET, TOKEN])
		for (let i = 0; i + 6 <= s.length; i++) all.add(s.slice(i, i + 6));
	// The filler's own characters are not fragments.
	for (const f of [...all])
		if (/^[.a ]+$/.test(f) || f.includes(REDACTED.slice(0, 6))) all.delete(f);
	return [...all];
})();

const shown = (text: string) => FRAGMENTS.filter((f) => text.includes(f));

describe('clipText: redaction first, then the cut', () => {
	const MAX = 80;
	it.each(FORMS)(
		'%s straddling every cut position leaves no 6-character fragment',
		(_name, form) => {
			for (let before = MAX - form.length - 2; before <= MAX + 1; before++) {
				const text = `${'a'.repeat(Math.max(0, before))} ${form} and more text after it`;
				const clipped = clipText(text, MAX, redactor());
				expect(shown(clipped)).toEqual([]);
				expect(clipped.length).toBeLessThanOrEqual(MAX + CUT.length);
			}
		},
	);

	it('a cut inside a redaction marker drops the partial marker', () => {
		const text = `${'a'.repeat(70)} ${SECRET} tail`;
		for (let max = 71; max < 71 + REDACTED.length; max++) {
			const clipped = clipText(text, max, redactor());
			expect(clipped.endsWith(CUT)).toBe(true);
			expect(clipped).not.toMatch(/\[[a-z]*…$/);
		}
	});

	it('without known secrets, a cut inside a word drops the partial word (a token no pattern knows whole)', () => {
		const text = `{"note":"x","data":"${TOKEN}"}`;
		const clipped = clipText(text, 40);
		expect(clipped).toBe(`{"note":"x","data":"${CUT}`);
	});

	it('text shorter than the bound is only redacted', () => {
		expect(clipText(`key ${SECRET}`, 500, redactor())).toBe(`key ${REDACTED}`);
	});

	it('a redactor that knows the secret drops its start left before a cut by another (pattern-only) clip', () => {
		const clippedEarlier = clipText(`${'b '.repeat(20)}${SECRET}`, 44);
		expect(redactor().text(`Provider said: ${clippedEarlier}`)).not.toContain(SECRET.slice(0, 3));
	});
});

describe('apiError: the 4,000-character body cut never shows a fragment', () => {
	const node = {
		id: '1',
		name: 'LMS',
		type: 'n8n-nodes-learning-platforms.test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	} as INode;
	const positions = [-2, -1, 0, 1, 3, 7, 12, 20];
	it.each(FORMS)('%s across the cut, in a text body and in a JSON body', (_name, form) => {
		for (const offset of positions) {
			const pad = 'a '.repeat(2100).slice(0, 4000 - offset);
			for (const body of [
				`${pad}${form} trailing words`,
				{ detail: `${pad.slice(0, -12)}${form} trailing words` },
			]) {
				const error = apiError({
					node,
					provider: 'LMS',
					redactor: redactor(),
					message: 'request failed',
					response: { statusCode: 400, headers: {}, body },
				});
				const everything = JSON.stringify({
					message: error.message,
					description: error.description,
					context: error.context,
					cause: (error as { cause?: unknown }).cause,
				});
				expect(shown(everything)).toEqual([]);
			}
		}
	});
});

describe('Redactor: every form of a secret is registered', () => {
	it.each(FORMS)('%s', (_name, form) => {
		const out = redactor().text(`before ${form} after`);
		expect(shown(out)).toEqual([]);
		expect(out).toMatch(/^before .*\[redacted\].* after$/);
	});

	it('a JSON-escaped secret inside JSON text embedded in a JSON string (escaped twice)', () => {
		const twice = JSON.stringify(JSON.stringify({ secret: SECRET }));
		expect(shown(redactor().text(twice))).toEqual([]);
	});
});
