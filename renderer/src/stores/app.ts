// App-wide state: host info, keychain status, the active tenant and what its grant allows, the current view, toasts.
import { create } from 'zustand';
import type {
  AppInfo,
  Capability,
  CapabilityState,
  ErrorEnvelope,
  KeychainStatus,
} from '../../../preload/contract';
import { bridge } from '../bridge';

export type View = 'users' | 'tenants' | 'audit';

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
}

interface AppState {
  info: AppInfo | null;
  keychain: KeychainStatus | null;
  error: ErrorEnvelope | null;
  activeTenantId: string | null;
  view: View;
  /** Per tenant: what its grant allows (from a connection test), or the error that test gave. */
  capabilities: Record<string, Record<Capability, CapabilityState> | ErrorEnvelope>;
  toasts: Toast[];
  load(): Promise<void>;
  setActiveTenant(id: string | null): void;
  setView(view: View): void;
  loadCapabilities(tenantId: string): Promise<void>;
  /** A tenant's domain, client or secret changed: what its grant allows must be learnt again. */
  invalidateCapabilities(tenantId: string): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

let toastId = 0;

export const useAppStore = create<AppState>((set, get) => ({
  info: null,
  keychain: null,
  error: null,
  activeTenantId: localStorage.getItem('tenant-desk-active') || null,
  view: 'tenants',
  capabilities: {},
  toasts: [],
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
    if (id) localStorage.setItem('tenant-desk-active', id);
    else localStorage.removeItem('tenant-desk-active');
    set({ activeTenantId: id });
    if (id && !get().capabilities[id]) void get().loadCapabilities(id);
  },
  setView(view) {
    set({ view });
  },
  async loadCapabilities(tenantId) {
    const r = await bridge.invoke('tenants:test-connection', { id: tenantId });
    set((s) => ({ capabilities: { ...s.capabilities, [tenantId]: r.ok ? r.data.capabilities : r.error } }));
  },
  invalidateCapabilities(tenantId) {
    set((s) => {
      const { [tenantId]: _stale, ...rest } = s.capabilities;
      return { capabilities: rest };
    });
    if (get().activeTenantId === tenantId) void get().loadCapabilities(tenantId);
  },
  toast(kind, text) {
    const id = ++toastId;
    set((s) => ({ toasts: [...s.toasts, { id, kind, text }].slice(-5) }));
    setTimeout(() => get().dismiss(id), kind === 'error' ? 10_000 : 5_000);
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));

/** Whether the active tenant's grant allows a capability; with the missing scopes for the tooltip. */
export function useCapability(cap: Capability): { allowed: boolean; reason: string | null } {
  const state = useAppStore((s) => (s.activeTenantId ? s.capabilities[s.activeTenantId] : undefined));
  if (!state) return { allowed: true, reason: null };
  if ('code' in state) return { allowed: true, reason: null };
  const c = state[cap];
  return c.allowed
    ? { allowed: true, reason: null }
    : { allowed: false, reason: `This tenant's grant lacks ${c.missingScopes.join(', ')}` };
}
