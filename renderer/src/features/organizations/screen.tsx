// The Organizations screen, registered: in the sidebar, on G then O, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { OrganizationsScreen } from './OrganizationsScreen';

registerScreen({
  view: 'organizations',
  label: 'Organizations',
  letter: 'o',
  order: 7.5,
  needs: 'tenant',
  render: (tenant) => tenant && <OrganizationsScreen key={tenant.id} tenant={tenant} />,
});
