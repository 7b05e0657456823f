// Tenant profiles as the renderer knows them (never a secret), connection-test results, and the writes on them —
// each through the production guard of the tenant it changes.
import { create } from 'zustand';
import type {
  ChannelInput,
  ConnectionTestResult,
  ErrorEnvelope,
  TenantProfile,
} from '../../../../preload/contract';
import { bridge } from '../../bridge';
import { guardedInvoke, type GuardCopy } from '../../stores/guard';
import { useAppStore } from '../../stores/app';

type Busy =
  'loading' | 'local-tenant' | 'adding' | `test:${string}` | `remove:${string}` | `save:${string}` | null;

/** A write's outcome for a form: null when done, the error, or 'cancelled' when the user said no at the guard. */
export type WriteOutcome = ErrorEnvelope | null | 'cancelled';

interface TenantsState {
  tenants: TenantProfile[];
  loaded: boolean;
  busy: Busy;
  error: ErrorEnvelope | null;
  tests: Record<string, ConnectionTestResult | ErrorEnvelope>;
  load(): Promise<void>;
  startLocalTenant(): Promise<TenantProfile | null>;
  add(input: ChannelInput<'tenants:add'>): Promise<ErrorEnvelope | null>;
  update(
    tenant: TenantProfile,
    patch: ChannelInput<'tenants:update'>['patch'],
    copy: GuardCopy,
  ): Promise<WriteOutcome>;
  setSecret(
    tenant: TenantProfile,
    input: Omit<ChannelInput<'tenants:set-secret'>, 'id' | 'guard'>,
    copy: GuardCopy,
  ): Promise<WriteOutcome>;
  removeSecret(tenant: TenantProfile): Promise<WriteOutcome>;
  remove(tenant: TenantProfile): Promise<WriteOutcome>;
  test(id: string): Promise<void>;
  replaceAll(tenants: TenantProfile[]): void;
  /** Drops a connection test result (and the grant learnt from it) that no longer describes the tenant. */
  forgetConnection(id: string): void;
}

export const useTenantsStore = create<TenantsState>((set, get) => {
  /** One guarded write on a profile: busy while it runs; then the profile list (and what its grant allows) again. */
  const write = async <
    C extends 'tenants:update' | 'tenants:set-secret' | 'tenants:remove-secret' | 'tenants:remove',
  >(
    tenant: TenantProfile,
    channel: C,
    input: Omit<ChannelInput<C>, 'guard'>,
    copy: GuardCopy,
    busy: Busy = `save:${tenant.id}`,
  ): Promise<WriteOutcome> => {
    set({ busy });
    const r = await guardedInvoke(tenant, channel, input, copy);
    set({ busy: null });
    if (!r) return 'cancelled';
    if (!r.ok) return r.error;
    if (channel !== 'tenants:remove') get().forgetConnection(tenant.id);
    await get().load();
    return null;
  };
  return {
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
    async startLocalTenant() {
      set({ busy: 'local-tenant', error: null });
      const r = await bridge.invoke('local-tenant:start', {});
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
    update: (tenant, patch, copy) => write(tenant, 'tenants:update', { id: tenant.id, patch }, copy),
    setSecret: (tenant, input, copy) =>
      write(tenant, 'tenants:set-secret', { ...input, id: tenant.id }, copy),
    removeSecret: (tenant) =>
      write(
        tenant,
        'tenants:remove-secret',
        { id: tenant.id },
        {
          title: `Forget the stored secret of ${tenant.label}?`,
          body: <p>Tenant Desk can&rsquo;t reach {tenant.domain} again until you set a new one.</p>,
          confirmLabel: 'Forget secret',
        },
      ),
    remove: (tenant) =>
      write(
        tenant,
        'tenants:remove',
        { id: tenant.id },
        {
          title: `Remove ${tenant.label}?`,
          body: (
            <p>
              Tenant Desk forgets this tenant and its stored secret. The tenant itself (
              <code>{tenant.domain}</code>) is not changed.
            </p>
          ),
          confirmLabel: 'Remove tenant',
          danger: true,
          always: true,
        },
        `remove:${tenant.id}`,
      ),
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
  };
});
