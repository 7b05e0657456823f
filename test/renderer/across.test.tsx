// @vitest-environment happy-dom
// Searching several tenants at once: the answers merged into one list (sorted by email, the same email on several
// tenants side by side), a tenant that failed said in words on its own status line without hiding the others'
// users, and a retry asking that tenant alone; a retry that belongs to a replaced search is dropped.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { tenantProfile } from './fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrossSearchResult, TenantProfile } from '../../preload/contract';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { mergeCrossResults, useAcrossStore } = await import('../../renderer/src/features/across/store');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { CrossSearch } = await import('../../renderer/src/features/across/CrossSearch');
const { crossWords } = await import('../../renderer/src/features/across/CrossCompare');

// happy-dom lays nothing out: the table's scroller is given a window's size, as a browser would measure it.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });

const profile = (id: string, label: string, environment: TenantProfile['environment']) =>
  tenantProfile({ id, label, environment, color: '#1565c0' });
const dev = profile('dev', 'Acme dev', 'development');
const prod = profile('prod', 'Acme prod', 'production');
const stage = profile('stage', 'Acme staging', 'staging');

const ok = (tenantId: string, emails: string[]): CrossSearchResult => ({
  tenantId,
  ok: true,
  users: emails.map((email, i) => ({ user_id: `auth0|${tenantId}-${i}`, email })),
  total: emails.length,
  capped: false,
  ms: 42,
});
const failed = (tenantId: string, message: string): CrossSearchResult => ({
  tenantId,
  ok: false,
  error: { code: 'network', message, retryable: true },
  ms: 5003,
});

beforeEach(() => {
  invoke.mockReset();
  useTenantsStore.setState({ tenants: [dev, prod, stage], loaded: true });
  useAcrossStore.setState({ chosen: [], typed: '', perTenant: 50, search: null, comparison: null });
});
afterEach(cleanup);

describe('mergeCrossResults', () => {
  it('merges by email, the same email side by side in the order the tenants were chosen; failures add no row', () => {
    const rows = mergeCrossResults(
      {
        dev: ok('dev', ['zoe@example.com', 'ann@example.com']),
        prod: ok('prod', ['Ann@example.com', 'bob@example.com']),
        stage: failed('stage', 'down'),
        other: { state: 'loading' },
      },
      ['prod', 'dev', 'stage', 'other'],
    );
    expect(rows.map((r) => `${r.tenantId}:${r.user.email}`)).toEqual([
      'prod:Ann@example.com',
      'dev:ann@example.com',
      'prod:bob@example.com',
      'dev:zoe@example.com',
    ]);
  });
});

describe('searching several tenants', () => {
  it('shows the users of the tenants that answered, the failed one in words with a retry that asks it alone', async () => {
    invoke.mockResolvedValueOnce({
      ok: true,
      data: {
        results: [
          ok('dev', ['ann@example.com', 'bob@example.com']),
          failed('prod', 'Acme prod did not answer within 30 s.'),
        ],
      },
    });
    render(<CrossSearch />);
    fireEvent.click(screen.getByRole('checkbox', { name: /Acme dev/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Acme prod/ }));
    fireEvent.change(screen.getByRole('textbox', { name: /Search query/ }), {
      target: { value: 'email:*@example.com' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search 2 tenants' }));
    expect(invoke).toHaveBeenCalledWith('cross:search', {
      tenantIds: ['dev', 'prod'],
      q: 'email:*@example.com',
      perTenant: 50,
    });

    // The failed tenant says so on its own line…
    const prodLine = await screen.findByTestId('status-prod');
    expect(prodLine.textContent).toContain('failed');
    expect(prodLine.textContent).toContain('Acme prod did not answer within 30 s.');
    expect(within(prodLine).getByText('Production')).toBeTruthy();
    // …the other's users are all there, each with its tenant.
    expect(screen.getByTestId('status-dev').textContent).toMatch(/2 users.*42 ms/);
    const grid = screen.getByRole('grid', { name: 'Users on several tenants' });
    expect(within(grid).getByText('ann@example.com')).toBeTruthy();
    expect(within(grid).getByText('bob@example.com')).toBeTruthy();
    expect(within(grid).getAllByText('Acme dev')).toHaveLength(2);
    expect(screen.getByText(/2 users shown from 1 of 2 tenants/)).toBeTruthy();

    // Retry asks the failed tenant alone, with the same query; its users join the list.
    invoke.mockResolvedValueOnce({ ok: true, data: { results: [ok('prod', ['ann@example.com'])] } });
    fireEvent.click(within(prodLine).getByRole('button', { name: 'Retry Acme prod' }));
    expect(invoke).toHaveBeenLastCalledWith('cross:search', {
      tenantIds: ['prod'],
      q: 'email:*@example.com',
      perTenant: 50,
    });
    await screen.findByText(/3 users shown from 2 of 2 tenants/);
    expect(within(grid).getAllByText('ann@example.com')).toHaveLength(2);
    expect(within(grid).getByText('Acme prod')).toBeTruthy();
    expect(screen.getByTestId('status-prod').textContent).not.toContain('failed');
  });

  it('a whole request refused (a bad query) is said on every tenant, and nothing is shown as found', async () => {
    invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'invalid_query', message: 'Unbalanced parenthesis at 7.', retryable: false },
    });
    useAcrossStore.setState({ chosen: ['dev', 'stage'], typed: 'email:(' });
    render(<CrossSearch />);
    fireEvent.click(screen.getByRole('button', { name: 'Search 2 tenants' }));
    await screen.findByRole('alert');
    expect(screen.getByTestId('status-dev').textContent).toContain('Unbalanced parenthesis at 7.');
    expect(screen.getByTestId('status-stage').textContent).toContain('failed');
    expect(screen.queryByRole('grid')).toBeNull();
  });

  it('drops a retry whose search was replaced meanwhile', async () => {
    let late: (v: unknown) => void = () => undefined;
    invoke
      .mockResolvedValueOnce({ ok: true, data: { results: [failed('dev', 'down')] } })
      .mockReturnValueOnce(new Promise((r) => (late = r)))
      .mockResolvedValueOnce({ ok: true, data: { results: [ok('dev', ['new@example.com'])] } });
    useAcrossStore.setState({ chosen: ['dev'] });
    const store = useAcrossStore.getState();
    await store.run();
    const retry = store.retry('dev');
    await store.run();
    late({ ok: true, data: { results: [ok('dev', ['old@example.com'])] } });
    await retry;
    const a = useAcrossStore.getState().search!.answers.dev!;
    expect('ok' in a && a.ok && a.users[0]!.email).toBe('new@example.com');
  });
});

it('names the sides of a comparison of two tenants by their labels', () => {
  const w = crossWords('Acme dev', 'Acme prod');
  expect(w.kinds).toEqual({
    removed: 'Only in Acme dev',
    added: 'Only in Acme prod',
    changed: 'In both, different',
  });
});
