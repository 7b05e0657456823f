import { useEffect, useId, useState } from 'react';
import {
  DEFAULT_INACTIVE_DAYS,
  REVIEW_HTML_ROWS,
  type AccessReviewSummary,
  type ErrorEnvelope,
  type ReviewFormat,
  type SnapshotSummary,
} from '../../../../preload/contract';
import { finishedPhase, useExportStatus, useExportsStore } from '../exports/store';
import { useTasksStore } from '../tasks/store';
import { useSnapshotsStore } from './store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Modal } from '../../ui/Modal';
import { count, formatBytes, when } from '../../format';

const FORMATS: { value: ReviewFormat; label: string; hint: string }[] = [
  { value: 'xlsx', label: 'XLSX', hint: 'one sheet per section, every row' },
  {
    value: 'html',
    label: 'Printable page (HTML)',
    hint: `up to ${count(REVIEW_HTML_ROWS)} rows a table; print it to PDF from the browser`,
  },
];

/**
 * The access review report of a snapshot: who holds each role (or the privileged ones), flagged accounts, what
 * changed since a previous snapshot — as XLSX or a printable page. Offline: only snapshots are read.
 */
export function ReviewDialog({ onClose }: { onClose: () => void }) {
  const list = useSnapshotsStore((s) => s.list);
  const snapshots = list.state === 'ready' ? list.data : [];
  return list.state !== 'ready' ? null : <ReviewForm snapshots={snapshots} onClose={onClose} />;
}

