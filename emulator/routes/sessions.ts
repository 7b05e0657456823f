// Sessions, refresh tokens, consents (grants) and revoke-access, as Auth0 answers them: a user's sessions and refresh
// tokens read by checkpoint (`from`/`take` → `{sessions|tokens, next}`), deleted one by one or all at once (a user's
// whole set: 202 Accepted), grants listed with offset paging and deleted by id or by user. Scopes per Auth0's docs
// ("Manage user sessions / refresh tokens with the Management API"): read:/delete:sessions, read:/delete:refresh_tokens,
// read:/delete:grants. GET /clients answers names only (no secret ever).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { APPLICATIONS } from '../clients.js';
import { api, logApi, userOr404, type TenantContext } from '../context.js';
import { errors } from '../errors.js';
import type { Grant, RefreshToken, Session } from '../model.js';
import { parseQueryParams, validateBody, type Schema } from '../validate.js';
import { checkpointPagingProps, offsetPage, offsetPagingProps } from './paging.js';

/** The user a write applied to, for the local tenant's per-user write count (see extensions.ts). */
export function markAppliedTo(req: FastifyRequest, userId: string): void {
  (req as FastifyRequest & { appliedTo?: string }).appliedTo = userId;
}

function checkpoint<T extends { id: string }>(items: T[], query: Record<string, unknown>, key: string) {
  const take = (query.take as number | undefined) ?? 50;
  const from = query.from as string | undefined;
  let start = 0;
  if (from) {
    const at = items.findIndex((i) => i.id === from);
    start = at < 0 ? items.length : at;
  }
  const page = items.slice(start, start + take);
  const next = items[start + take]?.id;
  return { [key]: page, ...(next ? { next } : {}) };
}

