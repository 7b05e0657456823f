// The bulk job open in detail, with a page of its per-user outcomes (the jobs themselves, their progress and their
// controls are tasks: features/tasks/store.ts), and the plans made from a job (its failed users again, its inverse).
import { create } from 'zustand';
import type {
  BulkPlanSummary,
  JobItem,
  JobItemState,
  JobSummary,
  Result,
  TenantRateLimit,
} from '../../../../preload/contract';
import { count, duration } from '../../format';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { useTasksStore } from '../tasks/store';

interface JobsState {
  openId: string | null;
  items: Async<{ items: JobItem[]; total: number }>;
  filter: JobItemState | '';
  offset: number;
  open(jobId: string | null): void;
  setFilter(filter: JobItemState | ''): void;
  setOffset(offset: number): void;
  loadItems(): Promise<void>;
  /** A plan made from a job: its failed users again, or its inverse. */
  planFrom(
    channel: 'jobs:retry-plan' | 'jobs:undo-plan',
    jobId: string,
    planId: string,
  ): Promise<Result<BulkPlanSummary>>;
}

export const PAGE = 50;

/** Users a job has dealt with (sent, skipped or failed) — not those a cancel left unsent. */
export const finishedUsers = (j: JobSummary) => j.counts.total - j.counts.remaining - j.counts.cancelled;

/**
 * How long a finished job took and its pace over that time, in words ("took 2 min 14 s · 8.9 users/s"), from its
 * start and finish times (a pause in between counts); null while it has not finished.
 */
export function finishedPace(job: JobSummary): string | null {
  if (!job.finishedAt) return null;
  const ms = Date.parse(job.finishedAt) - Date.parse(job.createdAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const seconds = ms / 1000;
  const users = finishedUsers(job);
  const took = `took ${seconds < 1 ? 'under 1 s' : duration(seconds)}`;
  if (users === 0 || seconds < 1) return took;
  const rate = users / seconds;
  return `${took} · ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} users/s`;
}

/** A tenant's rate limit in words ("10 requests at once, refilled at 2 a second"). */
export function limitWords(limit: TenantRateLimit | undefined): string {
  if (!limit) return 'not reported yet';
  const refill =
    limit.perSecond !== undefined
      ? `, refilled at ${limit.perSecond >= 10 ? Math.round(limit.perSecond) : limit.perSecond} a second`
      : '';
  return `${count(limit.limit)} requests at once${refill}`;
}

export const useJobsStore = create<JobsState>((set, get) => ({
  openId: null,
  items: loading,
  filter: '',
  offset: 0,
  open(jobId) {
    set({ openId: jobId, filter: '', offset: 0, items: loading });
    if (jobId) void get().loadItems();
  },
  setFilter(filter) {
    set({ filter, offset: 0 });
    void get().loadItems();
  },
  setOffset(offset) {
    set({ offset });
    void get().loadItems();
  },
  planFrom: (channel, jobId, planId) => bridge.invoke(channel, { jobId, planId }),
  async loadItems() {
    const { openId, filter, offset } = get();
    if (!openId) return;
    const r = await bridge.invoke('jobs:items', {
      jobId: openId,
      ...(filter ? { state: filter } : {}),
      offset,
      limit: PAGE,
    });
    if (get().openId === openId && get().filter === filter && get().offset === offset)
      set({ items: fromResult(r) });
  },
}));

/** The open job's outcomes follow it: read again on each change of how many users are finished (not on every tick). */
const finished = (id: string | null) => {
  const t = id ? useTasksStore.getState().byId[id] : undefined;
  return t?.detail.kind === 'bulk' ? t.detail.job.counts.total - t.detail.job.counts.remaining : -1;
};
let lastFinished = -1;
useTasksStore.subscribe(() => {
  const { openId } = useJobsStore.getState();
  const now = finished(openId);
  if (now !== lastFinished) {
    lastFinished = now;
    if (openId && now >= 0) void useJobsStore.getState().loadItems();
  }
});
