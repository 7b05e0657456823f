// Writes on a user's account: create, metadata (Auth0's first-level merge), block, verify, delete. Each reads the
// before-state it needs, so the audit log always holds what a write replaced.
import {
  profileEditRules,
  profileFields,
  type Auth0User,
  type ChannelParsedInput,
  type WriteChannel,
} from '../../preload/contract.js';
import { AppError } from '../errors.js';
import type { WriteCommand } from '../commands/write-path.js';
import { asUser, readConnections } from './user-reads.js';
import { ownValues, readBackDeleted, readBackFields, readBackMetadata } from '../commands/read-back.js';

type In<C extends WriteChannel> = ChannelParsedInput<C>;

/** How long before our own call a user found after a 409 may have been created and still be ours. */
const CREATE_WINDOW_MS = 5_000;

export const createUser: WriteCommand<In<'users:create'>, { retriedBefore: number }, Auth0User> = {
  id: 'user.create',
  channel: 'users:create',
  action: 'user.create',
  target: (i) => i.email,
  // Safe to repeat: a retried create that meets 409 is checked against the user it may itself have made.
  idempotent: true,
  before: async ({ connection }) => ({ retriedBefore: connection.scheduler.stats.retried }),
  async apply({ management, connection }, input, { retriedBefore }) {
    const startedAt = Date.now();
    try {
      return asUser(
        await management.users.create({
          connection: input.connection,
          email: input.email,
          password: input.password,
          email_verified: input.emailVerified,
          verify_email: input.verifyEmail,
          ...(input.name ? { name: input.name } : {}),
        }),
      );
    } catch (err) {
      const e = err as { statusCode?: number };
      if (e.statusCode === 409 && connection.scheduler.stats.retried > retriedBefore) {
        const found = await management.users.listUsersByEmail({ email: input.email });
        const mine = found.find(
          (u) =>
            u.identities?.some((i) => i.connection === input.connection) &&
            Date.parse(u.created_at as string) >= startedAt - CREATE_WINDOW_MS,
        );
        if (mine) return asUser(mine);
      }
      throw err;
    }
  },
  audit: { after: (u, input) => ({ user_id: u.user_id, email: u.email, connection: input.connection }) },
  // Never the password: only who was to be created where.
  intent: (input) => ({ email: input.email, connection: input.connection }),
  async readBack({ management }, entry) {
    const { email, connection } = entry.intent as { email: string; connection: string };
    const since = Date.parse(entry.time) - CREATE_WINDOW_MS;
    const found = await management.users.listUsersByEmail({ email });
    const made = found.some(
      (u) =>
        u.identities?.some((i) => i.connection === connection) && Date.parse(u.created_at as string) >= since,
    );
    return made ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
};

export const updateMetadata: WriteCommand<In<'users:update-metadata'>, Auth0User, Auth0User> = {
  id: 'user.update-metadata',
  channel: 'users:update-metadata',
  action: (i) => `user.update-${i.kind.replace('_', '-')}`,
  target: (i) => i.userId,
  // A first-level merge of the same keys and values leaves the same result however often it is applied.
  idempotent: true,
  async before({ management }, input) {
    const current = asUser(await management.users.get(input.userId));
    const stale = staleEdit(current, input.expectedUpdatedAt, { [input.kind]: current[input.kind] ?? {} });
    if (stale) throw stale;
    return current;
  },
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { [input.kind]: input.changes })),
  audit: {
    // The whole object as it was, so that any write — even one that removed every key — can be undone from here.
    before: (user, input) => ({ [input.kind]: user[input.kind] ?? {}, updated_at: user.updated_at }),
    after: (user, input) => ({ changes: input.changes, [input.kind]: user[input.kind] ?? {} }),
  },
  intent: (input, user) => ({
    kind: input.kind,
    changes: input.changes,
    before: ownValues(user[input.kind], Object.keys(input.changes)),
  }),
  readBack: ({ management }, entry) => readBackMetadata(management, entry),
};

/** The user as it was and the database connection a new email or username goes to. */
interface ProfileBefore {
  user: Auth0User;
  connection: string | null;
}

function staleEdit(current: Auth0User, expected: string, what: Record<string, unknown>): AppError | null {
  if (current.updated_at === expected) return null;
  return new AppError(
    'conflict',
    `This user was changed on the tenant after you opened it (updated ${current.updated_at ?? 'just now'}). Your edit was not saved: reload the user, then make it again.`,
    { details: { stale: true, current: { updated_at: current.updated_at, ...what } } },
  );
}

