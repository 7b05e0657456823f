// The Roles screen, registered: in the sidebar, on Alt+7 and G then R, in the palette and the overlay.
import { registerCommands, registerScreen } from '../../commands/registry';
import { RolesScreen } from './RolesScreen';

registerScreen({
  view: 'roles',
  label: 'Roles',
  digit: '7',
  letter: 'r',
  order: 7,
  needs: 'tenant',
  render: (tenant) => tenant && <RolesScreen key={tenant.id} tenant={tenant} />,
});

// The keys of the list of roles, handled by the list: listed in the shortcuts overlay.
registerCommands([
  {
    id: 'keys:roles-move',
    group: 'Keys',
    section: 'In a list of roles',
    label: 'Previous / next, first / last role',
    shortcut: '↑ ↓, Home End',
    hidden: true,
  },
  {
    id: 'keys:roles-open',
    group: 'Keys',
    section: 'In a list of roles',
    label: 'Open the role: its members and permissions',
    shortcut: 'Enter',
    hidden: true,
  },
]);
