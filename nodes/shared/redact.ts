/**
 * Secrets never reach node output, errors or logs. Two nets: the exact secret values the
 * transport knows (client secret, tokens, API keys), and patterns for credentials that travel in
 * well-known places (Authorization headers, token-ish query and body fields), which also catch a
 * value the transport never saw, such as a token echoed back by a provider.
 */
export const REDACTED = '[redacted]';

const SECRET_FIELD = '(?:client_secret|clientSecret|access_token|accessToken|refresh_token|id_token|wstoken|token|apikey|api_key|apiKey|password|secret|secretKey|secret_key|privatetoken|content_token)';
const patterns: Array<[RegExp, string]> = [
	[/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
	[new RegExp(`([?&;]${SECRET_FIELD}=)[^&#\\s"']+`, 'gi'), `$1${REDACTED}`],
	[new RegExp(`(^|\\s)(${SECRET_FIELD}=)[^&#\\s"']+`, 'gi'), `$1$2${REDACTED}`],
	[new RegExp(`("${SECRET_FIELD}"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`, 'gi'), `$1${REDACTED}$2`],
	[new RegExp(`('${SECRET_FIELD}'\\s*:\\s*')[^']*(')`, 'gi'), `$1${REDACTED}$2`],
];

const SECRET_KEY = new RegExp(`^${SECRET_FIELD}$|^authorization$|^cookie$|^set-cookie$|^x-hmac-signature$`, 'i');

export class Redactor {
	private readonly secrets = new Set<string>();

	constructor(secrets: Iterable<unknown> = []) {
		for (const s of secrets) this.add(s);
	}

	/** Registers a value to hide; values shorter than 4 characters would mask ordinary text. */
	add(secret: unknown): this {
		if (typeof secret !== 'string' || secret.length < 4) return this;
		this.secrets.add(secret);
		// The same secret as it appears URL-encoded or inside Basic credentials.
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret) this.secrets.add(encoded);
		return this;
	}

	/** Registers the Base64 form of `user:password`, as a Basic header carries it. */
	addBasic(username: string, password: string): this {
		return this.add(Buffer.from(`${username}:${password}`).toString('base64'));
	}

	text(value: string): string {
		let out = value;
		// Longest first so a secret containing another is replaced whole.
		for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
		for (const [re, replacement] of patterns) out = out.replace(re, replacement);
		return out;
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
			out[k] = SECRET_KEY.test(k) && v !== '' && v !== undefined && v !== null ? REDACTED : this.value(v, depth + 1, seen);
		}
		return out as T;
	}
}
