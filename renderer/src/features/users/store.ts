// The search screen's state, kept per tenant: the query as typed, quick filters, paging, sort, the results and the
// tenant's connections (its columns are preferences, in stores/prefs). Switching tenant shows that tenant's own
// state; an answer arriving for a search that was replaced or cancelled since is dropped.
import { create } from 'zustand';
import type { Auth0User, ConnectionSummary, ErrorEnvelope } from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { readWithOneRetry } from '../../reads';
import { perTenant, type PerTenant } from '../../stores/per-tenant';
import { guardedWrite } from '../../stores/guard';

export interface QuickFilters {
  email: string;
  name: string;
  connection: string;
  blocked: '' | 'true' | 'false';
  emailVerified: '' | 'true' | 'false';
  lastLoginFrom: string;
  lastLoginTo: string;
}

export const emptyFilters: QuickFilters = {
  email: '',
  name: '',
  connection: '',
  blocked: '',
  emailVerified: '',
  lastLoginFrom: '',
  lastLoginTo: '',
};

export const DEFAULT_COLUMNS = [
  'email',
  'name',
  'identities.connection',
  'last_login',
  'logins_count',
  'blocked',
];

function quote(v: string): string {
  return /[\s:"()]/.test(v) ? `"${v.replace(/(["\\])/g, '\\$1')}"` : v;
}

/** The quick filters as Auth0 query syntax, AND'ed with what the user typed. */
export function composeQuery(typed: string, f: QuickFilters): string {
  const parts: string[] = [];
  if (f.email.trim()) parts.push(`email:${f.email.includes('*') ? f.email.trim() : quote(f.email.trim())}`);
  if (f.name.trim()) parts.push(`name:${f.name.includes('*') ? f.name.trim() : quote(f.name.trim())}`);
  if (f.connection) parts.push(`identities.connection:${quote(f.connection)}`);
  // Users never blocked have no `blocked` field at all, so "not blocked" is NOT blocked:true.
  if (f.blocked) parts.push(f.blocked === 'true' ? 'blocked:true' : 'NOT blocked:true');
  if (f.emailVerified) parts.push(`email_verified:${f.emailVerified}`);
  if (f.lastLoginFrom || f.lastLoginTo)
    parts.push(`last_login:[${f.lastLoginFrom || '*'} TO ${f.lastLoginTo || '*'}]`);
  const q = typed.trim();
  // The typed query is grouped so that its own ORs don't escape the filters.
  if (q) parts.unshift(parts.length ? `(${q})` : q);
  return parts.join(' AND ');
}

export interface TenantSearch {
  typed: string;
  filters: QuickFilters;
  page: number;
  perPage: number;
  sort: string | null;
  users: Auth0User[];
  total: number;
  capped: boolean;
  searched: boolean;
  /** The query the results are for (total included). */
  searchedQuery: string | null;
  loading: boolean;
  /** A failed search keeps the previous results and shows this next to the query. */
  error: ErrorEnvelope | null;
  lastMs: { api: number; total: number } | null;
  connections: Async<ConnectionSummary[]>;
  /** Which search the results belong to; an answer for an older one is dropped. */
  seq: number;
  /** Rows picked for a bulk edit (kept across pages and searches): user id → updated_at as shown. */
  selected: Record<string, string>;
  /** The row a Shift-click extends the selection from. */
  anchor: number | null;
}

export function freshSearch(): TenantSearch {
  return {
    typed: '',
    filters: emptyFilters,
    page: 0,
    perPage: 50,
    sort: null,
    users: [],
    total: 0,
    capped: false,
    searched: false,
    searchedQuery: null,
    loading: false,
    error: null,
    lastMs: null,
    connections: loading,
    seq: 0,
    selected: {},
    anchor: null,
  };
}

interface UsersState extends PerTenant<TenantSearch, QuickFilters> {
  search(tenantId: string, changes?: Partial<Pick<TenantSearch, 'page' | 'perPage' | 'sort'>>): Promise<void>;
  /** Stops waiting for the search under way: its answer is dropped, the results shown stay. */
  cancel(tenantId: string): void;
  loadConnections(tenantId: string): Promise<void>;
  /** Picks or drops a row; with Shift, every row from the last one clicked to this one takes its new state. */
  toggle(tenantId: string, index: number, shift: boolean): void;
  selectPage(tenantId: string, on: boolean): void;
  clearSelection(tenantId: string): void;
  createUser: ReturnType<typeof guardedWrite<'users:create'>>;
}

export const useUsersStore = create<UsersState>((set, get) => ({
  ...perTenant<TenantSearch, QuickFilters>(set, get, freshSearch),
  createUser: guardedWrite('users:create'),
  async search(tenantId, changes = {}) {
    const current = get().of(tenantId);
    const next = { page: current.page, perPage: current.perPage, sort: current.sort, ...changes };
    const seq = current.seq + 1;
    get().update(tenantId, { ...next, loading: true, seq });
    // User Timing marks: `npm run bench:ui` reads them to separate API time from rendering time.
    performance.mark('search:submit');
    const started = performance.now();
    const q = composeQuery(current.typed, current.filters);
    const ask = () =>
      bridge.invoke('users:search', {
        tenantId,
        q,
        page: next.page,
        perPage: next.perPage,
        ...(next.sort ? { sort: next.sort } : {}),
      });
    const r = await readWithOneRetry(ask, () => get().of(tenantId).seq === seq);
    const api = performance.now() - started;
    performance.mark('search:response');
    if (get().of(tenantId).seq !== seq) return; // a newer search of this tenant replaced it
    if (r.ok)
      get().update(tenantId, {
        users: r.data.users,
        total: r.data.total,
        capped: r.data.capped,
        searched: true,
        searchedQuery: q,
        loading: false,
        error: null,
        lastMs: { api, total: api },
      });
    else get().update(tenantId, { loading: false, error: r.error });
  },
  cancel(tenantId) {
    const current = get().of(tenantId);
    get().update(tenantId, { loading: false, seq: current.seq + 1 });
  },
  toggle(tenantId, index, shift) {
    const state = get().of(tenantId);
    const user = state.users[index];
    if (!user) return;
    const on = !(user.user_id in state.selected);
    const selected = { ...state.selected };
    const [from, to] =
      shift && state.anchor !== null
        ? [Math.min(state.anchor, index), Math.max(state.anchor, index)]
        : [index, index];
    for (const u of state.users.slice(from, to + 1)) {
      if (on) selected[u.user_id] = u.updated_at ?? '';
      else delete selected[u.user_id];
    }
    get().update(tenantId, { selected, anchor: index });
  },
  selectPage(tenantId, on) {
    const state = get().of(tenantId);
    const selected = { ...state.selected };
    for (const u of state.users) {
      if (on) selected[u.user_id] = u.updated_at ?? '';
      else delete selected[u.user_id];
    }
    get().update(tenantId, { selected });
  },
  clearSelection(tenantId) {
    get().update(tenantId, { selected: {}, anchor: null });
  },
  async loadConnections(tenantId) {
    get().update(tenantId, { connections: loading });
    const r = await bridge.invoke('connections:list', { tenantId });
    get().update(tenantId, { connections: fromResult(r) });
  },
}));

/** The search state of one tenant, for components. */
export function useTenantSearch(tenantId: string): TenantSearch {
  return useUsersStore((s) => s.byTenant[tenantId]) ?? freshSearch();
}
