// Bulk jobs as the window knows them: summaries kept current by main's progress events, the list per tenant, and
// the job open in detail with a page of its per-user outcomes.
import { create } from 'zustand';
import type {
  BulkPlanSummary,
  ErrorEnvelope,
  JobItem,
  JobItemState,
  JobSummary,
  Result,
} from '../../../../preload/contract';
import { saveAndTell } from '../../stores/downloads';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';

interface JobsState {
  jobs: Record<string, JobSummary>;
  listed: Record<string, Async<true>>;
  openId: string | null;
  items: Async<{ items: JobItem[]; total: number }>;
  filter: JobItemState | '';
  offset: number;
  load(tenantId?: string): Promise<void>;
  onProgress(summary: JobSummary): void;
  open(jobId: string | null): void;
  setFilter(filter: JobItemState | ''): void;
  setOffset(offset: number): void;
  loadItems(): Promise<void>;
  /** Pauses, resumes or cancels a job; its new state is taken in at once. */
  control(jobId: string, action: 'pause' | 'resume' | 'cancel'): Promise<Result<JobSummary>>;
  /** A plan made from a job: its failed users again, or its inverse. */
  planFrom(
    channel: 'jobs:retry-plan' | 'jobs:undo-plan',
    jobId: string,
    planId: string,
  ): Promise<Result<BulkPlanSummary>>;
  /** The job's per-user outcomes as CSV, saved; the error, or null. */
  exportResults(jobId: string): Promise<ErrorEnvelope | null>;
}

export const PAGE = 50;

export const useJobsStore = create<JobsState>((set, get) => ({
  jobs: {},
  listed: {},
  openId: null,
  items: loading,
  filter: '',
  offset: 0,
  async load(tenantId) {
    const key = tenantId ?? '*';
    set((s) => ({ listed: { ...s.listed, [key]: s.listed[key] ?? loading } }));
    const r = await bridge.invoke('jobs:list', tenantId ? { tenantId } : {});
    set((s) => ({
      listed: { ...s.listed, [key]: r.ok ? { state: 'ready', data: true } : fromResult(r as never) },
      jobs: r.ok ? { ...s.jobs, ...Object.fromEntries(r.data.map((j) => [j.id, j])) } : s.jobs,
    }));
  },
  onProgress(summary) {
    const before = get().jobs[summary.id];
    set((s) => ({ jobs: { ...s.jobs, [summary.id]: summary } }));
    // The open job's outcomes follow it (not on every tick: on each change of how many are finished).
    const finishedBefore = before ? before.counts.total - before.counts.remaining : -1;
    if (get().openId === summary.id && summary.counts.total - summary.counts.remaining !== finishedBefore)
      void get().loadItems();
  },
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
  async control(jobId, action) {
    const r = await bridge.invoke('jobs:control', { jobId, action });
    if (r.ok) get().onProgress(r.data);
    return r;
  },
  planFrom: (channel, jobId, planId) => bridge.invoke(channel, { jobId, planId }),
  exportResults: async (jobId) => saveAndTell(await bridge.invoke('jobs:export', { jobId })),
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
