// The Organizations screen's state, kept per tenant: the organizations read by checkpoint (a name filter applied by
// main to each page), the one open beside them (its branding, metadata, enabled connections and member count), its
// members with their organization roles read page by page, and its invitations. Every answer is checked against the
// request it belongs to: another organization opened since, or another filter, drops it. Writes go through the guard.
import { create } from 'zustand';
import type {
  ClientSummary,
  ErrorEnvelope,
  OrgConnection,
  OrgInvitation,
  OrgMember,
  OrganizationSummary,
  Result,
  RoleSummary,
  TenantProfile,
  UserOrganization,
  UserSearchResult,
} from '../../../../preload/contract';
import { fromResult, type Async } from '../../async';
import { bridge } from '../../bridge';
import { saveAndTell } from '../../stores/downloads';
import { guardedInvoke, type GuardCopy } from '../../stores/guard';
import { useAppStore } from '../../stores/app';

export const ORGS_PAGE = 50;
export const ORG_MEMBERS_PAGE = 100;

export interface TenantOrgs {
  filter: string;
  shownFilter: string;
  list: {
    items: OrganizationSummary[];
    next: string | null;
    loading: boolean;
    error: ErrorEnvelope | null;
  } | null;
  selectedId: string | null;
  detail: Async<{
    organization: OrganizationSummary;
    connections: OrgConnection[];
    memberCount: number | null;
  }> | null;
  members: {
    items: OrgMember[];
    next: string | null;
    complete: boolean;
    loading: boolean;
    error: ErrorEnvelope | null;
  };
  invitations: Async<OrgInvitation[]> | null;
  tab: 'members' | 'invitations' | 'roles';
  seq: number;
}

const freshMembers = (): TenantOrgs['members'] => ({
  items: [],
  next: null,
  complete: false,
  loading: false,
  error: null,
});

export function freshOrgs(): TenantOrgs {
  return {
    filter: '',
    shownFilter: '',
    list: null,
    selectedId: null,
    detail: null,
    members: freshMembers(),
    invitations: null,
    tab: 'members',
    seq: 0,
  };
}

interface OrgsState {
  byTenant: Record<string, TenantOrgs>;
  of(tenantId: string): TenantOrgs;
  update(tenantId: string, patch: Partial<TenantOrgs>): void;
  setFilter(tenantId: string, filter: string): void;
  /** The first page (again), or the next one. */
  loadList(tenantId: string, more?: boolean): Promise<void>;
  select(tenantId: string, orgId: string | null): Promise<void>;
  loadMembers(tenantId: string, more?: boolean): Promise<void>;
  /** Every member (the Roles tab groups them by organization role). */
  loadAllMembers(tenantId: string): Promise<void>;
  loadInvitations(tenantId: string): Promise<void>;
  setTab(tenantId: string, tab: TenantOrgs['tab']): void;
  exportMembers(tenantId: string): Promise<void>;
  clients(tenantId: string): Promise<Result<ClientSummary[]>>;
  /** The tenant's roles (an organization role is one of them, given in one organization). */
  roles(tenantId: string): Promise<Result<{ roles: RoleSummary[]; total: number }>>;
  searchUsers(tenantId: string, q: string): Promise<Result<UserSearchResult>>;
  /** A user's organizations with their organization roles (the user panel). */
  userOrganizations(tenantId: string, userId: string): Promise<Result<UserOrganization[]>>;
  /** A guarded write on this tenant; the open organization is read again after it. */
  write<C extends OrgWriteChannel>(
    tenant: TenantProfile,
    channel: C,
    input: Omit<Parameters<typeof bridge.invoke<C>>[1], 'guard'>,
    copy: GuardCopy,
    success: string,
  ): Promise<Result<unknown> | null>;
}

export type OrgWriteChannel =
  | 'orgs:create'
  | 'orgs:update'
  | 'orgs:delete'
  | 'orgs:add-members'
  | 'orgs:remove-members'
  | 'orgs:assign-member-roles'
  | 'orgs:remove-member-roles'
  | 'orgs:create-invitation'
  | 'orgs:revoke-invitation';

