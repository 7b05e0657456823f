// Exports, users files opened as snapshots, and snapshot exports as the window knows them: each one's latest status from main's
// progress events. An export that finishes while its dialog is closed is announced, with its file one click away.
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

export const newExportId = () =>
  `export-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export const finishedPhase = (s: ExportStatus) => ['completed', 'failed', 'cancelled'].includes(s.phase);

interface ExportsState {
  byId: Record<string, ExportStatus>;
  /** The exports whose dialog is open (the dialog says how they end; others get a toast). */
  watched: Record<string, true>;
  onProgress(status: ExportStatus): void;
  watch(exportId: string, on: boolean): void;
  /** Starts an export of a tenant's users; its first status is taken in at once. */
  exportTenant(input: ChannelInput<'exports:start'>): Promise<Result<ExportStatus>>;
  /** Starts an export of a snapshot's users (a query of it); its first status is taken in at once. */
  exportSnapshot(input: ChannelInput<'snapshots:export'>): Promise<Result<ExportStatus>>;
  cancel(exportId: string): void;
  /** An export's file, saved; the error, or null. */
  save(file: DownloadRef): Promise<ErrorEnvelope | null>;
}

export const useExportsStore = create<ExportsState>((set, get) => ({
  byId: {},
  watched: {},
  onProgress(status) {
    const before = get().byId[status.exportId];
    // Events can overtake the answer that started the export; a finished status is never replaced by an earlier one.
    if (before && finishedPhase(before) && !finishedPhase(status)) return;
    set((s) => ({ byId: { ...s.byId, [status.exportId]: status } }));
  },
  async exportTenant(input) {
    const r = await bridge.invoke('exports:start', input);
    if (r.ok) get().onProgress(r.data);
    return r;
  },
  async exportSnapshot(input) {
    const r = await bridge.invoke('snapshots:export', input);
    if (r.ok) get().onProgress(r.data);
    return r;
  },
  cancel(exportId) {
    void bridge.invoke('exports:cancel', { exportId });
  },
  save: (file) => saveAndTell({ ok: true, data: file }),
  watch(exportId, on) {
    set((s) => {
      const watched = { ...s.watched };
      if (on) watched[exportId] = true;
      else delete watched[exportId];
      return { watched };
    });
  },
}));
