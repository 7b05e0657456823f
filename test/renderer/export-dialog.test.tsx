// @vitest-environment happy-dom
// A failed export says what failed, in main's words, and offers Retry — the same export with the same choices, as a
// new export; how the file was made is said only of an export that made it.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { ExportStatus, TaskSummary } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { ExportDialog } = await import('../../renderer/src/features/exports/ExportDialog');
const { useTasksStore } = await import('../../renderer/src/features/tasks/store');

const tenant = tenantProfile({ id: 'ten_1', label: 'Acme dev' });
const NOTE =
  "5,000 users match: past Auth0's 1,000-result search limit, so Auth0 exports every user and the query is applied here, with the tenant's rules";

function status(exportId: string, over: Partial<ExportStatus>): ExportStatus {
  return {
    exportId,
    kind: 'export',
    tenantId: tenant.id,
    label: 'The users matching plan:pro of Acme dev as CSV',
    phase: 'starting',
    method: 'export-job',
    percentDone: null,
    timeLeftSeconds: null,
    users: 0,
    written: 0,
    message: 'Starting',
    notes: [NOTE],
    ...over,
  };
}

function task(s: ExportStatus): TaskSummary {
  const done = ['completed', 'failed', 'cancelled'].includes(s.phase);
  return {
    id: s.exportId,
    kind: 'export',
    tenantId: tenant.id,
    tenantDomain: tenant.domain,
    label: s.label,
    status: done ? (s.phase as TaskSummary['status']) : 'running',
    createdAt: '2026-03-01T10:00:00.000Z',
    progress: { done: s.written, total: null, unit: 'users', words: s.message },
    can: { pause: false, resume: false, cancel: !done, results: false },
    detail: { kind: 'export', export: s },
  };
}

let starts: Record<string, unknown>[];
/** How each export started here ends, by the order it was started in. */
let ends: ((exportId: string) => ExportStatus)[];
beforeEach(() => {
  starts = [];
  useTasksStore.setState({ byId: {}, watched: {} });
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string, input: Record<string, unknown>) => {
    if (channel === 'exports:start') {
      starts.push(input);
      return { ok: true, data: status(input.exportId as string, {}) };
    }
    if (channel === 'tasks:get') {
      const at = starts.findIndex((s) => s.exportId === input.taskId);
      return { ok: true, data: task(ends[at]!(input.taskId as string)) };
    }
    return { ok: true, data: {} };
  });
});
afterEach(cleanup);

function openDialog() {
  render(
    <ExportDialog
      target={{ kind: 'tenant', tenant, query: 'plan:pro', total: 5000, selectedIds: [], connections: [] }}
      onClose={() => undefined}
    />,
  );
}

it('a failed export says what failed, not how the file was made, and Retry runs the same export again', async () => {
  ends = [
    (id) =>
      status(id, {
        phase: 'failed',
        message: 'Failed',
        users: 1200,
        error: {
          code: 'auth0_error',
          message: 'Auth0 refused the export job: the plan does not include it.',
          retryable: false,
        },
      }),
    (id) => status(id, { phase: 'completed', message: 'Done', users: 5000, written: 312 }),
  ];
  openDialog();
  fireEvent.click(screen.getByRole('radio', { name: 'CSV (RFC 4180, UTF-8)' }));
  fireEvent.click(screen.getByRole('checkbox', { name: /byte-order mark/ }));
  fireEvent.click(screen.getByRole('button', { name: 'Export' }));

  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain('Auth0 refused the export job: the plan does not include it.');
  const state = screen.getByRole('status');
  expect(state.textContent).toContain('The export failed');
  expect(state.className).toContain('status-failed');
  // The sentence about how Auth0 exported the users belongs to an export that did.
  expect(document.body.textContent).not.toContain('Auth0 exports every user');

  fireEvent.click(screen.getByRole('button', { name: 'Retry export' }));
  await waitFor(() => expect(starts).toHaveLength(2));
  const { exportId: firstId, ...first } = starts[0]!;
  const { exportId: secondId, ...second } = starts[1]!;
  expect(second).toEqual(first);
  expect(second).toMatchObject({ source: { kind: 'query', q: 'plan:pro' }, format: 'csv', bom: true });
  expect(secondId).not.toBe(firstId);

  const done = await screen.findByText('Done');
  expect(done.closest('[role="status"]')!.className).toContain('status-completed');
  expect(within(document.querySelector('.export-notes')!).getByText(`${NOTE}.`)).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Retry export' })).toBeNull();
  expect(screen.queryByRole('alert')).toBeNull();
});
