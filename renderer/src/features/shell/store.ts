// The window's frame: whether the command palette (and with which filter) or the shortcuts overlay is open, and the
// one place main's events are followed into the stores they concern.
import { create } from 'zustand';
import { bridge } from '../../bridge';
import { useAppStore } from '../../stores/app';
import { useBulkStore } from '../bulk/store';
import { useTasksStore } from '../tasks/store';
import { useTenantsStore } from '../tenants/store';

interface ShellState {
  palette: { filter: string } | null;
  help: boolean;
  openPalette(filter?: string): void;
  closePalette(): void;
  openHelp(): void;
  closeHelp(): void;
  /** Follows main's events (tenants, the local tenant, stalls, plans, tasks); returns the unfollow. */
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
      bridge.on('task:progress', (task) => useTasksStore.getState().onProgress(task)),
    ];
    return () => offs.forEach((off) => off());
  },
}));
