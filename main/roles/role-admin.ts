// Roles administration: a tenant's roles with their members and permissions, read here and changed through the one
// write path (guard → audit → scheduler). Members are read by checkpoint, so a role of any size is listed whole;
// Auth0 removes a role only from a user, so removing members is one audited write per user.
import type { ManagementClient } from 'auth0';
import type {
  ChannelParsedInput,
  DownloadRef,
  ErrorEnvelope,
  ResourceServerSummary,
  RoleDetail,
  RoleMember,
  RolePermission,
  RoleSummary,
  WriteChannel,
} from '../../preload/contract.js';
import type { WriteCommand, WritePath } from '../commands/write-path.js';
import { csvDownload } from '../downloads/csv-download.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { fromAuth0, toEnvelope, type Auth0Body } from '../errors.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { removeRoles } from '../users/role-commands.js';
import { compareStates } from '../commands/read-back.js';

type In<C extends WriteChannel> = ChannelParsedInput<C>;

function asRole(r: { id?: unknown; name?: unknown; description?: unknown }): RoleSummary {
  return {
    id: String(r.id),
    name: String(r.name),
    ...(typeof r.description === 'string' && r.description ? { description: r.description } : {}),
  };
}

function asMember(u: Record<string, unknown>): RoleMember {
  return {
    user_id: String(u.user_id),
    ...(typeof u.email === 'string' ? { email: u.email } : {}),
    ...(typeof u.name === 'string' ? { name: u.name } : {}),
    ...(typeof u.picture === 'string' ? { picture: u.picture } : {}),
  };
}

/** Every permission of a role (Auth0 pages them; a role may hold hundreds). */
export async function readRolePermissions(api: ManagementClient, roleId: string): Promise<RolePermission[]> {
  const out: RolePermission[] = [];
  for await (const p of await api.roles.permissions.list(roleId, { per_page: 100 })) {
    out.push({
      resourceServer: String(p.resource_server_identifier),
      resourceServerName: String(p.resource_server_name ?? p.resource_server_identifier),
      name: String(p.permission_name),
      description: String(p.description ?? ''),
    });
  }
  out.sort(
    (a, b) => a.resourceServerName.localeCompare(b.resourceServerName) || a.name.localeCompare(b.name),
  );
  return out;
}

/**
 * Auth0's count of a role's members: an offset page of one with its total. The SDK always sends `take` for this
 * endpoint, which makes it a checkpoint read without a total, so the request is made through its passthrough.
 */
async function readMemberCount(
  api: ManagementClient,
  domain: string,
  roleId: string,
): Promise<number | null> {
  const res = await api.fetch(
    `https://${domain}/api/v2/roles/${encodeURIComponent(roleId)}/users?page=0&per_page=1&include_totals=true`,
  );
  // A grant without read:role_members still shows the role; its count is then unknown (null).
  if (res.status === 403) return null;
  if (!res.ok)
    throw fromAuth0(res.status, (await res.json().catch(() => undefined)) as Auth0Body | undefined);
  const body = (await res.json()) as { total?: unknown };
  return typeof body.total === 'number' ? body.total : null;
}

async function readMembersPage(
  api: ManagementClient,
  roleId: string,
  from: string | undefined,
  take: number,
): Promise<{ members: RoleMember[]; next: string | null }> {
  const page = await api.roles.users.list(roleId, { take, ...(from ? { from } : {}) });
  const body = page.response as unknown as { users?: Record<string, unknown>[]; next?: string };
  const users = body.users ?? (page.data as unknown as Record<string, unknown>[]);
  // Auth0 gives a `next` with the last page too; an empty or short page ends the walk.
  const next = body.next && users.length === take ? body.next : null;
  return { members: users.map(asMember), next };
}

// ---------- writes ----------

