// Reading roles: a role, its permissions (paged), its member count and its members (by checkpoint), as the contract
// shapes them. Shared by the Roles screen's service and the role operations.
import type { ManagementClient } from 'auth0';
import type { RoleMember, RolePermission, RoleSummary } from '../../preload/contract.js';
import { fromAuth0, type Auth0Body } from '../errors.js';

export function asRole(r: { id?: unknown; name?: unknown; description?: unknown }): RoleSummary {
  return {
    id: String(r.id),
    name: String(r.name),
    ...(typeof r.description === 'string' && r.description ? { description: r.description } : {}),
  };
}

export function asMember(u: Record<string, unknown>): RoleMember {
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
export async function readMemberCount(
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

export async function readMembersPage(
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
