// One query on several tenants at once: tick the tenants (each with its colour and environment tag), search, and read
// one merged table with a Tenant column. Each tenant has its own status line — how many users, how long, or that it
// failed and why, with a retry — and a tenant that fails never hides the others' users. Opening a row switches to
// that tenant and opens the user there.
import { useEffect, useId, useState } from 'react';
import type { Auth0User, TenantProfile } from '../../../../preload/contract';
import { downToResults } from '../../reads';
import { answered, mergeCrossResults, useAcrossStore, type CrossRow } from './store';
import { useAppStore } from '../../stores/app';
import { useDetailStore } from '../user/store';
import { isSizes, isStringArray, usePref, usePrefsStore } from '../../stores/prefs';
import { useTenantsStore } from '../tenants/store';
import { ColorSwatch, EnvironmentTag } from '../../ui/EnvironmentTag';
import { ErrorMessage, incidentOf } from '../../ui/ErrorMessage';
import { DataTable, type TableColumn } from '../../ui/DataTable';
import { cellValue } from '../users/UserTable';
import { count } from '../../format';

/** The contract takes at most this many tenants in one search. */
export const MAX_TENANTS = 12;
const COLUMNS = ['tenant', 'email', 'name', 'identities.connection', 'last_login', 'user_id'];
const HEADERS: Record<string, string> = {
  tenant: 'Tenant',
  email: 'Email',
  name: 'Name',
  'identities.connection': 'Connection',
  last_login: 'Last login',
  user_id: 'User ID',
};
const WIDTHS = {
  tenant: 230,
  email: 280,
  name: 200,
  'identities.connection': 200,
  last_login: 200,
  user_id: 260,
};

/** A tenant as a row of the results (or a status line) names it: colour, label, environment. */
export function TenantCell({ tenant }: { tenant: TenantProfile | undefined }) {
  if (!tenant) return <span className="muted">a removed tenant</span>;
  return (
    <span className="tenant-cell">
      <ColorSwatch color={tenant.color} label={tenant.label} />
      <span className="tenant-cell-label">{tenant.label}</span>
      <EnvironmentTag environment={tenant.environment} />
    </span>
  );
}

