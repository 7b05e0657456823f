import { useEffect, useId, useState } from 'react';
import {
  AUTH0_CSV_MAX_FIELDS,
  DEFAULT_EXPORT_FIELDS,
  EXPORT_FIELD_PATTERN,
  unsafePathProblem,
  EXPORT_USUAL_FIELDS,
  type ConnectionSummary,
  type ErrorEnvelope,
  type ExportField,
  type ExportFormat,
  type ExportSource,
  type ExportStatus,
  type SnapshotSummary,
  type TenantProfile,
} from '../../../../preload/contract';
import { finishedPhase, newExportId, useExportStatus, useExportsStore } from './store';
import { useAppStore } from '../../stores/app';
import { useSnapshotsStore } from '../snapshots/store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Modal } from '../../ui/Modal';
import { TenantBadge } from '../../ui/TenantBadge';
import { count, duration, formatBytes, when } from '../../format';

interface FieldRow {
  name: string;
  exportAs: string;
  on: boolean;
}

type SourceChoice = 'query' | 'selection' | 'tenant' | 'connection';

export type ExportTarget =
  | {
      kind: 'tenant';
      tenant: TenantProfile;
      /** The query the results show (composed with the quick filters), and how many it matches. */
      query: string;
      total: number | null;
      selectedIds: string[];
      connections: ConnectionSummary[];
    }
  | { kind: 'snapshot'; snapshot: SnapshotSummary; query: string; total: number | null };

const FORMATS: { value: ExportFormat; label: string; hint: string }[] = [
  { value: 'csv', label: 'CSV', hint: 'RFC 4180, UTF-8' },
  { value: 'xlsx', label: 'Excel (XLSX)', hint: 'typed numbers and booleans' },
  { value: 'ndjson', label: 'NDJSON', hint: 'one JSON user per line' },
  { value: 'parquet', label: 'Parquet', hint: 'columns with their types, for DuckDB, Spark, BigQuery' },
];

