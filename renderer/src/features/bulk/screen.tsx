// The Bulk edits screen, registered: in the sidebar, on Alt+3 and G then B, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { BulkScreen } from './BulkScreen';

registerScreen({
  view: 'bulk',
  label: 'Bulk edits',
  digit: '3',
  letter: 'b',
  order: 3,
  needs: 'tenant',
  render: (tenant) => tenant && <BulkScreen key={tenant.id} tenant={tenant} />,
});
