// The Logs screen's state, kept per tenant: the query and filters, the events shown (a search page, newest first, or
// checkpoint reading, oldest first, past Auth0's 1,000-result limit), the open event, and the live tail — checkpoint
// polling from the newest event seen, every few seconds (inside Auth0's log-read limit of 100 a minute), pausable.
import { create } from 'zustand';
import type { ErrorEnvelope, LogEventSummary, Result } from '../../../../preload/contract';
import { bridge } from '../../bridge';
import { readWithOneRetry } from '../../reads';
import { perTenant, type PerTenant } from '../../stores/per-tenant';
import { codesOf, type LogCategory } from './log-types';

export interface LogFilters {
  category: LogCategory | '';
  user: string;
  client: string;
  ip: string;
  from: string;
  to: string;
}

export const emptyLogFilters: LogFilters = { category: '', user: '', client: '', ip: '', from: '', to: '' };

/** How often the tail asks for new events (Auth0 allows 100 log reads a minute on most plans). */
export const TAIL_INTERVAL_MS = 2_000;
export const LOG_PAGE = 100;
const SEARCH_CAP = 1000;
/** Checkpoint pages read per "read on" at most (each is one request). */
const READ_ON_PAGES = 10;

function quote(v: string): string {
  return /[\s:"()\\/]/.test(v) ? `"${v.replace(/(["\\])/g, '\\$1')}"` : v;
}

/** The filters as Auth0 log query syntax, AND'ed with what was typed. */
export function composeLogQuery(typed: string, f: LogFilters): string {
  const parts: string[] = [];
  if (f.category) {
    const codes = codesOf(f.category);
    if (codes.length) parts.push(`type:(${codes.join(' OR ')})`);
  }
  const user = f.user.trim();
  if (user)
    parts.push(
      user.includes('|')
        ? // A user id is always quoted (its | and the characters after it), as Auth0's examples write it.
          `user_id:"${user.replace(/(["\\])/g, '\\$1')}"`
        : user.includes('*')
          ? `user_name:${user}`
          : `user_name:${quote(user)}`,
    );
  const client = f.client.trim();
  if (client)
    parts.push(/^[A-Za-z0-9]{32}$/.test(client) ? `client_id:${client}` : `client_name:${quote(client)}`);
  if (f.ip.trim()) parts.push(`ip:${quote(f.ip.trim())}`);
  if (f.from || f.to) parts.push(`date:[${f.from || '*'} TO ${f.to || '*'}]`);
  const q = typed.trim();
  if (q) parts.unshift(parts.length ? `(${q})` : q);
  return parts.join(' AND ');
}

export interface TenantLogs {
  typed: string;
  filters: LogFilters;
  /** search: Auth0's search, newest first, pages within 1,000; checkpoint: reading on by log id, oldest first. */
  mode: 'search' | 'checkpoint';
  page: number;
  logs: LogEventSummary[];
  total: number;
  capped: boolean;
  searched: boolean;
  /** The query the events shown are for. */
  shownQuery: string | null;
  loading: boolean;
  /** A failed request; the events shown stay, marked stale. */
  error: ErrorEnvelope | null;
  /** Checkpoint reading: where to read on from, events read so far, whether it caught up with the newest. */
  checkpoint: { next: string | null; read: number; caughtUp: boolean } | null;
  tail: {
    on: boolean;
    paused: boolean;
    newest: string | null;
    arrived: number;
    error: ErrorEnvelope | null;
    /** Reads that failed in a row (0 while it follows); the next one waits longer each time, up to a minute. */
    failures: number;
    /** When the next read after a failure goes (ms since the epoch), or null. */
    retryAt: number | null;
  };
  /** Log ids that arrived through the tail (highlighted). */
  fresh: Record<string, true>;
  openId: string | null;
  seq: number;
}

export function freshLogs(): TenantLogs {
  return {
    typed: '',
    filters: emptyLogFilters,
    mode: 'search',
    page: 0,
    logs: [],
    total: 0,
    capped: false,
    searched: false,
    shownQuery: null,
    loading: false,
    error: null,
    checkpoint: null,
    tail: { on: false, paused: false, newest: null, arrived: 0, error: null, failures: 0, retryAt: null },
    fresh: {},
    openId: null,
    seq: 0,
  };
}

