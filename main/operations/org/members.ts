// An organization's members and their organization roles: adding a user, removing one, and giving or taking
// organization roles — one operation each, for the Organizations screen, the user panel and bulk edits alike. In a bulk
// job the membership (and the roles) the user had when planned are checked first: a user changed since is skipped,
// never overwritten. Each is undone by the opposite write; removing a member keeps the organization roles they held,
// so an undo gives them back.
import { z } from 'zod';
import type { WriteChannel } from '../../../preload/contract.js';
import { channels } from '../../../preload/contract.js';
import { memberRoles, organizationsOf } from '../../organizations/org-reads.js';
import { operation, SkipWrite, type PlannedLine } from '../operation.js';
import { deepEqual } from '../read-back.js';

/** The plan's key for an organization's members, and for the holders of one of its roles. */
export const orgKey = (orgId: string) => `org:${orgId}`;
export const orgRoleKey = (orgId: string, roleId: string) => `org:${orgId}:role:${roleId}`;

export interface OrgMemberInput {
  tenantId: string;
  userId: string;
  orgId: string;
  guard?: { confirmed: true; typedDomain?: string };
  /** From a bulk plan: whether the user was a member when planned. */
  expected?: boolean;
  /** Organization roles to give back with the membership (an undone removal). */
  restoreRoles?: string[];
}

const isMember = async (management: Parameters<typeof organizationsOf>[0], userId: string, orgId: string) =>
  (await organizationsOf(management, userId)).some((o) => o.id === orgId);

async function readBackMembership(
  management: Parameters<typeof organizationsOf>[0],
  entry: { target: string | null; intent?: unknown },
  wanted: boolean,
) {
  const orgId = (entry.intent as { orgId?: string } | undefined)?.orgId;
  if (!orgId || !entry.target) return { resolution: 'unknown' as const, detail: 'no organization recorded' };
  const member = await isMember(management, entry.target, orgId);
  return { resolution: member === wanted ? ('applied' as const) : ('not-applied' as const) };
}

export const orgAddMember = operation<OrgMemberInput, { member: boolean }, { ok: true }>({
  name: 'org.add-member',
  input: z.object({ tenantId: z.string(), userId: z.string(), orgId: z.string() }).passthrough(),
  risk: 'orgs:add-members',
  needs: 'orgs:members',
  action: 'org.add-member',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    const member = await isMember(management, input.userId, input.orgId);
    if (member) throw new SkipWrite('already a member', { member });
    return { member };
  },
  async apply({ management }, input) {
    await management.organizations.members.create(input.orgId, { members: [input.userId] });
    if (input.restoreRoles?.length)
      await management.organizations.members.roles.assign(input.orgId, input.userId, {
        roles: input.restoreRoles,
      });
    return { ok: true };
  },
  audit: {
    before: (b, input) => ({ org_id: input.orgId, member: b.member }),
    after: (_r, input) => ({
      org_id: input.orgId,
      member: true,
      ...(input.restoreRoles?.length ? { roles: input.restoreRoles } : {}),
    }),
  },
  intent: (input) => ({ orgId: input.orgId }),
  readBack: ({ management }, entry) => readBackMembership(management, entry, true),
  bulk: {
    kinds: ['org-add'],
    params: z
      .object({ orgId: z.string(), expected: z.boolean(), restoreRoles: z.array(z.string()).optional() })
      .strict() as unknown as z.ZodType<Record<string, unknown>>,
    orgs: (change) => (change.kind === 'org-add' ? [change.orgId] : []),
    plan(change, user, members) {
      if (change.kind !== 'org-add') throw new Error(`not an org-add change: ${change.kind}`);
      if (members.get(orgKey(change.orgId))?.has(user.user_id)) return { op: null, note: 'already a member' };
      return {
        op: { name: 'org.add-member', params: { orgId: change.orgId, expected: false } },
        before: { member: false },
        after: { member: true },
      };
    },
    after: (_r, _input, line: PlannedLine) => line.a,
    inverse(call) {
      const { orgId } = call.params as { orgId: string };
      return {
        op: { name: 'org.remove-member', params: { orgId, expected: true } },
        before: { member: true },
        after: { member: false },
      };
    },
  },
});

export const orgRemoveMember = operation<OrgMemberInput, { member: boolean; roles: string[] }, { ok: true }>({
  name: 'org.remove-member',
  input: z.object({ tenantId: z.string(), userId: z.string(), orgId: z.string() }).passthrough(),
  risk: 'orgs:remove-members',
  needs: 'orgs:members',
  action: 'org.remove-member',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    const member = await isMember(management, input.userId, input.orgId);
    if (!member) throw new SkipWrite('not a member', { member });
    const roles = (await memberRoles(management, input.orgId, input.userId)).map((r) => r.id);
    return { member, roles };
  },
  async apply({ management }, input) {
    await management.organizations.members.delete(input.orgId, { members: [input.userId] });
    return { ok: true };
  },
  audit: {
    before: (b, input) => ({ org_id: input.orgId, member: true, roles: b.roles }),
    after: (_r, input) => ({ org_id: input.orgId, member: false }),
  },
  intent: (input) => ({ orgId: input.orgId }),
  readBack: ({ management }, entry) => readBackMembership(management, entry, false),
  bulk: {
    kinds: ['org-remove'],
    params: z.object({ orgId: z.string(), expected: z.boolean() }).strict() as unknown as z.ZodType<
      Record<string, unknown>
    >,
    orgs: (change) => (change.kind === 'org-remove' ? [change.orgId] : []),
    plan(change, user, members) {
      if (change.kind !== 'org-remove') throw new Error(`not an org-remove change: ${change.kind}`);
      if (!members.get(orgKey(change.orgId))?.has(user.user_id)) return { op: null, note: 'not a member' };
      const roles = [...members.keys()]
        .filter((k) => k.startsWith(`${orgKey(change.orgId)}:role:`) && members.get(k)!.has(user.user_id))
        .map((k) => k.slice(`${orgKey(change.orgId)}:role:`.length));
      return {
        op: { name: 'org.remove-member', params: { orgId: change.orgId, expected: true } },
        before: { member: true, roles },
        after: { member: false },
      };
    },
    // What the job keeps of the user before: the membership and the organization roles held then (read just
    // before the write), so an undo gives them back.
    after: (_r, _input, line: PlannedLine) => line.a,
    inverse(call, before) {
      const { orgId } = call.params as { orgId: string };
      const roles = ((before ?? {}) as { roles?: string[] }).roles ?? [];
      return {
        op: {
          name: 'org.add-member',
          params: { orgId, expected: false, ...(roles.length ? { restoreRoles: roles } : {}) },
        },
        before: { member: false },
        after: { member: true, ...(roles.length ? { roles } : {}) },
      };
    },
  },
});

