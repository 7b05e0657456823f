// The Tenants screen, registered: in the sidebar, on Alt+5 and G then T, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { TenantList } from './TenantList';

// Also what the window shows when no other screen applies.
registerScreen({
  view: 'tenants',
  label: 'Tenants',
  digit: '5',
  letter: 't',
  order: 5,
  needs: 'tenants',
  render: () => <TenantList />,
});