interface LogsState extends PerTenant<TenantLogs, LogFilters> {
  search(tenantId: string, page?: number): Promise<void>;
  /** Drops the answer of the search under way. */
  cancel(tenantId: string): void;
  /** Reads every matching event by checkpoint, oldest first, from the From date (or the oldest shown). */
  readByCheckpoint(tenantId: string): Promise<void>;
  readOn(tenantId: string): Promise<void>;
  open(tenantId: string, logId: string | null): void;
  startTail(tenantId: string): void;
  stopTail(tenantId: string): void;
  pauseTail(tenantId: string, paused: boolean): void;
  /** One poll of the tail (the timer calls it; exposed for tests). */
  pollTail(tenantId: string): Promise<void>;
  /** One event with everything Auth0 recorded (the drawer's raw view). */
  getEvent(tenantId: string, logId: string): Promise<Result<Record<string, unknown>>>;
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();

export const useLogsStore = create<LogsState>((set, get) => ({
  ...perTenant<TenantLogs, LogFilters>(set, get, freshLogs),
  async search(tenantId, page = 0) {
    const current = get().of(tenantId);
    const seq = current.seq + 1;
    const q = composeLogQuery(current.typed, current.filters);
    get().update(tenantId, { loading: true, seq, page });
    const ask = () => bridge.invoke('logs:search', { tenantId, q, page, perPage: LOG_PAGE });
    const r = await readWithOneRetry(ask, () => get().of(tenantId).seq === seq);
    if (get().of(tenantId).seq !== seq) return;
    if (!r.ok) return get().update(tenantId, { loading: false, error: r.error });
    const newest = page === 0 ? (r.data.logs[0]?.log_id ?? null) : get().of(tenantId).tail.newest;
    get().update(tenantId, {
      mode: 'search',
      logs: r.data.logs,
      total: r.data.total,
      capped: r.data.capped,
      searched: true,
      shownQuery: q,
      loading: false,
      error: null,
      checkpoint: null,
      fresh: {},
      tail: { ...get().of(tenantId).tail, newest: newest ?? get().of(tenantId).tail.newest },
    });
  },
  cancel(tenantId) {
    const current = get().of(tenantId);
    get().update(tenantId, { loading: false, seq: current.seq + 1 });
  },
  async readByCheckpoint(tenantId) {
    const current = get().of(tenantId);
    const seq = current.seq + 1;
    const q = composeLogQuery(current.typed, current.filters);
    get().update(tenantId, { loading: true, seq });
    // Where to start: the oldest event of the search at or after the From date — the search's last page gives it.
    const lastPage = Math.ceil(Math.min(current.total, SEARCH_CAP) / LOG_PAGE) - 1;
    const r = await bridge.invoke('logs:search', {
      tenantId,
      q,
      page: Math.max(0, lastPage),
      perPage: LOG_PAGE,
    });
    if (get().of(tenantId).seq !== seq) return;
    if (!r.ok) return get().update(tenantId, { loading: false, error: r.error });
    const oldest = r.data.logs[r.data.logs.length - 1];
    get().update(tenantId, {
      mode: 'checkpoint',
      logs: oldest ? [oldest] : [],
      shownQuery: q,
      searched: true,
      error: null,
      fresh: {},
      checkpoint: { next: oldest?.log_id ?? null, read: oldest ? 1 : 0, caughtUp: !oldest },
      loading: false,
    });
    if (oldest) await get().readOn(tenantId);
  },
  async readOn(tenantId) {
    const current = get().of(tenantId);
    if (current.mode !== 'checkpoint' || !current.checkpoint) return;
    const seq = current.seq + 1;
    const q = current.shownQuery ?? '';
    get().update(tenantId, { loading: true, seq });
    let { next, read } = current.checkpoint;
    const found: LogEventSummary[] = [];
    let caughtUp = false;
    for (let i = 0; i < READ_ON_PAGES && found.length < LOG_PAGE; i++) {
      const r = await bridge.invoke('logs:checkpoint', {
        tenantId,
        ...(next ? { from: next } : {}),
        take: LOG_PAGE,
        q,
      });
      if (get().of(tenantId).seq !== seq) return;
      if (!r.ok) return get().update(tenantId, { loading: false, error: r.error });
      found.push(...r.data.logs);
      read += r.data.read;
      next = r.data.next;
      if (r.data.read < LOG_PAGE) {
        caughtUp = true;
        break;
      }
    }
    get().update(tenantId, {
      logs: [...get().of(tenantId).logs, ...found],
      checkpoint: { next, read, caughtUp },
      loading: false,
      error: null,
    });
  },
  getEvent: (tenantId, logId) => bridge.invoke('logs:get', { tenantId, logId }),
  open(tenantId, logId) {
    get().update(tenantId, { openId: logId });
  },
  startTail(tenantId) {
    const t = get().of(tenantId).tail;
    get().update(tenantId, {
      tail: { ...t, on: true, paused: false, error: null, failures: 0, retryAt: null },
    });
    schedule(tenantId, 0);
  },
  stopTail(tenantId) {
    clearTimeout(timers.get(tenantId));
    timers.delete(tenantId);
    const t = get().of(tenantId).tail;
    get().update(tenantId, { tail: { ...t, on: false, paused: false } });
  },
  pauseTail(tenantId, paused) {
    const t = get().of(tenantId).tail;
    get().update(tenantId, { tail: { ...t, paused } });
    if (!paused) schedule(tenantId, 0);
  },
  async pollTail(tenantId) {
    const state = get().of(tenantId);
    if (!state.tail.on || state.tail.paused) return;
    // Events are matched against the query the list shows; until something was searched, the filters as set.
    const q = state.shownQuery ?? composeLogQuery(state.typed, state.filters);
    performance.mark('logs:tail-poll');
    const r = await bridge.invoke('logs:checkpoint', {
      tenantId,
      ...(state.tail.newest ? { from: state.tail.newest } : {}),
      take: LOG_PAGE,
      q,
    });
    const now = get().of(tenantId);
    if (!now.tail.on) return;
    if (!r.ok) {
      // Said as it is: not following while reads fail; tried again later and later, and back by itself once one works.
      const failures = now.tail.failures + 1;
      return get().update(tenantId, {
        tail: { ...now.tail, error: r.error, failures, retryAt: Date.now() + tailDelay(failures) },
      });
    }
    // The first poll without a checkpoint only learns where "now" is.
    const first = !now.tail.newest;
    const arrived = first ? [] : r.data.logs;
    const fresh = { ...now.fresh };
    for (const l of arrived) fresh[l.log_id] = true;
    const known = new Set(now.logs.map((l) => l.log_id));
    const added = arrived.filter((l) => !known.has(l.log_id));
    get().update(tenantId, {
      // Newest first in a search; at the end while reading by checkpoint (oldest first).
      logs: now.mode === 'search' ? [...[...added].reverse(), ...now.logs] : [...now.logs, ...added],
      total: now.total + added.length,
      fresh,
      searched: true,
      shownQuery: now.shownQuery ?? q,
      tail: {
        ...now.tail,
        newest: r.data.next ?? now.tail.newest,
        arrived: now.tail.arrived + added.length,
        error: null,
        failures: 0,
        retryAt: null,
      },
    });
    if (added.length) performance.mark('logs:tail-shown');
  },
}));

/** The wait before the next read: every 2 s while it follows; after failures 4 s, 8 s, … up to a minute. */
export function tailDelay(failures: number): number {
  return failures === 0 ? TAIL_INTERVAL_MS : Math.min(60_000, TAIL_INTERVAL_MS * 2 ** failures);
}

function schedule(tenantId: string, delay: number): void {
  clearTimeout(timers.get(tenantId));
  timers.set(
    tenantId,
    setTimeout(() => {
      void useLogsStore
        .getState()
        .pollTail(tenantId)
        .finally(() => {
          const t = useLogsStore.getState().of(tenantId).tail;
          if (t.on && !t.paused) schedule(tenantId, tailDelay(t.failures));
        });
    }, delay),
  );
}

export function useTenantLogs(tenantId: string): TenantLogs {
  return useLogsStore((s) => s.byTenant[tenantId]) ?? freshLogs();
}
