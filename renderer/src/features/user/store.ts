// The user open in the detail panel — bound to the tenant it was opened for. Every answer is checked against the
// opening it belongs to (a later opening or a closed panel drops it), each section has an honest state, sections
// the grant doesn't allow are never requested, and writes go through the guard to the panel's own tenant.
import { create } from 'zustand';
import type {
  Auth0User,
  Capability,
  ChannelInput,
  ChannelOutput,
  ErrorEnvelope,
  LogEventSummary,
  MfaState,
  Result,
  RoleSummary,
  TenantProfile,
  WriteChannel,
} from '../../../../preload/contract';
import { forbidden, fromResult, loading, type Async } from '../../async';
import { bridge } from '../../bridge';
import { guardedInvoke, type GuardCopy } from '../../stores/guard';
import { useAppStore } from '../../stores/app';
import { useTenantsStore } from '../tenants/store';

export type Section = 'roles' | 'logs' | 'mfa' | 'blocks';
type Blocks = { identifier: string; ip?: string; connection?: string }[];

/** What each section needs from the grant. */
const SECTION_CAPABILITY: Record<Section, Capability> = {
  roles: 'users:roles',
  logs: 'logs:read',
  mfa: 'mfa:read',
  blocks: 'users:read',
};

export type UserWriteChannel = Extract<WriteChannel, `users:${string}`>;

interface DetailState {
  tenantId: string | null;
  userId: string | null;
  /** Which opening the panel shows; an answer for another one is dropped. */
  seq: number;
  user: Async<Auth0User>;
  roles: Async<RoleSummary[]>;
  logs: Async<{ logs: LogEventSummary[]; total: number }>;
  /** Which page of the user's log events is shown (50 a page, newest first). */
  logsPage: number;
  mfa: Async<MfaState>;
  blocks: Async<Blocks>;
  running: string | null;
  /** Parts of the panel with edits not yet saved. */
  dirty: Record<string, boolean>;
  /** The panel is on screen (its actions are offered by the palette and their keys). */
  shown: boolean;
  /** Counts the writes that change how the user reads in a list (blocked, verified, deleted): lists search again. */
  changed: number;
  /**
   * Unsaved edits carried over a reload of the user (a stale edit's Reload): an editor that is remade for the
   * reloaded user starts from them, applied to the user as it is now.
   */
  carried: Record<string, unknown>;
  /** The password-change link: how long it lasts, where it sends the user after, and the one created. */
  link: { ttlHours: number; resultUrl: string; created: { ticket: string; expiresAt: string } | null };
  open(tenantId: string, userId: string): Promise<void>;
  close(): void;
  refresh(): Promise<void>;
  /** Reloads the user, keeping what `carry` holds for the editors remade for it (see `carried`). */
  reload(carry?: Record<string, unknown>): Promise<void>;
  /** An editor took what was carried for it. */
  takeCarried(part: string): void;
  /** Loads a section; for logs, optionally another page of them. */
  load(section: Section, page?: number): Promise<void>;
  setDirty(part: string, dirty: boolean): void;
  setShown(shown: boolean): void;
  setLink(patch: Partial<DetailState['link']>): void;
  /** A write changed how the user reads in a list. */
  markChanged(): void;
  /**
   * Runs one write on the panel's user and tenant: the guard asks what the tenant's policy needs, progress shows
   * while it runs, a toast after, and the user is reloaded. Resolves with null when the user cancelled.
   */
  act<C extends UserWriteChannel>(
    channel: C,
    input: Omit<ChannelInput<C>, 'tenantId' | 'userId' | 'guard'>,
    words: { progress: string; success: string; confirm?: GuardCopy },
  ): Promise<Result<ChannelOutput<C>> | null>;
}

const closed = {
  tenantId: null,
  userId: null,
  user: loading,
  roles: loading,
  logs: loading,
  logsPage: 0,
  mfa: loading,
  blocks: loading,
  running: null,
  dirty: {},
  carried: {},
  link: { ttlHours: 24, resultUrl: '', created: null },
};

/** The tenant a panel was opened for (its profile as the window knows it now). */
export function detailTenant(tenantId: string | null): TenantProfile | undefined {
  return useTenantsStore.getState().tenants.find((t) => t.id === tenantId);
}

/**
 * A write refused because the user changed on the tenant since the panel loaded it: the form says so beside itself
 * with a Reload button, so no toast is raised for it.
 */
export function isStaleEdit(error: ErrorEnvelope | null | undefined): boolean {
  return error?.code === 'conflict' && (error.details as { stale?: unknown } | undefined)?.stale === true;
}

