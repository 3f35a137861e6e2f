import type { HttpResponse, ProviderProfile } from '../../shared/types';

/** A Moodle web-service error body: `{exception, errorcode, message, debuginfo?}`, usually with HTTP 200. */
export interface MoodleErrorBody {
	exception?: string;
	errorcode: string;
	message: string;
	debuginfo?: string;
}

/** The shape `login/token.php` and some plugins use: `{error, errorcode}`. */
const isObject = (v: unknown): v is Record<string, unknown> =>
	!!v && typeof v === 'object' && !Array.isArray(v);

/** The Moodle error in a response body, if the body is one (exception JSON or `{error, errorcode}`). */
export function moodleErrorOf(body: unknown): MoodleErrorBody | undefined {
	if (!isObject(body)) return undefined;
	if (
		typeof body.exception === 'string' &&
		(typeof body.errorcode === 'string' || typeof body.message === 'string')
	) {
		return {
			exception: body.exception,
			errorcode: String(body.errorcode ?? body.exception),
			message: String(body.message ?? body.exception),
			debuginfo: typeof body.debuginfo === 'string' ? body.debuginfo : undefined,
		};
	}
	if (typeof body.error === 'string' && typeof body.errorcode === 'string') {
		return { errorcode: body.errorcode, message: body.error };
	}
	return undefined;
}

/** What to do about the common error codes, in the user's terms. */
export function hintFor(errorcode: string, wsfunction?: string): string {
	const fn = wsfunction ? `"${wsfunction}"` : 'this function';
	switch (errorcode) {
		case 'invalidtoken':
			return 'Moodle did not accept the web-service token. Check the token in the credential (Site administration → Server → Web services → Manage tokens), that it has not passed its "Valid until" date, that its IP restriction allows n8n, and that the Site URL points at the same Moodle site.';
		case 'accessexception':
			return `The token's user may not call ${fn}. Add ${fn} to the external service the token belongs to (Site administration → Server → Web services → External services → Functions), give the user the capability webservice/rest:use and the capabilities the function needs, check the service's "Authorised users", and make sure the REST protocol is enabled (Manage protocols).`;
		case 'invalidparameter':
			return `Moodle rejected a parameter of ${fn}. Check this item's values (IDs are numbers, usernames are lowercase, required fields are set). Turning on debugging on the Moodle site (Site administration → Development → Debugging) makes Moodle say which parameter.`;
		case 'servicenotavailable':
			return 'The external service this token belongs to is disabled or unknown. Enable it under Site administration → Server → Web services → External services, or create a token for an enabled service.';
		case 'invalidrecord':
		case 'invalidrecordunknown':
			return 'A record this item refers to (user, course, role…) does not exist in Moodle. Check the IDs.';
		case 'requireloginerror':
		case 'usernotfullysetup':
			return "The token's user cannot log in (suspended, must change password or accept a policy). Fix the account in Moodle or use another user's token.";
		case 'nopermissions':
		case 'required_capability_exception':
			return `The token's user lacks a capability ${fn} needs. Give it to the user's role in Moodle.`;
		case 'enablewsdescription':
		case 'webservicesnotenabled':
			return 'Web services are turned off on this site: enable them under Site administration → Advanced features → Enable web services.';
		default:
			return `Moodle refused ${fn}. The message above is Moodle's own; turn on debugging on the Moodle site for more detail.`;
	}
}

/** Pulls Moodle's own words out of an error response (any status). */
export function parseMoodleError(response: HttpResponse): {
	message?: string;
	description?: string;
	code?: string;
} {
	const err = moodleErrorOf(response.body);
	if (err) {
		return {
			message: `${err.message} (${err.errorcode})`,
			description: [
				hintFor(err.errorcode),
				err.debuginfo ? `Moodle debug info: ${err.debuginfo}` : '',
			]
				.filter(Boolean)
				.join(' '),
			code: err.errorcode,
		};
	}
	if (typeof response.body === 'string' && looksLikeMarkup(response.body)) {
		return { message: NOT_A_MOODLE_ENDPOINT, description: WRONG_URL_HINT };
	}
	return {};
}

export const NOT_A_MOODLE_ENDPOINT = 'this URL did not answer like a Moodle web-service endpoint';
export const WRONG_URL_HINT =
	'The answer was a web page (HTML) or XML, not Moodle web-service JSON. Check the Site URL in the credential: it is the address of the Moodle site itself (e.g. https://learn.example.com or https://example.com/moodle), without /webservice/… or /login/… at the end. A login page or proxy page in between also causes this.';

export const looksLikeMarkup = (text: string) => /^\s*</.test(text);

export const moodleProfile: ProviderProfile = {
	name: 'Moodle',
	credentialType: 'moodleApi',
	parseError: parseMoodleError,
	// Moodle publishes no rate limit; the site's own capacity is the limit. Pacing stays off unless
	// the user sets "Requests Per Minute" (the limiter still learns from Retry-After).
	rateLimit: undefined,
};
