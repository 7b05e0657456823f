// @vitest-environment happy-dom
// A stale edit (the user changed on the tenant after the panel loaded it) is refused by main with a 'conflict' that
// says to reload the user: the form says so beside itself with a Reload button and no toast covers it; Reload keeps
// what was typed on top of the user as it is now, so saving again sends only the edit, against the new version.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Auth0User } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { useDetailStore } = await import('../../renderer/src/features/user/store');
const { UserDetail } = await import('../../renderer/src/features/user/UserDetail');
const { Toasts } = await import('../../renderer/src/ui/Toasts');
const { GuardDialog } = await import('../../renderer/src/ui/GuardDialog');

const tenant = tenantProfile({ id: 'ten_1', label: 'Acme dev' });
const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-01T10:05:00.000Z';
const before: Auth0User = {
  user_id: 'auth0|1',
  email: 'ann@example.com',
  name: 'Ann',
  nickname: 'ann',
  identities: [
    { connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '1', isSocial: false },
  ],
  user_metadata: { plan: 'free', theme: 'dark' },
  updated_at: T1,
} as Auth0User;
// Someone else changed the nickname and the metadata meanwhile.
const after: Auth0User = {
  ...before,
  nickname: 'annie',
  user_metadata: { plan: 'free', theme: 'light', lang: 'de' },
  updated_at: T2,
};
const stale = {
  ok: false,
  error: {
    code: 'conflict',
    message: `This user was changed on the tenant after you opened it (updated ${T2}). Your edit was not saved: reload the user, then make it again.`,
    details: { stale: true, current: { updated_at: T2 } },
  },
};

let current: Auth0User;
let writes: Record<string, unknown>[];
beforeEach(() => {
  current = before;
  writes = [];
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string, input: Record<string, unknown>) => {
    if (channel === 'users:get') return { ok: true, data: current };
    if (channel === 'users:update-profile' || channel === 'users:update-metadata') {
      writes.push(input);
      return input.expectedUpdatedAt === current.updated_at ? { ok: true, data: current } : stale;
    }
    if (channel === 'users:logs') return { ok: true, data: { logs: [], total: 0 } };
    if (channel === 'users:mfa') return { ok: true, data: { enrollments: [], authenticationMethods: [] } };
    if (['users:roles', 'users:blocks', 'connections:list'].includes(channel)) return { ok: true, data: [] };
    // Any other section of the panel: not this test's business (it says it could not load).
    return { ok: false, error: { code: 'network', message: 'Not in this test.', retryable: true } };
  });
  useTenantsStore.setState({ tenants: [tenant], loaded: true });
  useAppStore.setState({ activeTenantId: tenant.id, view: 'users', capabilities: {}, toasts: [] });
  useDetailStore.getState().close();
});
afterEach(cleanup);

async function openPanel() {
  render(
    <>
      <UserDetail />
      <Toasts />
      <GuardDialog />
    </>,
  );
  await useDetailStore.getState().open(tenant.id, before.user_id);
  await screen.findByRole('heading', { name: 'Ann' });
  // Someone else saves the user after the panel loaded it.
  current = after;
}

/** Answers the guard's dialog where it asks. */
async function confirmIfAsked(label: RegExp) {
  await waitFor(() => expect(writes.length > 0 || screen.queryByRole('dialog') !== null).toBe(true));
  const dialog = screen.queryByRole('dialog');
  if (dialog) fireEvent.click(within(dialog).getByRole('button', { name: label }));
}

it('a stale profile edit offers Reload beside its message, raises no toast, and keeps what was typed', async () => {
  await openPanel();
  fireEvent.click(screen.getByRole('button', { name: 'Edit profile' }));
  const form = screen.getByRole('form', { name: 'Edit profile' });
  fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Ann Bee' } });
  fireEvent.click(within(form).getByRole('button', { name: 'Review and save' }));
  await confirmIfAsked(/Save profile/);

  const alert = await within(form).findByRole('alert');
  expect(alert.textContent).toContain('reload the user');
  const reload = within(alert).getByRole('button', { name: 'Reload user' });
  expect(useAppStore.getState().toasts).toEqual([]);
  expect(document.querySelector('.toasts')!.children).toHaveLength(0);

  fireEvent.click(reload);
  await waitFor(() => expect(within(form).getByLabelText<HTMLInputElement>('Nickname').value).toBe('annie'));
  // The edit stays; the field not touched shows the user as it is now; the refusal is gone.
  expect(within(form).getByLabelText<HTMLInputElement>('Name').value).toBe('Ann Bee');
  expect(within(form).queryByRole('alert')).toBeNull();
  expect(within(form).getByRole('status').textContent).toContain('with your edits kept');

  writes = [];
  fireEvent.click(within(form).getByRole('button', { name: 'Review and save' }));
  await confirmIfAsked(/Save profile/);
  await waitFor(() => expect(writes).toHaveLength(1));
  // Only the edit is sent (the other person's nickname is not put back), against the version now shown.
  expect(writes[0]).toMatchObject({ changes: { name: 'Ann Bee' }, expectedUpdatedAt: T2 });
  expect((writes[0]!.changes as Record<string, unknown>).nickname).toBeUndefined();
});

it('a stale metadata edit offers Reload and carries the edit onto the reloaded metadata', async () => {
  await openPanel();
  const section = screen.getByRole('region', { name: 'User metadata' });
  const textarea = within(section).getByRole('textbox');
  fireEvent.change(textarea, { target: { value: JSON.stringify({ plan: 'pro', theme: 'dark' }) } });
  fireEvent.click(within(section).getByRole('button', { name: 'Review changes to user metadata' }));
  fireEvent.click(within(section).getByRole('button', { name: 'Save user metadata' }));
  await confirmIfAsked(/Save user metadata/);

  const alert = await within(section).findByText(/reload the user/);
  const reload = within(alert.closest('p')!).getByRole('button', { name: 'Reload user' });
  expect(useAppStore.getState().toasts).toEqual([]);

  fireEvent.click(reload);
  // The panel remakes the editor for the reloaded user; it starts from the edit on top of the new metadata.
  await waitFor(() => {
    const now = within(screen.getByRole('region', { name: 'User metadata' })).getByRole<HTMLTextAreaElement>(
      'textbox',
    );
    expect(JSON.parse(now.value)).toEqual({ plan: 'pro', theme: 'light', lang: 'de' });
  });
  const remade = screen.getByRole('region', { name: 'User metadata' });
  expect(within(remade).getByText(/1 top-level key changed/)).toBeTruthy();
  expect(within(remade).getByRole('status').textContent).toContain('your edits are kept');
  expect(useDetailStore.getState().carried).toEqual({});
});

it('other failures of a write still raise their toast', async () => {
  await openPanel();
  invoke.mockImplementationOnce(async () => ({ ok: false, error: { code: 'network', message: 'Offline.' } }));
  await useDetailStore
    .getState()
    .act('users:set-blocked', { blocked: true }, { progress: 'Blocking', success: 'Blocked' });
  expect(useAppStore.getState().toasts.map((t) => t.text)).toEqual(['Blocking failed on Acme dev: Offline.']);
});
