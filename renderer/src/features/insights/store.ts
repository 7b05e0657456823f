// The Insights screen's state: what it counts over (a snapshot, or the live tenant), its charts as they arrive, and
// the run under way. Charts are asked one at a time: that is the progress shown, and a cancel stops before the next
// (an answer for a run that was replaced or cancelled is dropped). A bar opens its users where they are listed.
import { create } from 'zustand';
import {
  insightChartIds,
  type ErrorEnvelope,
  type InsightBar,
  type InsightChart,
  type InsightChartId,
} from '../../../../preload/contract';
import { bridge } from '../../bridge';
import { useAppStore } from '../../stores/app';
import { useRolesStore } from '../roles/store';
import { useSnapshotsStore } from '../snapshots/store';
import { emptyFilters, useUsersStore } from '../users/store';

export type InsightSource = { kind: 'snapshot'; snapshotId: string } | { kind: 'live'; tenantId: string };

export const sourceKey = (s: InsightSource | null) =>
  s === null ? '' : s.kind === 'snapshot' ? `snapshot:${s.snapshotId}` : `live:${s.tenantId}`;

interface InsightsState {
  source: InsightSource | null;
  charts: Partial<Record<InsightChartId, InsightChart>>;
  errors: Partial<Record<InsightChartId, ErrorEnvelope>>;
  /** Charts asked so far in this run (done or failed). */
  done: number;
  running: boolean;
  cancelled: boolean;
  seq: number;
  /** Counts anew over a source (the same one again: a refresh). */
  count(source: InsightSource): Promise<void>;
  /** Stops before the next chart; those counted stay. */
  cancel(): void;
  /** The users behind a bar, in the same table as ever: the snapshot's search, the Users screen, or the role's members. */
  openBar(bar: InsightBar): void;
}

export const useInsightsStore = create<InsightsState>((set, get) => ({
  source: null,
  charts: {},
  errors: {},
  done: 0,
  running: false,
  cancelled: false,
  seq: 0,
  async count(source) {
    const seq = get().seq + 1;
    set({ source, charts: {}, errors: {}, done: 0, running: true, cancelled: false, seq });
    for (const chart of insightChartIds) {
      const r =
        source.kind === 'snapshot'
          ? await bridge.invoke('insights:snapshot-chart', { snapshotId: source.snapshotId, chart })
          : await bridge.invoke('insights:live-chart', { tenantId: source.tenantId, chart });
      if (get().seq !== seq) return; // replaced or cancelled
      set((s) =>
        r.ok
          ? { charts: { ...s.charts, [chart]: r.data }, done: s.done + 1 }
          : { errors: { ...s.errors, [chart]: r.error }, done: s.done + 1 },
      );
    }
    set({ running: false });
  },
  cancel() {
    if (get().running) set((s) => ({ seq: s.seq + 1, running: false, cancelled: true }));
  },
  openBar(bar) {
    const source = get().source;
    if (!source) return;
    const app = useAppStore.getState();
    if (source.kind === 'snapshot' && bar.q !== null) {
      const snapshots = useSnapshotsStore.getState();
      snapshots.setTyped(source.snapshotId, bar.q);
      snapshots.open(source.snapshotId);
      void snapshots.search(source.snapshotId, { page: 0 });
      app.setView('snapshots');
    } else if (source.kind === 'live' && bar.q !== null) {
      const users = useUsersStore.getState();
      users.update(source.tenantId, { typed: bar.q, filters: emptyFilters });
      void users.search(source.tenantId, { page: 0 });
      app.requestSwitch(source.tenantId, 'users');
    } else if (source.kind === 'live' && bar.roleId) {
      useRolesStore.getState().select(source.tenantId, bar.roleId);
      app.requestSwitch(source.tenantId, 'roles');
    }
  },
}));
