// Roles administration: a tenant's roles with their members and permissions, read here and changed through the one
// write path (guard → audit → scheduler) by the role operations (operations/role/). Members are read by checkpoint, so
// a role of any size is listed whole; Auth0 removes a role only from a user, so removing members is one audited write
// per user.
import type { ManagementClient } from 'auth0';
import type {
  ChannelParsedInput,
  DownloadRef,
  ErrorEnvelope,
  ResourceServerSummary,
  RoleDetail,
  RoleMember,
  RoleSummary,
} from '../../preload/contract.js';
import type { WritePath } from '../operations/write-path.js';
import { csvDownload } from '../downloads/csv-download.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { toEnvelope } from '../errors.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { changeRoles } from '../operations/user/change-roles.js';
import { asRole, readMemberCount, readMembersPage, readRolePermissions } from './role-reads.js';

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
        await this.writes.run(changeRoles, {
          tenantId: input.tenantId,
          userId,
          add: [],
          remove: [input.roleId],
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
