// @vitest-environment happy-dom
// Alt+Shift+L on the open user makes a password-change link where it can be seen: the password section is brought
// into view with focus on its Create button (where the guard dialog gives focus back), and the link, once made, is
// focused and selected in the panel — on a development tenant at once, on a production one after the guard asks.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Auth0User, TenantProfile } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { listenForKeys } = await import('../../renderer/src/commands/keys');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { useDetailStore } = await import('../../renderer/src/features/user/store');
await import('../../renderer/src/features/user/commands');
const { UserDetail } = await import('../../renderer/src/features/user/UserDetail');
const { GuardDialog } = await import('../../renderer/src/ui/GuardDialog');

const user: Auth0User = {
  user_id: 'auth0|42',
  email: 'ada@example.com',
  email_verified: true,
  identities: [
    { connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '42', isSocial: false },
  ],
};
const TICKET = 'https://acme.example.com/lo/reset?ticket=abc#';

let stop: () => void;
let scrolled: Element[];
beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string) => {
    if (channel === 'users:password-ticket')
      return { ok: true, data: { ticket: TICKET, expiresAt: '2026-01-02T00:00:00.000Z' } };
    if (channel === 'users:get') return { ok: true, data: user };
    if (channel === 'users:mfa') return { ok: true, data: { authenticationMethods: [], enrollments: [] } };
    if (channel === 'users:logs') return { ok: true, data: { logs: [], total: 0 } };
    if (channel === 'users:roles' || channel === 'users:blocks') return { ok: true, data: [] };
    // Whatever else a section reads is not this test's: it says it could not.
    return { ok: false, error: { code: 'not_found', message: 'Not in this test.', retryable: false } };
  });
  scrolled = [];
  vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
    scrolled.push(this);
  });
  stop = listenForKeys(window);
});
afterEach(() => {
  stop();
  cleanup();
  vi.restoreAllMocks();
  useDetailStore.getState().close();
});

function openPanel(tenant: TenantProfile) {
  useTenantsStore.setState({ tenants: [tenant], loaded: true });
  useAppStore.setState({ activeTenantId: tenant.id, view: 'users', capabilities: {} });
  useDetailStore.setState({
    tenantId: tenant.id,
    userId: user.user_id,
    user: { state: 'ready', data: user },
    mfa: { state: 'ready', data: { authenticationMethods: [], enrollments: [] } as never },
    roles: { state: 'ready', data: [] },
    logs: { state: 'ready', data: { logs: [], total: 0 } },
    blocks: { state: 'ready', data: [] },
  });
  render(
    <>
      <UserDetail />
      <GuardDialog />
    </>,
  );
}

const pressL = () =>
  fireEvent.keyDown(document.body, { key: 'L', code: 'KeyL', altKey: true, shiftKey: true });
const passwordSection = () => screen.getByRole('region', { name: 'Password' });

it('on a development tenant: makes the link at once, and shows it focused in view', async () => {
  openPanel(tenantProfile({ id: 'ten_dev' }));
  // The panel opens with focus on its heading, the password section further down.
  expect(document.activeElement?.tagName).toBe('H2');
  pressL();
  expect(scrolled).toContain(passwordSection());
  const link = await within(passwordSection()).findByDisplayValue(TICKET);
  await waitFor(() => expect(document.activeElement).toBe(link));
  expect(scrolled).toContain(link);
  expect(invoke).toHaveBeenCalledWith('users:password-ticket', {
    tenantId: 'ten_dev',
    userId: user.user_id,
    ttlSec: 86_400,
  });
});

it('on a production tenant: the guard asks, focus comes back to the section, then the link is focused', async () => {
  openPanel(tenantProfile({ id: 'ten_prod', environment: 'production', label: 'Acme prod' }));
  pressL();
  const create = within(passwordSection()).getByRole('button', { name: 'Create password-change link' });
  expect(scrolled).toContain(passwordSection());
  const dialog = await screen.findByRole('dialog', { name: 'Create a password-change link?' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  expect(document.activeElement).toBe(create);
  expect(invoke).not.toHaveBeenCalledWith('users:password-ticket', expect.anything());

  pressL();
  const again = await screen.findByRole('dialog', { name: 'Create a password-change link?' });
  fireEvent.click(within(again).getByRole('button', { name: 'Create link' }));
  const link = await within(passwordSection()).findByDisplayValue(TICKET);
  await waitFor(() => expect(document.activeElement).toBe(link));
});
