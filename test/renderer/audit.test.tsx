// @vitest-environment happy-dom
// The Audit view: two profiles on one domain (an admin grant and a support-desk grant) told apart by their labels,
// a write from the command line said as such, and a date filter that asks main for the entries since that day.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { AuditScreen } = await import('../../renderer/src/features/audit/AuditScreen');

const admin = tenantProfile({ id: 'ten_admin', label: 'Acme admin', domain: 'acme.example.com' });
const desk = tenantProfile({ id: 'ten_desk', label: 'Acme support desk', domain: 'acme.example.com' });
const entry = (tenantId: string, target: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `aud_${target}`,
  time: '2026-12-03T10:00:00.000Z',
  osUser: 'sam',
  tenantId,
  tenantDomain: 'acme.example.com',
  action: 'user.block',
  target,
  outcome: 'success',
  ...extra,
});

beforeEach(() => {
  invoke.mockReset();
  useTenantsStore.setState({ tenants: [admin, desk], loaded: true });
});
afterEach(cleanup);

it('names each entry’s profile beside its domain, says a write came from the command line, and filters by date', async () => {
  invoke.mockResolvedValue({
    ok: true,
    data: [
      entry('ten_admin', 'auth0|1', { reason: { ticket: 'INC-4711', note: 'Compromised' } }),
      entry('ten_desk', 'auth0|2', { via: 'command-line' }),
    ],
  });
  render(<AuditScreen />);
  const rows = await screen.findAllByRole('row');
  expect(rows[1]!.textContent).toContain('Acme admin');
  expect(rows[1]!.textContent).toContain('acme.example.com');
  expect(rows[2]!.textContent).toContain('Acme support desk');
  expect(rows[2]!.textContent).toContain('sam (command line)');
  expect(rows[1]!.textContent).not.toContain('command line');
  expect(rows[1]!.textContent).toContain('INC-4711 Compromised');

  fireEvent.change(screen.getByLabelText('Since'), { target: { value: '2026-12-01' } });
  await waitFor(() =>
    expect(invoke).toHaveBeenLastCalledWith('audit:list', {
      since: new Date('2026-12-01T00:00:00').toISOString(),
      limit: 500,
    }),
  );
});

it('searches by reason, and shows one incident response’s entries from any of them', async () => {
  invoke.mockResolvedValue({
    ok: true,
    data: [
      entry('ten_admin', 'auth0|9', {
        action: 'user.incident',
        incidentId: 'inc_00000000000000aa',
        reason: { ticket: 'SEC-311' },
      }),
    ],
  });
  render(<AuditScreen />);
  await screen.findAllByRole('row');
  fireEvent.change(screen.getByLabelText('Reason'), { target: { value: ' sec-311 ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
  await waitFor(() =>
    expect(invoke).toHaveBeenLastCalledWith('audit:list', expect.objectContaining({ reason: 'sec-311' })),
  );
  fireEvent.click(screen.getByRole('button', { name: 'Incident inc_00000000000000aa' }));
  await waitFor(() =>
    expect(invoke).toHaveBeenLastCalledWith(
      'audit:list',
      expect.objectContaining({ incidentId: 'inc_00000000000000aa' }),
    ),
  );
  expect(screen.getByRole('note').textContent).toContain('Showing incident inc_00000000000000aa');
});
