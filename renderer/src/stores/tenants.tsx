// Tenant profiles as the renderer knows them (never a secret), connection-test results, and the writes on them.
import { create } from 'zustand';
import type {
  ChannelInput,
  ConnectionTestResult,
  ErrorEnvelope,
  TenantProfile,
} from '../../../preload/contract';
import { bridge } from '../bridge';
import { useAppStore } from './app';

type Busy =
  'loading' | 'sandbox' | 'adding' | `test:${string}` | `remove:${string}` | `save:${string}` | null;

interface TenantsState {
  tenants: TenantProfile[];
  loaded: boolean;
  busy: Busy;
  error: ErrorEnvelope | null;
  tests: Record<string, ConnectionTestResult | ErrorEnvelope>;
  load(): Promise<void>;
  startSandbox(): Promise<TenantProfile | null>;
  add(input: ChannelInput<'tenants:add'>): Promise<ErrorEnvelope | null>;
  update(input: ChannelInput<'tenants:update'>): Promise<ErrorEnvelope | null>;
  setSecret(input: ChannelInput<'tenants:set-secret'>): Promise<ErrorEnvelope | null>;
  removeSecret(id: string): Promise<ErrorEnvelope | null>;
  remove(id: string): Promise<ErrorEnvelope | null>;
  test(id: string): Promise<void>;
  replaceAll(tenants: TenantProfile[]): void;
  /** Drops a connection test result (and the grant learnt from it) that no longer describes the tenant. */
  forgetConnection(id: string): void;
}

export const useTenantsStore = create<TenantsState>((set, get) => ({
  tenants: [],
  loaded: false,
  busy: null,
  error: null,
  tests: {},
  async load() {
    set({ busy: 'loading' });
    const r = await bridge.invoke('tenants:list', {});
    set(
      r.ok
        ? { tenants: r.data, loaded: true, busy: null, error: null }
        : { error: r.error, loaded: true, busy: null },
    );
  },
  async startSandbox() {
    set({ busy: 'sandbox', error: null });
    const r = await bridge.invoke('sandbox:start', {});
    set({ busy: null, ...(r.ok ? {} : { error: r.error }) });
    if (r.ok) await get().load();
    return r.ok ? r.data : null;
  },
  async add(input) {
    set({ busy: 'adding' });
    const r = await bridge.invoke('tenants:add', input);
    set({ busy: null });
    if (!r.ok) return r.error;
    await get().load();
    return null;
  },
  async update(input) {
    set({ busy: `save:${input.id}` });
    const r = await bridge.invoke('tenants:update', input);
    set({ busy: null });
    if (!r.ok) return r.error;
    get().forgetConnection(input.id);
    await get().load();
    return null;
  },
  async setSecret(input) {
    set({ busy: `save:${input.id}` });
    const r = await bridge.invoke('tenants:set-secret', input);
    set({ busy: null });
    if (!r.ok) return r.error;
    get().forgetConnection(input.id);
    await get().load();
    return null;
  },
  async removeSecret(id) {
    set({ busy: `save:${id}` });
    const r = await bridge.invoke('tenants:remove-secret', { id });
    set({ busy: null });
    if (!r.ok) return r.error;
    get().forgetConnection(id);
    await get().load();
    return null;
  },
  async remove(id) {
    set({ busy: `remove:${id}` });
    const r = await bridge.invoke('tenants:remove', { id });
    set({ busy: null });
    if (!r.ok) return r.error;
    await get().load();
    return null;
  },
  async test(id) {
    set({ busy: `test:${id}` });
    const r = await bridge.invoke('tenants:test-connection', { id });
    set((s) => ({ busy: null, tests: { ...s.tests, [id]: r.ok ? r.data : r.error } }));
  },
  replaceAll(tenants) {
    set({ tenants, loaded: true });
  },
  forgetConnection(id) {
    set((s) => {
      const { [id]: _stale, ...rest } = s.tests;
      return { tests: rest };
    });
    useAppStore.getState().invalidateCapabilities(id);
  },
}));
