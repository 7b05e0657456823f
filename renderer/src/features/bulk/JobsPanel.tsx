import { useEffect, useId, useState } from 'react';
import { NoUsersRow, UserCell } from '../../ui/UserCell';
import { Pager } from '../../ui/Pager';
import type { ErrorEnvelope, JobItemState, JobSummary, TenantProfile } from '../../../../preload/contract';
import { fromResult } from '../../async';
import { newPlanId, useBulkStore } from './store';
import { PAGE, finishedPace, finishedUsers, limitWords, useJobsStore } from './jobs-store';
import { jobsOf, useTasksStore } from '../tasks/store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { StateView } from '../../ui/StateView';
import { count, duration, when } from '../../format';
import { TASK_STATUS_WORDS as STATUS_WORDS } from '../tasks/words';

const STATE_WORDS: Record<JobItemState, string> = {
  planned: 'Not yet sent',
  sent: 'Sent, outcome being read',
  done: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
  unknown: 'Unknown — not resent',
  cancelled: 'Cancelled',
};

const finished = finishedUsers;
const live = (j: JobSummary) => j.status === 'running' || j.status === 'paused' || j.status === 'interrupted';

/** The tenant's jobs, newest first, each kept current by main's progress events; choosing one opens it. */
export function JobsPanel({ tenant }: { tenant: TenantProfile }) {
  const load = useTasksStore((s) => s.load);
  const listed = useTasksStore((s) => s.listed);
  const all = useTasksStore((s) => s.byId);
  const openId = useJobsStore((s) => s.openId);
  const open = useJobsStore((s) => s.open);
  const jobs = jobsOf(all, tenant.id);

  useEffect(() => {
    void load();
  }, [load, tenant.id]);

  return (
    <section className="jobs-panel" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs on this tenant</h2>
      <SectionState value={listed} what="the jobs" retry={() => void load()}>
        {() =>
          jobs.length === 0 ? (
            <p className="muted">No bulk edit has run on this tenant yet.</p>
          ) : (
            <ul className="job-list">
              {jobs.map((j) => (
                <li key={j.id} className={j.id === openId ? 'current' : undefined}>
                  <button
                    type="button"
                    className="job-row"
                    aria-current={j.id === openId ? 'true' : undefined}
                    onClick={() => open(j.id === openId ? null : j.id)}
                  >
                    <span className="job-row-label">{j.changeLabel}</span>
                    <span className={`job-status status-${j.status}`}>{STATUS_WORDS[j.status]}</span>
                    <span className="muted">
                      {count(finished(j))} of {count(j.counts.total)}
                      {j.counts.failed ? ` · ${count(j.counts.failed)} failed` : ''} · {when(j.createdAt)}
                      {j.undoOf ? ' · undo' : j.retryOf ? ' · retry' : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </SectionState>
    </section>
  );
}

/** The job open on this tenant, if any. */
export function OpenJob({ tenant }: { tenant: TenantProfile }) {
  const openId = useJobsStore((s) => s.openId);
  const task = useTasksStore((s) => (openId ? s.byId[openId] : undefined));
  const job = task?.detail.kind === 'bulk' ? task.detail.job : undefined;
  if (!job || job.tenantId !== tenant.id) return null;
  return <JobDetail tenant={tenant} job={job} />;
}

/** One job: progress, pace and time left, pause / resume / cancel, per-user outcomes, retry, undo and export. */
function JobDetail({ tenant, job }: { tenant: TenantProfile; job: JobSummary }) {
  const id = useId();
  const items = useJobsStore((s) => s.items);
  const filter = useJobsStore((s) => s.filter);
  const offset = useJobsStore((s) => s.offset);
  const setFilter = useJobsStore((s) => s.setFilter);
  const setOffset = useJobsStore((s) => s.setOffset);
  const loadItems = useJobsStore((s) => s.loadItems);
  const controlJob = useTasksStore((s) => s.control);
  const planFromJob = useJobsStore((s) => s.planFrom);
  const exportResults = useTasksStore((s) => s.results);
  const open = useJobsStore((s) => s.open);
  const show = useBulkStore((s) => s.show);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { counts } = job;
  const done = finished(job);
  const percent = counts.total ? Math.floor((done / counts.total) * 100) : 100;
  const pace = finishedPace(job);

  const control = async (action: 'pause' | 'resume' | 'cancel') => {
    setBusy(action);
    const r = await controlJob(job.id, action);
    setBusy(null);
    setError(r.ok ? null : r.error);
  };

  /** A plan made from this job (its failed users again, or its inverse) goes to the preview above for review. */
  const planFrom = async (channel: 'jobs:retry-plan' | 'jobs:undo-plan') => {
    setBusy(channel);
    const planId = newPlanId();
    show(tenant.id, planId, { state: 'loading' });
    const r = await planFromJob(channel, job.id, planId);
    setBusy(null);
    if (useBulkStore.getState().of(tenant.id).planId !== planId) return;
    show(tenant.id, planId, fromResult(r));
    if (r.ok) requestAnimationFrame(() => document.getElementById('plan-title')?.focus());
  };

  return (
    <section className="job-detail" aria-labelledby="job-detail-title">
      <div className="job-detail-head">
        <h2 id="job-detail-title" tabIndex={-1}>
          {job.changeLabel}
        </h2>
        <button type="button" aria-label="Close job" onClick={() => open(null)}>
          Close
        </button>
      </div>
      <p className="muted">
        {job.sourceLabel} · started {when(job.createdAt)}
        {job.finishedAt ? ` · finished ${when(job.finishedAt)}` : ''}
        {pace && !live(job) && <span className="job-pace"> · {pace}</span>}
      </p>
      <p role="status" className={`job-state status-${job.status}`}>
        <strong>{STATUS_WORDS[job.status]}</strong>
        {job.pausedReason && job.status !== 'running' ? ` — ${job.pausedReason}` : ''}
      </p>
      <div
        className="progress-bar"
        role="progressbar"
        aria-label="Users finished"
        aria-valuemin={0}
        aria-valuemax={counts.total}
        aria-valuenow={done}
        aria-valuetext={`${count(done)} of ${count(counts.total)} users (${percent} %)`}
      >
        <span className={`progress-fill status-${job.status}`} style={{ width: `${percent}%` }} />
      </div>
      <dl className="job-counts">
        <div>
          <dt>Done</dt>
          <dd>{count(counts.done)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{count(counts.skipped)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd className={counts.failed ? 'bad' : undefined}>{count(counts.failed)}</dd>
        </div>
        {counts.unknown > 0 && (
          <div>
            <dt>Unknown</dt>
            <dd className="bad">{count(counts.unknown)}</dd>
          </div>
        )}
        {counts.cancelled > 0 && (
          <div>
            <dt>Cancelled</dt>
            <dd>{count(counts.cancelled)}</dd>
          </div>
        )}
        <div>
          <dt>Remaining</dt>
          <dd>{count(counts.remaining)}</dd>
        </div>
        {job.status === 'running' && (
          <>
            <div>
              <dt>Pace</dt>
              <dd>{job.rps !== undefined ? `${job.rps.toFixed(1)} req/s` : '—'}</dd>
            </div>
            <div>
              <dt>Time left</dt>
              <dd>{job.etaSeconds !== undefined ? `about ${duration(job.etaSeconds)}` : '—'}</dd>
            </div>
            <div>
              <dt>Tenant&rsquo;s limit</dt>
              <dd title="As Auth0's x-ratelimit-* headers report it; jobs pace themselves under it">
                {limitWords(job.tenantLimit)}
              </dd>
            </div>
          </>
        )}
      </dl>
      {counts.unknown > 0 && (
        <p className="notice" role="note">
          {count(counts.unknown)} users were sent this change just before Tenant Desk stopped, and it
          can&rsquo;t be read back (an email or a link): they were not sent it again. Filter by
          &ldquo;Unknown&rdquo; to see who.
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        {job.status === 'running' && (
          <button type="button" disabled={!!busy} onClick={() => void control('pause')}>
            Pause
          </button>
        )}
        {(job.status === 'paused' || job.status === 'interrupted') && (
          <button type="button" className="primary" disabled={!!busy} onClick={() => void control('resume')}>
            Resume
          </button>
        )}
        {live(job) && (
          <button type="button" disabled={!!busy} onClick={() => void control('cancel')}>
            Cancel the rest
          </button>
        )}
        {!live(job) && counts.failed > 0 && (
          <button type="button" disabled={!!busy} onClick={() => void planFrom('jobs:retry-plan')}>
            Retry the {count(counts.failed)} failed…
          </button>
        )}
        {!live(job) && job.undoable && counts.done > 0 && (
          <button type="button" disabled={!!busy} onClick={() => void planFrom('jobs:undo-plan')}>
            Undo…
          </button>
        )}
        <button
          type="button"
          disabled={!!busy}
          onClick={async () => {
            const failed = await exportResults(job.id);
            if (failed) setError(failed);
          }}
        >
          Export results as CSV
        </button>
      </div>
      {!live(job) && !job.undoable && <p className="hint">This change can&rsquo;t be undone.</p>}

      <h3>Per-user outcomes</h3>
      <label className="inline-filter">
        Show
        <select
          id={`${id}-filter`}
          value={filter}
          onChange={(e) => setFilter(e.target.value as JobItemState | '')}
        >
          <option value="">Every user</option>
          {(['failed', 'done', 'skipped', 'unknown', 'cancelled', 'planned'] as const).map((s) => (
            <option key={s} value={s}>
              {STATE_WORDS[s]}
            </option>
          ))}
        </select>
      </label>
      <SectionState value={items} what="the outcomes" retry={() => void loadItems()}>
        {({ items: rows, total }) => (
          <>
            <table className="plan-table">
              <caption className="visually-hidden">Per-user outcomes</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.index}>
                    <UserCell email={row.email} userId={row.userId} />
                    <td>
                      <span className={`outcome outcome-${row.state}`}>{STATE_WORDS[row.state]}</span>
                      {row.error && (
                        // Why a user was skipped is a note; why one failed or is unknown, a problem.
                        <div className={row.state === 'skipped' ? 'outcome-note' : 'outcome-error'}>
                          {row.error}
                        </div>
                      )}
                    </td>
                    <td>
                      <StateView value={row.before} roleNames={job.roleNames} />
                    </td>
                    <td>
                      <StateView value={row.after} roleNames={job.roleNames} />
                    </td>
                  </tr>
                ))}
                {rows.length === 0 && <NoUsersRow columns={4} />}
              </tbody>
            </table>
            <Pager offset={offset} page={PAGE} total={total} onOffset={setOffset} />
          </>
        )}
      </SectionState>
    </section>
  );
}