export const updateProfile: WriteCommand<In<'users:update-profile'>, ProfileBefore, Auth0User> = {
  id: 'user.update-profile',
  channel: 'users:update-profile',
  action: 'user.update-profile',
  target: (i) => i.userId,
  // Setting the same fields to the same values again changes nothing more.
  idempotent: true,
  async before({ management }, input) {
    const user = asUser(await management.users.get(input.userId));
    const stale = staleEdit(user, input.expectedUpdatedAt, {});
    if (stale) throw stale;
    // Auth0's rules for this user and its connections, refused here in words before anything is sent.
    const rules = profileEditRules(user, await readConnections(management));
    const issues = profileFields
      .filter((f) => input.changes[f] !== undefined && rules[f])
      .map((f) => ({ path: `changes.${f}`, message: rules[f]! }));
    if (issues.length)
      throw new AppError('validation', issues.map((i) => i.message).join(' '), { details: { issues } });
    const database = user.identities?.find((i) => i.provider === 'auth0');
    return { user, connection: database?.connection ?? null };
  },
  async apply({ management }, input, { connection }) {
    const { changes } = input;
    const targetsConnection = changes.email !== undefined || changes.username !== undefined;
    return asUser(
      await management.users.update(input.userId, {
        ...changes,
        ...(targetsConnection && connection ? { connection } : {}),
      }),
    );
  },
  audit: {
    before: ({ user }, input) =>
      Object.fromEntries(
        Object.keys(input.changes).map((k) => [k, (user as Record<string, unknown>)[k] ?? null]),
      ),
    after: (user, input) =>
      Object.fromEntries(
        Object.keys(input.changes).map((k) => [k, (user as Record<string, unknown>)[k] ?? null]),
      ),
  },
  intent: (input, { user }) => {
    // What shows on the user afterwards (verify_email is an instruction, not a field).
    const { verify_email: _instruction, ...fields } = input.changes as Record<string, unknown>;
    return { fields, before: ownValues(user, Object.keys(fields)) };
  },
  readBack: ({ management }, entry) => readBackFields(management, entry),
};

export const setBlocked: WriteCommand<In<'users:set-blocked'>, Auth0User, Auth0User> = {
  id: 'user.set-blocked',
  channel: 'users:set-blocked',
  action: (i) => (i.blocked ? 'user.block' : 'user.unblock'),
  target: (i) => i.userId,
  idempotent: true,
  before: async ({ management }, input) => asUser(await management.users.get(input.userId)),
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { blocked: input.blocked })),
  audit: {
    before: (user) => ({ blocked: user.blocked ?? false }),
    after: (user) => ({ blocked: user.blocked ?? false }),
  },
  intent: (input, user) => ({
    fields: { blocked: input.blocked },
    before: { blocked: user.blocked ?? false },
  }),
  readBack: ({ management }, entry) => readBackFields(management, entry),
};

export const setEmailVerified: WriteCommand<In<'users:set-email-verified'>, Auth0User, Auth0User> = {
  id: 'user.mark-email-verified',
  channel: 'users:set-email-verified',
  action: 'user.mark-email-verified',
  target: (i) => i.userId,
  idempotent: true,
  before: async ({ management }, input) => asUser(await management.users.get(input.userId)),
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { email_verified: true })),
  audit: {
    before: (user) => ({ email: user.email, email_verified: user.email_verified ?? false }),
    after: (user) => ({ email_verified: user.email_verified ?? false }),
  },
  intent: (_input, user) => ({
    fields: { email_verified: true },
    before: { email_verified: user.email_verified ?? false },
  }),
  readBack: ({ management }, entry) => readBackFields(management, entry),
};

export const deleteUser: WriteCommand<In<'users:delete'>, Auth0User, { userId: string }> = {
  id: 'user.delete',
  channel: 'users:delete',
  action: 'user.delete',
  target: (i) => i.userId,
  idempotent: true,
  // An unknown user is an error here (Auth0 itself answers 204), so a typo never looks like a deletion.
  before: async ({ management }, input) => asUser(await management.users.get(input.userId)),
  async apply({ management }, input) {
    await management.users.delete(input.userId);
    return { userId: input.userId };
  },
  // The whole user as it was: deletion can't be undone, but what was deleted stays on record.
  audit: { before: (user) => user },
  readBack: ({ management }, entry) => readBackDeleted(management, entry),
};
