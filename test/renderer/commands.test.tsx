// @vitest-environment happy-dom
// One command registry: every screen once, with its Alt+digit and its chord (G, then a letter) — a screen past the
// ninth gets a chord and a palette entry too; the shortcuts overlay is drawn from the registry; the chord goes to a
// screen (never while typing); the palette offers the open user's actions the stores allow, and runs them.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Auth0User, MfaState } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const registry = await import('../../renderer/src/commands/registry');
const { listenForKeys, CHORD_MS } = await import('../../renderer/src/commands/keys');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { useDetailStore } = await import('../../renderer/src/features/user/store');
// What App loads: the screens, the window's, the tenants' and the open user's commands.
await import('../../renderer/src/features/shell/screens');
await import('../../renderer/src/features/shell/commands');
await import('../../renderer/src/features/tenants/commands');
await import('../../renderer/src/features/user/commands');
const { HelpOverlay } = await import('../../renderer/src/features/shell/HelpOverlay');
const { CommandPalette } = await import('../../renderer/src/features/shell/CommandPalette');
const { GuardDialog } = await import('../../renderer/src/ui/GuardDialog');

const tenant = tenantProfile({ id: 'ten_1', label: 'Acme dev' });
const SCREENS = [
  ['users', 'Users', '1', 'U'],
  ['logs', 'Logs', '2', 'L'],
  ['bulk', 'Bulk edits', '3', 'B'],
  ['snapshots', 'Snapshots', '4', 'S'],
  // Beside Snapshots, with no Alt+digit (the nine are taken): G then N (I is the Imports').
  ['insights', 'Insights', undefined, 'N'],
  ['tenants', 'Tenants', '5', 'T'],
  ['audit', 'Audit log', '6', 'A'],
  ['roles', 'Roles', '7', 'R'],
  // Between Roles and Imports, with no Alt+digit of its own (the nine are taken): G then O.
  ['organizations', 'Organizations', undefined, 'O'],
  ['imports', 'Imports', '8', 'I'],
  ['across', 'Cross-tenant', '9', 'C'],
  // Past the ninth: no Alt+digit; T is the Tenants', A the Audit log's, S the Snapshots': G then K.
  ['tasks', 'Tasks', undefined, 'K'],
] as const;

/** A screen added later, as a feature would register it: no digit, no letter of its own. */
function registerQueue() {
  return registry.registerScreen({
    view: 'queue' as never,
    label: 'Queue',
    order: 11,
    needs: 'tenants',
    render: () => <h1>Queue</h1>,
  });
}

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue({ ok: true, data: {} });
  useTenantsStore.setState({ tenants: [tenant], loaded: true });
  useAppStore.setState({ activeTenantId: tenant.id, view: 'users', capabilities: {} });
  useDetailStore.getState().close();
  useDetailStore.setState({ shown: false });
});
afterEach(cleanup);

describe('the registry', () => {
  it('lists each screen once, in order, with its Alt+digit and its chord', () => {
    expect(registry.useRegistry.getState().screens.map((s) => s.view)).toEqual(SCREENS.map(([v]) => v));
    const goTo = registry.allCommands().filter((c) => c.group === 'Go to');
    expect(goTo.map((c) => c.id)).toEqual(SCREENS.map(([v]) => `screen:${v}`));
    for (const [view, label, digit, letter] of SCREENS) {
      const c = goTo.find((x) => x.id === `screen:${view}`)!;
      expect(registry.labelOf(c)).toBe(label);
      expect(c.shortcut).toBe(digit ? `Alt+${digit}` : undefined);
      expect(c.chord).toBe(`G ${letter}`);
    }
    // No two commands share a chord or a key combination.
    const chords = registry.allCommands().flatMap((c) => (c.chord ? [c.chord] : []));
    expect(new Set(chords).size).toBe(chords.length);
    const combos = registry
      .allCommands()
      .filter((c) => c.run)
      .flatMap((c) => registry.shortcutsOf(c));
    expect(new Set(combos).size).toBe(combos.length);
  });

  it('gives a screen past the ninth a chord of a free letter and a palette entry, and takes them back', () => {
    const off = registerQueue();
    try {
      const queue = registry.allCommands().find((c) => c.id === 'screen:queue')!;
      expect(queue.chord).toBe('G Q');
      expect(queue.shortcut).toBeUndefined();
      expect(registry.paletteCommands().map((c) => c.id)).toContain('screen:queue');
      expect(() =>
        registry.registerScreen({
          view: 'x' as never,
          label: 'X',
          letter: 'u',
          order: 11,
          needs: 'tenants',
          render: () => null,
        }),
      ).toThrow(/G U is taken/);
    } finally {
      off();
    }
    expect(registry.allCommands().some((c) => c.id === 'screen:queue')).toBe(false);
    expect(registry.useRegistry.getState().screens).toHaveLength(SCREENS.length);
  });
});

