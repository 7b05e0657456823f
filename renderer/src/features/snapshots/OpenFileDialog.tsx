import { useEffect, useId, useState } from 'react';
import type { ErrorEnvelope } from '../../../../preload/contract';
import { finishedPhase, useExportStatus, useExportsStore } from '../exports/store';
import { useSnapshotsStore } from './store';
import { useTenantsStore } from '../tenants/store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Modal } from '../../ui/Modal';
import { count, formatBytes } from '../../format';

/** A users file exported elsewhere (Auth0's NDJSON or CSV export, gzipped or not; a JSON array) as a snapshot. */
export function OpenFileDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const tenants = useTenantsStore((s) => s.tenants);
  const [file, setFile] = useState<File | null>(null);
  const [label, setLabel] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [exportId, setExportId] = useState<string | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const status = useExportStatus(exportId);
  const busy = (sent !== null && !exportId) || (!!status && !finishedPhase(status));
  const watch = useExportsStore((s) => s.watch);
  useEffect(() => {
    if (!exportId) return;
    watch(exportId, true);
    return () => watch(exportId, false);
  }, [exportId, watch]);

  const start = async () => {
    if (!file) return;
    setError(null);
    setSent({ sent: 0, total: file.size });
    const r = await useSnapshotsStore
      .getState()
      .openFile(file, label.trim() || file.name, tenantId, (s, total) => setSent({ sent: s, total }));
    if (!r.ok) {
      setSent(null);
      return setError(r.error);
    }
    setExportId(r.exportId);
  };

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} busy={busy}>
      <h2 id={`${id}-title`}>Open a users file as a snapshot</h2>
      {!sent ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <label>
            File (Auth0&rsquo;s NDJSON or CSV export, gzipped or not, or a JSON array of users)
            <input
              type="file"
              accept=".json,.ndjson,.jsonl,.csv,.gz,application/json,text/csv,application/gzip"
              onChange={(e) => {
                const f = e.target.files?.[0] ?? null;
                setFile(f);
                if (f && !label)
                  setLabel(f.name.replace(/\.(gz)$/i, '').replace(/\.(json|ndjson|jsonl|csv)$/i, ''));
              }}
            />
          </label>
          <label>
            Name of the snapshot
            <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} />
          </label>
          <label>
            The tenant it is from (optional: snapshots of one tenant are compared together)
            <select value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
              <option value="">Not one of mine / unknown</option>
              {tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label} ({t.domain})
                </option>
              ))}
            </select>
          </label>
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={!file}>
              Open as a snapshot
            </button>
            <button type="button" onClick={onClose} data-autofocus>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="export-progress">
          <p role="status">
            {!exportId
              ? `Handing the file over: ${formatBytes(sent.sent)} of ${formatBytes(sent.total)} (${Math.floor((sent.sent / Math.max(1, sent.total)) * 100)} %)`
              : status
                ? `${status.message}${status.users ? ` — ${count(status.users)} users read` : ''}`
                : 'Reading the file'}
          </p>
          <ErrorMessage error={status?.error ?? error} />
          <div className="actions">
            {status?.snapshot && (
              <button
                type="button"
                className="primary"
                onClick={async () => {
                  await useSnapshotsStore.getState().load();
                  useSnapshotsStore.getState().open(status.snapshot!.id);
                  onClose();
                }}
              >
                Open the snapshot ({count(status.snapshot.count)} users)
              </button>
            )}
            {status && !finishedPhase(status) && (
              <button type="button" onClick={() => useExportsStore.getState().cancel(status.exportId)}>
                Cancel
              </button>
            )}
            {(!status || finishedPhase(status)) && (
              <button
                type="button"
                onClick={() => {
                  void useSnapshotsStore.getState().load();
                  onClose();
                }}
              >
                Close
              </button>
            )}
          </div>
        </div>
      )}
    </Modal>
  );
}
