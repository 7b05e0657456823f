import { useId, useState } from 'react';
import { PageControls } from '../../ui/PageControls';
import { ColumnChooser } from '../users/ColumnChooser';
import type { Auth0User, SnapshotSummary } from '../../../../preload/contract';
import { useSnapshotsStore } from './store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ExportDialog } from '../exports/ExportDialog';
import { Modal } from '../../ui/Modal';
import { UserTable } from '../users/UserTable';
import { SnapshotTag } from './SnapshotTag';
import { count, formatBytes, when } from '../../format';

/** One snapshot, offline: the same table, sort and columns as the Users screen, searched with Auth0's syntax. */
export function SnapshotView({ snapshot }: { snapshot: SnapshotSummary }) {
  const id = useId();
  const s = useSnapshotsStore((st) => st.searches[snapshot.id]);
  const store = useSnapshotsStore();
  const [viewing, setViewing] = useState<Auth0User | null>(null);
  const [exporting, setExporting] = useState(false);
  if (!s) return null;
  const lastPage = Math.max(0, Math.ceil(s.total / s.perPage) - 1);

  return (
    <div className="snapshot-view">
      <button type="button" className="link back" onClick={() => store.open(null)}>
        ← All snapshots
      </button>
      <div className="snapshot-head">
        <h2>
          {snapshot.tenantLabel} <SnapshotTag s={snapshot} />
        </h2>
        <span className="badge offline-badge">Offline</span>
      </div>
      <p className="muted">
        {snapshot.tenantDomain && <span className="mono">{snapshot.tenantDomain} · </span>}
        taken {when(snapshot.createdAt)} · {count(snapshot.count)} users ·{' '}
        {snapshot.origin === 'file' ? `from ${snapshot.fileName ?? 'a file'}` : snapshot.sourceLabel} ·{' '}
        {formatBytes(snapshot.bytes)}
      </p>
      <form
        className="query-bar"
        role="search"
        aria-label="Search this snapshot"
        onSubmit={(e) => {
          e.preventDefault();
          void store.search(snapshot.id, { page: 0 });
        }}
      >
        <label className="query-label">
          Search the snapshot (Auth0 syntax, the tenant&rsquo;s rules, no 1,000 limit)
          <input
            value={s.typed}
            onChange={(e) => store.setTyped(snapshot.id, e.target.value)}
            placeholder='app_metadata.plan:"pro" AND NOT email_verified:true'
            spellCheck={false}
            aria-invalid={s.error?.code === 'invalid_query'}
            aria-describedby={`${id}-problem`}
          />
        </label>
        <button className="primary" type="submit">
          {s.loading ? 'Searching…' : 'Search'}
        </button>
        <div id={`${id}-problem`}>
          <ErrorMessage error={s.error} />
        </div>
      </form>
      <div className="results-bar">
        <span role="status">
          {count(s.total, 'user')}
          {s.ms !== null && (
            <span className="muted"> · {s.ms < 10 ? s.ms.toFixed(1) : Math.round(s.ms)} ms, offline</span>
          )}
        </span>
        <PageControls
          page={s.page}
          lastPage={lastPage}
          perPage={s.perPage}
          loading={s.loading}
          onChange={(change) => void store.search(snapshot.id, change)}
        />
        <ColumnChooser columns={s.columns} onChange={(columns) => store.setColumns(snapshot.id, columns)} />
        <button type="button" onClick={() => setExporting(true)}>
          Export {s.q ? 'these' : 'all'} {count(s.total)} users…
        </button>
      </div>
      {s.users.length === 0 && !s.loading ? (
        <p className="empty">No user in this snapshot matches.</p>
      ) : (
        <UserTable
          users={s.users}
          columns={s.columns}
          onColumns={(columns) => store.setColumns(snapshot.id, columns)}
          layoutKey={`snapshot:${snapshot.id}`}
          label={`Users of the snapshot of ${snapshot.tenantLabel}`}
          sort={s.sort}
          onSort={(field) => {
            const next = s.sort === `${field}:1` ? `${field}:-1` : `${field}:1`;
            void store.search(snapshot.id, { sort: next, page: 0 });
          }}
          onOpen={(u) => setViewing(u)}
        />
      )}
      {viewing && <UserJson user={viewing} snapshot={snapshot} onClose={() => setViewing(null)} />}
      {exporting && (
        <ExportDialog
          target={{ kind: 'snapshot', snapshot, query: s.q, total: s.total }}
          onClose={() => setExporting(false)}
        />
      )}
    </div>
  );
}

function UserJson({
  user,
  snapshot,
  onClose,
}: {
  user: Auth0User;
  snapshot: SnapshotSummary;
  onClose: () => void;
}) {
  const id = useId();
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} className="user-json">
      <h2 id={`${id}-title`}>{user.email ?? user.user_id}</h2>
      <p className="muted">
        As it was on {snapshot.tenantLabel}, {when(snapshot.createdAt)} (offline, read-only).
      </p>
      <pre className="raw">{JSON.stringify(user, null, 2)}</pre>
      <div className="actions">
        <button type="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
