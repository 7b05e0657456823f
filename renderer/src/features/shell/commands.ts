// The window's own commands: the palette and the shortcuts overlay, the theme and density, how screens are gone to,
// and the keys that work anywhere but are handled where they apply (listed in the overlay).
import { registerCommands, setScreenNavigation, type Command } from '../../commands/registry';
import { useAppStore } from '../../stores/app';
import { usePrefsStore } from '../../stores/prefs';
import { useTenantsStore } from '../tenants/store';
import { useShellStore } from './store';

setScreenNavigation({
  go: (view) => useAppStore.getState().setView(view),
  hasTenants: () => useTenantsStore.getState().tenants.length > 0,
});

const anywhere = (id: string, keys: string, what: string, order: number): Command => ({
  id,
  group: 'Keys',
  section: 'Anywhere',
  label: what,
  shortcut: keys,
  order,
  hidden: true,
});

export const SHELL_COMMANDS: Command[] = [
  {
    id: 'window:palette',
    group: 'Window',
    section: 'Anywhere',
    label: 'Command palette: tenants, screens, actions on the open user',
    shortcut: ['Ctrl+K', 'Meta+K'],
    inDialogs: true,
    hidden: true,
    order: 10,
    run: () => useShellStore.getState().openPalette(''),
  },
  {
    id: 'window:help',
    group: 'Window',
    section: 'Anywhere',
    label: 'Keyboard shortcuts',
    help: 'This list of shortcuts',
    shortcut: '?',
    order: 20,
    run: () => useShellStore.getState().openHelp(),
  },
  anywhere('keys:query', '/', 'Focus the search query', 30),
  anywhere('keys:to-results', '↓ in the query', 'Go to the results', 40),
  anywhere(
    'keys:escape',
    'Esc',
    'Close the dialog, drawer or user panel (focus goes back where it was)',
    900,
  ),
  ...(['light', 'dark', 'system'] as const).map((theme): Command => ({
    id: `window:theme-${theme}`,
    group: 'Window',
    label: `Theme: ${theme === 'system' ? 'as the system' : theme}`,
    order: 910,
    run: () => usePrefsStore.getState().set('theme', theme),
  })),
  ...(['comfortable', 'compact'] as const).map((density): Command => ({
    id: `window:density-${density}`,
    group: 'Window',
    label: `Density: ${density}`,
    order: 920,
    run: () => usePrefsStore.getState().set('density', density),
  })),
];

registerCommands(SHELL_COMMANDS);