export interface OrgRolesInput {
  tenantId: string;
  userId: string;
  orgId: string;
  add: string[];
  remove: string[];
  guard?: { confirmed: true; typedDomain?: string };
  /** From a bulk plan: which of the roles added or removed the user held in the organization when planned. */
  expected?: string[];
}

export const orgChangeMemberRoles = operation<OrgRolesInput, string[], void>({
  name: 'org.change-member-roles',
  input: channels['orgs:assign-member-roles'].input,
  risk: (i): WriteChannel => (i.remove.length ? 'orgs:remove-member-roles' : 'orgs:assign-member-roles'),
  needs: 'orgs:member-roles',
  action: (i) =>
    i.remove.length
      ? i.add.length
        ? 'org.change-member-roles'
        : 'org.remove-member-roles'
      : 'org.assign-member-roles',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    if (!(await isMember(management, input.userId, input.orgId)))
      throw new SkipWrite('not a member of the organization');
    const roles = (await memberRoles(management, input.orgId, input.userId)).map((r) => r.id);
    if (input.expected) {
      const involved = [...input.add, ...input.remove];
      const held = roles.filter((id) => involved.includes(id));
      const done = input.add.every((r) => held.includes(r)) && input.remove.every((r) => !held.includes(r));
      if (!deepEqual([...held].sort(), [...input.expected].sort()))
        throw new SkipWrite(
          done
            ? 'already as asked (changed on the tenant since the plan)'
            : 'its organization roles changed since the plan — not changed',
          { roles: held },
        );
    }
    return roles;
  },
  async apply({ management }, input) {
    if (input.add.length)
      await management.organizations.members.roles.assign(input.orgId, input.userId, { roles: input.add });
    if (input.remove.length)
      await management.organizations.members.roles.delete(input.orgId, input.userId, { roles: input.remove });
  },
  audit: {
    before: (roles, input) => ({ org_id: input.orgId, roles }),
    after: (_r, input, roles) => ({
      org_id: input.orgId,
      roles: [
        ...roles.filter((r) => !input.remove.includes(r)),
        ...input.add.filter((r) => !roles.includes(r)),
      ],
    }),
  },
  intent: (input) => ({ orgId: input.orgId, add: input.add, remove: input.remove }),
  async readBack({ management }, entry) {
    const {
      orgId,
      add = [],
      remove = [],
    } = (entry.intent ?? {}) as {
      orgId?: string;
      add?: string[];
      remove?: string[];
    };
    if (!orgId || !entry.target) return { resolution: 'unknown', detail: 'no organization recorded' };
    const held = (await memberRoles(management, orgId, entry.target)).map((r) => r.id);
    const applied = add.every((r) => held.includes(r)) && remove.every((r) => !held.includes(r));
    return { resolution: applied ? 'applied' : 'not-applied' };
  },
  bulk: {
    kinds: ['org-roles'],
    params: z
      .object({
        orgId: z.string(),
        add: z.array(z.string()),
        remove: z.array(z.string()),
        expected: z.array(z.string()),
      })
      .strict() as unknown as z.ZodType<Record<string, unknown>>,
    orgs: (change) => (change.kind === 'org-roles' ? [change.orgId] : []),
    roleNamesOf: (change) => (change.kind === 'org-roles' ? [...change.add, ...change.remove] : []),
    plan(change, user, members) {
      if (change.kind !== 'org-roles') throw new Error(`not an org-roles change: ${change.kind}`);
      if (!members.get(orgKey(change.orgId))?.has(user.user_id))
        return { op: null, note: 'not a member of the organization' };
      const holds = (r: string) => members.get(orgRoleKey(change.orgId, r))?.has(user.user_id) ?? false;
      const add = change.add.filter((r) => !holds(r));
      const remove = change.remove.filter((r) => holds(r));
      if (add.length + remove.length === 0) return { op: null, note: 'already as asked' };
      const held = [...change.add, ...change.remove].filter(holds);
      return {
        op: { name: 'org.change-member-roles', params: { orgId: change.orgId, add, remove, expected: held } },
        before: { roles: held },
        after: { roles: [...held.filter((r) => !remove.includes(r)), ...add] },
      };
    },
    after: (_r, _input, line: PlannedLine) => line.a,
    inverse(call, before, after) {
      const { orgId, add, remove } = call.params as { orgId: string; add: string[]; remove: string[] };
      const expected = (((after ?? {}) as { roles?: string[] }).roles ?? []).slice().sort();
      return {
        op: { name: 'org.change-member-roles', params: { orgId, add: remove, remove: add, expected } },
        before: { roles: expected },
        after: before,
      };
    },
  },
});
