// The Cross-tenant screen, registered: in the sidebar, on Alt+9 and G then C, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { AcrossScreen } from './AcrossScreen';

// Not "… tenants": the Tenants screen's button is found by that word (as people and the e2e specs find it).
registerScreen({
  view: 'across',
  label: 'Cross-tenant',
  digit: '9',
  letter: 'c',
  order: 9,
  needs: 'tenants',
  render: () => <AcrossScreen />,
});
