// The Roles screen's state, kept per tenant: the list of roles (a name filter, paged), the role open beside it (its
// description, member count and permissions), and its members read page by page from a checkpoint (`next`), so the
// list goes past any limit. Every answer is checked against the request it belongs to: a role chosen since, a newer
// page or another filter drops it.
import { create } from 'zustand';
import type {
  Auth0User,
  ErrorEnvelope,
  ResourceServerSummary,
  Result,
  RoleDetail,
  RoleMember,
  RoleSummary,
} from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { readWithOneRetry } from '../../reads';
import { saveAndTell } from '../../stores/downloads';
import { guardedWrite } from '../../stores/guard';

export const ROLES_PAGE = 50;
export const MEMBERS_PAGE = 50;

export interface RoleMembers {
  /** Members read so far, in the order Auth0 gave them. */
  items: RoleMember[];
  /** Where to read on from; null before the first page and after the last. */
  next: string | null;
  /** The last page has been read: there is nothing more. */
  complete: boolean;
  loading: boolean;
  error: ErrorEnvelope | null;
  /** The grant may not list members: the scopes it lacks. */
  forbidden: string[] | null;
  /** Members ticked for removal (by user id). */
  picked: Record<string, true>;
}

export interface TenantRoles {
  /** The name filter as typed, and the one the list shows. */
  filter: string;
  shownFilter: string;
  page: number;
  list: Async<{ roles: RoleSummary[]; total: number }> | null;
  selectedId: string | null;
  detail: Async<RoleDetail> | null;
  members: RoleMembers;
  /** Which request of each kind the state shows; an answer for an older one is dropped. */
  listSeq: number;
  detailSeq: number;
  membersSeq: number;
}

export const freshMembers = (): RoleMembers => ({
  items: [],
  next: null,
  complete: false,
  loading: false,
  error: null,
  forbidden: null,
  picked: {},
});

export function freshRoles(): TenantRoles {
  return {
    filter: '',
    shownFilter: '',
    page: 0,
    list: null,
    selectedId: null,
    detail: null,
    members: freshMembers(),
    listSeq: 0,
    detailSeq: 0,
    membersSeq: 0,
  };
}

interface RolesState {
  byTenant: Record<string, TenantRoles>;
  of(tenantId: string): TenantRoles;
  update(tenantId: string, patch: Partial<TenantRoles>): void;
  setFilter(tenantId: string, filter: string): void;
  loadList(tenantId: string, page?: number): Promise<void>;
  /** Opens a role (its detail and first page of members), or closes it (null). */
  select(tenantId: string, roleId: string | null): void;
  loadDetail(tenantId: string): Promise<void>;
  /** The first page of members (fresh), or the next one from the checkpoint (`more`). */
  loadMembers(tenantId: string, more?: boolean): Promise<void>;
  togglePicked(tenantId: string, userId: string, on: boolean): void;
  clearPicked(tenantId: string): void;
  /** Members removed by a write: out of the list (without reading it all again), and unpicked. */
  dropMembers(tenantId: string, userIds: string[]): void;
  /** Roles whose name matches (a picker's search over all of the tenant's roles). */
  searchRoles(tenantId: string, nameFilter: string): Promise<Result<{ roles: RoleSummary[] }>>;
  /** Users to give a role to (the first 25 a query finds). */
  findUsers(tenantId: string, q: string): Promise<Result<{ users: Auth0User[]; total: number }>>;
  resourceServers(tenantId: string): Promise<Result<ResourceServerSummary[]>>;
  /** The role's members as a file, saved; resolves with the error, or null. */
  exportMembers(tenantId: string, roleId: string): Promise<ErrorEnvelope | null>;
  createRole: ReturnType<typeof guardedWrite<'roles:create'>>;
  updateRole: ReturnType<typeof guardedWrite<'roles:update'>>;
  deleteRole: ReturnType<typeof guardedWrite<'roles:delete'>>;
  addMembers: ReturnType<typeof guardedWrite<'roles:add-members'>>;
  removeMembers: ReturnType<typeof guardedWrite<'roles:remove-members'>>;
  addPermissions: ReturnType<typeof guardedWrite<'roles:add-permissions'>>;
  removePermissions: ReturnType<typeof guardedWrite<'roles:remove-permissions'>>;
}

