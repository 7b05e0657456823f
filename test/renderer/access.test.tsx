// @vitest-environment happy-dom
// The user panel's sessions and tokens: each listed in words a support agent reads aloud (device, address, last
// activity, application), each revoked through the guard and read again; "Sign out everywhere" asks its options,
// then the guard (on every tenant: it is destructive), sends them, and shows what each step did; a part the grant
// can't read says why, and a grant that reads none of them is never asked.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Auth0User, SignOutReport, TenantProfile, UserAccess } from '../../preload/contract';
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
const { deviceWords } = await import('../../renderer/src/features/user/devices');

const user: Auth0User = {
  user_id: 'auth0|42',
  email: 'ada@example.com',
  identities: [
    { connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '42', isSocial: false },
  ],
};
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const access = (): UserAccess => ({
  sessions: {
    ok: true,
    items: [
      {
        id: 'sess_web',
        userAgent: CHROME,
        ip: '203.0.113.9',
        lastInteractedAt: '2026-12-04T10:00:00.000Z',
        expiresAt: '2026-12-30T10:00:00.000Z',
        clients: [{ clientId: 'app1', name: 'Tenant Desk Demo App' }],
        methods: ['pwd'],
      },
      {
        id: 'sess_phone',
        userAgent: 'AcmeMobile/4.2 (iPhone; iOS 18.1; Scale/3.00)',
        ip: '198.51.100.7',
        clients: [{ clientId: 'app2', name: 'Acme Mobile' }],
        methods: ['pwd'],
      },
    ],
  },
  refreshTokens: {
    ok: true,
    items: [{ id: 'rt_1', clientId: 'app2', clientName: 'Acme Mobile', rotating: true, audiences: [] }],
  },
  grants: { ok: false, reason: 'The grant lacks read:grants.' },
  readAt: '2026-12-05T00:00:00.000Z',
});
const report: SignOutReport = {
  userId: user.user_id,
  incidentId: 'inc_0123456789abcdef',
  steps: [
    { step: 'block', ok: true, detail: 'Blocked: they cannot sign in until unblocked.' },
    { step: 'revoke-sessions', ok: true, detail: 'Revoked 2 sessions.' },
    { step: 'revoke-refresh-tokens', ok: true, detail: 'Revoked 1 refresh token.' },
    { step: 'reset-email', ok: false, detail: 'Auth0 refused: too many emails.' },
  ],
};

let stop: () => void;
beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string) => {
    if (channel === 'users:access') return { ok: true, data: access() };
    if (channel === 'users:sign-out-everywhere') return { ok: true, data: report };
    if (channel === 'users:get') return { ok: true, data: user };
    if (channel === 'users:mfa') return { ok: true, data: { authenticationMethods: [], enrollments: [] } };
    if (channel === 'users:logs') return { ok: true, data: { logs: [], total: 0 } };
    if (channel.startsWith('users:revoke')) return { ok: true, data: { ok: true } };
    return { ok: true, data: [] };
  });
  stop = listenForKeys(window);
});
afterEach(() => {
  stop();
  cleanup();
  useDetailStore.getState().close();
});

