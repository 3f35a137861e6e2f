import type { IDataObject } from 'n8n-workflow';

import { MoodleApi } from '../../../credentials/MoodleApi.credentials';
import { applyToken } from '../../../nodes/Moodle/transport/client';
import {
	hintFor,
	moodleErrorOf,
	parseMoodleError,
	NOT_A_MOODLE_ENDPOINT,
} from '../../../nodes/Moodle/transport/profile';
import { restEndpoint, siteBaseUrl } from '../../../nodes/Moodle/transport/site';
import { applyAuthenticate } from '../../support/n8nContext';

describe('Moodle site URL', () => {
	it.each([
		['https://learn.example.com', 'https://learn.example.com'],
		['https://learn.example.com/', 'https://learn.example.com'],
		['  https://example.com/moodle/ ', 'https://example.com/moodle'],
		['https://example.com/moodle/webservice/rest/server.php', 'https://example.com/moodle'],
		['https://example.com/moodle/login/index.php?x=1#y', 'https://example.com/moodle'],
		['https://example.com/moodle/admin/settings.php', 'https://example.com/moodle'],
		['https://example.com/my/', 'https://example.com'],
	])('%s → %s', (input, base) => {
		expect(siteBaseUrl(input)).toBe(base);
		expect(restEndpoint(input)).toBe(`${base}/webservice/rest/server.php`);
	});
});

describe('Moodle error bodies', () => {
	it('recognises the exception JSON and the token.php shape, nothing else', () => {
		expect(
			moodleErrorOf({
				exception: 'webservice_access_exception',
				errorcode: 'accessexception',
				message: 'Access control exception',
				debuginfo: 'x',
			}),
		).toEqual({
			exception: 'webservice_access_exception',
			errorcode: 'accessexception',
			message: 'Access control exception',
			debuginfo: 'x',
		});
		expect(moodleErrorOf({ error: 'Invalid login', errorcode: 'invalidlogin' })).toEqual({
			errorcode: 'invalidlogin',
			message: 'Invalid login',
		});
		expect(moodleErrorOf([{ id: 1 }])).toBeUndefined();
		expect(moodleErrorOf({ courses: [], warnings: [] })).toBeUndefined();
		expect(moodleErrorOf(null)).toBeUndefined();
	});

	it('has a specific hint for each common code', () => {
		expect(hintFor('invalidtoken')).toMatch(/Manage tokens/);
		expect(hintFor('accessexception', 'core_user_create_users')).toMatch(
			/Add "core_user_create_users" to the external service/,
		);
		expect(hintFor('invalidparameter', 'x')).toMatch(/rejected a parameter of "x"/);
		expect(hintFor('servicenotavailable')).toMatch(/disabled or unknown/);
		expect(hintFor('somethingelse', 'f')).toMatch(/Moodle refused "f"/);
	});

	it('parseError reads an error at any status, and explains an HTML page', () => {
		expect(
			parseMoodleError({
				statusCode: 422,
				headers: {},
				body: {
					exception: 'moodle_exception',
					errorcode: 'errorinvalidparam',
					message: 'Invalid parameter',
				},
			}),
		).toMatchObject({
			message: 'Invalid parameter (errorinvalidparam)',
			code: 'errorinvalidparam',
		});
		expect(
			parseMoodleError({
				statusCode: 404,
				headers: {},
				body: '<!DOCTYPE html><html>Not found</html>',
			}).message,
		).toBe(NOT_A_MOODLE_ENDPOINT);
		expect(parseMoodleError({ statusCode: 500, headers: {}, body: 'oops' })).toEqual({});
	});
});

describe('Moodle token placement', () => {
	it('node side: wstoken goes first in the form body and replaces any given one', () => {
		const request: { body?: unknown; qs?: IDataObject } = {
			body: 'wsfunction=f&wstoken=evil&moodlewsrestformat=json',
		};
		applyToken(request, 'tok en/1');
		expect(request.body).toBe('wstoken=tok%20en%2F1&wsfunction=f&moodlewsrestformat=json');
		expect(new URLSearchParams(String(request.body)).getAll('wstoken')).toEqual(['tok en/1']);
		expect(request.qs).toBeUndefined();
	});

	it('node side: without a form body the token goes in the query', () => {
		const request: { body?: unknown; qs?: IDataObject } = { qs: { a: 1 } };
		applyToken(request, 'abc123');
		expect(request.qs).toEqual({ a: 1, wstoken: 'abc123' });
	});

	it('credential (HTTP Request node): wstoken and the JSON format in the query', async () => {
		const out = await applyAuthenticate(
			MoodleApi,
			{ siteUrl: 'https://m.example', token: ' secret-token ' },
			{
				url: 'https://m.example/webservice/rest/server.php',
				qs: { wsfunction: 'core_webservice_get_site_info' },
			},
		);
		expect(out.qs).toEqual({
			wsfunction: 'core_webservice_get_site_info',
			wstoken: 'secret-token',
			moodlewsrestformat: 'json',
		});
	});

	it('credential: a format the user chose is left alone (query or body)', async () => {
		const inQs = await applyAuthenticate(
			MoodleApi,
			{ token: 't' },
			{ url: 'https://m.example/x', qs: { moodlewsrestformat: 'xml' } },
		);
		expect(inQs.qs).toEqual({ moodlewsrestformat: 'xml', wstoken: 't' });
		const inBody = await applyAuthenticate(
			MoodleApi,
			{ token: 't' },
			{ url: 'https://m.example/x', body: 'wsfunction=f&moodlewsrestformat=json' },
		);
		expect(inBody.qs).toEqual({ wstoken: 't' });
		const inObject = await applyAuthenticate(
			MoodleApi,
			{ token: 't' },
			{ url: 'https://m.example/x', body: { moodlewsrestformat: 'json' } },
		);
		expect(inObject.qs).toEqual({ wstoken: 't' });
	});

	it('credential test calls core_webservice_get_site_info on the REST endpoint and flags the common failures', () => {
		const cred = new MoodleApi();
		expect(cred.name).toBe('moodleApi');
		expect(cred.test.request.qs).toMatchObject({
			wsfunction: 'core_webservice_get_site_info',
			moodlewsrestformat: 'json',
		});
		expect(cred.test.request.url).toContain('/webservice/rest/server.php');
		// n8n applies each rule as lodash get(responseBody, key) === value → the first match fails the Test.
		const verdict = (body: unknown) =>
			(cred.test.rules ?? []).find((r) => {
				const { key, value } = r.properties as { key: string; value: unknown };
				return (body as Record<string, unknown>)?.[key] === value;
			})?.properties.message;
		expect(verdict({ sitename: 'Academy', userid: 2, functions: [] })).toBeUndefined();
		// A valid token whose service lacks the function (the built-in "Percipio services") passes.
		expect(
			verdict({
				exception: 'webservice_access_exception',
				errorcode: 'accessexception',
				message: 'Access control exception',
			}),
		).toBeUndefined();
		expect(
			verdict({
				exception: 'moodle_exception',
				errorcode: 'invalidtoken',
				message: 'Invalid token - token not found',
			}),
		).toMatch(/invalidtoken/);
		expect(verdict({ errorcode: 'servicenotavailable' })).toMatch(/servicenotavailable/);
		expect(verdict('<!DOCTYPE html><html><body>Sign in</body></html>')).toMatch(
			/did not answer like a Moodle web-service endpoint/,
		);
		expect(verdict('\n  <html></html>')).toMatch(/did not answer like a Moodle/);
		const token = cred.properties.find((p) => p.name === 'token');
		expect(token?.typeOptions?.password).toBe(true);
	});
});