/** Picks the users, the fields (with their column names) and the format; then follows the export to its file. */
export function ExportDialog({ target, onClose }: { target: ExportTarget; onClose: () => void }) {
  const id = useId();
  const watch = useExportsStore((s) => s.watch);
  const [source, setSource] = useState<SourceChoice>(
    target.kind === 'tenant' && target.selectedIds.length ? 'selection' : 'query',
  );
  const [connectionId, setConnectionId] = useState(
    target.kind === 'tenant' ? (target.connections[0]?.id ?? '') : '',
  );
  const [rows, setRows] = useState<FieldRow[]>(() =>
    EXPORT_USUAL_FIELDS.map((name) => ({ name, exportAs: '', on: DEFAULT_EXPORT_FIELDS.includes(name) })),
  );
  const [custom, setCustom] = useState('');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [bom, setBom] = useState(false);
  const [keep, setKeep] = useState(false);
  const [withOrgs, setWithOrgs] = useState(false);
  const [withRoles, setWithRoles] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [exportId, setExportId] = useState<string | null>(null);
  const status = useExportStatus(exportId);

  useEffect(() => {
    if (!exportId) return;
    watch(exportId, true);
    return () => watch(exportId, false);
  }, [exportId, watch]);

  const fields: ExportField[] = rows
    .filter((r) => r.on)
    .map((r) => ({ name: r.name, ...(r.exportAs.trim() ? { exportAs: r.exportAs.trim() } : {}) }));
  const columns = fields.map((f) => f.exportAs ?? f.name);
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  const whole = fields.some((f) => f.name === 'app_metadata' || f.name === 'user_metadata');

  const sourceOf = (): ExportSource => {
    if (target.kind === 'snapshot') return { kind: 'query', q: target.query };
    switch (source) {
      case 'selection':
        return { kind: 'users', userIds: target.selectedIds };
      case 'tenant':
        return { kind: 'tenant' };
      case 'connection': {
        const c = target.connections.find((x) => x.id === connectionId)!;
        return { kind: 'connection', connectionId: c.id, name: c.name };
      }
      default:
        return { kind: 'query', q: target.query };
    }
  };

  const start = async () => {
    if (fields.length === 0) return setProblem('Choose at least one field.');
    if (duplicate) return setProblem(`Two columns would be named "${duplicate}": give one another name.`);
    setProblem(null);
    setError(null);
    const next = newExportId();
    // Watched from the start: how it ends is said here, not in a toast.
    watch(next, true);
    setExportId(next);
    const r =
      target.kind === 'tenant'
        ? await useExportsStore.getState().exportTenant({
            tenantId: target.tenant.id,
            exportId: next,
            source: sourceOf(),
            fields,
            format,
            bom: format === 'csv' && bom,
            keepSnapshot: keep,
            includeOrganizations: withOrgs,
            includeRoles: withRoles,
          })
        : await useExportsStore.getState().exportSnapshot({
            snapshotId: target.snapshot.id,
            exportId: next,
            q: target.query,
            fields,
            format,
            bom: format === 'csv' && bom,
          });
    if (!r.ok) {
      setExportId(null);
      return setError(r.error);
    }
  };

  const save = async (s: ExportStatus) => {
    const failed = await useExportsStore.getState().save(s.file!);
    if (failed) setError(failed);
  };

  const addCustom = () => {
    const path = custom.trim();
    if (!EXPORT_FIELD_PATTERN.test(path) || !/^(app|user)_metadata\./.test(path))
      return setProblem('A metadata field is app_metadata.something or user_metadata.something.');
    const unsafe = unsafePathProblem(path);
    if (unsafe) return setProblem(unsafe);
    if (!rows.some((r) => r.name === path)) setRows([...rows, { name: path, exportAs: '', on: true }]);
    setCustom('');
    setProblem(null);
  };

  const title =
    target.kind === 'tenant' ? `Export users of ${target.tenant.label}` : 'Export users of this snapshot';
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} className="export-dialog">
      {target.kind === 'tenant' ? (
        <TenantBadge tenant={target.tenant} />
      ) : (
        <p className="muted">
          Offline: {target.snapshot.tenantLabel}, {when(target.snapshot.createdAt)}
        </p>
      )}
      <h2 id={`${id}-title`}>{title}</h2>
      {!exportId || !status ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          {target.kind === 'tenant' ? (
            <fieldset>
              <legend>Which users</legend>
              <label className="inline">
                <input
                  type="radio"
                  name={`${id}-src`}
                  checked={source === 'query'}
                  onChange={() => setSource('query')}
                />
                {target.query.trim() ? (
                  <>
                    The users matching <code>{target.query}</code>
                  </>
                ) : (
                  'Every user (no query)'
                )}
                {target.total !== null && ` (${count(target.total)})`}
              </label>
              {target.selectedIds.length > 0 && (
                <label className="inline">
                  <input
                    type="radio"
                    name={`${id}-src`}
                    checked={source === 'selection'}
                    onChange={() => setSource('selection')}
                  />
                  The {count(target.selectedIds.length)} selected users
                </label>
              )}
              <label className="inline">
                <input
                  type="radio"
                  name={`${id}-src`}
                  checked={source === 'tenant'}
                  onChange={() => setSource('tenant')}
                />
                Every user of the tenant
              </label>
              {target.connections.length > 0 && (
                <div className="inline-choices">
                  <label className="inline">
                    <input
                      type="radio"
                      name={`${id}-src`}
                      checked={source === 'connection'}
                      onChange={() => setSource('connection')}
                    />
                    The users of one connection
                  </label>
                  <select
                    aria-label="Connection to export"
                    value={connectionId}
                    onChange={(e) => {
                      setConnectionId(e.target.value);
                      setSource('connection');
                    }}
                  >
                    {target.connections.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <p className="hint">
                Past 1,000 users Tenant Desk asks Auth0 for an export job (not on Auth0&rsquo;s Free plan)
                and, for a query, keeps the matching users itself with the tenant&rsquo;s own query rules.
              </p>
            </fieldset>
          ) : (
            <p>
              {target.query.trim() ? (
                <>
                  The users matching <code>{target.query}</code>
                </>
              ) : (
                'Every user of the snapshot'
              )}
              {target.total !== null && ` (${count(target.total)})`}.
            </p>
          )}

          <fieldset className="field-picker">
            <legend>Fields, and the name of each column</legend>
            <div className="field-rows">
              {rows.map((r, i) => (
                <div key={r.name} className="field-row-pick">
                  <label className="inline">
                    <input
                      type="checkbox"
                      checked={r.on}
                      onChange={(e) =>
                        setRows(rows.map((x, j) => (j === i ? { ...x, on: e.target.checked } : x)))
                      }
                    />
                    <code>{r.name}</code>
                  </label>
                  <input
                    aria-label={`Column name for ${r.name}`}
                    placeholder={r.name}
                    value={r.exportAs}
                    disabled={!r.on}
                    onChange={(e) =>
                      setRows(rows.map((x, j) => (j === i ? { ...x, exportAs: e.target.value } : x)))
                    }
                  />
                </div>
              ))}
            </div>
            <div className="inline-form">
              <label>
                Add a metadata field
                <input
                  value={custom}
                  onChange={(e) => setCustom(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      addCustom();
                    }
                  }}
                  placeholder="app_metadata.plan"
                  spellCheck={false}
                />
              </label>
              <button type="button" onClick={addCustom}>
                Add field
              </button>
            </div>
            <p className="hint">
              {count(fields.length, 'field')}
              {format === 'csv' && (fields.length > AUTH0_CSV_MAX_FIELDS || whole)
                ? ` — more than Auth0's CSV takes (${AUTH0_CSV_MAX_FIELDS} fields, no whole metadata): Tenant Desk asks for JSON and writes the CSV itself`
                : ''}
              .
            </p>
          </fieldset>

          <fieldset>
            <legend>Format</legend>
            <div className="inline-choices" role="radiogroup" aria-label="Format">
              {FORMATS.map((f) => (
                <label key={f.value} className="inline">
                  <input
                    type="radio"
                    name={`${id}-format`}
                    checked={format === f.value}
                    onChange={() => setFormat(f.value)}
                  />
                  {f.label} <span className="muted">({f.hint})</span>
                </label>
              ))}
            </div>
            {format === 'csv' && (
              <label className="inline">
                <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} />
                Start with a byte-order mark, so Excel reads accents and emoji right
              </label>
            )}
            {target.kind === 'tenant' && (
              <label className="inline">
                <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
                Keep these users as an offline snapshot (searchable and comparable without the tenant)
              </label>
            )}
            {target.kind === 'tenant' && (
              <label className="inline">
                <input type="checkbox" checked={withOrgs} onChange={(e) => setWithOrgs(e.target.checked)} />
                With each user&rsquo;s organizations and organization roles (read from every
                organization&rsquo;s members; a snapshot compare then says who joined or left one)
              </label>
            )}
            {target.kind === 'tenant' && (
              <label className="inline">
                <input type="checkbox" checked={withRoles} onChange={(e) => setWithRoles(e.target.checked)} />
                With each user&rsquo;s roles (read from every role&rsquo;s members; a snapshot compare then
                says who gained or lost one — an access review&rsquo;s first question)
              </label>
            )}
          </fieldset>
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="submit" className="primary">
              Export
            </button>
            <button type="button" onClick={onClose} data-autofocus>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <ExportProgress
          status={status}
          onSave={() => void save(status)}
          onRetry={() => void start()}
          onClose={onClose}
          error={error}
        />
      )}
    </Modal>
  );
}

