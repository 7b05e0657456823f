// The Audit log screen, registered: in the sidebar, on Alt+6 and G then A, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { AuditScreen } from './AuditScreen';

registerScreen({
  view: 'audit',
  label: 'Audit log',
  digit: '6',
  letter: 'a',
  order: 6,
  needs: 'tenants',
  render: () => <AuditScreen />,
});
