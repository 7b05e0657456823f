// Writes only bulk jobs make, on the same write path as every other. Each reads the user just before it is sent and
// compares what it changes with the plan's before-state: a user changed since the plan (a key edited in the user
// panel, a role given meanwhile) is skipped with both values — never overwritten — and one already as asked is
// skipped as such. This holds for a job, its retry and its undo alike (an undo's plan is the job's after-state).
import type { Auth0User, MetadataKind, RoleSummary } from '../../preload/contract.js';
import { SkipWrite, type WriteCommand } from '../commands/write-path.js';
import { asUser, readUserRoles } from '../users/user-reads.js';
import { deepEqual } from './bulk-ops.js';

interface UserInput {
  tenantId: string;
  userId: string;
  guard?: { confirmed: true; typedDomain?: string };
}

const shown = (v: unknown) => (v === null || v === undefined ? 'absent' : JSON.stringify(v));

/** A user's value of each key, null where the key is absent (own keys only). */
function valuesOf(object: unknown, keys: string[]): Record<string, unknown> {
  const o = (object ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, Object.prototype.hasOwnProperty.call(o, k) ? o[k] : null]));
}

export const mergeMetadata: WriteCommand<
  UserInput & {
    kind: MetadataKind;
    changes: Record<string, unknown>;
    /** Each changed key's value when the plan was made (null: absent). */
    expected: Record<string, unknown>;
  },
  Record<string, unknown>,
  Auth0User
> = {
  channel: 'users:update-metadata',
  action: (i) => `user.update-${i.kind.replace('_', '-')}`,
  target: (i) => i.userId,
  idempotent: true,
  async before({ management }, input) {
    const keys = Object.keys(input.changes);
    const now = valuesOf(asUser(await management.users.get(input.userId))[input.kind], keys);
    // Overwriting is refused only where the value is neither what the plan saw nor what it asks for.
    const changed = keys.filter(
      (k) => !deepEqual(now[k], input.expected[k] ?? null) && !deepEqual(now[k], input.changes[k]),
    );
    if (changed.length)
      throw new SkipWrite(
        `changed since the plan: ${changed
          .map(
            (k) => `${input.kind}.${k} was ${shown(input.expected[k])} when planned, is ${shown(now[k])} now`,
          )
          .join('; ')} \u2014 not overwritten`,
        { values: now },
      );
    if (keys.every((k) => deepEqual(now[k], input.changes[k])))
      throw new SkipWrite('already as asked (changed on the tenant since the plan)', { values: now });
    return now;
  },
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { [input.kind]: input.changes })),
  audit: {
    before: (before) => before,
    after: (user, input) => ({
      updated_at: user.updated_at,
      [input.kind]: valuesOf(user[input.kind], Object.keys(input.changes)),
    }),
  },
};

const names = (ids: string[], roles: RoleSummary[]) =>
  ids.length ? ids.map((id) => roles.find((r) => r.id === id)?.name ?? id).join(', ') : 'none of them';

export const changeRoles: WriteCommand<
  UserInput & {
    add: string[];
    remove: string[];
    /** Which of the roles added or removed the user held when the plan was made. */
    expected: string[];
  },
  { roles: string[] },
  void
> = {
  // Removing a role is the riskier half: the guard (already answered for the job) is judged on that.
  channel: 'users:remove-roles',
  action: (i) =>
    i.remove.length ? (i.add.length ? 'user.change-roles' : 'user.remove-roles') : 'user.assign-roles',
  target: (i) => i.userId,
  idempotent: true,
  async before({ management }, input) {
    const involved = [...input.add, ...input.remove];
    const roles = await readUserRoles(management, input.userId);
    const held = roles.map((r) => r.id).filter((id) => involved.includes(id));
    const done = input.add.every((r) => held.includes(r)) && input.remove.every((r) => !held.includes(r));
    if (!deepEqual([...held].sort(), [...input.expected].sort())) {
      if (done)
        throw new SkipWrite('already as asked (changed on the tenant since the plan)', { roles: held });
      throw new SkipWrite(
        `its roles changed since the plan: held ${names(input.expected, roles)} when planned, holds ${names(held, roles)} now \u2014 not changed`,
        { roles: held },
      );
    }
    return { roles: held };
  },
  async apply({ management }, input) {
    if (input.add.length) await management.users.roles.assign(input.userId, { roles: input.add });
    if (input.remove.length) await management.users.roles.delete(input.userId, { roles: input.remove });
  },
  audit: {
    before: (before) => before,
    after: (_r, input) => ({ added: input.add, removed: input.remove }),
  },
};

/** A boolean of the user (blocked, email_verified) set as planned, unless it changed since the plan. */
function flagAsPlanned(
  field: 'blocked' | 'email_verified',
  channel: 'users:set-blocked' | 'users:set-email-verified',
  action: (value: boolean) => string,
): WriteCommand<UserInput & { value: boolean }, Record<string, unknown>, Auth0User> {
  return {
    channel,
    action: (i) => action(i.value),
    target: (i) => i.userId,
    idempotent: true,
    async before({ management }, input) {
      const user = asUser(await management.users.get(input.userId));
      const now = (user[field] as boolean | undefined) ?? false;
      if (now === input.value)
        throw new SkipWrite(`already as asked (${field} is ${now} on the tenant since the plan)`, {
          [field]: now,
        });
      return { [field]: now, updated_at: user.updated_at };
    },
    apply: async ({ management }, input) =>
      asUser(await management.users.update(input.userId, { [field]: input.value })),
    audit: {
      before: (before) => before,
      after: (user) => ({
        [field]: (user[field] as boolean | undefined) ?? false,
        updated_at: user.updated_at,
      }),
    },
  };
}

export const setBlockedAsPlanned = flagAsPlanned('blocked', 'users:set-blocked', (v) =>
  v ? 'user.block' : 'user.unblock',
);
export const setEmailVerifiedTo = flagAsPlanned('email_verified', 'users:set-email-verified', (v) =>
  v ? 'user.mark-email-verified' : 'user.mark-email-unverified',
);