function openPanel(tenant: TenantProfile, capabilities: Record<string, unknown> = {}) {
  useTenantsStore.setState({ tenants: [tenant], loaded: true });
  useAppStore.setState({ activeTenantId: tenant.id, view: 'users', capabilities: capabilities as never });
  useDetailStore.setState({
    tenantId: tenant.id,
    userId: user.user_id,
    seq: useDetailStore.getState().seq + 1,
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
const section = () => screen.getByRole('region', { name: 'Sessions and tokens' });
const calls = (channel: string) => invoke.mock.calls.filter(([c]) => c === channel);

it('says a device in words', () => {
  expect(deviceWords(CHROME)).toBe('Chrome 131 on Windows');
  expect(deviceWords('AcmeMobile/4.2 (Linux; Android 15; Pixel 8)')).toBe(
    'Acme Mobile 4.2 on Android 15 (Pixel 8)',
  );
  expect(
    deviceWords(
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    ),
  ).toBe('Safari 18.1 on macOS 14.6');
  expect(deviceWords(undefined)).toBe('Unknown device');
});

it('lists sessions and tokens in words, says why consents are not shown, and revokes one session', async () => {
  openPanel(tenantProfile());
  const region = section();
  const row = await within(region).findByText('Chrome 131 on Windows');
  expect(row.closest('li')!.textContent).toContain('203.0.113.9');
  expect(row.closest('li')!.textContent).toContain('Tenant Desk Demo App');
  expect(within(region).getByText('Acme Mobile 4.2 on iOS 18.1')).toBeTruthy();
  expect(region.textContent).toContain('Could not read consents: The grant lacks read:grants.');

  fireEvent.click(
    within(region).getByRole('button', { name: 'Revoke: Chrome 131 on Windows session (203.0.113.9)' }),
  );
  await waitFor(() => expect(calls('users:revoke-session')).toHaveLength(1));
  expect(calls('users:revoke-session')[0]![1]).toEqual({
    tenantId: 'ten_1',
    userId: user.user_id,
    sessionId: 'sess_web',
  });
  // Read again after the revoke.
  await waitFor(() => expect(calls('users:access').length).toBeGreaterThanOrEqual(2));
});

it('signs out everywhere: options, then the guard with the domain typed back on production, then the report', async () => {
  const tenant = tenantProfile({ environment: 'production', label: 'Acme prod' });
  openPanel(tenant);
  await within(section()).findByText('Chrome 131 on Windows');
  // From its key, as from its button.
  fireEvent.keyDown(document.body, { key: 'O', code: 'KeyO', altKey: true, shiftKey: true });
  const options = await screen.findByRole('dialog', { name: `Sign ${user.email} out everywhere` });
  fireEvent.click(within(options).getByLabelText(/Block the user/));
  fireEvent.click(within(options).getByLabelText('Send a password reset email'));
  fireEvent.click(within(options).getByRole('button', { name: 'Continue…' }));

  const guard = await screen.findByRole('dialog', { name: `Sign ${user.email} out everywhere?` });
  expect(guard.textContent).toContain(
    'block them, revoke every session and refresh token and send a password reset email',
  );
  const confirm = within(guard).getByRole<HTMLButtonElement>('button', { name: 'Sign out everywhere' });
  expect(confirm.disabled).toBe(true);
  fireEvent.change(within(guard).getByLabelText(/to confirm/), {
    target: { value: tenant.domain },
  });
  expect(confirm.disabled).toBe(false);
  fireEvent.click(confirm);

  await waitFor(() => expect(calls('users:sign-out-everywhere')).toHaveLength(1));
  expect(calls('users:sign-out-everywhere')[0]![1]).toMatchObject({
    tenantId: tenant.id,
    userId: user.user_id,
    options: { block: true, mfaReset: false, grants: false, password: 'email' },
    guard: { confirmed: true, typedDomain: tenant.domain },
  });
  const shown = await within(section()).findByText(/Signed out, with 1 step failed/);
  const box = shown.closest('.signout-report')!;
  expect(box.textContent).toContain('Sessions: Revoked 2 sessions.');
  expect(box.textContent).toContain('Password reset email: Auth0 refused: too many emails.');
  expect(box.textContent).toContain('inc_0123456789abcdef');
});

it('never asks for a part of the access the grant reads none of, and says which scopes are missing', async () => {
  const no = (scope: string) => ({ allowed: false, missingScopes: [scope] });
  openPanel(tenantProfile(), {
    ten_1: {
      'sessions:read': no('read:sessions'),
      'refresh-tokens:read': no('read:refresh_tokens'),
      'grants:read': no('read:grants'),
      'sessions:revoke': no('delete:sessions'),
    },
  });
  const note = await within(section()).findByText(/does not allow reading sessions and tokens/);
  expect(note.textContent).toContain('read:sessions, read:refresh_tokens, read:grants');
  expect(calls('users:access')).toHaveLength(0);
  const signOut = within(section()).getByRole<HTMLButtonElement>('button', { name: 'Sign out everywhere…' });
  expect(signOut.disabled).toBe(true);
});