export const createRole: WriteCommand<In<'roles:create'>, undefined, RoleSummary> = {
  id: 'role.create',
  channel: 'roles:create',
  action: 'role.create',
  target: (i) => i.name,
  // A second create of the same name is refused (409), never duplicated.
  idempotent: false,
  async apply({ management }, input) {
    return asRole(await management.roles.create({ name: input.name, description: input.description }));
  },
  audit: { after: (role) => role },
  async readBack({ management }, entry) {
    const name = entry.target!;
    const page = await management.roles.list({ name_filter: name, per_page: 100 });
    const roles = ((page.response as { roles?: unknown[] }).roles ?? page.data) as { name?: unknown }[];
    return roles.some((r) => r.name === name) ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
};

export const updateRole: WriteCommand<In<'roles:update'>, RoleSummary, RoleSummary> = {
  id: 'role.update',
  channel: 'roles:update',
  action: 'role.update',
  target: (i) => i.roleId,
  idempotent: true,
  before: async ({ management }, input) => asRole(await management.roles.get(input.roleId)),
  async apply({ management }, input) {
    return asRole(
      await management.roles.update(input.roleId, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      }),
    );
  },
  audit: { before: (b) => b, after: (r) => r },
  intent: (input, role) => {
    const fields = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    return { fields, before: { name: role.name, description: role.description ?? '' } };
  },
  async readBack({ management }, entry) {
    const { fields, before } = entry.intent as {
      fields: Record<string, unknown>;
      before: Record<string, unknown>;
    };
    const role = asRole(await management.roles.get(entry.target!));
    return compareStates({ name: role.name, description: role.description ?? '' }, fields, before);
  },
};

interface RoleBefore {
  role: RoleSummary;
  permissions: RolePermission[];
  memberCount: number | null;
}

export const deleteRole: WriteCommand<In<'roles:delete'>, RoleBefore, { deleted: true }> = {
  id: 'role.delete',
  channel: 'roles:delete',
  action: 'role.delete',
  target: (i) => i.roleId,
  idempotent: false,
  // What is lost is kept in the audit: the role, its permissions and how many held it.
  before: async ({ management, profile }, input) => ({
    role: asRole(await management.roles.get(input.roleId)),
    permissions: await readRolePermissions(management, input.roleId),
    memberCount: await readMemberCount(management, profile.domain, input.roleId).catch(() => null),
  }),
  async apply({ management }, input) {
    await management.roles.delete(input.roleId);
    return { deleted: true };
  },
  audit: { before: (b) => b },
  async readBack({ management }, entry) {
    try {
      await management.roles.get(entry.target!);
      return { resolution: 'not-applied' };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { resolution: 'applied' };
      throw err;
    }
  },
};

export const addRoleMembers: WriteCommand<In<'roles:add-members'>, undefined, { added: number }> = {
  id: 'role.add-members',
  channel: 'roles:add-members',
  action: 'role.add-members',
  target: (i) => i.roleId,
  idempotent: true,
  async apply({ management }, input) {
    await management.roles.users.assign(input.roleId, { users: input.userIds });
    return { added: input.userIds.length };
  },
  audit: { after: (_r, input) => ({ users: input.userIds }) },
  intent: (input) => ({ users: input.userIds }),
  async readBack({ management }, entry) {
    const { users } = entry.intent as { users: string[] };
    const wanted = new Set(users);
    let found = 0;
    for (let from: string | undefined, more = true; more && found < wanted.size;) {
      const page = await readMembersPage(management, entry.target!, from, 100);
      for (const m of page.members) if (wanted.has(m.user_id)) found++;
      more = page.next !== null;
      from = page.next ?? undefined;
    }
    return found === wanted.size
      ? { resolution: 'applied' }
      : found === 0
        ? { resolution: 'not-applied' }
        : { resolution: 'unknown', detail: `${found} of the ${wanted.size} users hold the role` };
  },
};

const permissionChange = (add: boolean) =>
  ({
    id: add ? 'role.add-permissions' : 'role.remove-permissions',
    channel: add ? 'roles:add-permissions' : 'roles:remove-permissions',
    action: add ? 'role.add-permissions' : 'role.remove-permissions',
    target: (i) => i.roleId,
    idempotent: true,
    before: ({ management }, input) => readRolePermissions(management, input.roleId),
    async apply({ management }, input) {
      const permissions = input.permissions.map((p) => ({
        resource_server_identifier: p.resourceServer,
        permission_name: p.name,
      }));
      if (add) await management.roles.permissions.add(input.roleId, { permissions });
      else await management.roles.permissions.delete(input.roleId, { permissions });
      return readRolePermissions(management, input.roleId);
    },
    audit: {
      before: (b) => b.map((p) => `${p.resourceServer} ${p.name}`),
      after: (r) => r.map((p) => `${p.resourceServer} ${p.name}`),
    },
    intent: (input) => ({ permissions: input.permissions.map((p) => `${p.resourceServer} ${p.name}`) }),
    async readBack({ management }, entry) {
      const { permissions } = entry.intent as { permissions: string[] };
      const held = new Set(
        (await readRolePermissions(management, entry.target!)).map((p) => `${p.resourceServer} ${p.name}`),
      );
      const shown = permissions.filter((p) => held.has(p) === add).length;
      return shown === permissions.length
        ? { resolution: 'applied' as const }
        : shown === 0
          ? { resolution: 'not-applied' as const }
          : { resolution: 'unknown' as const, detail: 'some of the permissions are as asked, others not' };
    },
  }) satisfies WriteCommand<
    In<'roles:add-permissions'> | In<'roles:remove-permissions'>,
    RolePermission[],
    RolePermission[]
  >;