export const useRolesStore = create<RolesState>((set, get) => ({
  byTenant: {},
  searchRoles: (tenantId, nameFilter) => bridge.invoke('roles:search', { tenantId, nameFilter }),
  findUsers: (tenantId, q) => bridge.invoke('users:search', { tenantId, q: q.trim(), page: 0, perPage: 25 }),
  resourceServers: (tenantId) => bridge.invoke('resource-servers:list', { tenantId }),
  exportMembers: async (tenantId, roleId) =>
    saveAndTell(await bridge.invoke('roles:export-members', { tenantId, roleId })),
  createRole: guardedWrite('roles:create'),
  updateRole: guardedWrite('roles:update'),
  deleteRole: guardedWrite('roles:delete'),
  addMembers: guardedWrite('roles:add-members'),
  removeMembers: guardedWrite('roles:remove-members'),
  addPermissions: guardedWrite('roles:add-permissions'),
  removePermissions: guardedWrite('roles:remove-permissions'),
  of(tenantId) {
    return get().byTenant[tenantId] ?? freshRoles();
  },
  update(tenantId, patch) {
    set((s) => ({ byTenant: { ...s.byTenant, [tenantId]: { ...get().of(tenantId), ...patch } } }));
  },
  setFilter(tenantId, filter) {
    get().update(tenantId, { filter });
  },
  async loadList(tenantId, page = 0) {
    const current = get().of(tenantId);
    const listSeq = current.listSeq + 1;
    const nameFilter = current.filter.trim();
    // The roles shown stay while the next page loads; the first load says "loading".
    get().update(tenantId, { listSeq, page, list: current.list ?? loading });
    const ask = () => bridge.invoke('roles:list', { tenantId, nameFilter, page, perPage: ROLES_PAGE });
    const r = await readWithOneRetry(ask, () => get().of(tenantId).listSeq === listSeq);
    if (get().of(tenantId).listSeq !== listSeq) return;
    get().update(tenantId, { list: fromResult(r), shownFilter: nameFilter });
  },
  select(tenantId, roleId) {
    const current = get().of(tenantId);
    get().update(tenantId, {
      selectedId: roleId,
      detail: roleId ? loading : null,
      members: freshMembers(),
      detailSeq: current.detailSeq + 1,
      membersSeq: current.membersSeq + 1,
    });
    if (!roleId) return;
    void get().loadDetail(tenantId);
    void get().loadMembers(tenantId);
  },
  async loadDetail(tenantId) {
    const current = get().of(tenantId);
    const roleId = current.selectedId;
    if (!roleId) return;
    const detailSeq = current.detailSeq + 1;
    // A reload after a write keeps the detail in view until the new one arrives.
    get().update(tenantId, {
      detailSeq,
      detail: current.detail?.state === 'ready' ? current.detail : loading,
    });
    const r = await bridge.invoke('roles:get', { tenantId, roleId });
    const now = get().of(tenantId);
    if (now.detailSeq !== detailSeq || now.selectedId !== roleId) return;
    get().update(tenantId, { detail: fromResult(r) });
  },
  async loadMembers(tenantId, more = false) {
    const current = get().of(tenantId);
    const roleId = current.selectedId;
    if (!roleId) return;
    if (more && (current.members.complete || !current.members.next)) return;
    const membersSeq = current.membersSeq + 1;
    const base = more ? current.members : freshMembers();
    const from = more ? current.members.next : null;
    get().update(tenantId, { membersSeq, members: { ...base, loading: true, error: null } });
    const r = await bridge.invoke('roles:members', {
      tenantId,
      roleId,
      ...(from ? { from } : {}),
      take: MEMBERS_PAGE,
    });
    const now = get().of(tenantId);
    if (now.membersSeq !== membersSeq || now.selectedId !== roleId) return;
    const members = now.members;
    if (!r.ok) {
      const state = fromResult(r);
      return get().update(tenantId, {
        members: {
          ...members,
          loading: false,
          error: state.state === 'failed' ? state.error : null,
          forbidden: state.state === 'forbidden' ? state.missing : null,
        },
      });
    }
    // A member already shown (a page boundary that moved while members were added) is not shown twice.
    const known = new Set(members.items.map((m) => m.user_id));
    get().update(tenantId, {
      members: {
        ...members,
        items: [...members.items, ...r.data.members.filter((m) => !known.has(m.user_id))],
        next: r.data.next,
        complete: r.data.next === null,
        loading: false,
        error: null,
        forbidden: null,
      },
    });
  },
  togglePicked(tenantId, userId, on) {
    const members = get().of(tenantId).members;
    const picked = { ...members.picked };
    if (on) picked[userId] = true;
    else delete picked[userId];
    get().update(tenantId, { members: { ...members, picked } });
  },
  clearPicked(tenantId) {
    get().update(tenantId, { members: { ...get().of(tenantId).members, picked: {} } });
  },
  dropMembers(tenantId, userIds) {
    const members = get().of(tenantId).members;
    const gone = new Set(userIds);
    const picked = { ...members.picked };
    for (const id of userIds) delete picked[id];
    get().update(tenantId, {
      members: { ...members, items: members.items.filter((m) => !gone.has(m.user_id)), picked },
    });
  },
}));

export function useTenantRoles(tenantId: string): TenantRoles {
  return useRolesStore((s) => s.byTenant[tenantId]) ?? freshRoles();
}
