// The Snapshots screen, registered: in the sidebar, on Alt+4 and G then S, in the palette and the overlay.
import { registerScreen } from '../../commands/registry';
import { SnapshotsScreen } from './SnapshotsScreen';

// Snapshots need no tenant: an auditor can open a file on a machine with none.
registerScreen({
  view: 'snapshots',
  label: 'Snapshots',
  digit: '4',
  letter: 's',
  order: 4,
  needs: 'nothing',
  render: () => <SnapshotsScreen />,
});
