import { useEffect, useRef, useState } from 'react';
import type { ConnectionSummary, TenantProfile } from '../../../preload/contract';
import { bridge } from '../bridge';
import { useDetailStore } from '../stores/detail';
import { composeQuery, DEFAULT_COLUMNS, useUsersStore } from '../stores/users';
import { CapableButton } from './Capable';
import { CreateUserDialog } from './CreateUserDialog';
import { ErrorMessage } from './ErrorMessage';
import { UserDetail } from './UserDetail';
import { columnLabel, UserTable } from './UserTable';

const KNOWN_COLUMNS = [
  ...DEFAULT_COLUMNS,
  'user_id',
  'nickname',
  'email_verified',
  'created_at',
  'updated_at',
];

export function UsersScreen({ tenant }: { tenant: TenantProfile }) {
  const s = useUsersStore();
  const openUser = useDetailStore((d) => d.open);
  const detailOpen = useDetailStore((d) => d.userId !== null);
  const queryInput = useRef<HTMLInputElement>(null);
  const [connections, setConnections] = useState<ConnectionSummary[]>([]);
  const [creating, setCreating] = useState(false);
  const [customColumn, setCustomColumn] = useState('');

  useEffect(() => {
    s.reset();
    void bridge
      .invoke('connections:list', { tenantId: tenant.id })
      .then((r) => r.ok && setConnections(r.data));
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

  const composed = composeQuery(s.typed, s.filters);
  const lastPage = Math.max(0, Math.ceil(Math.min(s.total, 1000) / s.perPage) - 1);

  return (
    <section className="users-screen" aria-labelledby="users-title">
      <div className="section-head">
        <h1 id="users-title">Users</h1>
        <CapableButton capability="users:create" onClick={() => setCreating(true)}>
          Create user
        </CapableButton>
      </div>
      <form
        className="query-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void s.search(tenant.id, { page: 0 });
        }}
      >
        <label className="query-label">
          Search query (Auth0 syntax; press / to focus)
          <input
            ref={queryInput}
            value={s.typed}
            onChange={(e) => s.setTyped(e.target.value)}
            placeholder='email:*@example.com AND app_metadata.plan:"pro"'
            spellCheck={false}
            aria-invalid={s.error?.code === 'invalid_query'}
            aria-describedby="query-problem"
          />
        </label>
        <CapableButton capability="users:read" className="primary" type="submit">
          {s.loading ? 'Searching…' : 'Search'}
        </CapableButton>
        <div id="query-problem">
          <ErrorMessage error={s.error} />
        </div>
        <fieldset className="quick-filters">
          <legend>Quick filters</legend>
          <label>
            Email
            <input
              value={s.filters.email}
              onChange={(e) => s.setFilter('email', e.target.value)}
              placeholder="*@example.com"
            />
          </label>
          <label>
            Name
            <input value={s.filters.name} onChange={(e) => s.setFilter('name', e.target.value)} />
          </label>
          <label>
            Connection
            <select value={s.filters.connection} onChange={(e) => s.setFilter('connection', e.target.value)}>
              <option value="">Any</option>
              {connections.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Blocked
            <select
              value={s.filters.blocked}
              onChange={(e) => s.setFilter('blocked', e.target.value as '' | 'true' | 'false')}
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
              onChange={(e) => s.setFilter('emailVerified', e.target.value as '' | 'true' | 'false')}
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
              onChange={(e) => s.setFilter('lastLoginFrom', e.target.value)}
            />
          </label>
          <label>
            Last login to
            <input
              type="date"
              value={s.filters.lastLoginTo}
              onChange={(e) => s.setFilter('lastLoginTo', e.target.value)}
            />
          </label>
        </fieldset>
        <p className="composed">
          Query sent: <code data-testid="composed-query">{composed || '(all users)'}</code>
        </p>
      </form>

      <div className="results-bar">
        <span role="status">
          {s.searched
            ? `${s.total.toLocaleString()} user${s.total === 1 ? '' : 's'}`
            : 'Run a search to see users.'}
        </span>
        <label className="inline">
          Per page
          <select
            value={s.perPage}
            onChange={(e) => void s.search(tenant.id, { perPage: Number(e.target.value), page: 0 })}
          >
            {[25, 50, 100].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={s.page === 0 || s.loading}
          onClick={() => void s.search(tenant.id, { page: s.page - 1 })}
        >
          Previous
        </button>
        <span>
          Page {s.page + 1} of {lastPage + 1}
        </span>
        <button
          type="button"
          disabled={s.page >= lastPage || s.loading}
          onClick={() => void s.search(tenant.id, { page: s.page + 1 })}
        >
          Next
        </button>
        <details className="columns">
          <summary>Columns</summary>
          {[...new Set([...KNOWN_COLUMNS, ...s.columns])].map((c) => (
            <label key={c} className="inline">
              <input
                type="checkbox"
                checked={s.columns.includes(c)}
                onChange={(e) =>
                  s.setColumns(e.target.checked ? [...s.columns, c] : s.columns.filter((x) => x !== c))
                }
              />
              {columnLabel(c)}
            </label>
          ))}
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const path = customColumn.trim();
              if (/^(app_metadata|user_metadata)\.[\w.-]+$/.test(path) && !s.columns.includes(path))
                s.setColumns([...s.columns, path]);
              setCustomColumn('');
            }}
          >
            <label>
              Metadata column
              <input
                value={customColumn}
                onChange={(e) => setCustomColumn(e.target.value)}
                placeholder="app_metadata.plan"
              />
            </label>
            <button type="submit">Add column</button>
          </form>
        </details>
      </div>
      {s.capped && (
        <p className="notice" role="note">
          This query matches {s.total.toLocaleString()} users, but Auth0 lets a search page through only the
          first 1,000. Narrow it (for example with a <code>created_at:[2024-01-01 TO 2024-06-30]</code>{' '}
          range), or export the users to get them all.
        </p>
      )}
      {s.searched && s.users.length === 0 && !s.loading ? (
        <p className="empty">No users match this query.</p>
      ) : (
        s.users.length > 0 && (
          <UserTable
            users={s.users}
            columns={s.columns}
            sort={s.sort}
            onSort={(field) => {
              const next = s.sort === `${field}:1` ? `${field}:-1` : `${field}:1`;
              void s.search(tenant.id, { sort: next, page: 0 });
            }}
            onOpen={(u) => void openUser(tenant.id, u.user_id)}
          />
        )
      )}
      {detailOpen && <UserDetail tenant={tenant} onChanged={() => void s.search(tenant.id)} />}
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
  );
}