export const addRolePermissions = permissionChange(true);
export const removeRolePermissions = permissionChange(false);

// ---------- the service ----------

export class RoleAdmin {
  constructor(
    private readonly tenants: TenantService,
    private readonly writes: WritePath,
    private readonly downloads: DownloadStore,
  ) {}

  private api(tenantId: string): ManagementClient {
    return this.tenants.connection(tenantId).management;
  }

  async list(input: ChannelParsedInput<'roles:list'>): Promise<{ roles: RoleSummary[]; total: number }> {
    const page = await this.api(input.tenantId).roles.list({
      page: input.page,
      per_page: input.perPage,
      include_totals: true,
      ...(input.nameFilter ? { name_filter: input.nameFilter } : {}),
    });
    const body = page.response as { roles?: unknown[]; total?: number };
    const roles = ((body.roles ?? page.data) as Record<string, unknown>[]).map(asRole);
    return { roles, total: body.total ?? roles.length };
  }

  async get(tenantId: string, roleId: string): Promise<RoleDetail> {
    const api = this.api(tenantId);
    const [role, permissions, memberCount] = await Promise.all([
      api.roles.get(roleId),
      readRolePermissions(api, roleId),
      readMemberCount(api, this.tenants.stored(tenantId).domain, roleId),
    ]);
    return { role: asRole(role), permissions, memberCount };
  }

  members(
    input: ChannelParsedInput<'roles:members'>,
  ): Promise<{ members: RoleMember[]; next: string | null }> {
    return readMembersPage(this.api(input.tenantId), input.roleId, input.from, input.take);
  }

  async removeMembers(
    input: ChannelParsedInput<'roles:remove-members'>,
  ): Promise<{ removed: number; failed: { userId: string; error: ErrorEnvelope }[] }> {
    const failed: { userId: string; error: ErrorEnvelope }[] = [];
    let removed = 0;
    // The guard is asked once for the whole removal; each user's write is then audited on its own.
    for (const userId of input.userIds) {
      try {
        await this.writes.run(removeRoles, {
          tenantId: input.tenantId,
          userId,
          roleIds: [input.roleId],
          ...(input.guard ? { guard: input.guard } : {}),
        });
        removed++;
      } catch (err) {
        const error = toEnvelope(err);
        if (error.code === 'confirmation_required') throw err;
        failed.push({ userId, error });
      }
    }
    return { removed, failed };
  }

  async resourceServers(tenantId: string): Promise<ResourceServerSummary[]> {
    const out: ResourceServerSummary[] = [];
    for await (const rs of await this.api(tenantId).resourceServers.list({ per_page: 100 })) {
      out.push({
        id: String(rs.id),
        name: String(rs.name ?? rs.identifier),
        identifier: String(rs.identifier),
        isSystem: rs.is_system === true,
        scopes: (rs.scopes ?? []).map((s) => ({
          value: String(s.value),
          description: String(s.description ?? ''),
        })),
      });
    }
    out.sort((a, b) => Number(a.isSystem) - Number(b.isSystem) || a.name.localeCompare(b.name));
    return out;
  }

  /** Every member as CSV, walked by checkpoint a page of 100 at a time. */
  async exportMembers(tenantId: string, roleId: string): Promise<DownloadRef> {
    const api = this.api(tenantId);
    const role = asRole(await api.roles.get(roleId));
    const safe = role.name.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'role';
    async function* rows() {
      let from: string | undefined;
      do {
        const page = await readMembersPage(api, roleId, from, 100);
        for (const m of page.members) yield [m.user_id, m.email ?? '', m.name ?? ''];
        from = page.next ?? undefined;
      } while (from);
    }
    return csvDownload(this.downloads, `role-${safe}-members.csv`, ['user_id', 'email', 'name'], rows());
  }
}