export const useOrgsStore = create<OrgsState>((set, get) => ({
  byTenant: {},
  of(tenantId) {
    return get().byTenant[tenantId] ?? freshOrgs();
  },
  update(tenantId, patch) {
    set((s) => ({ byTenant: { ...s.byTenant, [tenantId]: { ...get().of(tenantId), ...patch } } }));
  },
  setFilter(tenantId, filter) {
    get().update(tenantId, { filter });
  },
  async loadList(tenantId, more = false) {
    const s = get().of(tenantId);
    const filter = more ? s.shownFilter : s.filter.trim();
    const from = more ? (s.list?.next ?? undefined) : undefined;
    const items = more ? (s.list?.items ?? []) : [];
    get().update(tenantId, {
      shownFilter: filter,
      list: { items, next: s.list?.next ?? null, loading: true, error: null },
    });
    const r = await bridge.invoke('orgs:list', {
      tenantId,
      nameFilter: filter,
      take: ORGS_PAGE,
      ...(from ? { from } : {}),
    });
    if (get().of(tenantId).shownFilter !== filter) return;
    get().update(tenantId, {
      list: r.ok
        ? { items: [...items, ...r.data.organizations], next: r.data.next, loading: false, error: null }
        : { items, next: s.list?.next ?? null, loading: false, error: r.error },
    });
  },
  async select(tenantId, orgId) {
    const seq = get().of(tenantId).seq + 1;
    get().update(tenantId, {
      selectedId: orgId,
      seq,
      detail: orgId ? { state: 'loading' } : null,
      members: freshMembers(),
      invitations: null,
    });
    if (!orgId) return;
    const r = await bridge.invoke('orgs:get', { tenantId, orgId });
    if (get().of(tenantId).seq !== seq) return;
    get().update(tenantId, { detail: fromResult(r) });
    void get().loadMembers(tenantId);
    if (get().of(tenantId).tab === 'invitations') void get().loadInvitations(tenantId);
  },
  async loadMembers(tenantId, more = false) {
    const s = get().of(tenantId);
    if (!s.selectedId) return;
    const seq = s.seq;
    // Read again: the members shown stay until the answer replaces them (no flash of an empty list).
    const items = more ? s.members.items : [];
    get().update(tenantId, { members: { ...s.members, loading: true, error: null } });
    const r = await bridge.invoke('orgs:members', {
      tenantId,
      orgId: s.selectedId,
      take: ORG_MEMBERS_PAGE,
      ...(more && s.members.next ? { from: s.members.next } : {}),
    });
    if (get().of(tenantId).seq !== seq) return;
    get().update(tenantId, {
      members: r.ok
        ? {
            items: [...items, ...r.data.members],
            // Auth0 gives a `next` on every full page; a page shorter than asked is the last.
            next: r.data.members.length < ORG_MEMBERS_PAGE ? null : r.data.next,
            complete: !r.data.next || r.data.members.length < ORG_MEMBERS_PAGE,
            loading: false,
            error: null,
          }
        : { ...get().of(tenantId).members, loading: false, error: r.error },
    });
  },
  async loadAllMembers(tenantId) {
    await get().loadMembers(tenantId);
    // At most 10,000 members are grouped on screen; the CSV export has them all.
    for (let i = 0; i < 100; i++) {
      const m = get().of(tenantId).members;
      if (m.complete || m.error || !m.next) return;
      await get().loadMembers(tenantId, true);
    }
  },
  async loadInvitations(tenantId) {
    const s = get().of(tenantId);
    if (!s.selectedId) return;
    const seq = s.seq;
    get().update(tenantId, { invitations: { state: 'loading' } });
    const r = await bridge.invoke('orgs:invitations', { tenantId, orgId: s.selectedId });
    if (get().of(tenantId).seq !== seq) return;
    get().update(tenantId, { invitations: fromResult(r) });
  },
  setTab(tenantId, tab) {
    get().update(tenantId, { tab });
    if (tab === 'invitations') void get().loadInvitations(tenantId);
    if (tab === 'roles') void get().loadAllMembers(tenantId);
  },
  async exportMembers(tenantId) {
    const orgId = get().of(tenantId).selectedId;
    if (!orgId) return;
    await saveAndTell(await bridge.invoke('orgs:export-members', { tenantId, orgId }));
  },
  clients: (tenantId) => bridge.invoke('clients:list', { tenantId }),
  roles: (tenantId) => bridge.invoke('roles:search', { tenantId, nameFilter: '' }),
  userOrganizations: (tenantId, userId) => bridge.invoke('users:organizations', { tenantId, userId }),
  searchUsers: (tenantId, q) => bridge.invoke('users:search', { tenantId, q, page: 0, perPage: 50 }),
  async write(tenant, channel, input, copy, success) {
    const r = await guardedInvoke(tenant, channel, input as never, copy);
    if (!r) return null;
    const toast = useAppStore.getState().toast;
    if (!r.ok) {
      const issues = (r.error.details as { issues?: unknown[] } | undefined)?.issues;
      if (!issues?.length)
        toast('error', `${copy.title.replace(/\?$/, '')} failed on ${tenant.label}: ${r.error.message}`);
      return r;
    }
    toast('success', `${success} (${tenant.label})`);
    return r;
  },
}));
