// Work across tenants: one query on several tenants at once (each answers for itself — a tenant that fails is said
// beside the others' results, never hiding them, and can be asked again alone), and two tenants compared user by
// user (a fresh snapshot of each, matched by email or a chosen field, paged like a snapshot comparison).
import { create } from 'zustand';
import type {
  Auth0User,
  CompareSummary,
  CrossSearchResult,
  ErrorEnvelope,
} from '../../../../preload/contract';
import { fromResult, loading } from '../../async';
import { bridge } from '../../bridge';
import { useExportsStore } from '../exports/store';
import { readCompareItems, type Comparison } from '../snapshots/store';

/** A user of one tenant, in the merged results. */
export interface CrossRow {
  tenantId: string;
  user: Auth0User;
}

/** How one tenant answered: still asked, its users (how many, how long), or why it failed. */
export type TenantAnswer = { state: 'loading' } | CrossSearchResult;

export const answered = (a: TenantAnswer | undefined): a is CrossSearchResult => !!a && !('state' in a);

/**
 * The tenants' answers as one list: users sorted by email (users without one last, by id), the same email on several
 * tenants side by side in the order the tenants were chosen. Tenants still loading or failed add no row.
 */
export function mergeCrossResults(answers: Record<string, TenantAnswer>, order: string[]): CrossRow[] {
  const rows: { row: CrossRow; tenantAt: number }[] = [];
  order.forEach((tenantId, tenantAt) => {
    const a = answers[tenantId];
    if (!answered(a) || !a.ok) return;
    for (const user of a.users) rows.push({ row: { tenantId, user }, tenantAt });
  });
  const email = (u: Auth0User) => (u.email ?? '').toLowerCase();
  rows.sort((x, y) => {
    const ex = email(x.row.user);
    const ey = email(y.row.user);
    if (ex !== ey) return !ex ? 1 : !ey ? -1 : ex < ey ? -1 : 1;
    if (x.tenantAt !== y.tenantAt) return x.tenantAt - y.tenantAt;
    return x.row.user.user_id < y.row.user.user_id ? -1 : 1;
  });
  return rows.map((r) => r.row);
}

export interface CrossSearch {
  q: string;
  tenantIds: string[];
  perTenant: number;
  answers: Record<string, TenantAnswer>;
  /** The whole request failed (a bad query, no tenant): nothing was asked of any tenant. */
  error: ErrorEnvelope | null;
  seq: number;
}

export interface CrossComparison extends Comparison {
  runId: string;
  tenantA: string;
  tenantB: string;
  key: string;
  fields: string[];
}

