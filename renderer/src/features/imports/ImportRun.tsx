// An import as it runs and once it ran: each chunk (its state, Auth0's job id, its counts), the totals, Cancel, and the
// rows Auth0 refused with its error code — paged, and downloadable as CSV.
import { useEffect, useId, useState } from 'react';
import type {
  ErrorEnvelope,
  ImportChunkState,
  ImportFailure,
  ImportSummary,
  TenantProfile,
} from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { useAppStore } from '../../stores/app';
import { useImportsStore } from './store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Pager } from '../../ui/Pager';
import { SectionState } from '../../ui/SectionState';
import { count, formatBytes } from '../../format';
import { TASK_STATUS_WORDS as STATUS_WORDS } from '../tasks/words';

const FAILURES_PAGE = 50;

const CHUNK_WORDS: Record<ImportChunkState, string> = {
  waiting: 'Waiting',
  sending: 'Sending',
  pending: 'Queued at Auth0',
  processing: 'Auth0 is importing',
  completed: 'Completed',
  failed: 'Failed',
  unknown: 'Unknown — check the tenant',
};

export function ImportRun({ tenant, summary: s }: { tenant: TenantProfile; summary: ImportSummary }) {
  const id = useId();
  const store = useImportsStore();
  const toast = useAppStore((st) => st.toast);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [busy, setBusy] = useState(false);
  const running = s.status === 'running';
  const done = s.chunks.filter((c) => c.state === 'completed' || c.state === 'failed').length;

  useEffect(() => {
    // Opened: read it once, in case progress events were missed while the screen was elsewhere.
    void store.refresh(s.importId).then((err) => err && setError(err));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s.importId]);

  return (
    <section className="job-detail import-run" aria-labelledby={`${id}-title`}>
      <div className="job-detail-head">
        <div>
          <h2 id={`${id}-title`} tabIndex={-1}>
            {s.fileName} → {s.connectionName}
          </h2>
          <p className="muted">
            {count(s.rows)} rows in {count(s.chunks.length, 'chunk')}
            {s.upsert ? ' · upsert' : ''}
            {s.sendCompletionEmail ? ' · completion email' : ''}
          </p>
        </div>
        <span className={`job-status status-${s.status}`} role="status">
          {STATUS_WORDS[s.status]}
          {running ? ` · ${count(done)} of ${count(s.chunks.length)} chunks finished` : ''}
        </span>
      </div>
      <div
        className="progress-bar"
        role="progressbar"
        aria-label="Chunks finished"
        aria-valuemin={0}
        aria-valuemax={s.chunks.length}
        aria-valuenow={done}
      >
        <span
          className={`progress-fill status-${s.status}`}
          style={{ width: `${s.chunks.length ? (done / s.chunks.length) * 100 : 100}%` }}
        />
      </div>
      <dl className="job-counts" aria-label="Totals">
        <div>
          <dt>Inserted</dt>
          <dd>{count(s.counts.inserted)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{count(s.counts.updated)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd className={s.counts.failed ? 'bad' : undefined}>{count(s.counts.failed)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{count(s.counts.total)}</dd>
        </div>
      </dl>
      {s.message && (
        <p className={s.status === 'completed' ? 'hint' : 'notice'} role="note">
          {s.message}
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        {running && (
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const err = await store.cancel(s.importId);
              setBusy(false);
              if (err) setError(err);
              else toast('info', `Import of ${s.fileName}: chunks not yet sent will not be sent`);
            }}
          >
            Cancel the rest
          </button>
        )}
        {running && (
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const err = await store.pause(s.importId);
              setBusy(false);
              if (err) setError(err);
            }}
          >
            Pause
          </button>
        )}
        {(s.status === 'interrupted' || s.status === 'paused') && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const err = await store.resume(s.importId);
              setBusy(false);
              if (err) setError(err);
            }}
          >
            Resume
          </button>
        )}
        <button type="button" onClick={() => store.open(tenant.id, null)}>
          Close
        </button>
      </div>
      {running && (
        <p className="hint">Cancelling sends no further chunk; Auth0 finishes the jobs it already has.</p>
      )}
      {s.status === 'interrupted' && (
        <p className="notice" role="note">
          Tenant Desk stopped while this import ran. Resuming follows up the chunks Auth0 has and sends the
          rest; a chunk that was being sent is not sent again (its rows are marked unknown: check them on the
          tenant).
        </p>
      )}

      <h3>Chunks</h3>
      <table className="plan-table chunk-table">
        <caption className="visually-hidden">Chunks of the import</caption>
        <thead>
          <tr>
            <th scope="col">Chunk</th>
            <th scope="col">Rows</th>
            <th scope="col">Size</th>
            <th scope="col">State</th>
            <th scope="col">Auth0 job</th>
            <th scope="col">Inserted · updated · failed</th>
          </tr>
        </thead>
        <tbody>
          {s.chunks.map((c) => (
            <tr key={c.index}>
              <td className="num">{count(c.index + 1)}</td>
              <td>
                {count(c.firstRow)}–{count(c.lastRow)} <span className="muted">({count(c.rows)})</span>
              </td>
              <td className="num">{formatBytes(c.bytes)}</td>
              <td>
                <span className={`outcome outcome-${c.state === 'completed' ? 'done' : c.state}`}>
                  {CHUNK_WORDS[c.state]}
                </span>
                {c.error && <div className="outcome-error">{c.error}</div>}
              </td>
              <td className="mono">{c.jobId ?? ''}</td>
              <td>
                {c.summary
                  ? `${count(c.summary.inserted)} · ${count(c.summary.updated)} · ${count(c.summary.failed)}`
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(s.counts.failed > 0 || !running) && <Failures summary={s} />}
    </section>
  );
}

/** The rows Auth0 refused, with its error code, a page at a time; the whole list as CSV. */
function Failures({ summary: s }: { summary: ImportSummary }) {
  const [offset, setOffset] = useState(0);
  const [attempt, setAttempt] = useState(0);
  // The answer for one page (and attempt, and count of failures so far); another shows "loading" until its own.
  const key = `${s.importId}:${offset}:${attempt}:${s.counts.failed}`;
  const [answer, setAnswer] = useState<{
    key: string;
    value: Async<{ items: ImportFailure[]; total: number }>;
  } | null>(null);
  const failures = answer?.key === key ? answer.value : loading;
  const [error, setError] = useState<ErrorEnvelope | null>(null);

  useEffect(() => {
    let live = true;
    void useImportsStore
      .getState()
      .failures(s.importId, offset, FAILURES_PAGE)
      .then((r) => live && setAnswer({ key, value: fromResult(r) }));
    return () => {
      live = false;
    };
  }, [s.importId, offset, key]);

  return (
    <div className="import-failures">
      <div className="section-title">
        <h3>Rows Auth0 refused</h3>
        <button
          type="button"
          disabled={s.counts.failed === 0}
          onClick={async () => {
            setError(null);
            setError(await useImportsStore.getState().exportFailures(s.importId));
          }}
        >
          Download failed rows as CSV
        </button>
      </div>
      <ErrorMessage error={error} />
      <SectionState value={failures} what="the failed rows" retry={() => setAttempt((a) => a + 1)}>
        {({ items, total }) =>
          total === 0 ? (
            <p className="muted">No row was refused.</p>
          ) : (
            <>
              <table className="plan-table">
                <caption className="visually-hidden">Rows Auth0 refused</caption>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">User</th>
                    <th scope="col">Auth0&rsquo;s code</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((f, i) => (
                    <tr key={`${f.chunk}-${f.row ?? 'x'}-${i}`}>
                      <td className="num">{f.row === null ? '—' : count(f.row)}</td>
                      <td>{f.email ?? ''}</td>
                      <td>
                        <code>{f.code}</code>
                      </td>
                      <td>
                        {f.message}
                        {f.path && <div className="muted mono">{f.path}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager offset={offset} page={FAILURES_PAGE} total={total} onOffset={setOffset} />
            </>
          )
        }
      </SectionState>
    </div>
  );
}
