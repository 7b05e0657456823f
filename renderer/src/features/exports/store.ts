// Starting exports of a tenant's users or of a snapshot's. Exports are tasks: their latest status, their cancel and
// how one that finishes while its dialog is closed is announced (its file one click away) are the tasks store's.
import { create } from 'zustand';
import type {
  ChannelInput,
  DownloadRef,
  ErrorEnvelope,
  ExportStatus,
  Result,
} from '../../../../preload/contract';
import { bridge } from '../../bridge';
import { saveAndTell } from '../../stores/downloads';
import { exportStatus, useTasksStore } from '../tasks/store';

export const newExportId = () =>
  `export-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export const finishedPhase = (s: ExportStatus) => ['completed', 'failed', 'cancelled'].includes(s.phase);

interface ExportsState {
  /** Starts an export of a tenant's users; its first status is taken in at once. */
  exportTenant(input: ChannelInput<'exports:start'>): Promise<Result<ExportStatus>>;
  /** Starts an export of a snapshot's users (a query of it); its first status is taken in at once. */
  exportSnapshot(input: ChannelInput<'snapshots:export'>): Promise<Result<ExportStatus>>;
  cancel(exportId: string): void;
  /** Whether the export's dialog is open (the dialog says how it ends; otherwise a toast does). */
  watch(exportId: string, on: boolean): void;
  /** An export's file, saved; the error, or null. */
  save(file: DownloadRef): Promise<ErrorEnvelope | null>;
}

export const useExportsStore = create<ExportsState>(() => ({
  async exportTenant(input) {
    const r = await bridge.invoke('exports:start', input);
    if (r.ok) void useTasksStore.getState().refresh(r.data.exportId);
    return r;
  },
  async exportSnapshot(input) {
    const r = await bridge.invoke('snapshots:export', input);
    if (r.ok) void useTasksStore.getState().refresh(r.data.exportId);
    return r;
  },
  cancel(exportId) {
    void useTasksStore.getState().control(exportId, 'cancel');
  },
  watch: (exportId, on) => useTasksStore.getState().watch(exportId, on),
  save: (file) => saveAndTell({ ok: true, data: file }),
}));

/** An export's latest status, as its dialog shows it. */
export function useExportStatus(exportId: string | null | undefined): ExportStatus | undefined {
  return useTasksStore((s) => exportStatus(exportId ? s.byId[exportId] : undefined));
}