describe('the shortcuts overlay', () => {
  it('is drawn from the registry: every screen with its keys, the open user, a command added later', () => {
    render(<HelpOverlay onClose={() => undefined} />);
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const anywhere = within(dialog).getByRole('region', { name: 'Anywhere' });
    for (const [, label, digit, letter] of SCREENS) {
      const row = within(anywhere).getByText(`Go to ${label}`).parentElement!;
      if (digit) expect(row.textContent).toContain(`Alt+${digit}`);
      expect(row.textContent).toContain(`G ${letter}`);
    }
    expect(within(anywhere).getByText('This list of shortcuts').parentElement!.textContent).toContain('?');
    const user = within(dialog).getByRole('region', { name: 'On the open user' });
    expect(within(user).getByText('Block or unblock').parentElement!.textContent).toContain('Alt+Shift+B');
    expect(within(dialog).getByRole('region', { name: 'In a table' }).textContent).toContain('PgUp PgDn');

    let off = () => undefined as void;
    act(() => {
      off = registry.registerCommands([
        {
          id: 'test:refresh',
          group: 'Window',
          section: 'Anywhere',
          label: 'Refresh now',
          shortcut: 'Alt+Shift+Y',
          run: () => undefined,
        },
      ]);
    });
    expect(within(anywhere).getByText('Refresh now').parentElement!.textContent).toContain('Alt+Shift+Y');
    let offQueue = () => undefined as void;
    act(() => {
      off();
      offQueue = registerQueue();
    });
    expect(within(anywhere).queryByText('Refresh now')).toBeNull();
    const queue = within(anywhere).getByText('Go to Queue').parentElement!;
    expect(queue.textContent).toContain('G Q');
    expect(queue.textContent).not.toContain('Alt+');
    act(() => offQueue());
    expect(within(anywhere).queryByText('Go to Queue')).toBeNull();
  });
});

describe('keys', () => {
  let stop: () => void;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    stop = listenForKeys(window);
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });
  const press = (target: Element, key: string, init: Partial<KeyboardEventInit> = {}) =>
    fireEvent.keyDown(target, {
      key,
      code: /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : /^\d$/.test(key) ? `Digit${key}` : key,
      ...init,
    });

  it('G, then a letter, goes to that screen; Alt+digit too', () => {
    press(document.body, 'g');
    press(document.body, 'r');
    expect(useAppStore.getState().view).toBe('roles');
    press(document.body, 'g');
    press(document.body, 'c');
    expect(useAppStore.getState().view).toBe('across');
    press(document.body, '3', { altKey: true });
    expect(useAppStore.getState().view).toBe('bulk');
  });

  it('reaches a screen without a digit by its chord: Tasks, and one a feature adds later', () => {
    press(document.body, 'g');
    press(document.body, 'k');
    expect(useAppStore.getState().view).toBe('tasks');
    const off = registerQueue();
    try {
      press(document.body, 'g');
      press(document.body, 'q');
      expect(useAppStore.getState().view).toBe('queue');
    } finally {
      off();
    }
  });

  it('is typing in a field, does nothing on a letter alone, and expires', () => {
    const input = document.createElement('input');
    document.body.append(input);
    input.focus();
    press(input, 'g');
    press(input, 'r');
    expect(useAppStore.getState().view).toBe('users');
    input.remove();

    press(document.body, 'r');
    expect(useAppStore.getState().view).toBe('users');
    press(document.body, 'g');
    vi.setSystemTime(Date.now() + CHORD_MS + 1);
    press(document.body, 'r');
    expect(useAppStore.getState().view).toBe('users');
  });
});

