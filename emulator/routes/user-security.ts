// Brute-force blocks, MFA enrollments, authentication methods and remember-browser.
import type { FastifyInstance } from 'fastify';
import { api, logApi, userOr404, type TenantContext } from '../context.js';
import { errors } from '../errors.js';
import { parseQueryParams } from '../validate.js';
import { offsetPage, offsetPagingProps } from './paging.js';

const identifierQuery = {
  type: 'object',
  properties: {
    identifier: { type: 'string', description: 'Should be any of a username, phone number, or email.' },
    consider_brute_force_enablement: { type: 'boolean' },
  },
} as const;

export function registerUserSecurityRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;

  const byIdentifier = (identifier: string): string[] => {
    const lower = identifier.toLowerCase();
    return [...store.users.values()]
      .filter(
        (u) => u.email?.toLowerCase() === lower || u.username === identifier || u.phone_number === identifier,
      )
      .map((u) => u.user_id);
  };
  const requireIdentifier = (query: Record<string, unknown>): string => {
    if (typeof query.identifier !== 'string' || !query.identifier)
      throw errors.query(
        'Missing required property: identifier',
        'identifier',
        'Should be any of a username, phone number, or email.',
      );
    return query.identifier;
  };

  api(app, 'GET', '/user-blocks', ['read:users'], (req) => {
    const identifier = requireIdentifier(
      parseQueryParams(identifierQuery, req.query as Record<string, unknown>),
    );
    return { blocked_for: byIdentifier(identifier).flatMap((uid) => store.blocks.get(uid) ?? []) };
  });

  api(app, 'DELETE', '/user-blocks', ['update:users'], (req, reply, auth) => {
    const identifier = requireIdentifier(
      parseQueryParams(identifierQuery, req.query as Record<string, unknown>),
    );
    for (const uid of byIdentifier(identifier)) store.blocks.delete(uid);
    logApi(ctx, req, auth, 'Unblock a user by identifier', { details: { identifier } });
    reply.code(204);
    return undefined;
  });

  api(app, 'GET', '/user-blocks/:id', ['read:users'], (req) => {
    const user = userOr404(ctx, id(req));
    return { blocked_for: store.blocks.get(user.user_id) ?? [] };
  });

  api(app, 'DELETE', '/user-blocks/:id', ['update:users'], (req, reply, auth) => {
    const user = userOr404(ctx, id(req));
    store.blocks.delete(user.user_id);
    logApi(ctx, req, auth, 'Unblock a user', {
      user_id: user.user_id,
      ...(user.email ? { user_name: user.email } : {}),
    });
    reply.code(204);
    return undefined;
  });

  api(app, 'GET', '/users/:id/enrollments', ['read:users'], (req) => {
    const user = userOr404(ctx, id(req));
    return store.enrollments.get(user.user_id) ?? [];
  });

  api(app, 'GET', '/users/:id/authentication-methods', ['read:authentication_methods'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: offsetPagingProps },
      req.query as Record<string, unknown>,
    );
    const user = userOr404(ctx, id(req));
    const methods = store.authenticationMethods.get(user.user_id) ?? [];
    if (!query.include_totals) return offsetPage(methods, query, 'authenticators');
    // Auth0's envelope here: totals after the list, and no `total` at all when there is nothing
    // (go-auth0 TestUserManager_AuthenticationMethods).
    const perPage = (query.per_page as number | undefined) ?? 50;
    const start = ((query.page as number | undefined) ?? 0) * perPage;
    const authenticators = methods.slice(start, start + perPage);
    return methods.length
      ? { authenticators, total: methods.length, start, limit: perPage }
      : { authenticators, start, limit: perPage };
  });

  api(app, 'GET', '/users/:id/authentication-methods/:method', ['read:authentication_methods'], (req) => {
    const user = userOr404(ctx, id(req));
    const method = (store.authenticationMethods.get(user.user_id) ?? []).find(
      (m) => m.id === (req.params as { method: string }).method,
    );
    if (!method)
      throw errors.notFound('The authentication method does not exist.', 'inexistent_authentication_method');
    return method;
  });

  const clearMfa = (userId: string) => {
    store.authenticationMethods.delete(userId);
    store.enrollments.delete(userId);
    const user = store.users.get(userId);
    if (user?.multifactor) {
      const next = structuredClone(user);
      delete next.multifactor;
      next.updated_at = new Date().toISOString();
      store.putUser(next);
    }
  };

  api(
    app,
    'DELETE',
    '/users/:id/authentication-methods',
    ['delete:authentication_methods'],
    (req, reply, auth) => {
      const user = userOr404(ctx, id(req));
      clearMfa(user.user_id);
      logApi(ctx, req, auth, 'Delete all authentication methods of a user', {
        user_id: user.user_id,
        ...(user.email ? { user_name: user.email } : {}),
      });
      reply.code(204);
      return undefined;
    },
  );

  api(
    app,
    'DELETE',
    '/users/:id/authentication-methods/:method',
    ['delete:authentication_methods'],
    (req, reply, auth) => {
      const user = userOr404(ctx, id(req));
      const methodId = (req.params as { method: string }).method;
      const methods = store.authenticationMethods.get(user.user_id) ?? [];
      if (!methods.some((m) => m.id === methodId))
        throw errors.notFound(
          'The authentication method does not exist.',
          'inexistent_authentication_method',
        );
      const rest = methods.filter((m) => m.id !== methodId);
      if (rest.length) {
        store.authenticationMethods.set(user.user_id, rest);
        store.enrollments.set(
          user.user_id,
          (store.enrollments.get(user.user_id) ?? []).filter((e) => e.id !== methodId),
        );
      } else clearMfa(user.user_id);
      logApi(ctx, req, auth, 'Delete an authentication method of a user', {
        user_id: user.user_id,
        details: { authentication_method_id: methodId },
      });
      reply.code(204);
      return undefined;
    },
  );

  api(
    app,
    'POST',
    '/users/:id/multifactor/actions/invalidate-remember-browser',
    ['update:users'],
    (req, reply, auth) => {
      const user = userOr404(ctx, id(req));
      logApi(ctx, req, auth, 'Invalidate all remembered browsers for MFA', {
        user_id: user.user_id,
        ...(user.email ? { user_name: user.email } : {}),
      });
      reply.code(204);
      return undefined;
    },
  );

  api(app, 'DELETE', '/users/:id/multifactor/:provider', ['update:users'], (req, reply, auth) => {
    const user = userOr404(ctx, id(req));
    clearMfa(user.user_id);
    logApi(ctx, req, auth, 'Delete a User multifactor provider', {
      user_id: user.user_id,
      details: { provider: (req.params as { provider: string }).provider },
    });
    reply.code(204);
    return undefined;
  });
}
