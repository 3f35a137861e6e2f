/**
 * A fast yes for the statements most syncs send (an Agent with mbox or account, a verb, an Activity,
 * result, timestamp): checked by hand with the same rules as `statementSchema` in ./xapi.ts.
 *
 * Why: zod 3 spends ~100–180 µs on one statement (unions, refinements, strict objects), measured
 * with the bench's statements — at 10,000 statements that alone is about the whole time n8n's bare
 * request helper needs to send them in batches of 50. Anything outside this subset, and anything
 * that fails a rule here, answers `false`: the caller then validates with zod, which gives the
 * user's error message. So `true` must only ever be answered where zod accepts (tested against the
 * schema in test/unit/degreed/xapiFastPath.test.ts).
 */
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAILTO = /^mailto:[A-Z0-9.`'_%+-]+@[A-Z0-9.-]+\.[A-Z]{1,63}$/i;
const LANGUAGE = /^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+[DW])?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const VERSION = /^1\.0(\.\d+)?$/;
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

type Obj = Record<string, unknown>;

// Plain objects of any realm (items can come from n8n's sandboxes), not arrays, dates, maps…
const isObject = (v: unknown): v is Obj =>
	typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Object]';

/** Every own key is one of `allowed` (zod's `.strict()` refuses other keys even when undefined). */
function onlyKeys(o: Obj, allowed: readonly string[]): boolean {
	for (const key in o) if (!allowed.includes(key)) return false;
	return true;
}

const str = (v: unknown, re?: RegExp): boolean => typeof v === 'string' && (!re || re.test(v));
const optional = (v: unknown, check: (v: unknown) => boolean): boolean =>
	v === undefined || check(v);

function languageMap(v: unknown): boolean {
	if (!isObject(v)) return false;
	for (const key in v) if (!LANGUAGE.test(key) || typeof v[key] !== 'string') return false;
	return true;
}

function agent(v: unknown): boolean {
	if (!isObject(v) || !onlyKeys(v, ['objectType', 'name', 'mbox', 'account'])) return false;
	if (v.objectType !== undefined && v.objectType !== 'Agent') return false;
	if (!optional(v.name, (n) => str(n))) return false;
	if ((v.mbox === undefined) === (v.account === undefined)) return false;
	if (v.mbox !== undefined) return str(v.mbox, MAILTO);
	const a = v.account;
	return (
		isObject(a) &&
		onlyKeys(a, ['homePage', 'name']) &&
		str(a.homePage, IRI) &&
		typeof a.name === 'string' &&
		a.name.length > 0
	);
}

function activity(v: unknown): boolean {
	if (!isObject(v) || !onlyKeys(v, ['objectType', 'id', 'definition'])) return false;
	if (v.objectType !== undefined && v.objectType !== 'Activity') return false;
	if (!str(v.id, IRI)) return false;
	const d = v.definition;
	if (d === undefined) return true;
	return (
		isObject(d) &&
		onlyKeys(d, ['name', 'description', 'type']) &&
		optional(d.name, languageMap) &&
		optional(d.description, languageMap) &&
		optional(d.type, (t) => str(t, IRI))
	);
}

const num = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

function score(v: unknown): boolean {
	if (!isObject(v) || !onlyKeys(v, ['scaled', 'raw', 'min', 'max'])) return false;
	const { scaled, raw, min, max } = v;
	if (![scaled, raw, min, max].every((n) => n === undefined || num(n))) return false;
	if (scaled !== undefined && ((scaled as number) < -1 || (scaled as number) > 1)) return false;
	if (min !== undefined && max !== undefined && (min as number) > (max as number)) return false;
	if (
		raw !== undefined &&
		((min !== undefined && (raw as number) < (min as number)) ||
			(max !== undefined && (raw as number) > (max as number)))
	)
		return false;
	return true;
}

function result(v: unknown): boolean {
	if (!isObject(v) || !onlyKeys(v, ['score', 'success', 'completion', 'response', 'duration']))
		return false;
	return (
		optional(v.score, score) &&
		optional(v.success, (b) => typeof b === 'boolean') &&
		optional(v.completion, (b) => typeof b === 'boolean') &&
		optional(v.response, (r) => str(r)) &&
		optional(v.duration, (d) => str(d, DURATION))
	);
}

/** `true`: `statementSchema` accepts this statement. `false`: not decided here — validate with zod. */
export function isCommonValidStatement(s: unknown): boolean {
	if (
		!isObject(s) ||
		!onlyKeys(s, ['id', 'actor', 'verb', 'object', 'result', 'timestamp', 'version'])
	)
		return false;
	if (!optional(s.id, (id) => str(id, UUID))) return false;
	if (!agent(s.actor)) return false;
	const verb = s.verb;
	if (
		!isObject(verb) ||
		!onlyKeys(verb, ['id', 'display']) ||
		!str(verb.id, IRI) ||
		verb.id === VOIDED ||
		!optional(verb.display, languageMap)
	)
		return false;
	if (!activity(s.object)) return false;
	if (!optional(s.result, result)) return false;
	if (!optional(s.timestamp, (t) => str(t, TIMESTAMP) && !Number.isNaN(Date.parse(t as string))))
		return false;
	return optional(s.version, (v) => str(v, VERSION));
}
