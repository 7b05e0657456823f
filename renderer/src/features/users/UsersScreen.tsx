import { downToResults } from '../../reads';
import { FiltersDisclosure } from '../../ui/FiltersDisclosure';
import { useEffect, useRef, useState } from 'react';
import { PageControls } from '../../ui/PageControls';
import { ColumnChooser } from './ColumnChooser';
import type { TenantProfile } from '../../../../preload/contract';
import { useDetailStore } from '../user/store';
import { isStringArray, usePref, usePrefsStore } from '../../stores/prefs';
import { composeQuery, DEFAULT_COLUMNS, useTenantSearch, useUsersStore } from './store';
import { CapableButton } from '../../ui/Capable';
import { CreateUserDialog } from './CreateUserDialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { UserDetail } from '../user/UserDetail';
import { UserTable } from './UserTable';
import { SelectionBar } from '../bulk/SelectionBar';
import { ExportDialog } from '../exports/ExportDialog';
import { WithSidePanel } from '../../ui/SidePanel';
import { count } from '../../format';

/** The users of one tenant: its own query, filters, paging, columns and results, kept while other tenants are open. */
export function UsersScreen({ tenant }: { tenant: TenantProfile }) {
  const s = useTenantSearch(tenant.id);
  const store = useUsersStore();
  const openUser = useDetailStore((d) => d.open);
  // The panel belongs to the tenant it was opened for; it is never shown over another tenant's results.
  const detailOpen = useDetailStore((d) => d.userId !== null && d.tenantId === tenant.id);
  const queryInput = useRef<HTMLInputElement>(null);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const columnsKey = `table:users:${tenant.id}:columns`;
  const columns = usePref(columnsKey, DEFAULT_COLUMNS, isStringArray);
  const setColumns = (next: string[]) => usePrefsStore.getState().set(columnsKey, next);

  useEffect(() => {
    if (s.connections.state !== 'ready') void store.loadConnections(tenant.id);
    // Opening a tenant shows its users at once (the first page of everyone, or the query kept for it).
    if (!s.searched && !s.loading) void store.search(tenant.id, { page: 0 });
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
        e.preventDefault();
        queryInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant.id]);

  // A write in the panel that changes how its user reads here (blocked, verified, deleted): the results again.
  useEffect(
    () =>
      useDetailStore.subscribe((d, before) => {
        if (d.changed !== before.changed && d.tenantId === tenant.id)
          void useUsersStore.getState().search(tenant.id);
      }),
    [tenant.id],
  );

  const connections = s.connections.state === 'ready' ? s.connections.data : [];
  const composed = composeQuery(s.typed, s.filters);
  const lastPage = Math.max(0, Math.ceil(Math.min(s.total, 1000) / s.perPage) - 1);

  return (
    <WithSidePanel panel={detailOpen ? <UserDetail /> : null}>
      <section className="users-screen screen" aria-labelledby="users-title">
        <div className="section-head">
          <h1 id="users-title">Users</h1>
          <div className="head-actions">
            <CapableButton capability="users:read" tenantId={tenant.id} onClick={() => setExporting(true)}>
              Export…
            </CapableButton>
            <CapableButton capability="users:create" onClick={() => setCreating(true)}>
              Create user
            </CapableButton>
          </div>
        </div>
        <form
          className="query-bar"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void store.search(tenant.id, { page: 0 });
          }}
        >
          <label className="query-label">
            Search query (Auth0 syntax; press / to focus)
            <input
              ref={queryInput}
              value={s.typed}
              onChange={(e) => store.setTyped(tenant.id, e.target.value)}
              placeholder='email:*@example.com AND app_metadata.plan:"pro"'
              spellCheck={false}
              // Down from the query goes to the results, to walk them with the arrow keys.
              onKeyDown={downToResults('results-scroller')}
              aria-invalid={s.error?.code === 'invalid_query'}
              aria-describedby="query-problem"
            />
          </label>
          {s.loading ? (
            <button type="button" onClick={() => store.cancel(tenant.id)}>
              Cancel search
            </button>
          ) : (
            <CapableButton capability="users:read" className="primary" type="submit">
              Search
            </CapableButton>
          )}
          <div id="query-problem">
            <ErrorMessage error={s.error} />
          </div>
          <FiltersDisclosure screen="users" active={Object.values(s.filters).filter(Boolean).length}>
            <fieldset className="quick-filters">
              <legend>Quick filters</legend>
              <label>
                Email
                <input
                  value={s.filters.email}
                  onChange={(e) => store.setFilter(tenant.id, 'email', e.target.value)}
                  placeholder="*@example.com"
                />
              </label>
              <label>
                Name
                <input
                  value={s.filters.name}
                  onChange={(e) => store.setFilter(tenant.id, 'name', e.target.value)}
                />
              </label>
              <label>
                Connection
                <select
                  value={s.filters.connection}
                  onChange={(e) => store.setFilter(tenant.id, 'connection', e.target.value)}
                  aria-describedby={s.connections.state === 'ready' ? undefined : 'connections-state'}
                >
                  <option value="">Any</option>
                  {connections.map((c) => (
                    <option key={c.id} value={c.name}>
                      {c.name}
                    </option>
                  ))}
                </select>
                {s.connections.state !== 'ready' && (
                  <span
                    id="connections-state"
                    className={s.connections.state === 'failed' ? 'field-error' : 'hint'}
                  >
                    {s.connections.state === 'loading'
                      ? 'Loading connections…'
                      : s.connections.state === 'forbidden'
                        ? `The grant can't list connections (it lacks ${s.connections.missing.join(', ') || 'read:connections'}).`
                        : `Connections could not be loaded: ${s.connections.error.message}`}
                    {s.connections.state === 'failed' && (
                      <button
                        type="button"
                        className="link"
                        onClick={() => void store.loadConnections(tenant.id)}
                      >
                        Retry
                      </button>
                    )}
                  </span>
                )}
              </label>
              <label>
                Blocked
                <select
                  value={s.filters.blocked}
                  onChange={(e) =>
                    store.setFilter(tenant.id, 'blocked', e.target.value as '' | 'true' | 'false')
                  }
                >
                  <option value="">Any</option>
                  <option value="true">Blocked</option>
                  <option value="false">Not blocked</option>
                </select>
              </label>
              <label>
                Email verified
                <select
                  value={s.filters.emailVerified}
                  onChange={(e) =>
                    store.setFilter(tenant.id, 'emailVerified', e.target.value as '' | 'true' | 'false')
                  }
                >
                  <option value="">Any</option>
                  <option value="true">Verified</option>
                  <option value="false">Not verified</option>
                </select>
              </label>
              <label>
                Last login from
                <input
                  type="date"
                  value={s.filters.lastLoginFrom}
                  onChange={(e) => store.setFilter(tenant.id, 'lastLoginFrom', e.target.value)}
                />
              </label>
              <label>
                Last login to
                <input
                  type="date"
                  value={s.filters.lastLoginTo}
                  onChange={(e) => store.setFilter(tenant.id, 'lastLoginTo', e.target.value)}
                />
              </label>
            </fieldset>
          </FiltersDisclosure>
          <p className="composed">
            Query sent: <code data-testid="composed-query">{composed || '(all users)'}</code>
          </p>
        </form>

        <div className="results-bar">
          <span role="status" aria-live="polite">
            {s.loading
              ? 'Searching…'
              : s.searched
                ? `${count(s.total, 'user')}`
                : 'Run a search to see users.'}
          </span>
          <PageControls
            page={s.page}
            lastPage={lastPage}
            perPage={s.perPage}
            loading={s.loading}
            onChange={(change) => void store.search(tenant.id, change)}
          />
          <ColumnChooser columns={columns} onChange={setColumns} />
        </div>
        <SelectionBar tenant={tenant} />
        {s.error && s.users.length > 0 && (
          <p className="stale" role="note">
            Stale: these results are from the last search that worked ({s.searchedQuery || 'all users'}), not
            the query above.
          </p>
        )}
        {s.capped && (
          <p className="notice" role="note">
            This query matches {count(s.total)} users, but Auth0 lets a search page through only the first
            1,000. Narrow it (for example with a <code>created_at:[2024-01-01 TO 2024-06-30]</code> range), or{' '}
            <button type="button" className="link" onClick={() => setExporting(true)}>
              export all {count(s.total)} matching users
            </button>
            .
          </p>
        )}
        {s.searched && s.users.length === 0 && !s.loading ? (
          <p className="empty">No users match this query.</p>
        ) : (
          s.users.length > 0 && (
            <UserTable
              users={s.users}
              selected={s.selected}
              onToggle={(index, shift) => store.toggle(tenant.id, index, shift)}
              onSelectPage={(on) => store.selectPage(tenant.id, on)}
              columns={columns}
              onColumns={setColumns}
              layoutKey={`users:${tenant.id}`}
              sort={s.sort}
              onSort={(field) => {
                const next = s.sort === `${field}:1` ? `${field}:-1` : `${field}:1`;
                void store.search(tenant.id, { sort: next, page: 0 });
              }}
              onOpen={(u) => void openUser(tenant.id, u.user_id)}
            />
          )
        )}

        {exporting && (
          <ExportDialog
            target={{
              kind: 'tenant',
              tenant,
              query: composed,
              total: s.searchedQuery === composed ? s.total : null,
              selectedIds: Object.keys(s.selected),
              connections,
            }}
            onClose={() => setExporting(false)}
          />
        )}
        {creating && (
          <CreateUserDialog
            tenant={tenant}
            connections={connections}
            onClose={(created) => {
              setCreating(false);
              if (created) void openUser(tenant.id, created);
            }}
          />
        )}
      </section>
    </WithSidePanel>
  );
}
