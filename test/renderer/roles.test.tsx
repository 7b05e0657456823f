// @vitest-environment happy-dom
// The Roles screen's members, read by checkpoint: the first page without `from`, "Load more" reading on from the
// `next` main gave (so the list goes past any limit) until `next` is null, an answer for a role no longer open
// dropped; and a role handed to Bulk edits with "add this role" filled in.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { tenantProfile } from './fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RoleDetail, TenantProfile } from '../../preload/contract';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useRolesStore } = await import('../../renderer/src/features/roles/store');
const { useBulkStore } = await import('../../renderer/src/features/bulk/store');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { RoleMembersSection, BulkHandover } = await import('../../renderer/src/features/roles/RoleMembers');

const T = 'ten_1';
const tenant: TenantProfile = tenantProfile({ id: T, domain: 'acme-dev.example.com' });
const detail: RoleDetail = {
  role: { id: 'rol_1', name: 'Support', description: 'Help desk' },
  memberCount: 120,
  permissions: [],
};
const member = (n: number) => ({ user_id: `auth0|${n}`, email: `user${n}@example.com` });
const page = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => member(from + i));

beforeEach(() => {
  invoke.mockReset();
  useRolesStore.setState({ byTenant: {} });
  useBulkStore.setState({ byTenant: {} });
  useAppStore.setState({ capabilities: {}, view: 'roles' });
});
afterEach(cleanup);

describe('members by checkpoint', () => {
  it('reads the first page without from, then "Load more" reads on from next until there is none', async () => {
    invoke.mockImplementation(async (channel: string, input: { from?: string }) => {
      if (channel === 'roles:get') return { ok: true, data: detail };
      if (channel === 'roles:members')
        return !input.from
          ? { ok: true, data: { members: page(0, 50), next: 'cp-50' } }
          : input.from === 'cp-50'
            ? { ok: true, data: { members: page(50, 100), next: 'cp-100' } }
            : { ok: true, data: { members: page(100, 120), next: null } };
      throw new Error(`unexpected ${channel}`);
    });
    useRolesStore.getState().select(T, 'rol_1');
    render(<RoleMembersSection tenant={tenant} detail={detail} />);
    await screen.findByText('user49@example.com');
    expect(invoke).toHaveBeenCalledWith('roles:members', { tenantId: T, roleId: 'rol_1', take: 50 });
    expect(screen.getByText(/50 members shown of 120/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('user99@example.com');
    expect(invoke).toHaveBeenLastCalledWith('roles:members', {
      tenantId: T,
      roleId: 'rol_1',
      from: 'cp-50',
      take: 50,
    });
    // The first page is still there: pages add up.
    expect(screen.getByText('user0@example.com')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('user119@example.com');
    expect(invoke).toHaveBeenLastCalledWith('roles:members', {
      tenantId: T,
      roleId: 'rol_1',
      from: 'cp-100',
      take: 50,
    });
    // next was null: everything is read, and there is nothing more to ask for.
    expect(screen.getByText(/120 members shown of 120 · all of them/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(useRolesStore.getState().of(T).members.items).toHaveLength(120);
  });

  it('drops a page that arrives after another role was opened', async () => {
    let answer: (v: unknown) => void = () => undefined;
    invoke.mockImplementation((channel: string, input: { roleId: string }) => {
      if (channel === 'roles:get')
        return Promise.resolve({
          ok: true,
          data: { ...detail, role: { id: input.roleId, name: input.roleId } },
        });
      if (input.roleId === 'rol_1') return new Promise((r) => (answer = r));
      return Promise.resolve({ ok: true, data: { members: [member(7)], next: null } });
    });
    const store = useRolesStore.getState();
    store.select(T, 'rol_1');
    store.select(T, 'rol_2');
    await waitFor(() => expect(useRolesStore.getState().of(T).members.complete).toBe(true));
    answer({ ok: true, data: { members: page(0, 50), next: 'cp-50' } });
    await new Promise((r) => setTimeout(r, 0));
    const s = useRolesStore.getState().of(T);
    expect(s.selectedId).toBe('rol_2');
    expect(s.members.items.map((m) => m.user_id)).toEqual(['auth0|7']);
  });

  it('a failed page keeps the members read so far and retries from the same checkpoint', async () => {
    invoke.mockImplementation(async (channel: string, input: { from?: string }) => {
      if (channel === 'roles:get') return { ok: true, data: detail };
      return !input.from
        ? { ok: true, data: { members: page(0, 50), next: 'cp-50' } }
        : { ok: false, error: { code: 'network', message: 'The tenant did not answer.', retryable: true } };
    });
    useRolesStore.getState().select(T, 'rol_1');
    render(<RoleMembersSection tenant={tenant} detail={detail} />);
    await screen.findByText('user49@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('The tenant did not answer.');
    expect(screen.getByText('user0@example.com')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry loading members' }));
    await waitFor(() => expect(invoke).toHaveBeenCalledTimes(4));
    expect(invoke).toHaveBeenLastCalledWith('roles:members', {
      tenantId: T,
      roleId: 'rol_1',
      from: 'cp-50',
      take: 50,
    });
  });
});

describe('handing a role to Bulk edits', () => {
  it('fills the bulk form with the query and "add this role", and opens the Bulk edits screen', () => {
    useBulkStore.getState().update(T, { kind: 'delete', planId: 'old-plan', plan: { state: 'loading' } });
    render(<BulkHandover tenant={tenant} detail={detail} />);
    fireEvent.change(screen.getByRole('textbox', { name: /Query/ }), {
      target: { value: 'app_metadata.team:support' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Continue in Bulk edits…' }));
    const d = useBulkStore.getState().of(T);
    expect(d).toMatchObject({
      source: 'query',
      q: 'app_metadata.team:support',
      kind: 'roles',
      addRoles: [detail.role],
      removeRoles: [],
      plan: null,
      planId: null,
    });
    expect(useAppStore.getState().view).toBe('bulk');
  });
});
