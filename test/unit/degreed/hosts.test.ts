import { DegreedApi } from '../../../credentials/DegreedApi.credentials';
import { API_BASE_URL_EXPRESSION, degreedHosts } from '../../../nodes/Degreed/transport/hosts';
import {
	DEGREED_SCOPES,
	degreedTestPath,
	scopeList,
	scopeString,
} from '../../../nodes/Degreed/transport/scopes';

/** Evaluates the JavaScript inside an n8n `={{ … }}` expression with `$credentials`. */
function evaluate(expression: string, credentials: Record<string, unknown>): unknown {
	const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$credentials', `return (${body});`)(credentials);
}

describe('Degreed hosts', () => {
	it.each([
		['production', 'us', 'https://degreed.com', 'https://api.degreed.com'],
		['betatest', 'us', 'https://betatest.degreed.com', 'https://api.betatest.degreed.com'],
		['production', 'eu', 'https://eu.degreed.com', 'https://api.eu.degreed.com'],
		['betatest', 'eu', 'https://eu.betatest.degreed.com', 'https://api.eu.betatest.degreed.com'],
		['production', 'ca', 'https://ca.degreed.com', 'https://api.ca.degreed.com'],
		['betatest', 'ca', 'https://ca.betatest.degreed.com', 'https://api.ca.betatest.degreed.com'],
	])(
		'%s × %s → token host %s, API host %s (and the Test expression agrees)',
		(environment, dataCenter, tokenBaseUrl, apiBaseUrl) => {
			expect(degreedHosts({ environment, dataCenter })).toEqual({ tokenBaseUrl, apiBaseUrl });
			expect(evaluate(API_BASE_URL_EXPRESSION, { environment, dataCenter })).toBe(apiBaseUrl);
		},
	);

	it('custom hosts are used as typed (trailing slashes removed), and both are required', () => {
		const custom = {
			environment: 'custom',
			tokenBaseUrl: 'http://127.0.0.1:4010/degreed/oauth/',
			apiBaseUrl: 'http://127.0.0.1:4010/degreed/api//',
		};
		expect(degreedHosts(custom)).toEqual({
			tokenBaseUrl: 'http://127.0.0.1:4010/degreed/oauth',
			apiBaseUrl: 'http://127.0.0.1:4010/degreed/api',
		});
		expect(evaluate(API_BASE_URL_EXPRESSION, custom)).toBe('http://127.0.0.1:4010/degreed/api');
		expect(() => degreedHosts({ environment: 'custom', tokenBaseUrl: 'https://x' })).toThrow(
			/both the OAuth Base URL and the API Base URL/,
		);
		expect(() => degreedHosts({ environment: 'staging' })).toThrow(
			'Unknown Degreed environment "staging"',
		);
	});
});

describe('Degreed scopes', () => {
	it('joins the multi-select and free text comma-delimited, without spaces or duplicates', () => {
		expect(scopeString(['users:read', 'content:write'], ' xapi:all,users:read  custom:read ')).toBe(
			'users:read,content:write,xapi:all,custom:read',
		);
		expect(scopeList([], '')).toEqual([]);
	});

	it('offers every documented scope in the credential', () => {
		const scopes = new DegreedApi().properties.find((p) => p.name === 'scopes');
		expect((scopes?.options ?? []).map((o) => (o as { value: string }).value)).toEqual([
			...DEGREED_SCOPES,
		]);
		expect(DEGREED_SCOPES).toHaveLength(55);
	});

	it.each([
		[['content:read', 'users:read'], '', '/api/v2/users'],
		[['provider_users:read', 'content:write', 'content:read'], '', '/api/v2/content'],
		[['completions:read'], '', '/api/v2/completions'],
		[['xapi:write'], '', '/xAPI/statements'],
		[[], 'completions:read, xapi:read', '/api/v2/completions'],
	])(
		'Test button route for %j + "%s" is %s (TS rule and credential expression agree)',
		(scopes, extraScopes, path) => {
			expect(degreedTestPath(scopes, extraScopes)).toBe(path);
			const test = new DegreedApi().test.request;
			expect(evaluate(String(test.url), { scopes, extraScopes })).toBe(path);
			expect(test.qs).toEqual({ limit: 1 });
		},
	);
});
