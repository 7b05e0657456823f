// Writes on how a user signs in: passwords (set, change link, reset email), verification email, MFA, remembered
// browsers and brute-force blocks. Passwords and ticket links are never written to the audit log.
import type { Auth0User, ChannelParsedInput, MfaState, WriteChannel } from '../../preload/contract.js';
import { AppError } from '../errors.js';
import type { WriteCommand } from '../commands/write-path.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import { asUser, readMfa } from './user-reads.js';
import { userOrNull } from '../commands/read-back.js';

type In<C extends WriteChannel> = ChannelParsedInput<C>;

function databaseIdentity(user: Auth0User) {
  const identity = user.identities?.find((i) => i.provider === 'auth0');
  if (!identity)
    throw new AppError(
      'validation',
      'This user signs in through a social or enterprise connection: their password is managed there, not by Auth0.',
    );
  return identity;
}

export const unblockBruteForce: WriteCommand<
  In<'users:unblock-brute-force'>,
  { identifier: string }[],
  { ok: true }
> = {
  id: 'user.unblock-brute-force',
  channel: 'users:unblock-brute-force',
  action: 'user.unblock-brute-force',
  target: (i) => i.userId,
  idempotent: true,
  before: async ({ management }, input) =>
    ((await management.userBlocks.list(input.userId)).blocked_for ?? []) as { identifier: string }[],
  async apply({ management }, input) {
    await management.userBlocks.delete(input.userId);
    return { ok: true };
  },
  audit: { before: (blocks) => ({ blocked_for: blocks }) },
  async readBack({ management }, entry) {
    const blocks = (await management.userBlocks.list(entry.target!)).blocked_for ?? [];
    return blocks.length === 0 ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
};

export const sendVerificationEmail: WriteCommand<
  In<'users:send-verification-email'>,
  undefined,
  { jobId: string }
> = {
  id: 'user.send-verification-email',
  channel: 'users:send-verification-email',
  action: 'user.send-verification-email',
  target: (i) => i.userId,
  // Each send is another email.
  idempotent: false,
  async apply({ management }, input) {
    const job = await management.jobs.verificationEmail.create({ user_id: input.userId });
    return { jobId: String(job.id) };
  },
  audit: { after: (r) => r },
};

export const passwordTicket: WriteCommand<
  In<'users:password-ticket'>,
  undefined,
  { ticket: string; expiresAt: string }
> = {
  id: 'user.password-ticket',
  channel: 'users:password-ticket',
  action: 'user.password-ticket',
  target: (i) => i.userId,
  // Each call mints another working link.
  idempotent: false,
  async apply({ management }, input) {
    const r = await management.tickets.changePassword({
      user_id: input.userId,
      ttl_sec: input.ttlSec,
      mark_email_as_verified: input.markEmailVerified,
      ...(input.resultUrl ? { result_url: input.resultUrl } : {}),
    });
    return { ticket: String(r.ticket), expiresAt: new Date(Date.now() + input.ttlSec * 1000).toISOString() };
  },
  // The link itself lets anyone set the password: only when it expires is recorded.
  audit: { after: (r) => ({ expiresAt: r.expiresAt }) },
};

export const resetEmail: WriteCommand<In<'users:reset-email'>, Auth0User, { sentTo: string }> = {
  id: 'user.reset-email',
  channel: 'users:reset-email',
  action: 'user.reset-email',
  target: (i) => i.userId,
  idempotent: false,
  async before({ management }, input) {
    const user = asUser(await management.users.get(input.userId));
    databaseIdentity(user);
    if (!user.email)
      throw new AppError('validation', 'This user has no email address to send the reset link to.');
    return user;
  },
  async apply({ connection, profile }, _input, user) {
    const identity = databaseIdentity(user);
    // The Authentication API, with its own rate limit.
    const res = await withRequestPolicy({ bucket: 'authentication' }, () =>
      connection.scheduler.fetch(`https://${profile.domain}/dbconnections/change_password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: profile.clientId,
          email: user.email,
          connection: identity.connection,
        }),
      }),
    );
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string; error_description?: string };
      throw new AppError(
        'auth0_error',
        `The tenant refused to send the reset email: ${body.error_description ?? body.error ?? res.status}`,
        { status: res.status },
      );
    }
    await res.arrayBuffer();
    return { sentTo: user.email! };
  },
  audit: { after: (r) => r },
};

export const setPassword: WriteCommand<In<'users:set-password'>, Auth0User, Auth0User> = {
  id: 'user.set-password',
  channel: 'users:set-password',
  action: 'user.set-password',
  target: (i) => i.userId,
  // The same password set twice is the same password.
  idempotent: true,
  async before({ management }, input) {
    const user = asUser(await management.users.get(input.userId));
    databaseIdentity(user);
    return user;
  },
  apply: async ({ management }, input, user) =>
    asUser(
      await management.users.update(input.userId, {
        password: input.password,
        connection: databaseIdentity(user).connection,
      }),
    ),
  audit: { before: (user) => ({ last_password_reset: user.last_password_reset ?? null }) },
  // Never the password: a new one shows as a later last_password_reset.
  async readBack({ management }, entry) {
    const user = await userOrNull(management, entry.target!);
    if (!user) return { resolution: 'unknown', detail: 'the user no longer exists' };
    const before = (entry.before as { last_password_reset?: string | null } | undefined)?.last_password_reset;
    const now = user.last_password_reset;
    return now && now !== before ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
};

export const mfaReset: WriteCommand<In<'users:mfa-reset'>, MfaState, MfaState> = {
  id: 'user.mfa-reset',
  channel: 'users:mfa-reset',
  action: 'user.mfa-reset',
  target: (i) => i.userId,
  idempotent: true,
  before: ({ management }, input) => readMfa(management, input.userId),
  async apply({ management }, input) {
    await management.users.authenticationMethods.deleteAll(input.userId);
    return readMfa(management, input.userId);
  },
  audit: {
    before: (mfa) => ({ methods: mfa.authenticationMethods.map((m) => ({ id: m.id, type: m.type })) }),
  },
  async readBack({ management }, entry) {
    const mfa = await readMfa(management, entry.target!);
    return mfa.authenticationMethods.length === 0 ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
};

export const invalidateRememberBrowser: WriteCommand<
  In<'users:invalidate-remember-browser'>,
  undefined,
  { ok: true }
> = {
  id: 'user.invalidate-remember-browser',
  channel: 'users:invalidate-remember-browser',
  action: 'user.invalidate-remember-browser',
  target: (i) => i.userId,
  idempotent: true,
  async apply({ management }, input) {
    await management.users.multifactor.invalidateRememberBrowser(input.userId);
    return { ok: true };
  },
};