function ReviewForm({ snapshots, onClose }: { snapshots: SnapshotSummary[]; onClose: () => void }) {
  const id = useId();
  const asked = useSnapshotsStore((s) => s.review?.snapshotId ?? null);
  const [snapshotId, setSnapshotId] = useState(asked ?? snapshots[0]?.id ?? '');
  const current = snapshots.find((s) => s.id === snapshotId);
  // By default the snapshot before it of the same tenant.
  const olderOf = (s: SnapshotSummary | undefined) =>
    snapshots.find(
      (x) => s && x.id !== s.id && x.tenantDomain === s.tenantDomain && x.createdAt < s.createdAt,
    )?.id ?? '';
  const [previousId, setPreviousId] = useState(() => olderOf(current));
  const [roles, setRoles] = useState('');
  const [days, setDays] = useState(String(DEFAULT_INACTIVE_DAYS));
  const [format, setFormat] = useState<ReviewFormat>('xlsx');
  const [reviewId, setReviewId] = useState<string | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [starting, setStarting] = useState(false);
  const status = useExportStatus(reviewId);
  const review = useTasksStore((s) => {
    const d = reviewId ? s.byId[reviewId]?.detail : undefined;
    return d?.kind === 'access-review' ? d.review : undefined;
  });
  const watch = useExportsStore((s) => s.watch);
  useEffect(() => {
    if (!reviewId) return;
    watch(reviewId, true);
    return () => watch(reviewId, false);
  }, [reviewId, watch]);

  const daysNumber = Number(days);
  const daysProblem =
    !/^\d+$/.test(days.trim()) || daysNumber < 1 || daysNumber > 3650
      ? 'Inactive days is a whole number from 1 to 3650.'
      : null;
  const roleList = roles
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);

  const start = async () => {
    if (!current || daysProblem) return;
    setError(null);
    setStarting(true);
    const r = await useSnapshotsStore.getState().startReview({
      snapshotId: current.id,
      ...(previousId ? { previousId } : {}),
      roles: roleList,
      inactiveDays: daysNumber,
      format,
    });
    setStarting(false);
    if (!r.ok) return setError(r.error);
    setReviewId(r.data.exportId);
  };

  const label = (s: SnapshotSummary) => `${s.tenantLabel} — ${when(s.createdAt)} (${count(s.count)} users)`;
  const running = !!status && !finishedPhase(status);
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} busy={starting} className="review-dialog">
      <h2 id={`${id}-title`}>Access review report</h2>
      {!reviewId ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <p className="muted">
            Who holds each role, with their last login, email verification and blocking; accounts to look at;
            and what changed since an earlier snapshot. Read from the snapshots on this computer: the tenant
            is not asked anything.
          </p>
          {snapshots.length === 0 ? (
            <p className="empty">
              No snapshot yet. Export the users of a tenant with &ldquo;Keep these users as an offline
              snapshot&rdquo; and &ldquo;With each user&rsquo;s roles&rdquo; first.
            </p>
          ) : (
            <>
              <label>
                Snapshot to review
                <select
                  value={snapshotId}
                  onChange={(e) => {
                    setSnapshotId(e.target.value);
                    setPreviousId(olderOf(snapshots.find((s) => s.id === e.target.value)));
                  }}
                >
                  {snapshots.map((s) => (
                    <option key={s.id} value={s.id}>
                      {label(s)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Changes since (a previous snapshot)
                <select value={previousId} onChange={(e) => setPreviousId(e.target.value)}>
                  <option value="">None: no changes section</option>
                  {snapshots
                    .filter((s) => s.id !== snapshotId)
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {label(s)}
                      </option>
                    ))}
                </select>
              </label>
              <label>
                Privileged roles (comma-separated; empty: every role held)
                <input
                  value={roles}
                  onChange={(e) => setRoles(e.target.value)}
                  placeholder="Admin, Billing"
                  aria-describedby={`${id}-roles-hint`}
                />
              </label>
              <p className="hint" id={`${id}-roles-hint`}>
                With roles named, role holders and flags cover only their holders, and changes only theirs.
                Role names are as in the tenant (case counts).
              </p>
              <label>
                Inactive after (days without a login before the snapshot was taken)
                <input
                  type="number"
                  min={1}
                  max={3650}
                  value={days}
                  onChange={(e) => setDays(e.target.value)}
                  aria-invalid={daysProblem ? true : undefined}
                />
              </label>
              {daysProblem && <p className="error">{daysProblem}</p>}
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
              </fieldset>
            </>
          )}
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={!current || !!daysProblem || starting}>
              Make the report
            </button>
            <button type="button" onClick={onClose} data-autofocus>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="export-progress">
          <p>{status?.label ?? 'Access review report'}</p>
          <p
            role="status"
            className={`job-state status-${!status || running ? 'running' : status.phase === 'completed' ? 'completed' : status.phase === 'failed' ? 'failed' : 'cancelled'}`}
          >
            <strong>
              {status?.phase === 'failed' ? 'The report failed' : (status?.message ?? 'Starting')}
            </strong>
            {running && status.percentDone !== null && ` — ${status.percentDone} %`}
          </p>
          {running && (
            <div
              className="progress-bar"
              role="progressbar"
              aria-label="Report progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={status.percentDone ?? 0}
            >
              <span className="progress-fill" style={{ width: `${status.percentDone ?? 0}%` }} />
            </div>
          )}
          {review && status?.phase === 'completed' && <ReviewSummary review={review} />}
          <ErrorMessage error={status?.error ?? null} />
          <div className="actions">
            {running && (
              <button type="button" onClick={() => useExportsStore.getState().cancel(status.exportId)}>
                Cancel report
              </button>
            )}
            {status?.file && (
              <button
                type="button"
                className="primary"
                data-autofocus
                onClick={async () => setError(await useExportsStore.getState().save(status.file!))}
              >
                Save {status.file.filename} ({formatBytes(status.file.bytes)})
              </button>
            )}
            {!running && (
              <button type="button" onClick={onClose}>
                Close
              </button>
            )}
          </div>
          <ErrorMessage error={error} />
        </div>
      )}
    </Modal>
  );
}

function ReviewSummary({ review: r }: { review: AccessReviewSummary }) {
  return (
    <div className="review-summary">
      {r.warnings.map((w) => (
        <p key={w} className="notice" role="note">
          {w}
        </p>
      ))}
      <ul>
        <li>
          {r.snapshot.withRoles
            ? `${count(r.holders, 'account')} holding ${r.privilegedOnly ? 'a privileged role' : 'a role'} (${count(r.roles.length, 'role')} reviewed)`
            : 'No roles in this snapshot'}
        </li>
        <li>
          {count(r.flags.accounts, 'flagged account')}: {count(r.flags.inactive)} inactive,{' '}
          {count(r.flags.neverLoggedIn)} never logged in, {count(r.flags.unverified)} unverified,{' '}
          {count(r.flags.blocked)} blocked
        </li>
        {r.changes && (
          <li>
            Since the previous snapshot: {count(r.changes.gainedRole, 'role')} gained,{' '}
            {count(r.changes.lostRole)} lost; {count(r.changes.joinedOrganization, 'organization')} joined,{' '}
            {count(r.changes.leftOrganization)} left; {count(r.changes.added, 'user')} added,{' '}
            {count(r.changes.removed)} removed
          </li>
        )}
      </ul>
    </div>
  );
}
