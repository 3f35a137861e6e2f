// Skillsoft Percipio emulator (reference: /work/shared/reference/providers.md §1, emulator notes §1.10).
//
// So far only the OAuth token endpoint and one authenticated API route exist, to prove the sandbox
// framework. The rest of Percipio (content discovery with offset/max + x-total-count /
// x-paging-request-id / link headers, user management, the report-request state machine
// PENDING → IN_PROGRESS → rows, iX Studio Content Import and Track) is added here by the Percipio
// emulator's author: add routes in registerApi() (and new hosts to `hosts` if needed), keep state in
// this class, clear it in reset(), and call ctx.ledger.recordWrite / recordUpdate for every write.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PERCIPIO_DEMO } from '../fixtures';
import { isJson } from '../http-helpers';
import type { ProviderContext, SandboxProvider } from '../types';

export interface PercipioClient {
	clientId: string;
	clientSecret: string;
	/** scopes this client may ask for; a token request without scope gets all of them */
	scopes: string[];
}

export interface PercipioOptions {
	/** default: the demo client of fixtures.ts */
	clients?: PercipioClient[];
	/** access-token lifetime in seconds (default 3600) */
	tokenLifetimeSeconds?: number;
}

/** Seed data: `{ clients?: PercipioClient[], tokenLifetimeSeconds?: number }` (clients are added or replaced by clientId). */
export interface PercipioSeed {
	clients?: PercipioClient[];
	tokenLifetimeSeconds?: number;
}

const DEMO_CLIENT: PercipioClient = { clientId: PERCIPIO_DEMO.clientId, clientSecret: PERCIPIO_DEMO.clientSecret, scopes: [PERCIPIO_DEMO.scope] };

/** RFC 6749 §5.2 error response. */
function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
	reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
	if (status === 401) reply.header('www-authenticate', 'Bearer realm="percipio"');
	return reply.code(status).send({ error, error_description: description });
}

export class PercipioEmulator implements SandboxProvider {
	readonly name = 'percipio';
	readonly hosts = ['oauth', 'api'] as const;
	readonly demo = { client_id: PERCIPIO_DEMO.clientId, client_secret: PERCIPIO_DEMO.clientSecret, scope: PERCIPIO_DEMO.scope, orgId: PERCIPIO_DEMO.orgId };

	private ctx!: ProviderContext;
	private clients = new Map<string, PercipioClient>();
	private tokenLifetimeSeconds: number;

	constructor(private readonly options: PercipioOptions = {}) {
		this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? PERCIPIO_DEMO.tokenLifetimeSeconds;
		this.reset();
	}

	register(host: string, app: FastifyInstance, ctx: ProviderContext): void {
		this.ctx = ctx;
		if (host === 'oauth') this.registerOauth(app);
		else if (host === 'api') this.registerApi(app);
	}

	reset(): void {
		this.clients = new Map((this.options.clients ?? [DEMO_CLIENT]).map((c) => [c.clientId, { ...c }]));
		this.tokenLifetimeSeconds = this.options.tokenLifetimeSeconds ?? PERCIPIO_DEMO.tokenLifetimeSeconds;
	}

	seed(data: unknown): void {
		const d = (data ?? {}) as PercipioSeed;
		if (d.tokenLifetimeSeconds !== undefined) {
			if (!(typeof d.tokenLifetimeSeconds === 'number' && d.tokenLifetimeSeconds > 0)) throw new Error('tokenLifetimeSeconds must be a positive number');
			this.tokenLifetimeSeconds = d.tokenLifetimeSeconds;
		}
		for (const c of d.clients ?? []) {
			if (typeof c?.clientId !== 'string' || typeof c.clientSecret !== 'string') throw new Error('each client needs clientId and clientSecret');
			this.clients.set(c.clientId, { clientId: c.clientId, clientSecret: c.clientSecret, scopes: c.scopes ?? [PERCIPIO_DEMO.scope] });
		}
	}

	errorBody(status: number, message: string, host: string): unknown {
		if (host === 'oauth') return { error: status === 429 ? 'too_many_requests' : status >= 500 ? 'server_error' : 'invalid_request', error_description: message };
		return { message };
	}

	// ---- host 'oauth' ----

	private registerOauth(app: FastifyInstance): void {
		// JSON only, as documented for iX Studio and sent by the Moodle plugin: n8n's generic OAuth2
		// credential (always form-urlencoded) must fail here the way it fails against Percipio.
		app.post('/oauth2-provider/token', { config: { tokenEndpoint: true } }, async (req, reply) => this.token(req, reply));
	}

	private token(req: FastifyRequest, reply: FastifyReply) {
		if (!isJson(req)) {
			return oauthError(reply, 400, 'invalid_request', `The token request must be JSON (Content-Type: application/json); got ${req.headers['content-type'] ? `'${req.headers['content-type']}'` : 'no Content-Type'}`);
		}
		const body = req.body;
		if (body === null || typeof body !== 'object' || Array.isArray(body)) return oauthError(reply, 400, 'invalid_request', 'The token request body must be a JSON object');
		const b = body as Record<string, unknown>;
		for (const field of ['grant_type', 'client_id', 'client_secret'] as const) {
			if (typeof b[field] !== 'string' || b[field] === '') return oauthError(reply, 400, 'invalid_request', `Missing required parameter: ${field}`);
		}
		if (b.grant_type !== 'client_credentials') return oauthError(reply, 400, 'unsupported_grant_type', `grant_type '${String(b.grant_type)}' is not supported; use client_credentials`);
		if (b.scope !== undefined && typeof b.scope !== 'string') return oauthError(reply, 400, 'invalid_request', 'scope must be a string');
		const client = this.clients.get(b.client_id as string);
		if (!client || client.clientSecret !== b.client_secret) return oauthError(reply, 401, 'invalid_client', 'Client authentication failed');
		const requested = typeof b.scope === 'string' && b.scope.trim() !== '' ? b.scope.trim().split(/[\s,]+/) : client.scopes;
		const refused = requested.filter((s) => !client.scopes.includes(s));
		if (refused.length) return oauthError(reply, 400, 'invalid_scope', `Scope not allowed for this client: ${refused.join(' ')}`);
		const { accessToken, expiresIn } = this.ctx.tokens.issue({ clientId: client.clientId, scopes: requested, lifetimeSeconds: this.tokenLifetimeSeconds });
		reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
		return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: requested.join(' ') };
	}

	// ---- host 'api' ----

	private registerApi(app: FastifyInstance): void {
		// Placeholder until the full user-management emulation: an authenticated, empty user list.
		app.get<{ Params: { orgId: string } }>('/user-management/v1/organizations/:orgId/users', async (req, reply) => {
			if (!this.authorize(req, reply)) return reply;
			reply.header('x-total-count', '0');
			return [];
		});
	}

	/** Verifies the bearer token; on failure answers 401 and returns false. */
	private authorize(req: FastifyRequest, reply: FastifyReply): boolean {
		const v = this.ctx.tokens.verify(req.headers.authorization);
		if (v.ok) return true;
		const message = {
			missing: 'Missing bearer token',
			unknown: 'Invalid bearer token',
			expired: 'The access token has expired',
			revoked: 'The access token has been revoked',
		}[v.reason];
		reply.code(401).header('www-authenticate', `Bearer error="invalid_token", error_description="${message}"`).send({ message });
		return false;
	}
}

export function percipioProvider(options?: PercipioOptions): PercipioEmulator {
	return new PercipioEmulator(options);
}
