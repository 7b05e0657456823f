// Writes only bulk jobs make, on the same write path as every other. Each reads the user just before it is sent and
// compares what it changes with the plan's before-state: a user changed since the plan (a key edited in the user
// panel, a role given meanwhile) is skipped with both values — never overwritten — and one already as asked is
// skipped as such. This holds for a job, its retry and its undo alike (an undo's plan is the job's after-state).
import type { ManagementClient } from 'auth0';
import type { Auth0User, MetadataKind, RoleSummary } from '../../preload/contract.js';
import { SkipWrite, type WriteCommand } from '../commands/write-path.js';
import { asUser, readUserRoles } from '../users/user-reads.js';
import {
  deepEqual,
  ownValues,
  readBackFields,
  readBackMetadata,
  readBackUserRoles,
} from '../commands/read-back.js';

interface UserInput {
  tenantId: string;
  userId: string;
  guard?: { confirmed: true; typedDomain?: string };
}

const shown = (v: unknown) => (v === null || v === undefined ? 'absent' : JSON.stringify(v));

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
  id: 'bulk.merge-metadata',
  channel: 'users:update-metadata',
  action: (i) => `user.update-${i.kind.replace('_', '-')}`,
  target: (i) => i.userId,
  idempotent: true,
  async before({ management }, input) {
    const keys = Object.keys(input.changes);
    const now = ownValues(asUser(await management.users.get(input.userId))[input.kind], keys);
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
      [input.kind]: ownValues(user[input.kind], Object.keys(input.changes)),
    }),
  },
  intent: (input, now) => ({ kind: input.kind, changes: input.changes, before: now }),
  readBack: ({ management }, entry) => readBackMetadata(management, entry),
};

/** Role ids in words: their names, from the roles at hand or else asked of the tenant. */
async function names(management: ManagementClient, ids: string[], known: RoleSummary[]): Promise<string> {
  if (ids.length === 0) return 'none of them';
  const out: string[] = [];
  for (const id of ids) {
    const name =
      known.find((r) => r.id === id)?.name ??
      (await management.roles.get(id).then(
        (r) => String(r.name ?? id),
        () => id,
      ));
    out.push(name);
  }
  return out.join(', ');
}

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
  id: 'bulk.change-roles',
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
        `its roles changed since the plan: held ${await names(management, input.expected, roles)} when planned, holds ${await names(management, held, roles)} now \u2014 not changed`,
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
  intent: (input) => ({ add: input.add, remove: input.remove }),
  readBack: ({ management }, entry) => readBackUserRoles(management, entry),
};

/** A boolean of the user (blocked, email_verified) set as planned, unless it changed since the plan. */
function flagAsPlanned(
  id: string,
  field: 'blocked' | 'email_verified',
  channel: 'users:set-blocked' | 'users:set-email-verified',
  action: (value: boolean) => string,
): WriteCommand<UserInput & { value: boolean }, Record<string, unknown>, Auth0User> {
  return {
    id,
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
    intent: (input, now) => ({ fields: { [field]: input.value }, before: { [field]: now[field] } }),
    readBack: ({ management }, entry) => readBackFields(management, entry),
  };
}

export const setBlockedAsPlanned = flagAsPlanned('bulk.set-blocked', 'blocked', 'users:set-blocked', (v) =>
  v ? 'user.block' : 'user.unblock',
);
export const setEmailVerifiedTo = flagAsPlanned(
  'bulk.set-email-verified',
  'email_verified',
  'users:set-email-verified',
  (v) => (v ? 'user.mark-email-verified' : 'user.mark-email-unverified'),
);
