// Organizations across tenants: found by name on several tenants at once (each tenant answers for itself — one that
// fails says why beside the others' organizations, and can be asked again alone), and two tenants' organizations
// compared (a task: its progress from the tasks store, cancelled and exported through it).
import { create } from 'zustand';
import type { CrossOrgResult, ErrorEnvelope, OrgCompareSummary } from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { useTasksStore } from '../tasks/store';
import { newRunId } from './store';

/** How one tenant answered the find: still asked, its organizations, or why it failed. */
export type OrgAnswer = { state: 'loading' } | CrossOrgResult;

export const orgAnswered = (a: OrgAnswer | undefined): a is CrossOrgResult => !!a && !('state' in a);

export interface OrgFind {
  name: string;
  tenantIds: string[];
  answers: Record<string, OrgAnswer>;
  /** The whole request failed (no name, no tenant): nothing was asked of any tenant. */
  error: ErrorEnvelope | null;
  seq: number;
}

export interface OrgComparison {
  runId: string;
  tenantA: string;
  tenantB: string;
  summary: Async<OrgCompareSummary>;
}

interface AcrossOrgsState {
  typed: string;
  find: OrgFind | null;
  comparison: OrgComparison | null;
  setTyped(typed: string): void;
  run(tenantIds: string[]): Promise<void>;
  /** Asks one tenant of the find shown again (after it failed). */
  retry(tenantId: string): Promise<void>;
  compare(tenantA: string, tenantB: string): Promise<void>;
  /** Stops the comparison (its task is cancelled). */
  cancelCompare(): void;
  /** The whole comparison as CSV, saved; the error, or null. */
  exportComparison(): Promise<ErrorEnvelope | null>;
  closeComparison(): void;
}

let findSeq = 0;
const noAnswer = (tenantId: string): CrossOrgResult => ({
  tenantId,
  ok: false,
  ms: 0,
  error: { code: 'internal', message: 'No answer came back for this tenant.', retryable: true },
});

export const useAcrossOrgsStore = create<AcrossOrgsState>((set, get) => ({
  typed: '',
  find: null,
  comparison: null,
  setTyped(typed) {
    set({ typed });
  },
  async run(chosen) {
    const seq = ++findSeq;
    const name = get().typed.trim();
    const tenantIds = [...chosen];
    set({
      find: {
        name,
        tenantIds,
        answers: Object.fromEntries(tenantIds.map((id) => [id, { state: 'loading' } as const])),
        error: null,
        seq,
      },
    });
    const r = await bridge.invoke('cross:find-organizations', { tenantIds, name });
    const now = get().find;
    if (!now || now.seq !== seq) return;
    if (!r.ok) {
      // Nothing came back for any tenant: each says so, with the one reason.
      const failed = Object.fromEntries(
        tenantIds.map((id) => [id, { tenantId: id, ok: false, error: r.error, ms: 0 } as const]),
      );
      return set({ find: { ...now, answers: failed, error: r.error } });
    }
    const answers = { ...now.answers };
    for (const a of r.data.results) answers[a.tenantId] = a;
    // A tenant main did not answer for is not left "searching" for ever.
    for (const id of tenantIds) if (!orgAnswered(answers[id])) answers[id] = noAnswer(id);
    set({ find: { ...now, answers } });
  },
  async retry(tenantId) {
    const before = get().find;
    if (!before) return;
    const seq = before.seq;
    set({ find: { ...before, answers: { ...before.answers, [tenantId]: { state: 'loading' } } } });
    const r = await bridge.invoke('cross:find-organizations', { tenantIds: [tenantId], name: before.name });
    const now = get().find;
    // A new find replaced the one this retry belongs to.
    if (!now || now.seq !== seq) return;
    const answer: OrgAnswer = r.ok
      ? (r.data.results.find((a) => a.tenantId === tenantId) ?? noAnswer(tenantId))
      : { tenantId, ok: false, error: r.error, ms: 0 };
    set({ find: { ...now, answers: { ...now.answers, [tenantId]: answer } } });
  },
  async compare(tenantA, tenantB) {
    const runId = newRunId();
    // Watched: its end is shown here, not announced apart.
    useTasksStore.getState().watch(runId, true);
    set({ comparison: { runId, tenantA, tenantB, summary: loading } });
    const r = await bridge.invoke('cross:compare-organizations', { runId, tenantA, tenantB });
    useTasksStore.getState().watch(runId, false);
    const now = get().comparison;
    if (!now || now.runId !== runId) return;
    set({ comparison: { ...now, summary: fromResult(r) } });
  },
  cancelCompare() {
    const c = get().comparison;
    if (!c) return;
    set({ comparison: null });
    if (c.summary.state === 'loading') void useTasksStore.getState().control(c.runId, 'cancel');
  },
  async exportComparison() {
    const c = get().comparison;
    if (!c || c.summary.state !== 'ready') return null;
    return useTasksStore.getState().results(c.runId);
  },
  closeComparison() {
    set({ comparison: null });
  },
}));