export function hasUnsavedEdits(state: Pick<DetailState, 'dirty'>): boolean {
  return Object.values(state.dirty).some(Boolean);
}

export const useDetailStore = create<DetailState>((set, get) => {
  /** Applies a patch only if the panel still shows the opening `seq`. */
  const forOpening = (seq: number, patch: Partial<DetailState>) => {
    if (get().seq === seq) set(patch);
  };
  return {
    ...closed,
    seq: 0,
    shown: false,
    changed: 0,
    async open(tenantId, userId) {
      const seq = get().seq + 1;
      set({ ...closed, tenantId, userId, seq });
      await get().refresh();
      for (const section of ['roles', 'logs', 'mfa', 'blocks'] as const) void get().load(section);
    },
    close() {
      set({ ...closed, seq: get().seq + 1 });
    },
    async refresh() {
      const { tenantId, userId, seq } = get();
      if (!tenantId || !userId) return;
      const r = await bridge.invoke('users:get', { tenantId, userId });
      forOpening(seq, { user: fromResult(r) });
    },
    async reload(carry) {
      set({ carried: carry ?? {} });
      await get().refresh();
    },
    takeCarried(part) {
      if (part in get().carried) {
        const rest = { ...get().carried };
        delete rest[part];
        set({ carried: rest });
      }
    },
    async load(section, page) {
      const { tenantId, userId, seq } = get();
      if (section === 'logs' && page !== undefined) set({ logsPage: page });
      if (!tenantId || !userId) return;
      const grant = useAppStore.getState().capabilities[tenantId];
      const cap = grant && !('code' in grant) ? grant[SECTION_CAPABILITY[section]] : undefined;
      if (cap && !cap.allowed) return forOpening(seq, { [section]: forbidden(cap.missingScopes) });
      forOpening(seq, { [section]: loading });
      const input = { tenantId, userId };
      const r =
        section === 'roles'
          ? await bridge.invoke('users:roles', input)
          : section === 'logs'
            ? await bridge.invoke('users:logs', { ...input, page: get().logsPage })
            : section === 'mfa'
              ? await bridge.invoke('users:mfa', input)
              : await bridge.invoke('users:blocks', input);
      forOpening(seq, { [section]: fromResult(r as Result<unknown>) });
    },
    setShown(shown) {
      if (get().shown !== shown) set({ shown });
    },
    setLink(patch) {
      set({ link: { ...get().link, ...patch } });
    },
    markChanged() {
      set({ changed: get().changed + 1 });
    },
    setDirty(part, dirty) {
      if (!!get().dirty[part] !== dirty) set({ dirty: { ...get().dirty, [part]: dirty } });
    },
    async act(channel, input, words) {
      const { tenantId, userId, seq } = get();
      const tenant = detailTenant(tenantId);
      if (!tenant || !userId) return null;
      const toast = useAppStore.getState().toast;
      const r = await guardedInvoke(
        tenant,
        channel,
        { ...input, tenantId: tenant.id, userId } as never,
        words.confirm ?? { title: words.progress, body: null, confirmLabel: 'Confirm' },
        () => forOpening(seq, { running: words.progress }),
      );
      if (!r) return null;
      // The write is done either way; the panel may have moved on meanwhile — then only the toast tells.
      forOpening(seq, { running: null });
      if (!r.ok) {
        // A stale edit is said beside the form that made it, with its Reload button; a toast would cover it.
        if (isStaleEdit(r.error)) return r;
        const issues = (r.error.details as { issues?: unknown[] } | undefined)?.issues;
        // Problems with fields are shown beside them; the toast only says where to look.
        toast(
          'error',
          r.error.code === 'validation' && issues?.length
            ? `${words.progress} failed on ${tenant.label}: see the fields marked.`
            : `${words.progress} failed on ${tenant.label}: ${r.error.message}`,
        );
        return r;
      }
      toast('success', `${words.success} (${tenant.label})`);
      if (channel !== 'users:delete' && get().seq === seq) {
        await get().refresh();
        for (const section of ['roles', 'mfa', 'blocks'] as const) void get().load(section);
      }
      return r as Result<ChannelOutput<typeof channel>>;
    },
  };
});

// The app store knows which tenant has unsaved edits (a switch away asks first), and a switch closes the panel of
// another tenant's user.
useDetailStore.subscribe((s) => useAppStore.getState().setUnsavedIn(hasUnsavedEdits(s) ? s.tenantId : null));
useAppStore.subscribe((s, before) => {
  if (s.activeTenantId === before.activeTenantId) return;
  const detail = useDetailStore.getState();
  if (detail.tenantId && detail.tenantId !== s.activeTenantId) detail.close();
});
