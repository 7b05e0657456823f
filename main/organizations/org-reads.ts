// Reading a tenant's organizations as Auth0 lists them: organizations and members by checkpoint (past any count),
// members with their organization roles (`fields=roles`), invitations, enabled connections, a user's organizations.
import type { ManagementClient } from 'auth0';
import type {
  ClientSummary,
  OrgConnection,
  OrgInvitation,
  OrgMember,
  OrganizationSummary,
  RoleSummary,
  UserOrganization,
} from '../../preload/contract.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function orgSummary(o: Record<string, unknown>): OrganizationSummary {
  const branding = (o.branding ?? {}) as { logo_url?: unknown; colors?: Record<string, unknown> };
  const colors = branding.colors
    ? {
        ...(str(branding.colors.primary) ? { primary: str(branding.colors.primary) } : {}),
        ...(str(branding.colors.page_background)
          ? { pageBackground: str(branding.colors.page_background) }
          : {}),
      }
    : undefined;
  const metadata =
    o.metadata && typeof o.metadata === 'object'
      ? Object.fromEntries(
          Object.entries(o.metadata as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
        )
      : undefined;
  return {
    id: String(o.id ?? ''),
    name: String(o.name ?? ''),
    ...(str(o.display_name) ? { displayName: str(o.display_name) } : {}),
    ...(str(branding.logo_url) ? { logoUrl: str(branding.logo_url) } : {}),
    ...(colors && Object.keys(colors).length ? { colors } : {}),
    ...(metadata && Object.keys(metadata).length ? { metadata } : {}),
  };
}

const roleOf = (r: Record<string, unknown>): RoleSummary => ({
  id: String(r.id ?? ''),
  name: String(r.name ?? r.id ?? ''),
  ...(str(r.description) ? { description: str(r.description) } : {}),
});

/** One page of organizations by checkpoint, filtered by name; reads on until `take` match or the list ends. */
export async function listOrganizations(
  api: ManagementClient,
  o: { nameFilter: string; from?: string | undefined; take: number },
): Promise<{ organizations: OrganizationSummary[]; next: string | null }> {
  const needle = o.nameFilter.trim().toLowerCase();
  const out: OrganizationSummary[] = [];
  let from = o.from;
  // At most 20 pages of 100 per call: a filter matching little still answers, with where to read on.
  for (let pages = 0; pages < 20; pages++) {
    const page = await api.organizations.list({ take: needle ? 100 : o.take, ...(from ? { from } : {}) });
    const body = page.response as { organizations?: Record<string, unknown>[]; next?: string };
    const list = body.organizations ?? (page.data as unknown as Record<string, unknown>[]);
    for (const org of list) {
      const s = orgSummary(org);
      if (!needle || s.name.toLowerCase().includes(needle) || s.displayName?.toLowerCase().includes(needle))
        out.push(s);
    }
    from = body.next || undefined;
    if (!from || out.length >= o.take) break;
  }
  return { organizations: out, next: from ?? null };
}

export async function readOrganization(
  api: ManagementClient,
  orgId: string,
  readJson?: (path: string) => Promise<unknown>,
): Promise<{ organization: OrganizationSummary; connections: OrgConnection[]; memberCount: number | null }> {
  const org = await api.organizations.get(orgId);
  // The member count by offset paging (include_totals): the SDK's list pages by checkpoint only, which has no total.
  const counted = readJson
    ? ((await readJson(
        `/organizations/${encodeURIComponent(orgId)}/members?page=0&per_page=1&include_totals=true&fields=user_id`,
      ).catch(() => null)) as { total?: unknown } | null)
    : null;
  const memberCount = typeof counted?.total === 'number' ? counted.total : null;
  const connections: OrgConnection[] = [];
  try {
    for await (const c of await api.organizations.enabledConnections.list(orgId, { per_page: 100 })) {
      const rec = c as Record<string, unknown>;
      const conn = (rec.connection ?? {}) as Record<string, unknown>;
      connections.push({
        connectionId: String(rec.connection_id ?? ''),
        ...(str(conn.name) ? { name: str(conn.name) } : {}),
        ...(str(conn.strategy) ? { strategy: str(conn.strategy) } : {}),
        assignMembershipOnLogin: rec.assign_membership_on_login === true,
        showAsButton: rec.show_as_button !== false,
      });
    }
  } catch {
    // read:organization_connections is optional: the connections are then not listed.
  }
  return { organization: orgSummary(org as Record<string, unknown>), connections, memberCount };
}

