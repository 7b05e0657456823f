import { useEffect, useId, useState } from 'react';
import type { SnapshotSummary } from '../../../../preload/contract';
import { useSnapshotsStore } from './store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Modal } from '../../ui/Modal';
import { SectionState } from '../../ui/SectionState';
import { CompareView } from './CompareView';
import { OpenFileDialog } from './OpenFileDialog';
import { ReviewDialog } from './ReviewDialog';
import { SnapshotView } from './SnapshotView';
import { count, formatBytes, when } from '../../format';
import { SnapshotTag } from './SnapshotTag';

/** Snapshots kept in the data dir: a list to open, compare or delete; one open; or a comparison. No tenant needed. */
export function SnapshotsScreen() {
  const list = useSnapshotsStore((s) => s.list);
  const openId = useSnapshotsStore((s) => s.openId);
  const comparison = useSnapshotsStore((s) => s.comparison);
  const load = useSnapshotsStore((s) => s.load);
  const reviewing = useSnapshotsStore((s) => s.review !== null);
  const openReview = useSnapshotsStore((s) => s.openReview);
  const closeReview = useSnapshotsStore((s) => s.closeReview);
  const [opening, setOpening] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  const open = list.state === 'ready' ? list.data.find((s) => s.id === openId) : undefined;
  return (
    <section className="snapshots-screen" aria-labelledby="snapshots-title">
      <div className="section-head">
        <h1 id="snapshots-title">Snapshots</h1>
        <div className="head-actions">
          <button type="button" onClick={() => openReview()}>
            Review report…
          </button>
          <button type="button" onClick={() => setOpening(true)}>
            Open a users file…
          </button>
        </div>
      </div>
      {comparison ? (
        <CompareView />
      ) : open ? (
        <SnapshotView snapshot={open} />
      ) : (
        <SectionState value={list} what="the snapshots" retry={() => void load()}>
          {(snapshots) => <SnapshotList snapshots={snapshots} />}
        </SectionState>
      )}
      {opening && <OpenFileDialog onClose={() => setOpening(false)} />}
      {reviewing && <ReviewDialog onClose={closeReview} />}
    </section>
  );
}

function SnapshotList({ snapshots }: { snapshots: SnapshotSummary[] }) {
  const id = useId();
  const open = useSnapshotsStore((s) => s.open);
  const compare = useSnapshotsStore((s) => s.compare);
  const [doomed, setDoomed] = useState<SnapshotSummary | null>(null);
  // By default, the two most recent snapshots of the newest one's tenant, older first.
  const newest = snapshots[0];
  const sameTenant = snapshots.filter((s) => newest && s.tenantDomain === newest.tenantDomain);
  const [after, setAfter] = useState(sameTenant[0]?.id ?? '');
  const [before, setBefore] = useState(sameTenant[1]?.id ?? snapshots[1]?.id ?? '');
  const b = snapshots.find((s) => s.id === before);
  const a = snapshots.find((s) => s.id === after);

  if (snapshots.length === 0)
    return (
      <p className="empty">
        No snapshot yet. Export users from the Users screen with &ldquo;Keep these users as an offline
        snapshot&rdquo;, or open a users file exported elsewhere (Auth0&rsquo;s NDJSON or CSV export).
      </p>
    );
  const label = (s: SnapshotSummary) => `${s.tenantLabel} — ${when(s.createdAt)} (${count(s.count)} users)`;
  return (
    <>
      <div className="table-wrap">
        <table className="snapshot-table">
          <caption className="visually-hidden">Snapshots, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Taken</th>
              <th scope="col">Users</th>
              <th scope="col">What</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {snapshots.map((s) => (
              <tr key={s.id}>
                <td>
                  <strong>{s.tenantLabel}</strong> <SnapshotTag s={s} />
                  {s.tenantDomain && <div className="muted mono">{s.tenantDomain}</div>}
                </td>
                <td>{when(s.createdAt)}</td>
                <td className="num">{count(s.count)}</td>
                <td>
                  {s.origin === 'file' ? `From ${s.fileName ?? 'a file'}` : s.sourceLabel}
                  {s.query && (
                    <div className="muted">
                      <code>{s.query}</code>
                    </div>
                  )}
                </td>
                <td className="num">{formatBytes(s.bytes)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="primary"
                    onClick={() => open(s.id)}
                    aria-label={`Open ${label(s)}`}
                  >
                    Open
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => setDoomed(s)}
                    aria-label={`Delete ${label(s)}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {snapshots.length > 1 && (
        <form
          className="compare-form"
          aria-label="Compare two snapshots"
          onSubmit={(e) => {
            e.preventDefault();
            if (before && after && before !== after) void compare(before, after);
          }}
        >
          <h2>Compare two snapshots</h2>
          <div className="inline-form">
            <label>
              Before
              <select id={`${id}-before`} value={before} onChange={(e) => setBefore(e.target.value)}>
                {snapshots.map((s) => (
                  <option key={s.id} value={s.id}>
                    {label(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              After
              <select value={after} onChange={(e) => setAfter(e.target.value)}>
                {snapshots.map((s) => (
                  <option key={s.id} value={s.id}>
                    {label(s)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="primary" disabled={!before || !after || before === after}>
              Compare
            </button>
          </div>
          {before === after && <p className="hint">Choose two different snapshots.</p>}
          {a && b && a.tenantDomain !== b.tenantDomain && (
            <p className="notice" role="note">
              These snapshots are of different tenants ({b.tenantDomain ?? b.tenantLabel} and{' '}
              {a.tenantDomain ?? a.tenantLabel}): every user will show as added or removed.
            </p>
          )}
        </form>
      )}
      {doomed && <DeleteSnapshot snapshot={doomed} onClose={() => setDoomed(null)} />}
    </>
  );
}

function DeleteSnapshot({ snapshot, onClose }: { snapshot: SnapshotSummary; onClose: () => void }) {
  const id = useId();
  const remove = useSnapshotsStore((s) => s.remove);
  const [error, setError] = useState<Parameters<typeof ErrorMessage>[0]['error']>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} busy={busy}>
      <h2 id={`${id}-title`}>Delete this snapshot?</h2>
      <p>
        The snapshot of <strong>{snapshot.tenantLabel}</strong> taken {when(snapshot.createdAt)} (
        {count(snapshot.count)} users) is removed from this computer. It can&rsquo;t be undone; the tenant
        itself is not touched.
      </p>
      <ErrorMessage error={error} />
      <div className="actions">
        <button
          type="button"
          className="danger-solid"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const err = await remove(snapshot.id);
            setBusy(false);
            if (err) setError(err);
            else onClose();
          }}
        >
          Delete snapshot
        </button>
        <button type="button" onClick={onClose} data-autofocus>
          Keep it
        </button>
      </div>
    </Modal>
  );
}
