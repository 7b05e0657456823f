// Every piece of long work of every kind and tenant — bulk jobs, imports, exports, exports of snapshots, snapshots
// opened from a file, comparisons — in one list with the same controls: what is under way (running, paused,
// interrupted) first, then what ended, newest first. Pause, resume and cancel act on any of them; a bulk job or an
// import opens in its own screen; results come as CSV where the kind has them.
import { useEffect, useId, useState } from 'react';
import {
  ENDED_TASK,
  TASK_KIND_WORDS,
  taskKinds,
  type ErrorEnvelope,
  type TaskKind,
  type TaskSummary,
} from '../../../../preload/contract';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { useTenantsStore } from '../tenants/store';
import { count, when } from '../../format';
import { hasOwnScreen, openTask } from './navigate';
import { useTasksStore } from './store';
import { TASK_STATUS_WORDS } from './words';

type Shown = 'all' | 'under-way' | 'ended';

const percentOf = (t: TaskSummary) =>
  t.progress.total ? Math.min(100, Math.floor((t.progress.done / t.progress.total) * 100)) : null;

export function TasksScreen() {
  const id = useId();
  const byId = useTasksStore((s) => s.byId);
  const listed = useTasksStore((s) => s.listed);
  const load = useTasksStore((s) => s.load);
  const [shown, setShown] = useState<Shown>('all');
  const [kind, setKind] = useState<TaskKind | ''>('');

  useEffect(() => {
    void load();
  }, [load]);

  const all = Object.values(byId);
  const underWay = (t: TaskSummary) => !ENDED_TASK.includes(t.status);
  const tasks = all
    .filter((t) => (!kind || t.kind === kind) && (shown === 'all' || (shown === 'under-way') === underWay(t)))
    .sort((a, b) => Number(underWay(b)) - Number(underWay(a)) || b.createdAt.localeCompare(a.createdAt));
  const running = all.filter(underWay).length;

  return (
    <section className="tasks-screen" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h1 id={`${id}-title`}>Tasks</h1>
        <p className="muted" role="status">
          {running === 0 ? 'Nothing under way' : `${count(running)} under way`} · {count(all.length, 'task')}{' '}
          in all (ended ones are kept 30 days)
        </p>
      </div>
      <div className="filters" role="group" aria-label="Which tasks">
        <div>
          {(
            [
              ['all', 'All'],
              ['under-way', 'Under way'],
              ['ended', 'Ended'],
            ] as [Shown, string][]
          ).map(([value, label]) => (
            <button
              key={value}
              type="button"
              className={`chip${shown === value ? ' current' : ''}`}
              aria-pressed={shown === value}
              onClick={() => setShown(value)}
            >
              {label}
            </button>
          ))}
        </div>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as TaskKind | '')}>
            <option value="">Every kind</option>
            {taskKinds.map((k) => (
              <option key={k} value={k}>
                {TASK_KIND_WORDS[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SectionState value={listed} what="the tasks" retry={() => void load()}>
        {() =>
          tasks.length === 0 ? (
            <p className="muted">
              {all.length === 0
                ? 'No long work has run yet: bulk edits, imports, exports, snapshots and comparisons appear here.'
                : 'No task matches.'}
            </p>
          ) : (
            <ul className="task-list" aria-label="Tasks">
              {tasks.map((t) => (
                <TaskRow key={t.id} task={t} />
              ))}
            </ul>
          )
        }
      </SectionState>
    </section>
  );
}

function TaskRow({ task: t }: { task: TaskSummary }) {
  const id = useId();
  const tenant = useTenantsStore((s) => s.tenants.find((x) => x.id === t.tenantId));
  const control = useTasksStore((s) => s.control);
  const results = useTasksStore((s) => s.results);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [busy, setBusy] = useState(false);
  const percent = percentOf(t);
  const act = async (action: 'pause' | 'resume' | 'cancel') => {
    setBusy(true);
    const r = await control(t.id, action);
    setBusy(false);
    setError(r.ok ? null : r.error);
  };
  return (
    <li className={`task-row status-row-${t.status}`} aria-labelledby={`${id}-label`}>
      <div className="task-head">
        <span className="task-kind">{TASK_KIND_WORDS[t.kind]}</span>
        <span id={`${id}-label`} className="task-label" title={t.label}>
          {t.label}
        </span>
        <span className={`job-status status-${t.status}`}>{TASK_STATUS_WORDS[t.status]}</span>
      </div>
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={`${t.label}: progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { 'aria-valuenow': percent } : {})}
        aria-valuetext={t.progress.words}
      >
        <span
          className={`progress-fill status-${t.status}${percent === null && t.status === 'running' ? ' indeterminate' : ''}`}
          style={{ width: `${percent ?? (t.status === 'completed' || t.status === 'running' ? 100 : 0)}%` }}
        />
      </div>
      <p className="task-meta muted">
        {t.progress.total !== null
          ? `${count(t.progress.done)} of ${count(t.progress.total)} ${t.progress.unit}`
          : `${count(t.progress.done)} ${t.progress.unit}`}
        {t.progress.words ? ` · ${t.progress.words}` : ''} ·{' '}
        {tenant ? tenant.label : t.tenantDomain ? t.tenantDomain : 'no tenant'} · started {when(t.createdAt)}
        {t.finishedAt ? ` · ended ${when(t.finishedAt)}` : ''}
      </p>
      {t.reason && t.status !== 'completed' && (
        <p className={t.status === 'failed' ? 'error-text' : 'notice'} role="note">
          {t.reason}
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        {t.can.pause && (
          <button type="button" disabled={busy} onClick={() => void act('pause')}>
            Pause
          </button>
        )}
        {t.can.resume && (
          <button type="button" className="primary" disabled={busy} onClick={() => void act('resume')}>
            Resume
          </button>
        )}
        {t.can.cancel && (
          <button type="button" disabled={busy} onClick={() => void act('cancel')}>
            Cancel
          </button>
        )}
        {t.can.results && (
          <button type="button" onClick={async () => setError(await results(t.id))}>
            Results as CSV
          </button>
        )}
        {hasOwnScreen(t) && (
          <button type="button" onClick={() => openTask(t)}>
            Open
          </button>
        )}
      </div>
    </li>
  );
}
