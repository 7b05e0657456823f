// App-wide state: host info, keychain status, the active tenant and what its grant allows, the current view, the
// local tenant's status, tenants whose requests stalled, toasts. Switching tenant closes what belongs to the old
// one, and asks first when that would discard unsaved edits.
import { create } from 'zustand';
import type {
  AppInfo,
  Capability,
  CapabilityState,
  ErrorEnvelope,
  Events,
  KeychainStatus,
  LocalTenantStatus,
} from '../../../preload/contract';
import { bridge } from '../bridge';
import { usePrefsStore } from './prefs';

export type View =
  | 'users'
  | 'logs'
  | 'bulk'
  | 'snapshots'
  | 'insights'
  | 'tenants'
  | 'audit'
  | 'roles'
  | 'organizations'
  | 'imports'
  | 'across'
  | 'tasks';

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
  localTenant: LocalTenantStatus | null;
  stalled: Record<string, Events['tenants:stalled']>;
  /** The tenant whose open user has edits not yet saved (the user panel says so): a switch away asks first. */
  unsavedIn: string | null;
  /** A switch waiting for the user to say what happens to unsaved edits. */
  pendingSwitch: { tenantId: string; view: View } | null;
  toasts: Toast[];
  load(): Promise<void>;
  /** Asks again which tenants lack their keychain secret (after a secret was set or a tenant removed). */
  refreshKeychain(): Promise<void>;
  /** Switches at once; the old tenant's user panel closes (callers check for unsaved edits first). */
  setActiveTenant(id: string | null): void;
  /** Switches tenant (and view), or asks first if the open user has unsaved edits. */
  requestSwitch(tenantId: string, view?: View): void;
  resolveSwitch(discard: boolean): void;
  setView(view: View): void;
  loadCapabilities(tenantId: string): Promise<void>;
  /** A tenant's domain, client or secret changed: what its grant allows must be learnt again. */
  invalidateCapabilities(tenantId: string): void;
  setUnsavedIn(tenantId: string | null): void;
  setLocalTenant(status: LocalTenantStatus): void;
  setStalled(event: Events['tenants:stalled'] | { tenantId: string; cleared: true }): void;
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
  localTenant: null,
  stalled: {},
  unsavedIn: null,
  pendingSwitch: null,
  toasts: [],
  async load() {
    const [info, keychain, local] = await Promise.all([
      bridge.invoke('app:info', {}),
      bridge.invoke('keychain:status', {}),
      bridge.invoke('local-tenant:status', {}),
    ]);
    set({
      info: info.ok ? info.data : null,
      keychain: keychain.ok ? keychain.data : null,
      localTenant: local.ok ? local.data : get().localTenant,
      error: !info.ok ? info.error : !keychain.ok ? keychain.error : null,
    });
  },
  async refreshKeychain() {
    const keychain = await bridge.invoke('keychain:status', {});
    if (keychain.ok) set({ keychain: keychain.data });
  },
  setActiveTenant(id) {
    if (id) localStorage.setItem('tenant-desk-active', id);
    else localStorage.removeItem('tenant-desk-active');
    set({ activeTenantId: id });
    if (id && !get().capabilities[id]) void get().loadCapabilities(id);
  },
  requestSwitch(tenantId, view = get().view) {
    const unsaved = get().unsavedIn;
    if (unsaved !== null && unsaved !== tenantId) return set({ pendingSwitch: { tenantId, view } });
    get().setActiveTenant(tenantId);
    get().setView(view);
  },
  resolveSwitch(discard) {
    const pending = get().pendingSwitch;
    set({ pendingSwitch: null });
    if (!pending || !discard) return;
    get().setActiveTenant(pending.tenantId);
    get().setView(pending.view);
  },
  setView(view) {
    set({ view });
    // The screen last used is where the next start opens.
    usePrefsStore.getState().set('view', view);
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
  setUnsavedIn(tenantId) {
    if (get().unsavedIn !== tenantId) set({ unsavedIn: tenantId });
  },
  setLocalTenant(status) {
    set({ localTenant: status });
  },
  setStalled(event) {
    set((s) => {
      const { [event.tenantId]: _old, ...rest } = s.stalled;
      return { stalled: 'cleared' in event ? rest : { ...rest, [event.tenantId]: event } };
    });
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

/** Whether a tenant's grant (as last learnt) allows a capability; with the missing scopes for a tooltip. */
export function capabilityIn(
  state: Record<Capability, CapabilityState> | ErrorEnvelope | undefined,
  cap: Capability,
): { allowed: boolean; reason: string | null } {
  if (!state || 'code' in state) return { allowed: true, reason: null };
  const c = state[cap] as CapabilityState | undefined;
  // A capability this main does not report yet is not refused here: main still checks every request.
  if (!c) return { allowed: true, reason: null };
  return c.allowed
    ? { allowed: true, reason: null }
    : { allowed: false, reason: `This tenant's grant lacks ${c.missingScopes.join(', ')}` };
}

/** Whether a tenant's grant allows a capability, now (outside React: a command's `when`). */
export function canNow(cap: Capability, tenantId: string): boolean {
  return capabilityIn(useAppStore.getState().capabilities[tenantId], cap).allowed;
}

/** Whether a tenant's grant allows a capability; with the missing scopes for the tooltip. */
export function useCapability(
  cap: Capability,
  tenantId?: string,
): { allowed: boolean; reason: string | null } {
  const state = useAppStore((s) => {
    const id = tenantId ?? s.activeTenantId;
    return id ? s.capabilities[id] : undefined;
  });
  return capabilityIn(state, cap);
}
