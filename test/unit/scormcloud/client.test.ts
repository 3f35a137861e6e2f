import type { IHttpRequestOptions } from 'n8n-workflow';

import { authStrategy, readCredential } from '../../../nodes/ScormCloud/transport/client';
import { scormCloudTokenKey } from '../../../nodes/ScormCloud/transport/token';

const base = {
	appId: 'APP1',
	secretKey: 'secret-key-1',
	baseUrl: 'https://cloud.scorm.com/api/v2/',
};

describe('readCredential / authStrategy', () => {
	it('HTTP Basic by default: every request gets App ID : Secret Key, no token', () => {
		const credential = readCredential({ ...base });
		expect(credential).toMatchObject({
			authMethod: 'basic',
			baseUrl: 'https://cloud.scorm.com/api/v2',
			expiration: 300,
		});
		const auth = authStrategy(credential);
		expect(auth.kind).toBe('static');
		const request: IHttpRequestOptions = {
			url: 'https://cloud.scorm.com/api/v2/ping',
			headers: { Accept: 'application/json' },
		};
		if (auth.kind === 'static') auth.apply(request);
		expect(request.headers).toEqual({
			Accept: 'application/json',
			Authorization: `Basic ${Buffer.from('APP1:secret-key-1').toString('base64')}`,
		});
	});

	it('OAuth: a bearer strategy seeded with the token n8n persisted, keyed without the secret in clear', () => {
		// The persisted token is reused only when it was minted for these very fields (issuedFor).
		const issuedFor = scormCloudTokenKey({
			baseUrl: base.baseUrl,
			appId: base.appId,
			secretKey: base.secretKey,
			scope: 'read:registration read:ping',
			expiration: 600,
		});
		const credential = readCredential({
			...base,
			authMethod: 'oauth',
			scopes: ['read:registration'],
			extraScopes: 'read:ping',
			expirationSeconds: 600,
			accessToken: 'persisted',
			issuedAt: '1000',
			expiresAt: '601000',
			issuedFor,
		});
		expect(credential.scope).toBe('read:registration read:ping');
		const auth = authStrategy(credential);
		expect(auth.kind).toBe('bearer');
		if (auth.kind !== 'bearer') return;
		expect(auth.seed).toEqual({ accessToken: 'persisted', issuedAt: 1000, expiresAt: 601000 });
		expect(auth.cacheKey).not.toContain('secret-key-1');
		// a changed secret, scope or lifetime never reuses a cached token
		const other = (fields: Record<string, unknown>) => {
			const a = authStrategy(
				readCredential({
					...base,
					authMethod: 'oauth',
					scopes: ['read:registration'],
					extraScopes: 'read:ping',
					expirationSeconds: 600,
					...fields,
				}),
			);
			return a.kind === 'bearer' ? a.cacheKey : '';
		};
		expect(other({})).toBe(auth.cacheKey);
		expect(other({ secretKey: 'secret-key-2' })).not.toBe(auth.cacheKey);
		expect(other({ scopes: ['read'] })).not.toBe(auth.cacheKey);
		expect(other({ expirationSeconds: 300 })).not.toBe(auth.cacheKey);
	});

	it('a persisted token minted for other fields (or before issuedFor existed) is not reused', () => {
		const stored = {
			...base,
			authMethod: 'oauth',
			scopes: ['read'],
			accessToken: 'persisted',
			issuedAt: '1000',
			expiresAt: '601000',
		};
		expect(readCredential(stored).persisted).toBeUndefined();
		expect(
			readCredential({ ...stored, issuedFor: 'minted-for-another-secret' }).persisted,
		).toBeUndefined();
		const issuedFor = scormCloudTokenKey({
			baseUrl: base.baseUrl,
			appId: base.appId,
			secretKey: base.secretKey,
			scope: 'read',
			expiration: 300,
		});
		expect(readCredential({ ...stored, issuedFor }).persisted).toEqual({
			accessToken: 'persisted',
			issuedAt: 1000,
			expiresAt: 601000,
		});
	});

	it('no persisted token without an expiry (a credential saved before any token)', () => {
		expect(
			readCredential({ ...base, authMethod: 'oauth', accessToken: '', expiresAt: '' }).persisted,
		).toBeUndefined();
	});
});
