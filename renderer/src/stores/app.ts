// App-wide state: host info, keychain status, and which tenant is active.
import { create } from 'zustand';
import type { AppInfo, ErrorEnvelope, KeychainStatus } from '../../../preload/contract';
import { bridge } from '../bridge';

interface AppState {
  info: AppInfo | null;
  keychain: KeychainStatus | null;
  error: ErrorEnvelope | null;
  activeTenantId: string | null;
  load(): Promise<void>;
  setActiveTenant(id: string | null): void;
}

export const useAppStore = create<AppState>((set) => ({
  info: null,
  keychain: null,
  error: null,
  activeTenantId: null,
  async load() {
    const [info, keychain] = await Promise.all([
      bridge.invoke('app:info', {}),
      bridge.invoke('keychain:status', {}),
    ]);
    set({
      info: info.ok ? info.data : null,
      keychain: keychain.ok ? keychain.data : null,
      error: !info.ok ? info.error : !keychain.ok ? keychain.error : null,
    });
  },
  setActiveTenant(id) {
    set({ activeTenantId: id });
  },
}));
