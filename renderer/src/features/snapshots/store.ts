// Offline snapshots as the window knows them: the list, the one open (its own query, sort, paging, columns and
// results — every answer checked against the search it belongs to), and a comparison of two of them.
import { create } from 'zustand';
import type {
  Auth0User,
  ChannelInput,
  CompareItem,
  CompareKind,
  CompareSummary,
  ErrorEnvelope,
  ExportStatus,
  Result,
  SnapshotSummary,
} from '../../../../preload/contract';
import { fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { DEFAULT_COLUMNS } from '../users/store';
import { newExportId, useExportsStore } from '../exports/store';
import { useTasksStore } from '../tasks/store';
import { saveAndTell } from '../../stores/downloads';
import { uploadFile } from '../../stores/uploads';

export interface SnapshotSearch {
  typed: string;
  q: string;
  sort: string | null;
  page: number;
  perPage: number;
  columns: string[];
  users: Auth0User[];
  total: number;
  ms: number | null;
  loading: boolean;
  error: ErrorEnvelope | null;
  seq: number;
}

const freshSearch = (): SnapshotSearch => ({
  typed: '',
  q: '',
  sort: null,
  page: 0,
  perPage: 50,
  columns: [...DEFAULT_COLUMNS],
  users: [],
  total: 0,
  ms: null,
  loading: false,
  error: null,
  seq: 0,
});

export interface Comparison {
  summary: Async<CompareSummary>;
  kind: CompareKind;
  field: string | null;
  offset: number;
  items: Async<{ items: CompareItem[]; total: number }>;
}

interface SnapshotsState {
  list: Async<SnapshotSummary[]>;
  openId: string | null;
  searches: Record<string, SnapshotSearch>;
  comparison: Comparison | null;
  load(): Promise<void>;
  open(id: string | null): void;
  setTyped(id: string, typed: string): void;
  setColumns(id: string, columns: string[]): void;
  search(id: string, changes?: Partial<Pick<SnapshotSearch, 'page' | 'perPage' | 'sort'>>): Promise<void>;
  remove(id: string): Promise<ErrorEnvelope | null>;
  compare(before: string, after: string): Promise<void>;
  showItems(changes: Partial<Pick<Comparison, 'kind' | 'field' | 'offset'>>): Promise<void>;
  closeComparison(): void;
  /**
   * A users file handed to main (`progress` follows the upload) and read as a snapshot: the export id whose
   * progress tells how the reading goes (watched: how it ends is said where the file was opened).
   */
  openFile(
    file: File,
    label: string,
    tenantId: string,
    progress: (sent: number, total: number) => void,
  ): Promise<{ ok: true; exportId: string } | { ok: false; error: ErrorEnvelope }>;
  /** A comparison's users as a file, saved; the error, or null. */
  exportComparison(compareId: string): Promise<ErrorEnvelope | null>;
  /** The access review report's dialog (opened from the screen or the palette), for this snapshot if given. */
  review: { snapshotId: string | null } | null;
  openReview(snapshotId?: string): void;
  closeReview(): void;
  /** Starts an access review report (a task, watched by its dialog); its first status at once. */
  startReview(input: Omit<ChannelInput<'reviews:start'>, 'reviewId'>): Promise<Result<ExportStatus>>;
}

export const COMPARE_PAGE = 25;

/** One page of a comparison's users of one kind (changed ones optionally by field), as a view asks for it. */
export function readCompareItems(
  compareId: string,
  view: { kind: CompareKind; field: string | null; offset: number },
) {
  return bridge.invoke('snapshots:compare-items', {
    compareId,
    kind: view.kind,
    ...(view.field && view.kind === 'changed' ? { field: view.field } : {}),
    offset: view.offset,
    limit: COMPARE_PAGE,
  });
}

export const useSnapshotsStore = create<SnapshotsState>((set, get) => ({
  list: loading,
  openId: null,
  searches: {},
  comparison: null,
  async load() {
    const r = await bridge.invoke('snapshots:list', {});
    set({ list: fromResult(r) });
  },
  open(id) {
    set({ openId: id, comparison: null });
    if (id && !get().searches[id]) {
      set((s) => ({ searches: { ...s.searches, [id]: freshSearch() } }));
      void get().search(id);
    }
  },
  setTyped(id, typed) {
    set((s) => ({ searches: { ...s.searches, [id]: { ...(s.searches[id] ?? freshSearch()), typed } } }));
  },
  setColumns(id, columns) {
    set((s) => ({ searches: { ...s.searches, [id]: { ...(s.searches[id] ?? freshSearch()), columns } } }));
  },
  async search(id, changes = {}) {
    const before = get().searches[id] ?? freshSearch();
    const next: SnapshotSearch = {
      ...before,
      ...changes,
      q: before.typed.trim(),
      loading: true,
      seq: before.seq + 1,
    };
    set((s) => ({ searches: { ...s.searches, [id]: next } }));
    const r = await bridge.invoke('snapshots:search', {
      snapshotId: id,
      q: next.q,
      page: next.page,
      perPage: next.perPage,
      ...(next.sort ? { sort: next.sort } : {}),
    });
    const now = get().searches[id];
    if (!now || now.seq !== next.seq) return; // a newer search replaced this one
    set((s) => ({
      searches: {
        ...s.searches,
        [id]: r.ok
          ? { ...now, loading: false, error: null, users: r.data.users, total: r.data.total, ms: r.data.ms }
          : // A malformed query keeps the previous results, with the reason beside the query.
            { ...now, loading: false, error: r.error },
      },
    }));
  },
  async remove(id) {
    const r = await bridge.invoke('snapshots:delete', { snapshotId: id });
    if (!r.ok) return r.error;
    set((s) => {
      const { [id]: _gone, ...rest } = s.searches;
      return { searches: rest, openId: s.openId === id ? null : s.openId };
    });
    await get().load();
    return null;
  },
  async compare(before, after) {
    set({
      openId: null,
      comparison: { summary: loading, kind: 'changed', field: null, offset: 0, items: loading },
    });
    const r = await bridge.invoke('snapshots:compare', { before, after });
    set((s) => (s.comparison ? { comparison: { ...s.comparison, summary: fromResult(r) } } : {}));
    if (r.ok)
      await get().showItems({ kind: r.data.changed ? 'changed' : r.data.added ? 'added' : 'removed' });
  },
  async showItems(changes) {
    const c = get().comparison;
    if (!c || c.summary.state !== 'ready') return;
    const next = { ...c, offset: 0, ...changes, items: loading } as Comparison;
    set({ comparison: next });
    const r = await readCompareItems(c.summary.data.compareId, next);
    const now = get().comparison;
    if (now && now.kind === next.kind && now.field === next.field && now.offset === next.offset)
      set({ comparison: { ...now, items: fromResult(r) } });
  },
  async openFile(file, label, tenantId, progress) {
    const up = await uploadFile(file, progress);
    if (!up.ok) return up;
    const exportId = newExportId();
    const exports = useExportsStore.getState();
    // Watched from the start: how it ends is said where the file was opened, not in a toast.
    exports.watch(exportId, true);
    const r = await bridge.invoke('snapshots:open-file', {
      exportId,
      uploadId: up.uploadId,
      label,
      ...(tenantId ? { tenantId } : {}),
    });
    if (!r.ok) return r;
    void useTasksStore.getState().refresh(exportId);
    return { ok: true, exportId };
  },
  exportComparison: async (compareId) =>
    saveAndTell(await bridge.invoke('snapshots:compare-export', { compareId })),
  closeComparison() {
    set({ comparison: null });
  },
  review: null,
  openReview(snapshotId) {
    set({ review: { snapshotId: snapshotId ?? null } });
    if (get().list.state !== 'ready') void get().load();
  },
  closeReview() {
    set({ review: null });
  },
  async startReview(input) {
    const reviewId = newExportId();
    // Watched from the start: its dialog says how it ends (a toast does if the dialog was closed).
    useTasksStore.getState().watch(reviewId, true);
    const r = await bridge.invoke('reviews:start', { ...input, reviewId });
    if (r.ok) void useTasksStore.getState().refresh(reviewId);
    else useTasksStore.getState().watch(reviewId, false);
    return r;
  },
}));
