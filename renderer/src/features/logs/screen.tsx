// The Logs screen, registered: in the sidebar, on Alt+2 and G then L, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { LogsScreen } from './LogsScreen';

registerScreen({
  view: 'logs',
  label: 'Logs',
  digit: '2',
  letter: 'l',
  order: 2,
  needs: 'tenant',
  render: (tenant) => tenant && <LogsScreen key={tenant.id} tenant={tenant} />,
});