function ExportProgress({
  status,
  onSave,
  onRetry,
  onClose,
  error,
}: {
  status: ExportStatus;
  onSave: () => void;
  /** Runs the same export again, with the same choices (a new export). */
  onRetry: () => void;
  onClose: () => void;
  error: ErrorEnvelope | null;
}) {
  const setView = useAppStore((s) => s.setView);
  const running = !finishedPhase(status);
  const failed = status.phase === 'failed';
  const percent =
    status.phase === 'pending' || status.phase === 'processing' ? (status.percentDone ?? 0) : null;
  const problem = status.error ?? error;
  return (
    <div className="export-progress">
      <p>{status.label}</p>
      <p
        role="status"
        className={`job-state status-${status.phase === 'completed' ? 'completed' : running ? 'running' : failed ? 'failed' : 'cancelled'}`}
      >
        <strong>{failed ? 'The export failed' : status.message}</strong>
        {status.users > 0 &&
          ` — ${count(status.users, 'user')} read${status.written !== status.users ? `, ${count(status.written)} kept` : ''}`}
        {percent !== null && ` — Auth0 ${percent} % done`}
        {status.timeLeftSeconds ? `, about ${duration(status.timeLeftSeconds)} left` : ''}
      </p>
      {running && (
        <div
          className="progress-bar"
          role="progressbar"
          aria-label="Export progress"
          aria-valuemin={0}
          aria-valuemax={100}
          {...(percent !== null ? { 'aria-valuenow': percent } : {})}
        >
          <span
            className={`progress-fill ${percent === null ? 'indeterminate' : ''}`}
            style={{ width: `${percent ?? 100}%` }}
          />
        </div>
      )}
      {/* How the file was made: only true of an export that made it (or is making it). */}
      {!failed && status.phase !== 'cancelled' && status.notes.length > 0 && (
        <ul className="export-notes">
          {status.notes.map((n) => (
            <li key={n}>{n}.</li>
          ))}
        </ul>
      )}
      {failed && !problem && (
        <p className="error" role="alert">
          Tenant Desk was not told why; retrying may work.
        </p>
      )}
      <ErrorMessage error={problem} />
      <div className="actions">
        {failed && (
          <button type="button" className="primary" onClick={onRetry} data-autofocus>
            Retry export
          </button>
        )}
        {running && (
          <>
            <button type="button" onClick={onClose}>
              Continue in the background
            </button>
            <button type="button" onClick={() => useExportsStore.getState().cancel(status.exportId)}>
              Cancel export
            </button>
          </>
        )}
        {status.file && (
          <button type="button" className="primary" onClick={onSave} data-autofocus>
            Save {status.file.filename} ({formatBytes(status.file.bytes)})
          </button>
        )}
        {status.snapshot && (
          <button
            type="button"
            onClick={async () => {
              onClose();
              setView('snapshots');
              await useSnapshotsStore.getState().load();
              useSnapshotsStore.getState().open(status.snapshot!.id);
            }}
          >
            Open the snapshot
          </button>
        )}
        {!running && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </div>
    </div>
  );
}
