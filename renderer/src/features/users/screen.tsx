// The Users screen, registered: in the sidebar, on Alt+1 and G then U, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { UsersScreen } from './UsersScreen';

registerScreen({
  view: 'users',
  label: 'Users',
  digit: '1',
  letter: 'u',
  order: 1,
  needs: 'tenant',
  render: (tenant) => tenant && <UsersScreen key={tenant.id} tenant={tenant} />,
});
