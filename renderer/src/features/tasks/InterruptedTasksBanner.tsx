import { useState } from 'react';
import type { ErrorEnvelope, TaskSummary } from '../../../../preload/contract';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useTenantsStore } from '../tenants/store';
import { count } from '../../format';
import { hasOwnScreen, openTask } from './navigate';
import { kindWords, useTasksStore } from './store';

/**
 * Work of every kind that was running when Tenant Desk last stopped — bulk jobs, imports, exports, snapshots opened
 * from a file, comparisons — offered for resume in one place, wherever the window is: a paragraph each, with
 * "Resume" (at once), "Review and resume" (its own screen first) and "Later" (hidden until the next start). Work of a
 * tenant no longer set up is not offered.
 */
export function InterruptedTasksBanner() {
  const byId = useTasksStore((s) => s.byId);
  const control = useTasksStore((s) => s.control);
  const tenants = useTenantsStore((s) => s.tenants);
  const [dismissed, setDismissed] = useState<Record<string, true>>({});
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const waiting = Object.values(byId)
    .filter((t) => t.status === 'interrupted' && !dismissed[t.id])
    .flatMap((task) => {
      const tenant = task.tenantId ? tenants.find((t) => t.id === task.tenantId) : null;
      return tenant === undefined ? [] : [{ task, tenant }];
    })
    .sort((a, b) => a.task.createdAt.localeCompare(b.task.createdAt));
  if (waiting.length === 0) return null;
  const progress = (t: TaskSummary) =>
    t.progress.total !== null
      ? `${count(t.progress.done)} of ${count(t.progress.total)} ${t.progress.unit} done`
      : `${count(t.progress.done)} ${t.progress.unit} so far`;
  return (
    <div className="banner warning" role="region" aria-label="Interrupted work">
      {waiting.map(({ task, tenant }) => (
        <p key={task.id}>
          <strong>
            {kindWords(task)}
            {tenant ? ` on ${tenant.label}` : ''} was interrupted when Tenant Desk stopped:
          </strong>{' '}
          {task.label}, {progress(task)}. Nothing was lost; resuming reads back what was under way first and
          does nothing twice.{' '}
          <button
            type="button"
            className="primary"
            onClick={async () => {
              const r = await control(task.id, 'resume');
              setError(r.ok ? null : r.error);
            }}
          >
            Resume
          </button>{' '}
          {hasOwnScreen(task) && (
            <>
              <button type="button" onClick={() => openTask(task)}>
                Review and resume
              </button>{' '}
            </>
          )}
          <button type="button" onClick={() => setDismissed((d) => ({ ...d, [task.id]: true }))}>
            Later
          </button>
        </p>
      ))}
      <ErrorMessage error={error} />
    </div>
  );
}
