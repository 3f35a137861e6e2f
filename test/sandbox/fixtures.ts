// Demo credentials and ids the emulators accept out of the box. Tests, the demo and the README use
// these constants, never copies of the strings. Each provider engineer adds their own block here.

/** Percipio: an OAuth client (iX Studio style, JSON token body) and an organization. */
export const PERCIPIO_DEMO = {
	clientId: 'sandbox-percipio-client',
	clientSecret: 'sandbox-percipio-secret',
	scope: 'api',
	orgId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f',
	tokenLifetimeSeconds: 3600,
} as const;