export function registerSessionRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;
  // The SDK sends include_totals with these; Auth0 takes it and answers the same envelope.
  const cpQuery = {
    type: 'object',
    properties: { ...checkpointPagingProps, include_totals: offsetPagingProps.include_totals },
  } as const satisfies Schema;

  const findSession = (sessionId: string): Session | undefined => {
    for (const list of store.sessions.values()) {
      const s = list.find((x) => x.id === sessionId);
      if (s) return s;
    }
    return undefined;
  };
  const findToken = (tokenId: string): RefreshToken | undefined => {
    for (const list of store.refreshTokens.values()) {
      const t = list.find((x) => x.id === tokenId);
      if (t) return t;
    }
    return undefined;
  };
  const dropSession = (s: Session) => {
    const rest = (store.sessions.get(s.user_id) ?? []).filter((x) => x.id !== s.id);
    if (rest.length) store.sessions.set(s.user_id, rest);
    else store.sessions.delete(s.user_id);
  };
  const dropTokens = (userId: string, keep: (t: RefreshToken) => boolean) => {
    const rest = (store.refreshTokens.get(userId) ?? []).filter(keep);
    if (rest.length) store.refreshTokens.set(userId, rest);
    else store.refreshTokens.delete(userId);
  };
  const userName = (userId: string) => {
    const email = store.users.get(userId)?.email;
    return email ? { user_name: email } : {};
  };

  // ---- sessions ----
  api(app, 'GET', '/users/:id/sessions', ['read:sessions'], (req) => {
    const query = parseQueryParams(cpQuery, req.query as Record<string, unknown>);
    const user = userOr404(ctx, id(req));
    return checkpoint(store.sessions.get(user.user_id) ?? [], query, 'sessions');
  });

  api(app, 'DELETE', '/users/:id/sessions', ['delete:sessions'], (req, reply, auth) => {
    const user = userOr404(ctx, id(req));
    store.sessions.delete(user.user_id);
    logApi(ctx, req, auth, 'Delete all sessions for a user', {
      user_id: user.user_id,
      ...userName(user.user_id),
    });
    // As Auth0 answers (go-auth0 TestUserManager_DeleteUserSessions): 202 Accepted with `{}`.
    reply.code(202);
    return {};
  });

  api(app, 'GET', '/sessions/:id', ['read:sessions'], (req) => {
    const session = findSession(id(req));
    if (!session) throw errors.notFound('The session does not exist.', 'inexistent_session');
    return session;
  });

  api(app, 'DELETE', '/sessions/:id', ['delete:sessions'], (req, reply, auth) => {
    const session = findSession(id(req));
    if (!session) throw errors.notFound('The session does not exist.', 'inexistent_session');
    dropSession(session);
    markAppliedTo(req, session.user_id);
    logApi(ctx, req, auth, 'Delete a session', {
      user_id: session.user_id,
      ...userName(session.user_id),
      details: { session_id: session.id },
    });
    reply.code(202);
    return undefined;
  });

  // ---- refresh tokens ----
  api(app, 'GET', '/users/:id/refresh-tokens', ['read:refresh_tokens'], (req) => {
    const query = parseQueryParams(cpQuery, req.query as Record<string, unknown>);
    const user = userOr404(ctx, id(req));
    const list = store.refreshTokens.get(user.user_id) ?? [];
    // With include_totals Auth0 adds the count (go-auth0 TestUserManager_DeleteRefreshTokens: {"tokens":[],"total":0}).
    return { ...checkpoint(list, query, 'tokens'), ...(query.include_totals ? { total: list.length } : {}) };
  });

  api(app, 'DELETE', '/users/:id/refresh-tokens', ['delete:refresh_tokens'], (req, reply, auth) => {
    const user = userOr404(ctx, id(req));
    store.refreshTokens.delete(user.user_id);
    logApi(ctx, req, auth, 'Delete all refresh tokens for a user', {
      user_id: user.user_id,
      ...userName(user.user_id),
    });
    // go-auth0 TestUserManager_DeleteRefreshTokens: 202 Accepted with `{}`.
    reply.code(202);
    return {};
  });

  api(app, 'GET', '/refresh-tokens/:id', ['read:refresh_tokens'], (req) => {
    const token = findToken(id(req));
    if (!token) throw errors.notFound('The refresh token does not exist.', 'inexistent_refresh_token');
    return token;
  });

  api(app, 'DELETE', '/refresh-tokens/:id', ['delete:refresh_tokens'], (req, reply, auth) => {
    const token = findToken(id(req));
    if (!token) throw errors.notFound('The refresh token does not exist.', 'inexistent_refresh_token');
    dropTokens(token.user_id, (t) => t.id !== token.id);
    markAppliedTo(req, token.user_id);
    logApi(ctx, req, auth, 'Delete a refresh token', {
      user_id: token.user_id,
      ...userName(token.user_id),
      details: { refresh_token_id: token.id },
    });
    // go-auth0 TestRefreshTokenManager_Delete: 204.
    reply.code(204);
    return undefined;
  });

  // ---- revoke-access: a session (and, unless preserved, its refresh tokens), or every session and token ----
  const revokeBody: Schema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      session_id: { type: 'string', minLength: 1, description: 'ID of the session to revoke.' },
      preserve_refresh_tokens: {
        type: 'boolean',
        description: 'Whether to preserve the refresh tokens associated with the session.',
      },
    },
  };
  api(app, 'POST', '/users/:id/revoke-access', ['delete:sessions'], (req, reply, auth) => {
    const user = userOr404(ctx, id(req));
    const body = (req.body ?? {}) as { session_id?: string; preserve_refresh_tokens?: boolean };
    validateBody(revokeBody, body);
    if (body.session_id) {
      const session = (store.sessions.get(user.user_id) ?? []).find((s) => s.id === body.session_id);
      if (!session) throw errors.notFound('The session does not exist.', 'inexistent_session');
      dropSession(session);
      if (!body.preserve_refresh_tokens) dropTokens(user.user_id, (t) => t.session_id !== session.id);
    } else {
      store.sessions.delete(user.user_id);
      if (!body.preserve_refresh_tokens) store.refreshTokens.delete(user.user_id);
    }
    logApi(ctx, req, auth, 'Revoke access of a user', {
      user_id: user.user_id,
      ...userName(user.user_id),
      details: { ...(body.session_id ? { session_id: body.session_id } : {}) },
    });
    reply.code(202);
    return undefined;
  });

  // ---- grants (a user's consents to applications) ----
  const grantsQuery = {
    type: 'object',
    properties: {
      ...offsetPagingProps,
      user_id: { type: 'string', description: 'user_id of the grants to retrieve.' },
      client_id: { type: 'string', description: 'client_id of the grants to retrieve.' },
      audience: { type: 'string', description: 'audience of the grants to retrieve.' },
    },
  } as const satisfies Schema;
  const allGrants = (): Grant[] => [...store.grants.values()].flat();
  api(app, 'GET', '/grants', ['read:grants'], (req) => {
    const query = parseQueryParams(grantsQuery, req.query as Record<string, unknown>);
    const userId = query.user_id as string | undefined;
    let list = userId ? (store.grants.get(userId) ?? []) : allGrants();
    if (query.client_id) list = list.filter((g) => g.clientID === query.client_id);
    if (query.audience) list = list.filter((g) => g.audience === query.audience);
    return offsetPage(list, query, 'grants');
  });

  api(app, 'DELETE', '/grants/:id', ['delete:grants'], (req, reply, auth) => {
    const grantId = id(req);
    const grant = allGrants().find((g) => g.id === grantId);
    if (!grant) throw errors.notFound('The grant does not exist.', 'inexistent_grant');
    const rest = (store.grants.get(grant.user_id) ?? []).filter((g) => g.id !== grantId);
    if (rest.length) store.grants.set(grant.user_id, rest);
    else store.grants.delete(grant.user_id);
    markAppliedTo(req, grant.user_id);
    logApi(ctx, req, auth, 'Delete a grant', {
      user_id: grant.user_id,
      ...userName(grant.user_id),
      details: { grant_id: grantId },
    });
    reply.code(204);
    return undefined;
  });

  api(app, 'DELETE', '/grants', ['delete:grants'], (req, reply, auth) => {
    const query = parseQueryParams(
      { type: 'object', properties: { user_id: { type: 'string' } } },
      req.query as Record<string, unknown>,
    );
    const userId = query.user_id as string | undefined;
    if (!userId) throw errors.query('Missing required property: user_id', 'user_id');
    store.grants.delete(userId);
    markAppliedTo(req, userId);
    logApi(ctx, req, auth, 'Delete all grants of a user', { user_id: userId, ...userName(userId) });
    reply.code(204);
    return undefined;
  });

  // ---- applications, by name (what a session's or a token's client_id means) ----
  api(app, 'GET', '/clients', ['read:clients'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: { ...offsetPagingProps, fields: { type: 'string' } } },
      req.query as Record<string, unknown>,
    );
    const list = [
      ...store.clients.map((c) => ({ client_id: c.client_id, name: c.name, app_type: 'non_interactive' })),
      ...APPLICATIONS,
    ];
    return offsetPage(list, query, 'clients');
  });
}
