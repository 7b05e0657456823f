// The window's keyboard shortcuts, in one place: the help overlay lists these, the palette shows them beside its
// commands, and App's key handler acts on them.
import type { View } from '../stores/app';

export const SCREENS: { view: View; label: string; key: string }[] = [
  { view: 'users', label: 'Users', key: '1' },
  { view: 'logs', label: 'Logs', key: '2' },
  { view: 'bulk', label: 'Bulk edits', key: '3' },
  { view: 'snapshots', label: 'Snapshots', key: '4' },
  { view: 'tenants', label: 'Tenants', key: '5' },
  { view: 'audit', label: 'Audit log', key: '6' },
  { view: 'roles', label: 'Roles', key: '7' },
  { view: 'imports', label: 'Imports', key: '8' },
  // Not "… tenants": the Tenants screen's button is found by that word (as people and the e2e specs find it).
  { view: 'across', label: 'Cross-tenant', key: '9' },
];

export const SHORTCUT_GROUPS: { title: string; items: [string, string][] }[] = [
  {
    title: 'Anywhere',
    items: [
      ['Ctrl+K / ⌘K', 'Command palette: tenants, screens, actions on the open user'],
      ['?', 'This list of shortcuts'],
      ['/', 'Focus the search query'],
      ['↓ in the query', 'Go to the results'],
      ...SCREENS.map((s): [string, string] => [`Alt+${s.key}`, `Go to ${s.label}`]),
      ['Esc', 'Close the dialog, drawer or user panel (focus goes back where it was)'],
    ],
  },
  {
    title: 'In a table',
    items: [
      ['↑ ↓', 'Previous / next row'],
      ['PgUp PgDn, Home End', 'A page up or down, first or last row'],
      ['Enter', 'Open the row (a user, a log event)'],
      ['Space, Shift+Space', 'Pick the row for a bulk edit; with Shift, every row since the last one picked'],
      ['Alt+← / Alt+→ on a header', 'Move the column'],
      ['← / → on a column edge', 'Narrow or widen the column (Shift: faster)'],
    ],
  },
  {
    title: 'In a list of roles',
    items: [
      ['↑ ↓, Home End', 'Previous / next, first / last role'],
      ['Enter', 'Open the role: its members and permissions'],
    ],
  },
  {
    title: 'On the open user',
    items: [
      ['Alt+Shift+B', 'Block or unblock'],
      ['Alt+Shift+R', 'Send password reset email'],
      ['Alt+Shift+L', 'Create a password-change link'],
      ['Alt+Shift+V', 'Send verification email'],
      ['Alt+Shift+E', 'Mark email verified'],
      ['Alt+Shift+M', 'Reset MFA'],
      ['Alt+Shift+F', 'Forget remembered browsers'],
      ['Alt+Shift+D', 'Delete user'],
    ],
  },
];

/** "Alt+Shift+B" for a key event, the way data-shortcut attributes are written. */
export function shortcutOf(e: {
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  code: string;
}) {
  const key = e.code.startsWith('Key')
    ? e.code.slice(3)
    : e.code.startsWith('Digit')
      ? e.code.slice(5)
      : e.code;
  return [e.ctrlKey && 'Ctrl', e.metaKey && 'Meta', e.altKey && 'Alt', e.shiftKey && 'Shift', key]
    .filter(Boolean)
    .join('+');
}

/** The actions the open user's panel offers now (enabled buttons marked with data-command). */
export function panelCommands(
  root: ParentNode = document,
): { label: string; shortcut: string; run: () => void }[] {
  return [...root.querySelectorAll<HTMLButtonElement>('.panel [data-command]')]
    .filter((b) => !b.disabled)
    .map((b) => ({ label: b.dataset.command!, shortcut: b.dataset.shortcut ?? '', run: () => b.click() }));
}