describe('the palette and the open user', () => {
  const user: Auth0User = {
    user_id: 'auth0|42',
    email: 'ada@example.com',
    email_verified: false,
    identities: [
      { connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '42', isSocial: false },
    ],
  };
  const noFactors: MfaState = { authenticationMethods: [], enrollments: [] } as unknown as MfaState;
  const openPanel = (patch: Partial<Auth0User> = {}) =>
    useDetailStore.setState({
      tenantId: tenant.id,
      userId: user.user_id,
      user: { state: 'ready', data: { ...user, ...patch } },
      mfa: { state: 'ready', data: noFactors },
      shown: true,
    });
  const options = () => screen.getAllByRole('option').map((o) => o.textContent ?? '');

  it('lists the actions the open user allows now, with their shortcuts, and not the others', () => {
    // The grant can't delete users; the user has no MFA factor to reset.
    useAppStore.setState({
      capabilities: {
        [tenant.id]: { 'users:delete': { allowed: false, missingScopes: ['delete:users'] } } as never,
      },
    });
    openPanel();
    render(<CommandPalette onClose={() => undefined} />);
    const open = options().filter((o) => o.startsWith('Open user'));
    expect(open).toEqual([
      'Open userBlock userAlt+Shift+B',
      'Open userSend password reset emailAlt+Shift+R',
      'Open userCreate a password-change linkAlt+Shift+L',
      'Open userSend verification emailAlt+Shift+V',
      'Open userMark email verifiedAlt+Shift+E',
      'Open userForget remembered browsersAlt+Shift+F',
      'Open userSign out everywhere…Alt+Shift+O',
    ]);
    cleanup();

    // Blocked and verified: Unblock instead, nothing about the email; a grant that can't revoke sessions can't sign
    // the user out.
    useAppStore.setState({
      capabilities: {
        [tenant.id]: {
          'users:delete': { allowed: false, missingScopes: ['delete:users'] },
          'sessions:revoke': { allowed: false, missingScopes: ['delete:sessions'] },
        } as never,
      },
    });
    openPanel({ blocked: true, email_verified: true });
    render(<CommandPalette onClose={() => undefined} />);
    expect(options().filter((o) => o.startsWith('Open user'))).toEqual([
      'Open userUnblock userAlt+Shift+B',
      'Open userSend password reset emailAlt+Shift+R',
      'Open userCreate a password-change linkAlt+Shift+L',
      'Open userForget remembered browsersAlt+Shift+F',
    ]);
  });

  it('offers no user action while the panel is not on screen', () => {
    openPanel();
    useDetailStore.setState({ shown: false });
    render(<CommandPalette onClose={() => undefined} />);
    expect(options().some((o) => o.startsWith('Open user'))).toBe(false);
    expect(options()).toContain('Go toUsersAlt+1G U');
  });

  it('follows the panel while open: a user that finishes loading brings its actions, a new tenant its entry', () => {
    useDetailStore.setState({
      tenantId: tenant.id,
      userId: user.user_id,
      user: { state: 'loading' },
      shown: true,
    });
    render(<CommandPalette onClose={() => undefined} />);
    expect(options().some((o) => o.startsWith('Open user'))).toBe(false);
    act(() => openPanel());
    expect(options()).toContain('Open userBlock userAlt+Shift+B');
    act(() => openPanel({ blocked: true }));
    expect(options()).toContain('Open userUnblock userAlt+Shift+B');
    act(() =>
      useTenantsStore.setState({ tenants: [tenant, tenantProfile({ id: 'ten_2', label: 'Beta prod' })] }),
    );
    expect(options().some((o) => o.includes('Beta prod'))).toBe(true);
  });

  it('runs the chosen action: the guard asks, then the write goes to the panel’s tenant and user', async () => {
    openPanel();
    const onClose = vi.fn();
    // As the shell shows it: closing unmounts it.
    function Shell() {
      const [open, setOpen] = useState(true);
      return (
        <>
          {open && (
            <CommandPalette
              onClose={() => {
                onClose();
                setOpen(false);
              }}
            />
          )}
          <GuardDialog />
        </>
      );
    }
    render(<Shell />);
    fireEvent.change(screen.getByRole('combobox', { name: /Type a command/ }), {
      target: { value: 'block' },
    });
    fireEvent.keyDown(screen.getByRole('combobox', { name: /Type a command/ }), { key: 'Enter' });
    expect(onClose).toHaveBeenCalled();
    const confirm = await screen.findByRole('dialog', { name: 'Block this user?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Block user' }));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('users:set-blocked', {
        tenantId: tenant.id,
        userId: user.user_id,
        blocked: true,
      }),
    );
  });

  it('runs an action on its shortcut from anywhere outside a field, if it applies', async () => {
    const stop = listenForKeys(window);
    try {
      openPanel();
      render(<GuardDialog />);
      fireEvent.keyDown(document.body, { key: 'M', code: 'KeyM', altKey: true, shiftKey: true });
      // No factor to reset: Reset MFA doesn't apply, nothing asks and nothing is sent.
      expect(screen.queryByRole('dialog')).toBeNull();
      // Marking the email verified asks nothing on a development tenant: it is sent at once.
      fireEvent.keyDown(document.body, { key: 'E', code: 'KeyE', altKey: true, shiftKey: true });
      await waitFor(() =>
        expect(invoke).toHaveBeenCalledWith('users:set-email-verified', {
          tenantId: tenant.id,
          userId: user.user_id,
        }),
      );
      expect(invoke).not.toHaveBeenCalledWith('users:mfa-reset', expect.anything());
      // Deleting always asks.
      fireEvent.keyDown(document.body, { key: 'D', code: 'KeyD', altKey: true, shiftKey: true });
      expect(await screen.findByRole('dialog', { name: 'Delete this user?' })).toBeTruthy();
    } finally {
      stop();
    }
  });
});
