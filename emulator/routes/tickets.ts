// Password-change and email-verification tickets: URLs the local tenant serves under /u/.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { api, logApi, type TenantContext } from '../context.js';
import { errors } from '../errors.js';
import type { Ticket, User } from '../model.js';
import { validateBody, type Schema } from '../validate.js';

const DEFAULT_TTL_SECONDS = 432_000;

const common = {
  result_url: { type: 'string', format: 'uri' },
  user_id: { type: 'string', minLength: 1 },
  client_id: { type: 'string' },
  organization_id: { type: 'string' },
  ttl_sec: { type: 'integer', minimum: 0 },
  includeEmailInRedirect: { type: 'boolean' },
  identity: {
    type: 'object',
    properties: {
      user_id: { type: 'string' },
      provider: { type: 'string' },
      connection_id: { type: 'string' },
    },
    required: ['user_id', 'provider'],
    additionalProperties: false,
  },
} as const satisfies Record<string, Schema>;

const passwordChangeSchema: Schema = {
  type: 'object',
  properties: {
    ...common,
    connection_id: { type: 'string', minLength: 1 },
    email: { type: 'string', format: 'email' },
    new_password: { type: 'string' },
    mark_email_as_verified: { type: 'boolean' },
  },
  additionalProperties: false,
};

const emailVerificationSchema: Schema = {
  type: 'object',
  properties: common,
  required: ['user_id'],
  additionalProperties: false,
};

export function issueTicket(
  ctx: TenantContext,
  type: Ticket['type'],
  user: User,
  options: Partial<Ticket> & { ttlSec?: number },
): string {
  const id = randomBytes(24).toString('base64url');
  const ttl = options.ttlSec && options.ttlSec > 0 ? options.ttlSec : DEFAULT_TTL_SECONDS;
  ctx.store.tickets.set(id, {
    id,
    type,
    user_id: user.user_id,
    expires_at: new Date(Date.now() + ttl * 1000).toISOString(),
    used: false,
    ...(options.result_url ? { result_url: options.result_url } : {}),
    ...(options.mark_email_as_verified !== undefined
      ? { mark_email_as_verified: options.mark_email_as_verified }
      : {}),
    ...(options.includeEmailInRedirect !== undefined
      ? { includeEmailInRedirect: options.includeEmailInRedirect }
      : {}),
  });
  return `${ctx.url}/u/${type === 'password-change' ? 'reset-password' : 'email-verification'}?ticket=${id}#`;
}

export function registerTicketRoutes(app: FastifyInstance, ctx: TenantContext): void {
  api(app, 'POST', '/tickets/password-change', ['create:user_tickets'], (req, reply, auth) => {
    validateBody(passwordChangeSchema, req.body ?? null);
    const body = req.body as Record<string, unknown>;
    let user: User | undefined;
    if (typeof body.user_id === 'string') {
      user = ctx.store.users.get(body.user_id);
    } else if (typeof body.email === 'string' && typeof body.connection_id === 'string') {
      const connection = ctx.store.connectionById(body.connection_id);
      if (!connection) throw errors.notFound('The connection does not exist.', 'inexistent_connection');
      user = ctx.store.findInConnection(connection.name, { email: body.email });
    } else {
      throw errors.badRequest(
        "Payload validation error: 'One of user_id or email and connection_id is required'.",
      );
    }
    if (!user) throw errors.inexistentUser();
    if (!user.identities.some((i) => i.provider === 'auth0'))
      throw errors.badRequest(
        'Password change tickets are only available for database connections.',
        'operation_not_supported',
      );
    const ticket = issueTicket(ctx, 'password-change', user, {
      ...(typeof body.result_url === 'string' ? { result_url: body.result_url } : {}),
      ...(typeof body.ttl_sec === 'number' ? { ttlSec: body.ttl_sec } : {}),
      ...(typeof body.mark_email_as_verified === 'boolean'
        ? { mark_email_as_verified: body.mark_email_as_verified }
        : {}),
      ...(typeof body.includeEmailInRedirect === 'boolean'
        ? { includeEmailInRedirect: body.includeEmailInRedirect }
        : {}),
    });
    logApi(ctx, req, auth, 'Create a password change ticket', {
      user_id: user.user_id,
      ...(user.email ? { user_name: user.email } : {}),
    });
    reply.code(201);
    return { ticket };
  });

  api(app, 'POST', '/tickets/email-verification', ['create:user_tickets'], (req, reply, auth) => {
    validateBody(emailVerificationSchema, req.body ?? null);
    const body = req.body as Record<string, unknown>;
    const user = ctx.store.users.get(body.user_id as string);
    if (!user) throw errors.inexistentUser();
    if (!user.email)
      throw errors.badRequest('The user does not have an email address.', 'operation_not_supported');
    const ticket = issueTicket(ctx, 'email-verification', user, {
      ...(typeof body.result_url === 'string' ? { result_url: body.result_url } : {}),
      ...(typeof body.ttl_sec === 'number' ? { ttlSec: body.ttl_sec } : {}),
      ...(typeof body.includeEmailInRedirect === 'boolean'
        ? { includeEmailInRedirect: body.includeEmailInRedirect }
        : {}),
    });
    logApi(ctx, req, auth, 'Create an email verification ticket', {
      user_id: user.user_id,
      user_name: user.email,
    });
    reply.code(201);
    return { ticket };
  });
}
