/** Degreed's documented API scopes (Access Token reference), in Degreed's order. */
export const DEGREED_SCOPES = [
	'users:read',
	'users:write',
	'content:read',
	'content:write',
	'completions:read',
	'completions:write',
	'required_learning:read',
	'required_learning:write',
	'groups:read',
	'groups:write',
	'pathways:read',
	'pathways:write',
	'recommendations:read',
	'views:read',
	'search_terms:read',
	'skill_plans:read',
	'skill_plans:write',
	'skill:read',
	'skill:write',
	'logins:read',
	'providers:read',
	'provider_users:read',
	'provider_users:write',
	'user_skills:read',
	'user_skills:write',
	'skill_ratings:read',
	'skill_ratings:write',
	'todays_learning:read',
	'xapi:read',
	'xapi:write',
	'xapi:all',
	'bundles:read',
	'bundles:write',
	'shared_items:read',
	'shared_items:write',
	'accomplishments:read',
	'accomplishments:write',
	'opportunity:read',
	'opportunity:write',
	'certificates:read',
	'certificates:write',
	'custom_attribute:read',
	'custom_attribute:write',
	'user_badges:read',
	'user_badges:write',
	'self_enrolled_learning:read',
	'self_enrolled_learning:write',
	'experiences:read',
	'experiences:write',
	'awards:read',
	'awards:write',
	'degrees:read',
	'degrees:write',
	'job_roles:read',
	'job_roles:write',
] as const;

/**
 * The scope list Degreed expects: comma-delimited (Degreed's rule), no spaces, no duplicates, in
 * the order given. Accepts the multi-select's array plus free text split on commas and spaces.
 */
export function scopeList(selected: unknown, extra?: unknown): string[] {
	const out: string[] = [];
	const add = (value: unknown) => {
		for (const part of String(value ?? '').split(/[\s,]+/)) {
			const scope = part.trim();
			if (scope && !out.includes(scope)) out.push(scope);
		}
	};
	if (Array.isArray(selected)) selected.forEach(add);
	else add(selected);
	add(extra);
	return out;
}

export const scopeString = (selected: unknown, extra?: unknown) =>
	scopeList(selected, extra).join(',');

/**
 * The cheapest authenticated GET the scopes allow, for the credential's Test button. The credential
 * carries the same rule as an n8n expression; a unit test keeps the two equal.
 */
export function degreedTestPath(selected: unknown, extra?: unknown): string {
	const s = scopeList(selected, extra);
	if (s.includes('users:read')) return '/api/v2/users';
	if (s.includes('content:read')) return '/api/v2/content';
	if (s.includes('completions:read')) return '/api/v2/completions';
	return '/xAPI/statements';
}
