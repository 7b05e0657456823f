// The part every per-tenant search store shares (Users, Logs): each tenant's own state, created on first use, patched
// in place, with the query as typed and its quick filters.

export interface PerTenant<S extends { typed: string; filters: F }, F> {
  byTenant: Record<string, S>;
  /** This tenant's state (created on first use). */
  of(tenantId: string): S;
  update(tenantId: string, patch: Partial<S>): void;
  setTyped(tenantId: string, typed: string): void;
  setFilter<K extends keyof F>(tenantId: string, key: K, value: F[K]): void;
}

export function perTenant<S extends { typed: string; filters: F }, F>(
  set: (fn: (state: { byTenant: Record<string, S> }) => { byTenant: Record<string, S> }) => void,
  get: () => PerTenant<S, F>,
  fresh: () => S,
): PerTenant<S, F> {
  return {
    byTenant: {},
    of(tenantId) {
      return get().byTenant[tenantId] ?? fresh();
    },
    update(tenantId, patch) {
      set((s) => ({ byTenant: { ...s.byTenant, [tenantId]: { ...get().of(tenantId), ...patch } } }));
    },
    setTyped(tenantId, typed) {
      get().update(tenantId, { typed } as Partial<S>);
    },
    setFilter(tenantId, key, value) {
      get().update(tenantId, { filters: { ...get().of(tenantId).filters, [key]: value } } as Partial<S>);
    },
  };
}
