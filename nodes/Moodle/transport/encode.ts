/**
 * Moodle's REST server reads its arguments the way PHP reads a form: nested arrays and objects are
 * spelled with brackets (`users[0][username]=ada`, `options[0][name]=limitfrom`,
 * `field=email&values[0]=a@b.example`). This turns a plain value into those flat key/value pairs.
 *
 * - objects → `key[name]`, arrays → `key[0]`, `key[1]` …, nested to any depth;
 * - booleans → `1` / `0` (PHP_BOOL params accept both, PARAM_INT params only accept numbers);
 * - numbers and bigints → their decimal text; Dates → Unix seconds, Moodle's time unit;
 * - `null` / `undefined` → left out, so an optional argument is simply not sent;
 * - an empty array or object → left out (PHP has no way to spell an empty array in a form).
 */
export type FormPairs = Array<[string, string]>;

export class BracketEncodingError extends Error {}

function encodeScalar(value: unknown, key: string): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'boolean') return value ? '1' : '0';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new BracketEncodingError(`"${key}" is not a finite number`);
		return String(value);
	}
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'string') return value;
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime()))
			throw new BracketEncodingError(`"${key}" is not a valid date`);
		return String(Math.floor(value.getTime() / 1000));
	}
	throw new BracketEncodingError(
		`"${key}" has a value of type ${typeof value} that cannot be sent to Moodle`,
	);
}

function walk(value: unknown, key: string, out: FormPairs, depth: number): void {
	if (depth > 32) throw new BracketEncodingError(`"${key}" is nested too deeply`);
	if (Array.isArray(value)) {
		value.forEach((entry, i) => walk(entry, `${key}[${i}]`, out, depth + 1));
		return;
	}
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		for (const [name, entry] of Object.entries(value as Record<string, unknown>))
			walk(entry, `${key}[${name}]`, out, depth + 1);
		return;
	}
	const text = encodeScalar(value, key);
	if (text !== undefined) out.push([key, text]);
}

/** The flat `[key, value]` pairs of a web-service function's arguments, in a stable order. */
export function encodeMoodleParams(params: Record<string, unknown>): FormPairs {
	const out: FormPairs = [];
	for (const [name, value] of Object.entries(params)) {
		if (!name) throw new BracketEncodingError('a parameter name must not be empty');
		walk(value, name, out, 0);
	}
	return out;
}

/** The same pairs as an object (what the shared transport's `form: true` body accepts). */
export function toFormObject(pairs: FormPairs): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of pairs) out[k] = v;
	return out;
}
