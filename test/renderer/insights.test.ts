// @vitest-environment happy-dom
// The Insights store: charts asked one at a time over the chosen source (its progress), a cancel that stops before the
// next and drops the answer under way, and a bar opening its users where they are listed — a snapshot's search with
// the bar's query, the Users screen of the live tenant with it, or a live role's members on the Roles screen.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { insightChartIds, type InsightChart } from '../../preload/contract';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useInsightsStore } = await import('../../renderer/src/features/insights/store');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useSnapshotsStore } = await import('../../renderer/src/features/snapshots/store');
const { useUsersStore } = await import('../../renderer/src/features/users/store');
const { useRolesStore } = await import('../../renderer/src/features/roles/store');

const chart = (id: string): InsightChart =>
  ({
    id,
    title: id,
    kind: 'bar',
    bars: [{ label: 'Blocked', q: 'blocked:true', count: 2 }],
    note: null,
    asOf: '2026-12-01T00:00:00.000Z',
    requests: 1,
    ms: 1,
  }) as InsightChart;

beforeEach(() => {
  invoke.mockReset();
  useAppStore.setState({ view: 'insights', activeTenantId: 'ten_1' });
});

describe('the Insights store', () => {
  it('asks each chart in turn over the source, and a cancel drops the rest', async () => {
    invoke.mockImplementation((channel: string, input: { chart: string }) =>
      Promise.resolve({ ok: true, data: chart(input.chart) }),
    );
    await useInsightsStore.getState().count({ kind: 'snapshot', snapshotId: 'snap_0123456789abcdef' });
    expect(invoke.mock.calls.map(([c, i]) => `${c} ${(i as { chart: string }).chart}`)).toEqual(
      insightChartIds.map((id) => `insights:snapshot-chart ${id}`),
    );
    expect(useInsightsStore.getState()).toMatchObject({ done: insightChartIds.length, running: false });

    invoke.mockReset();
    let release: () => void = () => undefined;
    invoke.mockImplementation(
      (_c: string, input: { chart: string }) =>
        new Promise((resolve) => (release = () => resolve({ ok: true, data: chart(input.chart) }))),
    );
    const run = useInsightsStore.getState().count({ kind: 'live', tenantId: 'ten_1' });
    useInsightsStore.getState().cancel();
    release();
    await run;
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke.mock.calls[0]![0]).toBe('insights:live-chart');
    expect(useInsightsStore.getState()).toMatchObject({
      running: false,
      cancelled: true,
      done: 0,
      charts: {},
    });
  });

  it('opens a bar’s users where they are listed', () => {
    const answers: Record<string, unknown> = {
      'roles:members': { members: [], next: null },
      'roles:get': { role: { id: 'rol_admin', name: 'Admin' }, memberCount: 2, permissions: [] },
    };
    invoke.mockImplementation((channel: string) =>
      Promise.resolve({ ok: true, data: answers[channel] ?? { users: [], total: 0, ms: 1, capped: false } }),
    );
    const bar = { label: 'Blocked', q: 'blocked:true', count: 2 };
    useInsightsStore.setState({ source: { kind: 'snapshot', snapshotId: 'snap_0123456789abcdef' } });
    useInsightsStore.getState().openBar(bar);
    expect(useAppStore.getState().view).toBe('snapshots');
    expect(useSnapshotsStore.getState().openId).toBe('snap_0123456789abcdef');
    expect(useSnapshotsStore.getState().searches['snap_0123456789abcdef']).toMatchObject({
      typed: 'blocked:true',
      q: 'blocked:true',
    });

    useInsightsStore.setState({ source: { kind: 'live', tenantId: 'ten_1' } });
    useInsightsStore.getState().openBar(bar);
    expect(useAppStore.getState().view).toBe('users');
    expect(useUsersStore.getState().of('ten_1').typed).toBe('blocked:true');
    expect(invoke).toHaveBeenCalledWith(
      'users:search',
      expect.objectContaining({ tenantId: 'ten_1', q: 'blocked:true' }),
    );

    useInsightsStore.getState().openBar({ label: 'Admin', q: null, count: 2, roleId: 'rol_admin' });
    expect(useAppStore.getState().view).toBe('roles');
    expect(useRolesStore.getState().of('ten_1').selectedId).toBe('rol_admin');
  });
});
