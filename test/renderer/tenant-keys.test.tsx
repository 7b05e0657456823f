// @vitest-environment happy-dom
// One key per tenant: Ctrl+1…9 switch to the first nine tenants in the order the tenants screen lists them, and
// Ctrl+` goes back to the tenant active before — through the command registry, so the palette and the shortcuts
// overlay list them with their keys; like the window's other modified keys they work in a field, not in a dialog.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const registry = await import('../../renderer/src/commands/registry');
const { listenForKeys, keyCombo } = await import('../../renderer/src/commands/keys');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
await import('../../renderer/src/features/shell/screens');
await import('../../renderer/src/features/shell/commands');
await import('../../renderer/src/features/tenants/commands');
await import('../../renderer/src/features/user/commands');
const { HelpOverlay } = await import('../../renderer/src/features/shell/HelpOverlay');
const { CommandPalette } = await import('../../renderer/src/features/shell/CommandPalette');

const tenants = [
  tenantProfile({ id: 'ten_a', label: 'Alpha' }),
  tenantProfile({ id: 'ten_b', label: 'Beta' }),
  tenantProfile({ id: 'ten_c', label: 'Gamma' }),
];

let stop: () => void;
beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue({ ok: true, data: {} });
  useTenantsStore.setState({ tenants, loaded: true });
  useAppStore.setState({ activeTenantId: 'ten_a', view: 'logs', capabilities: {}, unsavedIn: null });
  stop = listenForKeys(window);
});
afterEach(() => {
  stop();
  cleanup();
});

const ctrl = (target: Element | Window, code: string, key = code.replace(/^Digit/, '')) =>
  fireEvent.keyDown(target, { key, code, ctrlKey: true });
const active = () => useAppStore.getState().activeTenantId;

it('Ctrl+2 switches to the second tenant, Ctrl+` goes back to the one before, and back again', () => {
  expect(keyCombo({ ctrlKey: true, altKey: false, shiftKey: false, metaKey: false, code: 'Backquote' })).toBe(
    'Ctrl+`',
  );
  ctrl(document.body, 'Digit2');
  expect(active()).toBe('ten_b');
  // The screen shown stays.
  expect(useAppStore.getState().view).toBe('logs');
  ctrl(document.body, 'Backquote', '`');
  expect(active()).toBe('ten_a');
  ctrl(document.body, 'Backquote', '`');
  expect(active()).toBe('ten_b');
  // ⌘ on a Mac.
  fireEvent.keyDown(document.body, { key: '3', code: 'Digit3', metaKey: true });
  expect(active()).toBe('ten_c');
  // No tenth... and no fourth here: nothing happens.
  ctrl(document.body, 'Digit4');
  expect(active()).toBe('ten_c');
});

it('works in a field (a modified key), not inside a dialog', () => {
  const input = document.createElement('input');
  document.body.append(input);
  input.focus();
  ctrl(input, 'Digit3');
  expect(active()).toBe('ten_c');
  input.remove();

  const dialog = document.createElement('dialog');
  const button = document.createElement('button');
  dialog.append(button);
  document.body.append(dialog);
  ctrl(button, 'Digit1');
  expect(active()).toBe('ten_c');
  dialog.remove();
});

it('asks first when the open user has unsaved edits, like any switch', () => {
  useAppStore.setState({ unsavedIn: 'ten_a' });
  ctrl(document.body, 'Digit2');
  expect(active()).toBe('ten_a');
  expect(useAppStore.getState().pendingSwitch).toEqual({ tenantId: 'ten_b', view: 'logs' });
  useAppStore.setState({ pendingSwitch: null });
});

it('lists the keys in the palette and in the shortcuts overlay', () => {
  ctrl(document.body, 'Digit2');
  render(<CommandPalette onClose={() => undefined} />);
  const options = screen.getAllByRole('option').map((o) => o.textContent ?? '');
  expect(options.filter((o) => o.startsWith('Switch tenant'))).toEqual([
    'Switch tenantBack to the previous tenant:  Alpha ten_a.example.comCtrl+`',
    'Switch tenant Alpha ten_a.example.com DevelopmentCtrl+1 / ⌘1',
    'Switch tenant Beta ten_b.example.com Development (active)Ctrl+2 / ⌘2',
    'Switch tenant Gamma ten_c.example.com DevelopmentCtrl+3 / ⌘3',
  ]);
  // Typing a tenant's name finds its own entry first, not the way back to it.
  fireEvent.change(screen.getByRole('combobox', { name: /Type a command/ }), {
    target: { value: 'switch tenant alpha' },
  });
  expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
    'Switch tenant Alpha ten_a.example.com DevelopmentCtrl+1 / ⌘1',
  ]);
  cleanup();

  render(<HelpOverlay onClose={() => undefined} />);
  const section = within(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).getByRole('region', {
    name: 'Switch tenant',
  });
  const row = (what: string) => within(section).getByText(what).parentElement!.textContent;
  expect(row('Back to the tenant active before')).toContain('Ctrl+`');
  expect(row('Switch to Alpha (ten_a.example.com)')).toContain('Ctrl+1 / ⌘1');
  expect(row('Switch to Gamma (ten_c.example.com)')).toContain('Ctrl+3 / ⌘3');
});

it('gives the first nine tenants a key, and no two commands share one', () => {
  useTenantsStore.setState({
    tenants: Array.from({ length: 11 }, (_, i) => tenantProfile({ id: `ten_${i}`, label: `T${i}` })),
  });
  const keys = registry
    .allCommands()
    .filter((c) => c.id.startsWith('tenant:ten_'))
    .map((c) => registry.shortcutsOf(c)[0]);
  expect(keys).toEqual([...Array.from({ length: 9 }, (_, i) => `Ctrl+${i + 1}`), undefined, undefined]);
  const combos = registry
    .allCommands()
    .filter((c) => c.run)
    .flatMap((c) => registry.shortcutsOf(c));
  expect(new Set(combos).size).toBe(combos.length);
});