let runNo = 0;
export const newRunId = () =>
  `cross-${Date.now().toString(36)}-${(++runNo).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export type AcrossMode = 'search' | 'compare' | 'organizations';

/** What the last comparison asked for: the form opens with it again. */
export interface CompareDraft {
  tenantA: string;
  tenantB: string;
  key: string;
  fields: string[];
}

interface AcrossState {
  mode: AcrossMode;
  chosen: string[];
  typed: string;
  perTenant: number;
  search: CrossSearch | null;
  comparison: CrossComparison | null;
  compareDraft: CompareDraft | null;
  setMode(mode: AcrossMode): void;
  setChosen(ids: string[]): void;
  setTyped(typed: string): void;
  setPerTenant(n: number): void;
  run(): Promise<void>;
  /** Asks one tenant of the search shown again (after it failed). */
  retry(tenantId: string): Promise<void>;
  compare(input: CompareDraft): Promise<void>;
  /** Stops waiting for the comparison (and asks main to stop both snapshots). */
  cancelCompare(): void;
  showItems(changes: Partial<Pick<Comparison, 'kind' | 'field' | 'offset'>>): Promise<void>;
  closeComparison(): void;
}

let searchSeq = 0;

export const useAcrossStore = create<AcrossState>((set, get) => ({
  mode: 'search',
  chosen: [],
  typed: '',
  perTenant: 50,
  search: null,
  comparison: null,
  compareDraft: null,
  setMode(mode) {
    set({ mode });
  },
  setChosen(ids) {
    set({ chosen: ids });
  },
  setTyped(typed) {
    set({ typed });
  },
  setPerTenant(perTenant) {
    set({ perTenant });
  },
  async run() {
    const { chosen, typed, perTenant } = get();
    const seq = ++searchSeq;
    const q = typed.trim();
    const tenantIds = [...chosen];
    set({
      search: {
        q,
        tenantIds,
        perTenant,
        answers: Object.fromEntries(tenantIds.map((id) => [id, { state: 'loading' } as const])),
        error: null,
        seq,
      },
    });
    const r = await bridge.invoke('cross:search', { tenantIds, q, perTenant });
    const now = get().search;
    if (!now || now.seq !== seq) return;
    if (!r.ok) {
      // Nothing came back for any tenant: each says so, with the one reason.
      const failed = Object.fromEntries(
        tenantIds.map((id) => [id, { tenantId: id, ok: false, error: r.error, ms: 0 } as const]),
      );
      return set({ search: { ...now, answers: failed, error: r.error } });
    }
    const answers = { ...now.answers };
    for (const a of r.data.results) answers[a.tenantId] = a;
    // A tenant main did not answer for is not left "searching" for ever.
    for (const id of tenantIds)
      if (!answered(answers[id]))
        answers[id] = {
          tenantId: id,
          ok: false,
          ms: 0,
          error: { code: 'internal', message: 'No answer came back for this tenant.', retryable: true },
        };
    set({ search: { ...now, answers } });
  },
  async retry(tenantId) {
    const before = get().search;
    if (!before) return;
    const seq = before.seq;
    set({ search: { ...before, answers: { ...before.answers, [tenantId]: { state: 'loading' } } } });
    const r = await bridge.invoke('cross:search', {
      tenantIds: [tenantId],
      q: before.q,
      perTenant: before.perTenant,
    });
    const now = get().search;
    // A new search replaced the one this retry belongs to.
    if (!now || now.seq !== seq) return;
    const answer: TenantAnswer = r.ok
      ? (r.data.results.find((a) => a.tenantId === tenantId) ?? {
          tenantId,
          ok: false,
          ms: 0,
          error: { code: 'internal', message: 'No answer came back for this tenant.', retryable: true },
        })
      : { tenantId, ok: false, error: r.error, ms: 0 };
    set({ search: { ...now, answers: { ...now.answers, [tenantId]: answer } } });
  },
  async compare({ tenantA, tenantB, key, fields }) {
    const runId = newRunId();
    const exports = useExportsStore.getState();
    // Watched: the snapshots' progress is shown here, and their end is not announced (nor their file offered) apart.
    exports.watch(`${runId}-a`, true);
    exports.watch(`${runId}-b`, true);
    set({
      compareDraft: { tenantA, tenantB, key, fields },
      comparison: {
        runId,
        tenantA,
        tenantB,
        key,
        fields,
        summary: loading,
        kind: 'changed',
        field: null,
        offset: 0,
        items: loading,
      },
    });
    const r = await bridge.invoke('cross:compare', { runId, tenantA, tenantB, key, fields });
    exports.watch(`${runId}-a`, false);
    exports.watch(`${runId}-b`, false);
    const now = get().comparison;
    if (!now || now.runId !== runId) return;
    set({ comparison: { ...now, summary: fromResult(r) } });
    if (r.ok) await get().showItems({ kind: firstKind(r.data) });
  },
  cancelCompare() {
    const c = get().comparison;
    if (!c) return;
    set({ comparison: null });
    if (c.summary.state === 'loading')
      for (const side of ['a', 'b']) useExportsStore.getState().cancel(`${c.runId}-${side}`);
  },
  async showItems(changes) {
    const c = get().comparison;
    if (!c || c.summary.state !== 'ready') return;
    const next: CrossComparison = { ...c, offset: 0, ...changes, items: loading };
    set({ comparison: next });
    const r = await readCompareItems(c.summary.data.compareId, next);
    const now = get().comparison;
    if (
      now &&
      now.runId === next.runId &&
      now.kind === next.kind &&
      now.field === next.field &&
      now.offset === next.offset
    )
      set({ comparison: { ...now, items: fromResult(r) } });
  },
  closeComparison() {
    set({ comparison: null });
  },
}));

function firstKind(c: CompareSummary): Comparison['kind'] {
  return c.changed ? 'changed' : c.removed ? 'removed' : c.added ? 'added' : 'changed';
}
