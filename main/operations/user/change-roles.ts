// Giving a user roles and taking them away: one operation for the user panel's "assign" and "remove", the Roles
// screen's "remove members" and a bulk job's "add or remove roles". Doing it again changes nothing, so it may repeat.
// In a bulk job the roles the user held when planned are checked first: a user whose roles changed since is
// skipped, never overwritten. Undone by the opposite change.
import type { ManagementClient } from 'auth0';
import { z } from 'zod';
import { channels, type RoleSummary, type WriteChannel } from '../../../preload/contract.js';
import { readUserRoles } from '../../users/user-reads.js';
import { operation, SkipWrite } from '../operation.js';
import { deepEqual, readBackUserRoles } from '../read-back.js';

export interface ChangeRolesInput {
  tenantId: string;
  userId: string;
  add: string[];
  remove: string[];
  guard?: { confirmed: true; typedDomain?: string };
  /** From a bulk plan: which of the roles added or removed the user held when planned. */
  expected?: string[];
}

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

const ids = (roles: RoleSummary[]) => roles.map((r) => r.id);

export const changeRoles = operation<ChangeRolesInput, RoleSummary[], void>({
  name: 'user.change-roles',
  // Input from the window comes through users:assign-roles / users:remove-roles (roleIds), turned into add/remove.
  input: channels['users:assign-roles'].input,
  // Removing a role is the riskier change: on production the domain is typed back.
  risk: (i): WriteChannel => (i.remove.length ? 'users:remove-roles' : 'users:assign-roles'),
  needs: 'roles:assign',
  action: (i) =>
    i.remove.length ? (i.add.length ? 'user.change-roles' : 'user.remove-roles') : 'user.assign-roles',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    const roles = await readUserRoles(management, input.userId);
    if (input.expected) {
      const involved = [...input.add, ...input.remove];
      const held = ids(roles).filter((id) => involved.includes(id));
      const done = input.add.every((r) => held.includes(r)) && input.remove.every((r) => !held.includes(r));
      if (!deepEqual([...held].sort(), [...input.expected].sort())) {
        if (done)
          throw new SkipWrite('already as asked (changed on the tenant since the plan)', { roles: held });
        throw new SkipWrite(
          `its roles changed since the plan: held ${await names(management, input.expected, roles)} when planned, holds ${await names(management, held, roles)} now \u2014 not changed`,
          { roles: held },
        );
      }
    }
    return roles;
  },
  async apply({ management }, input) {
    if (input.add.length) await management.users.roles.assign(input.userId, { roles: input.add });
    if (input.remove.length) await management.users.roles.delete(input.userId, { roles: input.remove });
  },
  audit: {
    before: (roles, input) => {
      if (!input.expected) return { roles: ids(roles) };
      const involved = [...input.add, ...input.remove];
      return { roles: ids(roles).filter((id) => involved.includes(id)) };
    },
    after: (_r, input, roles) =>
      input.expected
        ? { added: input.add, removed: input.remove }
        : {
            roles: [
              ...ids(roles).filter((id) => !input.remove.includes(id)),
              ...input.add.filter((id) => !ids(roles).includes(id)),
            ],
          },
  },
  intent: (input) => ({
    ...(input.add.length ? { add: input.add } : {}),
    ...(input.remove.length ? { remove: input.remove } : {}),
  }),
  readBack: ({ management }, entry) => readBackUserRoles(management, entry),
  bulk: {
    kinds: ['roles'],
    params: z
      .object({ add: z.array(z.string()), remove: z.array(z.string()), expected: z.array(z.string()) })
      .strict() as unknown as z.ZodType<Record<string, unknown>>,
    roles: (change) => (change.kind === 'roles' ? [...change.add, ...change.remove] : []),
    plan(change, user, members) {
      if (change.kind !== 'roles') throw new Error(`not a roles change: ${change.kind}`);
      const holds = (r: string) => members.get(r)?.has(user.user_id) ?? false;
      const add = change.add.filter((r) => !holds(r));
      const remove = change.remove.filter((r) => holds(r));
      if (add.length + remove.length === 0) return { op: null, note: 'already as asked' };
      const held = [...change.add, ...change.remove].filter(holds);
      return {
        op: { name: 'user.change-roles', params: { add, remove, expected: held } },
        before: { roles: held },
        after: { roles: [...held.filter((r) => !remove.includes(r)), ...add] },
      };
    },
    after: (_r, _input, line) => line.a,
    inverse(call, before, after, now) {
      if (!now.user) return { op: null, note: 'no longer exists' };
      const { add, remove } = call.params as { add: string[]; remove: string[] };
      const expected = (((after ?? {}) as { roles?: string[] }).roles ?? []).slice().sort();
      const involved = [...add, ...remove];
      const holding = (now.roles ?? []).filter((r) => involved.includes(r)).sort();
      if (!deepEqual(holding, expected)) return { op: null, note: 'its roles changed since the job' };
      return {
        op: { name: 'user.change-roles', params: { add: remove, remove: add, expected } },
        before: { roles: expected },
        after: before,
      };
    },
  },
});
