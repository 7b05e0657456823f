// The Imports screen, registered: in the sidebar, on Alt+8 and G then I, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { ImportsScreen } from './ImportsScreen';

registerScreen({
  view: 'imports',
  label: 'Imports',
  digit: '8',
  letter: 'i',
  order: 8,
  needs: 'tenant',
  render: (tenant) => tenant && <ImportsScreen key={tenant.id} tenant={tenant} />,
});
