import {
	BracketEncodingError,
	encodeMoodleParams,
	toFormObject,
} from '../../../nodes/Moodle/transport/encode';
import { toFormBody } from '../../support/testOnlyHelpers';

describe('Moodle bracket encoder', () => {
	it('encodes scalars as they are, booleans as 1/0', () => {
		expect(
			encodeMoodleParams({
				courseid: 7,
				field: 'email',
				onlyactive: true,
				suspend: false,
				big: BigInt(12),
			}),
		).toEqual([
			['courseid', '7'],
			['field', 'email'],
			['onlyactive', '1'],
			['suspend', '0'],
			['big', '12'],
		]);
	});

	it('encodes arrays of scalars with indexes', () => {
		expect(encodeMoodleParams({ field: 'email', values: ['a@b.example', 'c@d.example'] })).toEqual([
			['field', 'email'],
			['values[0]', 'a@b.example'],
			['values[1]', 'c@d.example'],
		]);
	});

	it('encodes arrays of objects (users[0][username])', () => {
		const pairs = encodeMoodleParams({
			users: [
				{ username: 'ada', firstname: 'Ada', customfields: [{ type: 'team', value: 'L&D' }] },
				{ username: 'alan', createpassword: true },
			],
		});
		expect(pairs).toEqual([
			['users[0][username]', 'ada'],
			['users[0][firstname]', 'Ada'],
			['users[0][customfields][0][type]', 'team'],
			['users[0][customfields][0][value]', 'L&D'],
			['users[1][username]', 'alan'],
			['users[1][createpassword]', '1'],
		]);
	});

	it('encodes objects keyed by name (options[ids][0]) and deep nesting', () => {
		expect(encodeMoodleParams({ options: { ids: [3, 4] }, a: { b: { c: [{ d: 'x' }] } } })).toEqual(
			[
				['options[ids][0]', '3'],
				['options[ids][1]', '4'],
				['a[b][c][0][d]', 'x'],
			],
		);
	});

	it('leaves out null, undefined and empty containers', () => {
		expect(
			encodeMoodleParams({ a: null, b: undefined, c: [], d: {}, e: [null, 'kept'], f: '' }),
		).toEqual([
			['e[1]', 'kept'],
			['f', ''],
		]);
	});

	it('turns Dates into Unix seconds', () => {
		expect(encodeMoodleParams({ timestart: new Date('2026-01-02T03:04:05.678Z') })).toEqual([
			['timestart', '1767323045'],
		]);
	});

	it('rejects values Moodle cannot receive, naming the key', () => {
		expect(() => encodeMoodleParams({ users: [{ age: Number.NaN }] })).toThrow(
			new BracketEncodingError('"users[0][age]" is not a finite number'),
		);
		expect(() => encodeMoodleParams({ f: () => 1 })).toThrow(/"f" has a value of type function/);
		expect(() => encodeMoodleParams({ d: new Date('nope') })).toThrow(/not a valid date/);
		const deep: Record<string, unknown> = {};
		let cur = deep;
		for (let i = 0; i < 40; i++) cur = (cur.x = {}) as Record<string, unknown>;
		cur.y = 1;
		expect(() => encodeMoodleParams({ deep })).toThrow(/nested too deeply/);
	});

	it('form-encodes brackets and special characters the way PHP decodes them', () => {
		const body = toFormBody(
			encodeMoodleParams({ users: [{ email: 'a+b@c.example', firstname: 'Zoë & Co' }] }),
		);
		expect(body).toBe(
			'users%5B0%5D%5Bemail%5D=a%2Bb%40c.example&users%5B0%5D%5Bfirstname%5D=Zo%C3%AB+%26+Co',
		);
		// Round trip through a PHP-style parser (qs parses brackets like PHP).
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const qs = require('qs') as typeof import('qs');
		expect(qs.parse(body)).toEqual({ users: [{ email: 'a+b@c.example', firstname: 'Zoë & Co' }] });
	});

	it('toFormObject keeps order and values', () => {
		expect(
			Object.entries(
				toFormObject([
					['b', '1'],
					['a', '2'],
				]),
			),
		).toEqual([
			['b', '1'],
			['a', '2'],
		]);
	});
});
