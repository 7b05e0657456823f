// What every route of the local tenant shares: the store, the token signer, its identity and the API helper.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from './errors.js';
import type { TenantStore } from './store.js';
import type { TokenClaims, TokenSigner } from './tokens.js';
import type { User } from './model.js';

/** Which scopes a route needs: any one of a list (most routes), or all of a list. */
export type ScopeRule = { any: string[] } | { all: string[] };

export interface TenantContext {
  store: TenantStore;
  /** Every Management API route's scope rule, by "METHOD /path" (for tests that check the console agrees). */
  scopeRules: Map<string, ScopeRule>;
  signer: TokenSigner;
  /** "127.0.0.1:PORT" once listening. */
  domain: string;
  /** "https://127.0.0.1:PORT" */
  url: string;
  audience: string;
  issuer: string;
}

export type ApiHandler = (req: FastifyRequest, reply: FastifyReply, auth: TokenClaims) => unknown;

declare module 'fastify' {
  interface FastifyRequest {
    auth?: TokenClaims;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The contexts routes are registered for; `api()` records each route's rule in its context. */
const contexts = new WeakMap<FastifyInstance, TenantContext>();
export function bindContext(app: FastifyInstance, ctx: TenantContext): void {
  contexts.set(app, ctx);
}

/**
 * Registers a Management API route under /api/v2 that needs any one of `scopes` — or, given `{ all }`, every one
 * (as Auth0's description of GET /users/{id}/roles says: "expected all of").
 */
export function api(
  app: FastifyInstance,
  method: Method,
  path: string,
  scopes: string[] | { all: string[] },
  handler: ApiHandler,
): void {
  const rule: ScopeRule = Array.isArray(scopes) ? { any: scopes } : scopes;
  contexts.get(app)?.scopeRules.set(`${method} ${path}`, rule);
  app.route({
    method,
    url: `/api/v2${path}`,
    config: { scopes: rule },
    handler: async (req, reply) => {
      const auth = req.auth;
      if (!auth) throw errors.unauthorized('Missing authentication');
      const granted = new Set(auth.scope.split(' '));
      if ('any' in rule ? !rule.any.some((s) => granted.has(s)) : !rule.all.every((s) => granted.has(s)))
        throw errors.insufficientScope(rule);
      const result = await handler(req, reply, auth);
      if (reply.sent) return reply;
      if (result === undefined) return reply.code(reply.statusCode === 200 ? 204 : reply.statusCode).send();
      return reply.send(result);
    },
  });
}

export function userOr404(ctx: TenantContext, id: string): User {
  const user = ctx.store.users.get(id);
  if (!user) throw errors.inexistentUser();
  return user;
}

/** Projects an object to the `fields` the caller asked for (Auth0's fields/include_fields). */
export function projectFields<T extends Record<string, unknown>>(
  obj: T,
  fields: string | undefined,
  includeFields: boolean | undefined,
): Record<string, unknown> {
  if (!fields) return obj;
  const list = fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (includeFields === false) {
    const out: Record<string, unknown> = { ...obj };
    for (const f of list) delete out[f];
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const f of list) if (obj[f] !== undefined) out[f] = obj[f];
  return out;
}

/** The client a token was issued to, for log events. */
export function clientOf(ctx: TenantContext, auth: TokenClaims): { client_id: string; client_name: string } {
  const c = ctx.store.clients.find((x) => x.client_id === auth.azp);
  return { client_id: auth.azp, client_name: c?.name ?? '' };
}

/** Records a Management API operation the way Auth0's tenant logs do ("sapi"). */
export function logApi(
  ctx: TenantContext,
  req: FastifyRequest,
  auth: TokenClaims,
  description: string,
  extra: { user_id?: string; user_name?: string; details?: Record<string, unknown> } = {},
): void {
  ctx.store.log({
    type: 'sapi',
    description,
    ...clientOf(ctx, auth),
    ip: req.ip,
    user_agent: String(req.headers['user-agent'] ?? ''),
    hostname: ctx.domain,
    details: {
      request: { method: req.method.toLowerCase(), path: req.url.split('?')[0] },
      ...(extra.details ?? {}),
    },
    ...(extra.user_id ? { user_id: extra.user_id } : {}),
    ...(extra.user_name ? { user_name: extra.user_name } : {}),
  });
}