/** One page of members with their organization roles, by checkpoint. */
export async function listMembers(
  api: ManagementClient,
  orgId: string,
  o: { from?: string | undefined; take: number },
): Promise<{ members: OrgMember[]; next: string | null }> {
  const page = await api.organizations.members.list(orgId, {
    take: o.take,
    ...(o.from ? { from: o.from } : {}),
    fields: 'user_id,email,name,roles',
    include_fields: true,
  });
  const body = page.response as { members?: Record<string, unknown>[]; next?: string };
  const list = body.members ?? (page.data as unknown as Record<string, unknown>[]);
  return {
    members: list.map((m) => ({
      userId: String(m.user_id ?? ''),
      ...(str(m.email) ? { email: str(m.email) } : {}),
      ...(str(m.name) ? { name: str(m.name) } : {}),
      roles: Array.isArray(m.roles) ? (m.roles as Record<string, unknown>[]).map(roleOf) : [],
    })),
    next: body.next || null,
  };
}

/** Every member of an organization (a bulk source, the CSV export), page after page. */
export async function* allMembers(api: ManagementClient, orgId: string): AsyncGenerator<OrgMember> {
  let from: string | undefined;
  for (;;) {
    const page = await listMembers(api, orgId, { from, take: 100 });
    yield* page.members;
    if (!page.next) return;
    from = page.next;
  }
}

export async function memberRoles(
  api: ManagementClient,
  orgId: string,
  userId: string,
): Promise<RoleSummary[]> {
  const out: RoleSummary[] = [];
  for await (const r of await api.organizations.members.roles.list(orgId, userId, { per_page: 100 }))
    out.push(roleOf(r as Record<string, unknown>));
  return out;
}

/** The organizations a user belongs to (ids and names). */
export async function organizationsOf(api: ManagementClient, userId: string): Promise<OrganizationSummary[]> {
  const out: OrganizationSummary[] = [];
  for await (const o of await api.users.organizations.list(userId, { per_page: 100 }))
    out.push(orgSummary(o as Record<string, unknown>));
  return out;
}

export async function userOrganizations(api: ManagementClient, userId: string): Promise<UserOrganization[]> {
  const orgs = await organizationsOf(api, userId);
  return Promise.all(
    orgs.map(async (o) => ({
      id: o.id,
      name: o.name,
      ...(o.displayName ? { displayName: o.displayName } : {}),
      roles: await memberRoles(api, o.id, userId).catch(() => []),
    })),
  );
}

export async function listInvitations(api: ManagementClient, orgId: string): Promise<OrgInvitation[]> {
  const out: OrgInvitation[] = [];
  for await (const i of await api.organizations.invitations.list(orgId, { per_page: 100 })) {
    const rec = i as Record<string, unknown>;
    out.push(invitationView(rec));
  }
  return out;
}

export function invitationView(rec: Record<string, unknown>): OrgInvitation {
  return {
    id: String(rec.id ?? ''),
    inviter: String((rec.inviter as { name?: unknown } | undefined)?.name ?? ''),
    invitee: String((rec.invitee as { email?: unknown } | undefined)?.email ?? ''),
    clientId: String(rec.client_id ?? ''),
    ...(str(rec.connection_id) ? { connectionId: str(rec.connection_id) } : {}),
    roles: Array.isArray(rec.roles) ? rec.roles.map(String) : [],
    ...(str(rec.created_at) ? { createdAt: str(rec.created_at) } : {}),
    ...(str(rec.expires_at) ? { expiresAt: str(rec.expires_at) } : {}),
  };
}

export async function listClients(api: ManagementClient): Promise<ClientSummary[]> {
  const out: ClientSummary[] = [];
  for await (const c of await api.clients.list({
    fields: 'client_id,name,app_type',
    include_fields: true,
    per_page: 100,
  })) {
    const rec = c as { client_id?: string; name?: string; app_type?: string };
    if (rec.client_id && rec.name)
      out.push({
        clientId: rec.client_id,
        name: rec.name,
        ...(rec.app_type ? { appType: rec.app_type } : {}),
      });
    if (out.length >= 2000) break;
  }
  return out;
}
