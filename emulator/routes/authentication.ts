// Authentication API pieces the console uses: the reset email (`POST /dbconnections/change_password`) and the
// pages behind ticket links (`/u/reset-password`, `/u/email-verification`).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TenantContext } from '../context.js';
import type { Ticket, User } from '../model.js';
import { passwordIsStrongEnough } from './users.js';
import { recordEmail } from './mail.js';
import { issueTicket } from './tickets.js';

const RESET_SENT = "We've just sent you an email to reset your password.";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

function redirectUrl(ticket: Ticket, user: User, success: boolean, message: string): string | undefined {
  if (!ticket.result_url) return undefined;
  const url = new URL(ticket.result_url);
  url.searchParams.set('success', String(success));
  url.searchParams.set('message', message);
  if (ticket.includeEmailInRedirect !== false && user.email) url.searchParams.set('email', user.email);
  return url.toString();
}

export function registerAuthenticationRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const store = ctx.store;

  app.post('/dbconnections/change_password', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { client_id: clientId, email, connection } = body;
    if (typeof email !== 'string' || !email)
      return reply
        .code(400)
        .send({ error: 'invalid_request', error_description: 'Missing required parameter: email' });
    if (typeof connection !== 'string' || !connection)
      return reply
        .code(400)
        .send({ error: 'invalid_request', error_description: 'Missing required parameter: connection' });
    if (typeof clientId === 'string' && !store.clients.some((c) => c.client_id === clientId))
      return reply.code(400).send({ error: 'invalid_request', error_description: 'Unknown client.' });
    const conn = store.connectionByName(connection);
    if (!conn)
      return reply.code(400).send({ error: 'invalid_request', error_description: 'connection not found' });
    if (conn.strategy !== 'auth0')
      return reply.code(400).send({
        error: 'invalid_request',
        error_description: 'Password change is only available for database connections.',
      });
    // Auth0 answers the same whether or not the user exists, so callers cannot probe for accounts.
    const user = store.findInConnection(conn.name, { email });
    if (user) {
      const link = issueTicket(ctx, 'password-change', user, {});
      recordEmail(ctx, {
        to: user.email ?? email,
        type: 'reset_email',
        subject: 'Reset your password',
        link,
        connection: conn.name,
      });
      store.log({
        type: 'scpr',
        description: 'Change password request',
        user_id: user.user_id,
        user_name: user.email,
        connection: conn.name,
        connection_id: conn.id,
        ip: req.ip,
        ...(typeof clientId === 'string' ? { client_id: clientId } : {}),
      });
    }
    return reply.code(200).type('text/plain; charset=utf-8').send(RESET_SENT);
  });

  const ticketOf = (
    id: unknown,
    type: Ticket['type'],
  ): { ticket?: Ticket; user?: User; problem?: string } => {
    const ticket = typeof id === 'string' ? store.tickets.get(id) : undefined;
    if (!ticket || ticket.type !== type) return { problem: 'This link is invalid.' };
    if (ticket.used) return { problem: 'This ticket was already used.' };
    if (Date.parse(ticket.expires_at) < Date.now()) return { problem: 'This ticket has expired.' };
    const user = store.users.get(ticket.user_id);
    if (!user) return { problem: 'The user does not exist.' };
    return { ticket, user };
  };

  app.get('/u/reset-password', async (req, reply) => {
    const id = (req.query as Record<string, unknown>).ticket;
    const { ticket, problem } = ticketOf(id, 'password-change');
    if (!ticket) return page(reply, 400, 'Password reset', `<p role="alert">${escapeHtml(problem!)}</p>`);
    return page(
      reply,
      200,
      'Change your password',
      `<form method="post" action="/u/reset-password"><input type="hidden" name="ticket" value="${escapeHtml(ticket.id)}"><label>New password <input type="password" name="password" autocomplete="new-password" required></label> <button type="submit">Reset password</button></form>`,
    );
  });

  app.post('/u/reset-password', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { ticket, user, problem } = ticketOf(body.ticket, 'password-change');
    if (!ticket || !user)
      return page(reply, 400, 'Password reset', `<p role="alert">${escapeHtml(problem!)}</p>`);
    const password = typeof body.password === 'string' ? body.password : '';
    const conn = store.connectionByName(
      user.identities.find((i) => i.provider === 'auth0')?.connection ?? '',
    );
    if (!conn || !passwordIsStrongEnough(conn, password))
      return page(reply, 400, 'Change your password', '<p role="alert">Password is too weak.</p>');
    const now = new Date().toISOString();
    const next = structuredClone(user);
    next.last_password_reset = now;
    next.updated_at = now;
    if (ticket.mark_email_as_verified) next.email_verified = true;
    store.setPassword(user.user_id, password);
    store.putUser(next);
    ticket.used = true;
    store.log({
      type: 'scp',
      description: 'Successful change password',
      user_id: user.user_id,
      user_name: user.email,
      connection: conn.name,
      connection_id: conn.id,
      ip: req.ip,
    });
    const to = redirectUrl(ticket, next, true, 'Your password has been changed successfully.');
    if (to) return reply.redirect(to, 302);
    return page(reply, 200, 'Password changed', '<p>Your password has been changed successfully.</p>');
  });

  app.get('/u/email-verification', async (req, reply) => {
    const id = (req.query as Record<string, unknown>).ticket;
    const { ticket, user, problem } = ticketOf(id, 'email-verification');
    if (!ticket || !user)
      return page(reply, 400, 'Email verification', `<p role="alert">${escapeHtml(problem!)}</p>`);
    const next = structuredClone(user);
    next.email_verified = true;
    next.updated_at = new Date().toISOString();
    store.putUser(next);
    ticket.used = true;
    store.log({
      type: 'sv',
      description: 'Success Verification Email',
      user_id: user.user_id,
      user_name: user.email,
      ip: req.ip,
    });
    const to = redirectUrl(
      ticket,
      next,
      true,
      'Your email was verified. You can continue using the application.',
    );
    if (to) return reply.redirect(to, 302);
    return page(
      reply,
      200,
      'Email verified',
      '<p>Your email was verified. You can continue using the application.</p>',
    );
  });
}