export function CrossSearch() {
  const id = useId();
  const tenants = useTenantsStore((s) => s.tenants);
  const chosen = useAcrossStore((s) => s.chosen);
  const typed = useAcrossStore((s) => s.typed);
  const perTenant = useAcrossStore((s) => s.perTenant);
  const search = useAcrossStore((s) => s.search);
  const store = useAcrossStore();
  const [active, setActive] = useState(0);
  useEffect(() => {
    // The first time: the active tenant is ticked, to add others to.
    const s = useAcrossStore.getState();
    const activeId = useAppStore.getState().activeTenantId;
    if (s.chosen.length === 0 && !s.search && activeId) s.setChosen([activeId]);
  }, []);
  const sizes = usePref('table:across:sizes', WIDTHS, isSizes);
  const order = usePref('table:across:columns', COLUMNS, isStringArray);
  const byId = new Map(tenants.map((t) => [t.id, t]));
  // Tenants removed since they were ticked are not asked.
  const picked = chosen.filter((t) => byId.has(t));
  const rows = search ? mergeCrossResults(search.answers, search.tenantIds) : [];
  const searching = !!search && search.tenantIds.some((t) => !answered(search.answers[t]));

  const toggle = (tenantId: string, on: boolean) =>
    store.setChosen(on ? [...picked, tenantId] : picked.filter((t) => t !== tenantId));

  const openRow = (row: CrossRow) => {
    const app = useAppStore.getState();
    app.requestSwitch(row.tenantId, 'users');
    // With unsaved edits on the open user, the switch waits for an answer: then the user is not opened here.
    if (useAppStore.getState().activeTenantId === row.tenantId && !useAppStore.getState().pendingSwitch)
      void useDetailStore.getState().open(row.tenantId, row.user.user_id);
  };

  const columns: TableColumn<CrossRow>[] = COLUMNS.map((c) => ({
    id: c,
    header: HEADERS[c]!,
    cell: (r) =>
      c === 'tenant' ? (
        <TenantCell tenant={byId.get(r.tenantId)} />
      ) : c === 'email' ? (
        <button type="button" className="link" tabIndex={-1} onClick={() => openRow(r)}>
          {cellValue(r.user, c) || r.user.user_id}
        </button>
      ) : (
        cellValue(r.user as Auth0User, c)
      ),
  }));

  return (
    <div className="cross-search screen">
      <form
        className="cross-search-form"
        role="search"
        aria-label="Search several tenants"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked.length) void store.run();
        }}
      >
        <fieldset className="tenant-picks">
          <legend>
            Tenants to search ({count(picked.length)} of at most {MAX_TENANTS})
          </legend>
          {tenants.map((t) => {
            const on = picked.includes(t.id);
            return (
              <label key={t.id} className="inline tenant-pick">
                <input
                  type="checkbox"
                  checked={on}
                  disabled={!on && picked.length >= MAX_TENANTS}
                  onChange={(e) => toggle(t.id, e.target.checked)}
                />
                <TenantCell tenant={t} />
                <span className="muted mono">{t.domain}</span>
              </label>
            );
          })}
          <div className="actions">
            <button
              type="button"
              onClick={() => store.setChosen(tenants.slice(0, MAX_TENANTS).map((t) => t.id))}
            >
              Tick {tenants.length > MAX_TENANTS ? `the first ${MAX_TENANTS}` : 'all'}
            </button>
            <button type="button" onClick={() => store.setChosen([])} disabled={picked.length === 0}>
              Untick all
            </button>
          </div>
        </fieldset>
        <div className="query-bar">
          <label className="query-label">
            Search query (Auth0 syntax), the same on every tenant
            <input
              value={typed}
              onChange={(e) => store.setTyped(e.target.value)}
              placeholder="email:jane@example.com"
              spellCheck={false}
              onKeyDown={downToResults('cross-results')}
            />
          </label>
          <div className="inline-choices">
            <label className="inline">
              Users per tenant
              <select value={perTenant} onChange={(e) => store.setPerTenant(Number(e.target.value))}>
                {[25, 50, 100].map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
            <button type="submit" className="primary" disabled={picked.length === 0 || searching}>
              {searching ? 'Searching…' : `Search ${count(picked.length, 'tenant')}`}
            </button>
          </div>
        </div>
        {picked.length === 0 && <p className="hint">Tick at least one tenant.</p>}
      </form>

      {search && (
        <>
          <ul className="tenant-statuses" aria-label="Each tenant's answer">
            {search.tenantIds.map((tenantId) => {
              const a = search.answers[tenantId];
              return (
                <li key={tenantId} data-testid={`status-${tenantId}`}>
                  <TenantCell tenant={byId.get(tenantId)} />
                  {!answered(a) ? (
                    <span role="status">Searching…</span>
                  ) : a.ok ? (
                    <span>
                      {count(a.total, 'user')}
                      {a.users.length < a.total ? ` (the first ${count(a.users.length)} shown)` : ''}
                      <span className="muted"> · {count(Math.round(a.ms))} ms</span>
                    </span>
                  ) : (
                    <span className="tenant-failed">
                      <strong>failed</strong>: {a.error.message}
                      {incidentOf(a.error) && (
                        <span className="incident"> (incident {a.error.incidentId})</span>
                      )}{' '}
                      <button
                        type="button"
                        onClick={() => void store.retry(tenantId)}
                        aria-label={`Retry ${byId.get(tenantId)?.label ?? 'this tenant'}`}
                      >
                        Retry
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
          {search.error?.code === 'invalid_query' && <ErrorMessage error={search.error} />}
          <div className="results-bar">
            <span role="status" aria-live="polite" id={`${id}-count`}>
              {searching && rows.length === 0
                ? 'Searching…'
                : `${count(rows.length, 'user')} shown from ${count(
                    search.tenantIds.filter((t) => {
                      const a = search.answers[t];
                      return answered(a) && a.ok;
                    }).length,
                  )} of ${count(search.tenantIds.length)} tenants, sorted by email`}
            </span>
          </div>
          {rows.length > 0 ? (
            <DataTable
              label="Users on several tenants"
              testId="cross-results"
              rows={rows}
              rowKey={(r) => `${r.tenantId}\n${r.user.user_id}`}
              columns={columns}
              layout={{ order, sizes }}
              onLayout={(layout) => {
                const prefs = usePrefsStore.getState();
                prefs.set('table:across:columns', layout.order);
                prefs.set('table:across:sizes', layout.sizes);
              }}
              active={Math.min(active, rows.length - 1)}
              onActive={setActive}
              onOpen={openRow}
              rowClass={(r) => (r.user.blocked ? 'blocked' : undefined)}
            />
          ) : (
            !searching && <p className="empty">No user matches on the tenants that answered.</p>
          )}
        </>
      )}
    </div>
  );
}
