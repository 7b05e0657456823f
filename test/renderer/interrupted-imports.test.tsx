// @vitest-environment happy-dom
// An import interrupted by a stop is offered for resume wherever the window is: the banner (read from imports:list
// at start) names the tenant and how far it got, and "Review and resume" opens it on that tenant's Imports screen.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportSummary } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useImportsStore } = await import('../../renderer/src/features/imports/store');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { InterruptedImportsBanner } =
  await import('../../renderer/src/features/imports/InterruptedImportsBanner');

const prod = tenantProfile({ id: 'prod', label: 'Acme prod', environment: 'production' });
const summary = (over: Partial<ImportSummary>): ImportSummary => ({
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
  ...over,
});

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('interrupted imports', () => {
  it('are read at start for every tenant and offered for resume on their tenant', async () => {
    useTenantsStore.setState({ tenants: [tenantProfile(), prod] });
    useAppStore.setState({ activeTenantId: 'ten_1', view: 'users' });
    invoke.mockResolvedValue({
      ok: true,
      data: [summary({}), summary({ importId: 'imp_00000000000000a2', status: 'completed' })],
    });
    await useImportsStore.getState().loadAll();
    expect(invoke).toHaveBeenCalledWith('imports:list', {});
    render(<InterruptedImportsBanner />);
    const banner = screen.getByRole('region', { name: 'Interrupted imports' });
    expect(banner.textContent).toContain('Acme prod');
    expect(banner.textContent).toContain('1 of 3 parts done');
    expect(banner.querySelectorAll('p')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Review and resume' }));
    expect(useAppStore.getState()).toMatchObject({ activeTenantId: 'prod', view: 'imports' });
    expect(useImportsStore.getState().openId.prod).toBe('imp_00000000000000a1');
  });

  it('go away for now with "Later"', () => {
    useTenantsStore.setState({ tenants: [prod] });
    useImportsStore.setState({ byId: { imp_00000000000000a1: summary({}) } });
    render(<InterruptedImportsBanner />);
    fireEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('region', { name: 'Interrupted imports' })).toBeNull();
  });
});
