// The search screen: the query as typed, quick filters that compose into it, paging, sort, columns, results.
import { create } from 'zustand';
import type { Auth0User, ErrorEnvelope } from '../../../preload/contract';
import { bridge } from '../bridge';

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

interface UsersState {
  typed: string;
  filters: QuickFilters;
  page: number;
  perPage: number;
  sort: string | null;
  columns: string[];
  users: Auth0User[];
  total: number;
  capped: boolean;
  searched: boolean;
  loading: boolean;
  /** A failed search keeps the previous results and shows this next to the query. */
  error: ErrorEnvelope | null;
  lastMs: { api: number; total: number } | null;
  setTyped(q: string): void;
  setFilter<K extends keyof QuickFilters>(key: K, value: QuickFilters[K]): void;
  setColumns(columns: string[]): void;
  search(tenantId: string, changes?: Partial<Pick<UsersState, 'page' | 'perPage' | 'sort'>>): Promise<void>;
  reset(): void;
}

export const useUsersStore = create<UsersState>((set, get) => ({
  typed: '',
  filters: emptyFilters,
  page: 0,
  perPage: 50,
  sort: null,
  columns: JSON.parse(localStorage.getItem('tenant-desk-columns') ?? 'null') ?? DEFAULT_COLUMNS,
  users: [],
  total: 0,
  capped: false,
  searched: false,
  loading: false,
  error: null,
  lastMs: null,
  setTyped(q) {
    set({ typed: q });
  },
  setFilter(key, value) {
    set((s) => ({ filters: { ...s.filters, [key]: value } }));
  },
  setColumns(columns) {
    localStorage.setItem('tenant-desk-columns', JSON.stringify(columns));
    set({ columns });
  },
  async search(tenantId, changes = {}) {
    const next = { page: get().page, perPage: get().perPage, sort: get().sort, ...changes };
    set({ ...next, loading: true });
    // User Timing marks: `npm run bench:ui` reads them to separate API time from rendering time.
    performance.mark('search:submit');
    const started = performance.now();
    const r = await bridge.invoke('users:search', {
      tenantId,
      q: composeQuery(get().typed, get().filters),
      page: next.page,
      perPage: next.perPage,
      ...(next.sort ? { sort: next.sort } : {}),
    });
    const api = performance.now() - started;
    performance.mark('search:response');
    if (r.ok)
      set({
        users: r.data.users,
        total: r.data.total,
        capped: r.data.capped,
        searched: true,
        loading: false,
        error: null,
        lastMs: { api, total: api },
      });
    else set({ loading: false, error: r.error });
  },
  reset() {
    // Another tenant: its connections differ, so the filters start over too.
    set({ users: [], total: 0, capped: false, searched: false, error: null, page: 0, filters: emptyFilters });
  },
}));
