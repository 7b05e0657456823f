// @vitest-environment happy-dom
// The renderer's stores without a window: the logs query composed from filters, the live tail following a
// checkpoint (first learning "now", then adding only new matching events, pausing, stopping), reading past 1,000 by
// checkpoint, a cancelled search's answer dropped, Shift-ranges of the bulk selection, and preferences written once
// a burst of changes settles.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { composeLogQuery, emptyLogFilters, useLogsStore, freshLogs, tailDelay } =
  await import('../../renderer/src/features/logs/store');
const { useUsersStore, freshSearch } = await import('../../renderer/src/features/users/store');
const { usePrefsStore, PREF_WRITE_DELAY_MS } = await import('../../renderer/src/stores/prefs');

const ev = (n: number, type = 's') => ({
  log_id: `9000${String(n).padStart(6, '0')}`,
  date: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
  type,
});
const T = 'ten_1';

beforeEach(() => {
  invoke.mockReset();
  useLogsStore.setState({ byTenant: {} });
  useUsersStore.setState({ byTenant: {} });
});
afterEach(() => {
  useLogsStore.getState().stopTail(T);
  vi.useRealTimers();
});

describe('composeLogQuery', () => {
  it('ANDs the filters with the typed query, grouped', () => {
    expect(composeLogQuery('', emptyLogFilters)).toBe('');
    expect(
      composeLogQuery('description:"x" OR ip:1.2.3.4', {
        ...emptyLogFilters,
        category: 'rate-limit',
        user: 'auth0|abc',
        client: 'My App',
        from: '2026-11-01',
      }),
    ).toBe(
      '(description:"x" OR ip:1.2.3.4) AND type:(api_limit OR api_limit_warning) AND user_id:"auth0|abc" AND client_name:"My App" AND date:[2026-11-01 TO *]',
    );
    expect(composeLogQuery('', { ...emptyLogFilters, user: 'ann*', ip: '10.0.0.1' })).toBe(
      'user_name:ann* AND ip:10.0.0.1',
    );
  });
});

