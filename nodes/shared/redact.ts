/**
 * Secrets never reach node output, errors or logs. Two nets: the exact secret values the
 * transport knows (client secret, tokens, API keys), and patterns for credentials that travel in
 * well-known places (Authorization headers, token-ish query and body fields), which also catch a
 * value the transport never saw, such as a token echoed back by a provider.
 */
export const REDACTED = '[redacted]';

/** Marks where `clipText` cut a text; `Redactor.text` treats it as a cut (see `clipText`). */
export const CUT = '…';

const SECRET_FIELD =
	'(?:client_secret|clientSecret|access_token|accessToken|refresh_token|id_token|wstoken|token|apikey|api_key|apiKey|password|secret|secretKey|secret_key|privatetoken|content_token)';
const patterns: Array<[RegExp, string]> = [
	[/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
	[new RegExp(`([?&;]${SECRET_FIELD}=)[^&#\\s"']+`, 'gi'), `$1${REDACTED}`],
	[new RegExp(`(^|\\s)(${SECRET_FIELD}=)[^&#\\s"']+`, 'gi'), `$1$2${REDACTED}`],
	[new RegExp(`("${SECRET_FIELD}"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`, 'gi'), `$1${REDACTED}$2`],
	[new RegExp(`('${SECRET_FIELD}'\\s*:\\s*')[^']*(')`, 'gi'), `$1${REDACTED}$2`],
];

const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

const SECRET_KEY = new RegExp(
	`^${SECRET_FIELD}$|^authorization$|^cookie$|^set-cookie$|^x-hmac-signature$`,
	'i',
);

export class Redactor {
	private readonly secrets = new Set<string>();
	/** The values as registered, to recognise them inside Base64 whatever surrounds them (another user name). */
	private readonly raw = new Set<string>();
	/** The values registered so far, as given. */
	private readonly added = new Set<string>();

	constructor(secrets: Iterable<unknown> = []) {
		for (const s of secrets) this.add(s);
	}

	/**
	 * Registers a value to hide, in every form it travels or comes back in: as is, URL-encoded (query,
	 * path), form-encoded (`+` for spaces), JSON-escaped (inside a JSON string, also with `\/` as PHP
	 * writes it, and escaped twice as a JSON body inside a JSON string). Values shorter than 4
	 * characters would mask ordinary text.
	 */
	add(secret: unknown): this {
		if (typeof secret !== 'string' || secret.length < 4) return this;
		// The transport registers the access token on every request: its forms are derived once.
		if (this.added.has(secret)) return this;
		this.added.add(secret);
		if (secret.length >= 6) this.raw.add(secret);
		const json = JSON.stringify(secret).slice(1, -1);
		for (const form of [
			secret,
			encodeURIComponent(secret),
			new URLSearchParams({ s: secret }).toString().slice(2),
			json,
			json.replace(/\//g, '\\/'),
			JSON.stringify(json).slice(1, -1),
		]) {
			if (form.length >= 4) this.secrets.add(form);
		}
		return this;
	}

	/**
	 * Registers HTTP Basic client credentials: the password in every form, and the Base64 of
	 * `user:password` as a Basic header carries it (bare, without `Basic `), also with both parts
	 * URL-encoded first (RFC 6749 §2.3.1), without padding and in base64url.
	 */
	addBasic(username: string, password: string): this {
		this.add(password);
		for (const pair of [
			`${username}:${password}`,
			`${encodeURIComponent(username)}:${encodeURIComponent(password)}`,
		]) {
			const base64 = Buffer.from(pair).toString('base64');
			for (const form of [
				base64,
				base64.replace(/=+$/, ''),
				Buffer.from(pair).toString('base64url'),
			]) {
				if (form.length >= 4) this.secrets.add(form);
			}
		}
		return this;
	}

	text(value: string): string {
		let out = value;
		// Longest first so a secret containing another is replaced whole.
		const secrets = [...this.secrets].sort((a, b) => b.length - a.length);
		for (const s of secrets) out = out.split(s).join(REDACTED);
		if (this.raw.size)
			out = out.replace(BASE64_RUN, (run) => (this.hidesSecret(run) ? REDACTED : run));
		for (const [re, replacement] of patterns) out = out.replace(re, replacement);
		return out.includes(CUT) ? this.trimPrefixesAtCuts(out, secrets) : out;
	}

	/** A Base64 (or base64url) run that decodes to text holding a secret, at any alignment. */
	private hidesSecret(run: string): boolean {
		for (let skip = 0; skip < 4; skip++) {
			const decoded = Buffer.from(run.slice(skip), 'base64').toString('utf8');
			for (const secret of this.raw) if (decoded.includes(secret)) return true;
		}
		return false;
	}

	/** Text cut by `clipText` ends in `…`: the start of a secret right before it is removed too. */
	private trimPrefixesAtCuts(text: string, secrets: string[]): string {
		const parts = text.split(CUT);
		for (let i = 0; i < parts.length - 1; i++) {
			let longest = 0;
			for (const s of secrets) {
				for (let k = Math.min(s.length - 1, parts[i].length); k > longest; k--) {
					if (parts[i].endsWith(s.slice(0, k))) {
						longest = k;
						break;
					}
				}
			}
			if (longest) parts[i] = parts[i].slice(0, -longest);
		}
		return parts.join(CUT);
	}

	/** Deep copy with secret values and secret-named fields replaced. Cycles and depth are bounded. */
	value<T>(input: T, depth = 0, seen = new WeakSet<object>()): T {
		if (typeof input === 'string') return this.text(input) as T;
		if (input === null || typeof input !== 'object' || depth > 12) return input;
		if (Buffer.isBuffer(input)) return input;
		if (seen.has(input as object)) return '[circular]' as T;
		seen.add(input as object);
		if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1, seen)) as T;
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
			out[k] =
				SECRET_KEY.test(k) && v !== '' && v !== undefined && v !== null
					? REDACTED
					: this.value(v, depth + 1, seen);
		}
		return out as T;
	}
}

const patternsOnly = new Redactor();

/** Pattern-only redaction, for places that know no specific secret. */
export const redactText = (value: string): string => patternsOnly.text(value);

const WORD_TAIL = /[A-Za-z0-9._~+/=%-]+$/;
const WORD_CHAR = /[A-Za-z0-9._~+/=%-]/;

/**
 * `text` redacted, then cut to at most `max` characters (plus `…`). Redaction runs first, so a
 * secret is never cut in half before it could be recognised; at the cut, a partial `[redacted]`,
 * a partial word (it may be the start of a token no pattern knows) and the start of a secret the
 * redactor knows are dropped. The `…` stays, so a redactor that knows more secrets (the error
 * builder's) drops such a start again later.
 */
export function clipText(text: string, max: number, redactor: Redactor = patternsOnly): string {
	const clean = redactor.text(text);
	if (clean.length <= max) return clean;
	let head = clean.slice(0, max);
	const open = head.lastIndexOf('[');
	if (open !== -1 && head.length - open < REDACTED.length && REDACTED.startsWith(head.slice(open)))
		head = head.slice(0, open);
	else if (WORD_CHAR.test(clean[max]) && WORD_TAIL.test(head)) head = head.replace(WORD_TAIL, '');
	return redactor.text(`${head}${CUT}`);
}
