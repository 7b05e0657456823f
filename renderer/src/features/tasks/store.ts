// Long work of every kind as the window knows it — bulk jobs, imports, exports, snapshots opened from files,
// comparisons — in one store: every task's latest summary (from tasks:list at start, then main's task:progress
// events), and the same controls for all (pause, resume, cancel, results). Feature screens read their kind from here
// (`jobsOf`, `importsOf`, `exportStatus`); how a task that ends while its screen is elsewhere says so is here too.
import { create } from 'zustand';
import {
  ENDED_TASK,
  TASK_KIND_WORDS,
  type ErrorEnvelope,
  type ExportStatus,
  type ImportSummary,
  type JobSummary,
  type Result,
  type TaskSummary,
} from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { useAppStore } from '../../stores/app';
import { saveAndTell, saveDownload } from '../../stores/downloads';

interface TasksState {
  byId: Record<string, TaskSummary>;
  listed: Async<true>;
  /** Exports whose dialog is open: the dialog says how they end (others get a toast and offer their file). */
  watched: Record<string, true>;
  /** Every task of every tenant, as main has them now. */
  load(): Promise<void>;
  /** One task asked for again (after it was started: the event may come later). */
  refresh(taskId: string): Promise<ErrorEnvelope | null>;
  onProgress(task: TaskSummary): void;
  control(taskId: string, action: 'pause' | 'resume' | 'cancel'): Promise<Result<TaskSummary>>;
  /** The task's results as CSV, saved; the error, or null. */
  results(taskId: string): Promise<ErrorEnvelope | null>;
  watch(taskId: string, on: boolean): void;
}

const ended = (t: TaskSummary) => ENDED_TASK.includes(t.status);

/** How a task that ended is announced when its own screen isn't saying it. */
function announce(task: TaskSummary, watched: boolean): void {
  const app = useAppStore.getState();
  const detail = task.detail;
  if (detail.kind === 'import') {
    const i = detail.import;
    app.toast(
      task.status === 'completed' && i.counts.failed === 0 ? 'success' : 'error',
      `Import of ${i.fileName} into ${i.tenantDomain} ${task.status}: ${i.counts.inserted.toLocaleString('en')} inserted, ${i.counts.updated.toLocaleString('en')} updated, ${i.counts.failed.toLocaleString('en')} failed`,
    );
    return;
  }
  if ('export' in detail) {
    // An export left to run in the background offers its file itself when done, and says how it ended.
    if (watched) return;
    const status = detail.export;
    if (status.phase === 'failed')
      app.toast('error', `${status.label}: ${status.error?.message ?? 'failed'}`);
    if (status.phase === 'completed') {
      app.toast('success', `${status.label}: ready`);
      if (status.file)
        void saveDownload(status.file).then((saved) =>
          saved.ok
            ? saved.message && app.toast('info', saved.message)
            : app.toast('error', saved.error.message),
        );
    }
  }
}

export const useTasksStore = create<TasksState>((set, get) => ({
  byId: {},
  listed: loading,
  watched: {},
  async load() {
    const r = await bridge.invoke('tasks:list', {});
    if (r.ok) set((s) => ({ byId: { ...s.byId, ...Object.fromEntries(r.data.map((t) => [t.id, t])) } }));
    set({ listed: r.ok ? { state: 'ready', data: true } : (fromResult(r) as Async<true>) });
  },
  async refresh(taskId) {
    const r = await bridge.invoke('tasks:get', { taskId });
    if (!r.ok) return r.error;
    get().onProgress(r.data);
    return null;
  },
  onProgress(task) {
    const before = get().byId[task.id];
    // Events can overtake the answer that started the work: an ended task (it never runs again) is never replaced
    // by an earlier state.
    if (before && ended(before) && !ended(task)) return;
    set((s) => ({ byId: { ...s.byId, [task.id]: task } }));
    if (before?.status === 'running' && ended(task)) announce(task, Boolean(get().watched[task.id]));
  },
  async control(taskId, action) {
    const r = await bridge.invoke('tasks:control', { taskId, action });
    if (r.ok) get().onProgress(r.data);
    return r;
  },
  results: async (taskId) => saveAndTell(await bridge.invoke('tasks:results', { taskId })),
  watch(taskId, on) {
    set((s) => {
      const watched = { ...s.watched };
      if (on) watched[taskId] = true;
      else delete watched[taskId];
      return { watched };
    });
  },
}));

/** The words for a task's kind ("Bulk edit", "Import"…). */
export const kindWords = (t: TaskSummary) => TASK_KIND_WORDS[t.kind];

/** Bulk jobs (of one tenant), newest first. */
export function jobsOf(byId: Record<string, TaskSummary>, tenantId?: string): JobSummary[] {
  return Object.values(byId)
    .flatMap((t) =>
      t.detail.kind === 'bulk' && (!tenantId || t.tenantId === tenantId) ? [t.detail.job] : [],
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Imports (of one tenant), newest first. */
export function importsOf(byId: Record<string, TaskSummary>, tenantId?: string): ImportSummary[] {
  return Object.values(byId)
    .flatMap((t) =>
      t.detail.kind === 'import' && (!tenantId || t.tenantId === tenantId) ? [t.detail.import] : [],
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** An import's latest summary. */
export function importOf(task: TaskSummary | undefined): ImportSummary | undefined {
  return task?.detail.kind === 'import' ? task.detail.import : undefined;
}

/** An export's (a snapshot export's, a file opening's) latest status. */
export function exportStatus(task: TaskSummary | undefined): ExportStatus | undefined {
  return task && 'export' in task.detail ? task.detail.export : undefined;
}
