// Writes only bulk jobs make, on the same write path as every other: a metadata merge of exactly the keys a plan
// found different (no stale check — the plan's before-state is the one recorded), roles added and removed in one
// item, and email_verified set either way (an undo sets it back to false).
import type { Auth0User, MetadataKind } from '../../preload/contract.js';
import type { WriteCommand } from '../commands/write-path.js';
import { asUser } from '../users/user-reads.js';

interface UserInput {
  tenantId: string;
  userId: string;
  guard?: { confirmed: true; typedDomain?: string };
}

export const mergeMetadata: WriteCommand<
  UserInput & { kind: MetadataKind; changes: Record<string, unknown> },
  unknown,
  Auth0User
> = {
  channel: 'users:update-metadata',
  action: (i) => `user.update-${i.kind.replace('_', '-')}`,
  target: (i) => i.userId,
  idempotent: true,
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { [input.kind]: input.changes })),
  audit: {
    before: (before) => before,
    after: (user, input) => ({
      updated_at: user.updated_at,
      [input.kind]: Object.fromEntries(
        Object.keys(input.changes).map((k) => [k, (user[input.kind] ?? {})[k] ?? null]),
      ),
    }),
  },
};

export const changeRoles: WriteCommand<UserInput & { add: string[]; remove: string[] }, unknown, void> = {
  // Removing a role is the riskier half: the guard (already answered for the job) is judged on that.
  channel: 'users:remove-roles',
  action: (i) =>
    i.remove.length ? (i.add.length ? 'user.change-roles' : 'user.remove-roles') : 'user.assign-roles',
  target: (i) => i.userId,
  idempotent: true,
  async apply({ management }, input) {
    if (input.add.length) await management.users.roles.assign(input.userId, { roles: input.add });
    if (input.remove.length) await management.users.roles.delete(input.userId, { roles: input.remove });
  },
  audit: {
    before: (before) => before,
    after: (_r, input) => ({ added: input.add, removed: input.remove }),
  },
};

export const setEmailVerifiedTo: WriteCommand<UserInput & { value: boolean }, unknown, Auth0User> = {
  channel: 'users:set-email-verified',
  action: (i) => (i.value ? 'user.mark-email-verified' : 'user.mark-email-unverified'),
  target: (i) => i.userId,
  idempotent: true,
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { email_verified: input.value })),
  audit: {
    before: (before) => before,
    after: (user) => ({ email_verified: user.email_verified ?? false, updated_at: user.updated_at }),
  },
};
