// The local tenant's outbox: emails Auth0 would send, recorded so tests and the console can read them.
import { randomBytes } from 'node:crypto';
import type { TenantContext } from '../context.js';
import type { Connection, OutboxEmail, User } from '../model.js';

export function recordEmail(ctx: TenantContext, email: Omit<OutboxEmail, 'id' | 'sentAt'>): OutboxEmail {
  const entry: OutboxEmail = {
    id: `msg_${randomBytes(8).toString('hex')}`,
    sentAt: new Date().toISOString(),
    ...email,
  };
  ctx.store.outbox.push(entry);
  if (ctx.store.outbox.length > 10_000) ctx.store.outbox.shift();
  return entry;
}

/** Issues an email-verification ticket and "sends" it, as Auth0 does on signup and for verification-email jobs. */
export function sendVerificationEmail(
  ctx: TenantContext,
  user: User,
  connection: Connection,
): OutboxEmail | undefined {
  if (!user.email) return undefined;
  const id = randomBytes(24).toString('base64url');
  ctx.store.tickets.set(id, {
    id,
    type: 'email-verification',
    user_id: user.user_id,
    expires_at: new Date(Date.now() + 5 * 86_400_000).toISOString(),
    used: false,
  });
  const email = recordEmail(ctx, {
    to: user.email,
    type: 'verify_email',
    subject: 'Verify your email',
    link: `${ctx.url}/u/email-verification?ticket=${id}#`,
    connection: connection.name,
  });
  ctx.store.log({
    type: 'svr',
    description: 'Success Verification Email Request',
    user_id: user.user_id,
    user_name: user.email,
    connection: connection.name,
    connection_id: connection.id,
  });
  return email;
}
