// @vitest-environment happy-dom
// Organizations across tenants: found by name on several tenants (each tenant's organizations under its colour and
// label, a failed tenant saying why, a retry asking it alone), and two tenants' organizations compared (a summary per
// organization with expandable member lists, the organizations only in one tenant, the CSV through the task).
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { tenantProfile } from './fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrossOrgResult, OrgCompareSummary, TenantProfile } from '../../preload/contract';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useAcrossStore } = await import('../../renderer/src/features/across/store');
const { useAcrossOrgsStore } = await import('../../renderer/src/features/across/orgs-store');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { AcrossScreen } = await import('../../renderer/src/features/across/AcrossScreen');

const profile = (id: string, label: string, environment: TenantProfile['environment']) =>
  tenantProfile({ id, label, environment, color: '#1565c0' });
const dev = profile('dev', 'Acme dev', 'development');
const prod = profile('prod', 'Acme prod', 'production');

const found = (tenantId: string, names: string[]): CrossOrgResult => ({
  tenantId,
  ok: true,
  organizations: names.map((name, i) => ({
    id: `org_${tenantId}${i}`,
    name,
    displayName: `${name[0]!.toUpperCase()}${name.slice(1)} Corporation`,
  })),
  capped: false,
  ms: 12,
});

const summary: OrgCompareSummary = {
  compareId: 'cross-run',
  tenantA: 'dev',
  tenantB: 'prod',
  labelA: 'Acme dev',
  labelB: 'Acme prod',
  organizations: [
    {
      name: 'acme',
      a: { id: 'org_a1', displayName: 'Acme Corporation', members: 3 },
      b: { id: 'org_b1', displayName: 'Acme Corporation', members: 2 },
      onlyInA: 2,
      onlyInB: 1,
      inBoth: 1,
      withoutEmail: 1,
      sampleOnlyInA: [
        { key: 'ann@acme.example', userId: 'auth0|1', byUserId: false },
        { key: 'sms|7', userId: 'sms|7', byUserId: true },
      ],
      sampleOnlyInB: [{ key: 'bob@acme.example', userId: 'auth0|9', byUserId: false }],
    },
  ],
  onlyInA: [{ id: 'org_a2', name: 'stark', displayName: 'Stark Industries' }],
  onlyInB: [{ id: 'org_b2', name: 'wayne' }],
};

beforeEach(() => {
  invoke.mockReset();
  useTenantsStore.setState({ tenants: [dev, prod], loaded: true });
  useAcrossStore.setState({ mode: 'organizations', chosen: ['dev', 'prod'], search: null, comparison: null });
  useAcrossOrgsStore.setState({ typed: '', find: null, comparison: null });
});
afterEach(cleanup);

describe('organizations on several tenants', () => {
  it('finds by name on each tenant, a failed tenant says why, and a retry asks it alone', async () => {
    invoke.mockResolvedValueOnce({
      ok: true,
      data: {
        results: [
          found('dev', ['acme']),
          {
            tenantId: 'prod',
            ok: false,
            error: { code: 'network', message: 'Acme prod did not answer.' },
            ms: 5,
          },
        ],
      },
    });
    render(<AcrossScreen />);
    fireEvent.change(screen.getByLabelText('Organization name or display name contains'), {
      target: { value: ' acme ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Find on 2 tenants' }));
    const devLine = await screen.findByTestId('orgs-dev');
    expect(invoke).toHaveBeenCalledWith('cross:find-organizations', {
      tenantIds: ['dev', 'prod'],
      name: 'acme',
    });
    expect(within(devLine).getByText('Acme dev')).toBeTruthy();
    const table = within(devLine).getByRole('table', { name: 'Organizations on Acme dev' });
    expect(within(table).getByText('Acme Corporation')).toBeTruthy();
    expect(within(table).getByText('acme')).toBeTruthy();
    expect(within(table).getByText('org_dev0')).toBeTruthy();
    const prodLine = screen.getByTestId('orgs-prod');
    expect(prodLine.textContent).toContain('failed: Acme prod did not answer.');

    invoke.mockResolvedValueOnce({ ok: true, data: { results: [found('prod', ['acme', 'acme-labs'])] } });
    fireEvent.click(within(prodLine).getByRole('button', { name: 'Retry Acme prod' }));
    await screen.findByRole('table', { name: 'Organizations on Acme prod' });
    expect(invoke).toHaveBeenLastCalledWith('cross:find-organizations', {
      tenantIds: ['prod'],
      name: 'acme',
    });
    expect(screen.getByTestId('orgs-prod').textContent).toContain('2 organizations');
    // The other tenant's answer stays.
    expect(screen.getByRole('table', { name: 'Organizations on Acme dev' })).toBeTruthy();
  });

  it('compares two tenants’ organizations: counts per organization, expandable lists, orgs on one side', async () => {
    invoke.mockImplementation((channel: string) =>
      Promise.resolve(
        channel === 'cross:compare-organizations'
          ? { ok: true, data: summary }
          : { ok: false, error: { code: 'internal', message: 'unexpected' } },
      ),
    );
    render(<AcrossScreen />);
    fireEvent.change(screen.getByLabelText('Tenant A'), { target: { value: 'dev' } });
    fireEvent.change(screen.getByLabelText('Tenant B'), { target: { value: 'prod' } });
    fireEvent.click(screen.getByRole('button', { name: 'Compare organizations' }));
    const row = await screen.findByTestId('org-acme');
    expect(invoke).toHaveBeenCalledWith('cross:compare-organizations', {
      runId: expect.stringMatching(/^cross-/),
      tenantA: 'dev',
      tenantB: 'prod',
    });
    // The lists are folded: their counts show, their members once opened.
    expect(
      [...row.querySelectorAll('td')].map((td) => td.querySelector('summary')?.textContent ?? td.textContent),
    ).toEqual(['Acme Corporation acme', '3', '2', '1', '2', '1']);
    const onlyA = within(row).getByRole('list', { name: 'Members acme: only in Acme dev' });
    expect(within(onlyA).getByText('ann@acme.example')).toBeTruthy();
    expect(onlyA.textContent).toContain('sms|7 (no email)');
    expect(screen.getByRole('note').textContent).toContain(
      '1 member without an email was compared by user id',
    );
    expect(screen.getByRole('list', { name: 'Organizations only in Acme dev' }).textContent).toContain(
      'Stark Industries stark',
    );
    expect(screen.getByRole('list', { name: 'Organizations only in Acme prod' }).textContent).toContain(
      'wayne',
    );
    expect(screen.getAllByTestId('tenant-badge').map((b) => b.textContent)).toEqual(
      expect.arrayContaining([expect.stringContaining('Acme dev'), expect.stringContaining('Acme prod')]),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Export comparison (CSV)' }));
    await vi.waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('tasks:results', { taskId: expect.stringMatching(/^cross-/) }),
    );
  });

  it('refuses to compare a tenant with itself before asking', () => {
    render(<AcrossScreen />);
    fireEvent.change(screen.getByLabelText('Tenant A'), { target: { value: 'dev' } });
    fireEvent.change(screen.getByLabelText('Tenant B'), { target: { value: 'dev' } });
    expect(screen.getByText('Choose two different tenants.')).toBeTruthy();
    expect(
      (screen.getByRole('button', { name: 'Compare organizations' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(invoke).not.toHaveBeenCalled();
  });
});