describe('the live tail', () => {
  it('learns where "now" is, then adds only new events, newest first, and counts them', async () => {
    const store = useLogsStore.getState();
    store.update(T, { ...freshLogs(), searched: true, shownQuery: '', logs: [ev(2), ev(1)], total: 2 });
    useLogsStore.setState((s) => ({
      byTenant: {
        ...s.byTenant,
        [T]: { ...s.byTenant[T]!, tail: { ...s.byTenant[T]!.tail, on: true, newest: ev(2).log_id } },
      },
    }));
    invoke.mockResolvedValueOnce({ ok: true, data: { logs: [ev(3), ev(4)], next: ev(4).log_id, read: 2 } });
    await store.pollTail(T);
    expect(invoke).toHaveBeenLastCalledWith('logs:checkpoint', {
      tenantId: T,
      from: ev(2).log_id,
      take: 100,
      q: '',
    });
    let s = useLogsStore.getState().of(T);
    expect(s.logs.map((l) => l.log_id)).toEqual([ev(4), ev(3), ev(2), ev(1)].map((l) => l.log_id));
    expect(s.tail.newest).toBe(ev(4).log_id);
    expect(s.tail.arrived).toBe(2);
    expect(s.fresh[ev(4).log_id]).toBe(true);
    // Nothing new: the checkpoint stays, nothing is added.
    invoke.mockResolvedValueOnce({ ok: true, data: { logs: [], next: ev(4).log_id, read: 0 } });
    await store.pollTail(T);
    s = useLogsStore.getState().of(T);
    expect(s.logs).toHaveLength(4);
    // Paused: no request at all.
    store.pauseTail(T, true);
    invoke.mockClear();
    await store.pollTail(T);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('without a checkpoint, the first poll only learns the newest event', async () => {
    const store = useLogsStore.getState();
    useLogsStore.setState({ byTenant: { [T]: { ...freshLogs(), tail: { ...freshLogs().tail, on: true } } } });
    invoke.mockResolvedValueOnce({ ok: true, data: { logs: [ev(7), ev(8)], next: ev(8).log_id, read: 2 } });
    await store.pollTail(T);
    const s = useLogsStore.getState().of(T);
    expect(invoke.mock.calls[0]![1]).not.toHaveProperty('from');
    expect(s.logs).toEqual([]);
    expect(s.tail.newest).toBe(ev(8).log_id);
  });

  it('says it is not following while reads fail, waits longer each time, and follows again by itself', async () => {
    vi.useFakeTimers();
    const refused = { ok: false, error: { code: 'unauthorized', message: 'refused', retryable: false } };
    invoke.mockResolvedValue(refused);
    const store = useLogsStore.getState();
    store.startTail(T);
    await vi.advanceTimersByTimeAsync(50);
    expect(invoke).toHaveBeenCalledTimes(1);
    let s = useLogsStore.getState().of(T).tail;
    expect(s).toMatchObject({ on: true, failures: 1, error: { code: 'unauthorized' } });
    expect(s.retryAt).not.toBeNull();
    // Backing off: 4 s, then 8 s, then 16 s — not every 2 s.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(invoke).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(7_900);
    expect(invoke).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(invoke).toHaveBeenCalledTimes(3);
    expect(useLogsStore.getState().of(T).tail.failures).toBe(3);
    expect(tailDelay(3)).toBe(16_000);
    expect(tailDelay(10)).toBe(60_000);
    // The tenant answers again: following, the error gone, every 2 s.
    invoke.mockResolvedValue({ ok: true, data: { logs: [], next: ev(1).log_id, read: 0 } });
    await vi.advanceTimersByTimeAsync(16_100);
    s = useLogsStore.getState().of(T).tail;
    expect(s).toMatchObject({ failures: 0, error: null, retryAt: null });
    const calls = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(4_050);
    expect(invoke.mock.calls.length - calls).toBe(2);
    store.stopTail(T);
  });

  it('polls on a timer while on, within the rate limit, and stops when stopped', async () => {
    vi.useFakeTimers();
    invoke.mockResolvedValue({ ok: true, data: { logs: [], next: ev(1).log_id, read: 0 } });
    const store = useLogsStore.getState();
    store.startTail(T);
    await vi.advanceTimersByTimeAsync(10_050);
    // At once, then every 2 s: 6 polls in 10 s — 36 a minute, inside Auth0's 100 log reads a minute.
    expect(invoke).toHaveBeenCalledTimes(6);
    store.stopTail(T);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(invoke).toHaveBeenCalledTimes(6);
  });
});

describe('reading past 1,000 by checkpoint', () => {
  it('starts from the oldest of the search and reads on until a page of matches or the newest event', async () => {
    const store = useLogsStore.getState();
    store.update(T, { ...freshLogs(), typed: 'type:f', searched: true, total: 5_000, capped: true });
    invoke
      .mockResolvedValueOnce({ ok: true, data: { logs: [ev(10, 'f')], total: 5_000, capped: true } })
      .mockResolvedValueOnce({
        ok: true,
        data: {
          logs: Array.from({ length: 60 }, (_, i) => ev(11 + i, 'f')),
          next: ev(110).log_id,
          read: 100,
        },
      })
      .mockResolvedValueOnce({
        ok: true,
        data: {
          logs: Array.from({ length: 30 }, (_, i) => ev(111 + i, 'f')),
          next: ev(140).log_id,
          read: 30,
        },
      });
    await store.readByCheckpoint(T);
    expect(invoke.mock.calls[0]).toEqual([
      'logs:search',
      { tenantId: T, q: 'type:f', page: 9, perPage: 100 },
    ]);
    expect(invoke.mock.calls[1]![1]).toMatchObject({ from: ev(10).log_id, q: 'type:f' });
    expect(invoke.mock.calls[2]![1]).toMatchObject({ from: ev(110).log_id });
    const s = useLogsStore.getState().of(T);
    expect(s.mode).toBe('checkpoint');
    expect(s.logs).toHaveLength(91);
    expect(s.checkpoint).toEqual({ next: ev(140).log_id, read: 131, caughtUp: true });
  });
});

describe('users', () => {
  const users = Array.from({ length: 10 }, (_, i) => ({ user_id: `auth0|${i}`, updated_at: `u${i}` }));
  it('a cancelled search leaves the results as they were', async () => {
    let answer: (v: unknown) => void = () => undefined;
    invoke.mockReturnValueOnce(new Promise((r) => (answer = r)));
    const store = useUsersStore.getState();
    store.update(T, { ...freshSearch(), users: users as never, searched: true, total: 10 });
    const running = store.search(T);
    expect(useUsersStore.getState().of(T).loading).toBe(true);
    store.cancel(T);
    answer({ ok: true, data: { users: [], total: 0, capped: false } });
    await running;
    const s = useUsersStore.getState().of(T);
    expect(s.loading).toBe(false);
    expect(s.users).toHaveLength(10);
  });
  it('Shift picks the range from the last row clicked, and unpicks it the same way', () => {
    const store = useUsersStore.getState();
    store.update(T, { ...freshSearch(), users: users as never });
    store.toggle(T, 2, false);
    store.toggle(T, 6, true);
    expect(Object.keys(useUsersStore.getState().of(T).selected).sort()).toEqual([
      'auth0|2',
      'auth0|3',
      'auth0|4',
      'auth0|5',
      'auth0|6',
    ]);
    expect(useUsersStore.getState().of(T).selected['auth0|4']).toBe('u4');
    store.toggle(T, 4, false);
    store.toggle(T, 3, true);
    expect(Object.keys(useUsersStore.getState().of(T).selected).sort()).toEqual([
      'auth0|2',
      'auth0|5',
      'auth0|6',
    ]);
  });
});

describe('preferences', () => {
  it('a burst of changes to one preference is written once, when it settles', async () => {
    vi.useFakeTimers();
    invoke.mockResolvedValue({ ok: true, data: { saved: true } });
    const prefs = usePrefsStore.getState();
    for (let w = 100; w <= 300; w += 10) prefs.set('table:users:t:sizes', { email: w });
    expect(usePrefsStore.getState().values['table:users:t:sizes']).toEqual({ email: 300 });
    expect(invoke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(PREF_WRITE_DELAY_MS + 10);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith('prefs:set', { key: 'table:users:t:sizes', value: { email: 300 } });
  });
});
