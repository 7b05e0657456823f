// The user open in the detail panel, its related data, and the writes on it (each with progress and a toast).
import { create } from 'zustand';
import type {
  Auth0User,
  ChannelInput,
  ChannelName,
  ErrorEnvelope,
  LogEventSummary,
  MfaState,
  RoleSummary,
} from '../../../preload/contract';
import { bridge } from '../bridge';
import { useAppStore } from './app';

interface DetailState {
  userId: string | null;
  user: Auth0User | null;
  loading: boolean;
  error: ErrorEnvelope | null;
  roles: RoleSummary[] | null;
  logs: LogEventSummary[] | null;
  mfa: MfaState | null;
  blocks: { identifier: string; ip?: string }[] | null;
  running: string | null;
  open(tenantId: string, userId: string): Promise<void>;
  close(): void;
  refresh(tenantId: string): Promise<void>;
  loadExtras(tenantId: string): Promise<void>;
  /** Runs one write: progress while it runs, a toast after, the user reloaded. Returns the result or the error. */
  act<C extends ChannelName>(
    label: string,
    channel: C,
    input: ChannelInput<C>,
    success: string,
  ): Promise<{ ok: boolean; data?: unknown; error?: ErrorEnvelope }>;
}

export const useDetailStore = create<DetailState>((set, get) => ({
  userId: null,
  user: null,
  loading: false,
  error: null,
  roles: null,
  logs: null,
  mfa: null,
  blocks: null,
  running: null,
  async open(tenantId, userId) {
    set({ userId, user: null, loading: true, error: null, roles: null, logs: null, mfa: null, blocks: null });
    await get().refresh(tenantId);
    void get().loadExtras(tenantId);
  },
  close() {
    set({ userId: null, user: null, error: null });
  },
  async refresh(tenantId) {
    const userId = get().userId;
    if (!userId) return;
    const r = await bridge.invoke('users:get', { tenantId, userId });
    if (get().userId !== userId) return;
    set(r.ok ? { user: r.data, loading: false, error: null } : { loading: false, error: r.error });
  },
  async loadExtras(tenantId) {
    const userId = get().userId;
    if (!userId) return;
    const [roles, logs, mfa, blocks] = await Promise.all([
      bridge.invoke('users:roles', { tenantId, userId }),
      bridge.invoke('users:logs', { tenantId, userId }),
      bridge.invoke('users:mfa', { tenantId, userId }),
      bridge.invoke('users:blocks', { tenantId, userId }),
    ]);
    if (get().userId !== userId) return;
    set({
      roles: roles.ok ? roles.data : [],
      logs: logs.ok ? logs.data.logs : [],
      mfa: mfa.ok ? mfa.data : null,
      blocks: blocks.ok ? blocks.data : [],
    });
  },
  async act(label, channel, input, success) {
    set({ running: label });
    const r = await bridge.invoke(channel, input);
    set({ running: null });
    const toast = useAppStore.getState().toast;
    if (!r.ok) {
      toast('error', `${label} failed: ${r.error.message}`);
      return { ok: false, error: r.error };
    }
    toast('success', success);
    const tenantId = (input as { tenantId: string }).tenantId;
    if (channel !== 'users:delete') {
      await get().refresh(tenantId);
      void get().loadExtras(tenantId);
    }
    return { ok: true, data: r.data };
  },
}));
