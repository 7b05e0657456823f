// Where a task is looked at in detail: a bulk job on its tenant's Bulk edits screen, an import on its Imports
// screen; every other kind on the Tasks screen.
import type { TaskSummary } from '../../../../preload/contract';
import { useAppStore } from '../../stores/app';
import { useJobsStore } from '../bulk/jobs-store';
import { useImportsStore } from '../imports/store';

export function openTask(task: TaskSummary): void {
  const app = useAppStore.getState();
  if (task.kind === 'bulk' && task.tenantId) {
    app.requestSwitch(task.tenantId, 'bulk');
    useJobsStore.getState().open(task.id);
    requestAnimationFrame(() => document.getElementById('job-detail-title')?.focus());
  } else if (task.kind === 'import' && task.tenantId) {
    app.requestSwitch(task.tenantId, 'imports');
    useImportsStore.getState().open(task.tenantId, task.id);
  } else app.setView('tasks');
}

/** Whether a task has a screen of its own besides Tasks. */
export const hasOwnScreen = (task: TaskSummary) =>
  (task.kind === 'bulk' || task.kind === 'import') && !!task.tenantId;
