// @vitest-environment happy-dom
// Work interrupted by a stop — of any kind — is offered for resume from one banner wherever the window is: read from
// tasks:list at start, it names the kind, the tenant and how far each got; "Resume" resumes through tasks:control,
// "Review and resume" opens a bulk job or an import on its tenant's screen, "Later" hides it until the next start.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportSummary, TaskSummary } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useTasksStore } = await import('../../renderer/src/features/tasks/store');
const { useImportsStore } = await import('../../renderer/src/features/imports/store');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { InterruptedTasksBanner } = await import('../../renderer/src/features/tasks/InterruptedTasksBanner');

const prod = tenantProfile({ id: 'prod', label: 'Acme prod', environment: 'production' });
const importSummary: ImportSummary = {
  importId: 'imp_00000000000000a1',
  tenantId: prod.id,
  tenantDomain: prod.domain,
  fileName: 'people.csv',
  format: 'csv',
  connectionId: 'con_1',
  connectionName: 'Username-Password-Authentication',
  upsert: false,
  sendCompletionEmail: false,
  createdAt: '2026-11-24T00:00:00.000Z',
  status: 'interrupted',
  rows: 3,
  chunks: [
    { index: 0, firstRow: 2, lastRow: 2, rows: 1, bytes: 40, state: 'completed' },
    { index: 1, firstRow: 3, lastRow: 3, rows: 1, bytes: 40, state: 'pending', jobId: 'job_1' },
    { index: 2, firstRow: 4, lastRow: 4, rows: 1, bytes: 40, state: 'waiting' },
  ],
  counts: { inserted: 1, updated: 0, failed: 0, total: 1 },
};
const task = (over: Partial<TaskSummary>): TaskSummary => ({
  id: 'imp_00000000000000a1',
  kind: 'import',
  tenantId: prod.id,
  tenantDomain: prod.domain,
  label: '3 users from people.csv into Username-Password-Authentication',
  status: 'interrupted',
  createdAt: '2026-11-24T00:00:00.000Z',
  progress: { done: 1, total: 3, unit: 'parts', words: '1 inserted, 0 updated, 0 refused' },
  can: { pause: false, resume: true, cancel: true, results: true },
  detail: { kind: 'import', import: importSummary },
  ...over,
});
const exportTask = task({
  id: 'export-abc-12345678',
  kind: 'export',
  label: 'Every user of Acme prod as CSV',
  progress: { done: 1200, total: null, unit: 'users', words: 'Downloading and writing the file' },
  detail: {
    kind: 'export',
    export: {
      exportId: 'export-abc-12345678',
      kind: 'export',
      tenantId: prod.id,
      label: 'Every user of Acme prod as CSV',
      phase: 'downloading',
      method: 'export-job',
      percentDone: null,
      timeLeftSeconds: null,
      users: 1200,
      written: 1200,
      message: 'Downloading and writing the file',
      notes: [],
    },
  },
});

afterEach(() => {
  cleanup();
  invoke.mockReset();
  useTasksStore.setState({ byId: {} });
});

describe('interrupted work', () => {
  it('is read at start for every tenant and kind and offered from one banner', async () => {
    useTenantsStore.setState({ tenants: [tenantProfile(), prod] });
    useAppStore.setState({ activeTenantId: 'ten_1', view: 'users' });
    invoke.mockResolvedValue({
      ok: true,
      data: [task({}), exportTask, task({ id: 'imp_00000000000000a2', status: 'completed' })],
    });
    await useTasksStore.getState().load();
    expect(invoke).toHaveBeenCalledWith('tasks:list', {});
    render(<InterruptedTasksBanner />);
    const banner = screen.getByRole('region', { name: 'Interrupted work' });
    const paragraphs = banner.querySelectorAll('p');
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]!.textContent).toContain('Import on Acme prod was interrupted');
    expect(paragraphs[0]!.textContent).toContain('1 of 3 parts done');
    expect(paragraphs[1]!.textContent).toContain('Export on Acme prod was interrupted');
    expect(paragraphs[1]!.textContent).toContain('1,200 users so far');
    // An export has no screen of its own: it is resumed from here (or the Tasks screen).
    expect(paragraphs[1]!.querySelector('button[class=""], button:not(.primary)')?.textContent).toBe('Later');
    fireEvent.click(screen.getAllByRole('button', { name: 'Review and resume' })[0]!);
    expect(useAppStore.getState()).toMatchObject({ activeTenantId: 'prod', view: 'imports' });
    expect(useImportsStore.getState().openId.prod).toBe('imp_00000000000000a1');
  });

  it('resumes at once with "Resume", through the tasks store', async () => {
    useTenantsStore.setState({ tenants: [prod] });
    useTasksStore.setState({ byId: { [exportTask.id]: exportTask } });
    invoke.mockResolvedValue({ ok: true, data: { ...exportTask, status: 'running' } });
    render(<InterruptedTasksBanner />);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await vi.waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('tasks:control', { taskId: exportTask.id, action: 'resume' }),
    );
    await vi.waitFor(() => expect(screen.queryByRole('region', { name: 'Interrupted work' })).toBeNull());
  });

  it('goes away for now with "Later"', () => {
    useTenantsStore.setState({ tenants: [prod] });
    useTasksStore.setState({ byId: { [task({}).id]: task({}) } });
    render(<InterruptedTasksBanner />);
    fireEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('region', { name: 'Interrupted work' })).toBeNull();
  });

  it('is not offered for a tenant no longer set up', () => {
    useTenantsStore.setState({ tenants: [tenantProfile()] });
    useTasksStore.setState({ byId: { [task({}).id]: task({}) } });
    render(<InterruptedTasksBanner />);
    expect(screen.queryByRole('region', { name: 'Interrupted work' })).toBeNull();
  });
});
