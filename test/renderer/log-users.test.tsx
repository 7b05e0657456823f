// @vitest-environment happy-dom
// "Act on the users of these events": the Logs screen hands the query of the events shown to Bulk edits, where the
// plan is asked for with the users of every matching log event (main reads past Auth0's 1,000-result limit).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { useLogsStore } = await import('../../renderer/src/features/logs/store');
const { useBulkStore } = await import('../../renderer/src/features/bulk/store');
const { LogsScreen } = await import('../../renderer/src/features/logs/LogsScreen');
const { BulkForm } = await import('../../renderer/src/features/bulk/BulkForm');

const tenant = tenantProfile();
const Q = 'type:s AND ip:"203.0.113.7"';

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string) => {
    if (channel === 'logs:search')
      return {
        ok: true,
        data: {
          logs: [
            {
              log_id: 'l1',
              date: '2026-12-01T02:10:00.000Z',
              type: 's',
              user_id: 'auth0|1',
              ip: '203.0.113.7',
            },
          ],
          total: 1,
          capped: false,
        },
      };
    if (channel === 'bulk:plan')
      return { ok: false, error: { code: 'internal', message: 'not here', retryable: false } };
    return { ok: true, data: [] };
  });
  useTenantsStore.setState({ tenants: [tenant], loaded: true });
  useAppStore.setState({ activeTenantId: tenant.id, view: 'logs', capabilities: {} });
});
afterEach(cleanup);

it('takes the query of the events shown to Bulk edits, and plans for the users of every matching event', async () => {
  useLogsStore.getState().update(tenant.id, { typed: Q });
  render(<LogsScreen tenant={tenant} />);
  const act = await screen.findByRole('button', { name: 'Act on the users of these events…' });
  fireEvent.click(act);
  expect(useAppStore.getState().view).toBe('bulk');
  const draft = useBulkStore.getState().of(tenant.id);
  expect(draft).toMatchObject({ source: 'log-events', logQuery: Q, kind: 'sign-out-everywhere' });
  cleanup();

  render(<BulkForm tenant={tenant} />);
  expect((screen.getByLabelText(/Log query/) as HTMLInputElement).value).toBe(Q);
  fireEvent.submit(screen.getByRole('form', { name: 'New bulk edit' }));
  await waitFor(() => expect(invoke.mock.calls.some(([c]) => c === 'bulk:plan')).toBe(true));
  const [, sent] = invoke.mock.calls.find(([c]) => c === 'bulk:plan')!;
  expect(sent).toMatchObject({
    tenantId: tenant.id,
    source: { kind: 'log-events', q: Q },
    change: { kind: 'sign-out-everywhere' },
  });
});

it('offers nothing to act on before events are shown', () => {
  useLogsStore.setState({ byTenant: {} } as never);
  invoke.mockImplementation(async () => ({ ok: true, data: { logs: [], total: 0, capped: false } }));
  render(<LogsScreen tenant={tenant} />);
  expect(screen.queryByRole('button', { name: 'Act on the users of these events…' })).toBeNull();
});
