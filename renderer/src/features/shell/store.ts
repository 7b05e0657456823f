// The window's frame: whether the command palette (and with which filter) or the shortcuts overlay is open, and the
// one place main's events are followed into the stores they concern.
import { create } from 'zustand';
import { bridge } from '../../bridge';
import { useAppStore } from '../../stores/app';
import { saveDownload } from '../../stores/downloads';
import { useBulkStore } from '../bulk/store';
import { useJobsStore } from '../bulk/jobs-store';
import { useExportsStore } from '../exports/store';
import { useImportsStore } from '../imports/store';
import { useTenantsStore } from '../tenants/store';
import { count } from '../../format';

interface ShellState {
  palette: { filter: string } | null;
  help: boolean;
  openPalette(filter?: string): void;
  closePalette(): void;
  openHelp(): void;
  closeHelp(): void;
  /** Follows main's events (tenants, the local tenant, stalls, plans, jobs, imports, exports); returns the unfollow. */
  connect(): () => void;
}

export const useShellStore = create<ShellState>((set) => ({
  palette: null,
  help: false,
  openPalette(filter = '') {
    set({ palette: { filter } });
  },
  closePalette() {
    set({ palette: null });
  },
  openHelp() {
    set({ help: true });
  },
  closeHelp() {
    set({ help: false });
  },
  connect() {
    const app = useAppStore.getState();
    const offs = [
      bridge.on('tenants:changed', ({ tenants: next }) => {
        useTenantsStore.getState().replaceAll(next);
        if (useAppStore.getState().keychain?.missingSecrets?.length) void app.refreshKeychain();
      }),
      bridge.on('local-tenant:changed', (status) => app.setLocalTenant(status)),
      bridge.on('tenants:stalled', (event) => app.setStalled(event)),
      bridge.on('bulk:planning', (event) => useBulkStore.getState().onPlanning(event)),
      bridge.on('job:progress', (summary) => useJobsStore.getState().onProgress(summary)),
      bridge.on('import:progress', (summary) => {
        const imports = useImportsStore.getState();
        const before = imports.byId[summary.importId];
        imports.onProgress(summary);
        // How an import ended is said wherever the window is (its screen shows the detail).
        if (before?.status === 'running' && summary.status !== 'running') {
          const tenant = useTenantsStore.getState().tenants.find((t) => t.id === summary.tenantId);
          app.toast(
            summary.status === 'completed' && summary.counts.failed === 0 ? 'success' : 'error',
            `Import of ${summary.fileName} into ${tenant?.label ?? summary.tenantDomain} ${summary.status}: ${count(summary.counts.inserted)} inserted, ${count(summary.counts.updated)} updated, ${count(summary.counts.failed)} failed`,
          );
        }
      }),
      bridge.on('export:progress', (status) => {
        const exports = useExportsStore.getState();
        exports.onProgress(status);
        // An export left to run in the background offers its file itself when done, and says how it ended.
        if (exports.watched[status.exportId]) return;
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
      }),
    ];
    return () => offs.forEach((off) => off());
  },
}));
