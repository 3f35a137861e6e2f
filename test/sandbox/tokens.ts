// Opaque bearer tokens, one issuer per provider. Tokens are random strings looked up in a map, so
// verification is a single map access; expiry follows the sandbox clock.
import { randomBytes } from 'node:crypto';
import type { IssueTokenOptions, TokenGrant, TokenIssuer, TokenVerification } from './types';

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/** The token in an Authorization header ('Bearer x', any case) or a bare token; null when absent. */
export function bearerToken(value: string | string[] | undefined | null): string | null {
	if (Array.isArray(value)) value = value[0];
	if (!value) return null;
	const m = BEARER.exec(value);
	if (m) return m[1];
	// A bare token has no scheme; 'Basic abc' or 'Bearer' alone carry no bearer token.
	return /\s/.test(value.trim()) || /^bearer$/i.test(value.trim()) ? null : value.trim();
}

export class ProviderTokens implements TokenIssuer {
	private readonly grants = new Map<string, TokenGrant>();
	private issuedCount = 0;
	private readonly issuedPerClient = new Map<string, number>();

	constructor(
		private readonly provider: string,
		private readonly now: () => number,
	) {}

	issue(options: IssueTokenOptions): { accessToken: string; expiresIn: number; grant: TokenGrant } {
		if (!(options.lifetimeSeconds > 0))
			throw new Error(`lifetimeSeconds must be > 0 (got ${options.lifetimeSeconds})`);
		const token = `sbx.${this.provider}.${randomBytes(24).toString('base64url')}`;
		const issuedAt = this.now();
		const grant: TokenGrant = {
			token,
			clientId: options.clientId,
			scopes: options.scopes ?? [],
			subject: options.subject,
			issuedAt,
			expiresAt: issuedAt + options.lifetimeSeconds * 1000,
			revoked: false,
		};
		this.grants.set(token, grant);
		this.issuedCount++;
		this.issuedPerClient.set(
			options.clientId,
			(this.issuedPerClient.get(options.clientId) ?? 0) + 1,
		);
		return { accessToken: token, expiresIn: options.lifetimeSeconds, grant };
	}

	verify(authorizationHeaderOrToken: string | string[] | undefined | null): TokenVerification {
		const token = bearerToken(authorizationHeaderOrToken);
		if (!token) return { ok: false, reason: 'missing' };
		const grant = this.grants.get(token);
		if (!grant) return { ok: false, reason: 'unknown' };
		if (grant.revoked) return { ok: false, reason: 'revoked' };
		if (this.now() >= grant.expiresAt) return { ok: false, reason: 'expired' };
		return { ok: true, grant };
	}

	revoke(token: string): boolean {
		const grant = this.grants.get(token);
		if (!grant || grant.revoked) return false;
		grant.revoked = true;
		return true;
	}

	revokeAll(): number {
		let n = 0;
		for (const grant of this.grants.values()) {
			if (!grant.revoked) {
				grant.revoked = true;
				n++;
			}
		}
		return n;
	}

	expireAll(): number {
		const now = this.now();
		let n = 0;
		for (const grant of this.grants.values()) {
			if (!grant.revoked && grant.expiresAt > now) {
				grant.expiresAt = now;
				n++;
			}
		}
		return n;
	}

	get issued(): number {
		return this.issuedCount;
	}

	/** Tokens issued since start/reset, per client id. */
	issuedByClient(): Record<string, number> {
		return Object.fromEntries(this.issuedPerClient);
	}

	get active(): number {
		const now = this.now();
		let n = 0;
		for (const grant of this.grants.values()) if (!grant.revoked && grant.expiresAt > now) n++;
		return n;
	}

	clear(): void {
		this.grants.clear();
		this.issuedCount = 0;
		this.issuedPerClient.clear();
	}
}
