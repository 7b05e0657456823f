// The Snapshots screen, registered: in the sidebar, on Alt+4 and G then S, in the palette and the overlay; and its
// access review report, from anywhere (Alt+Shift+A, the palette).
import { registerCommands, registerScreen } from '../../commands/registry';
import { useAppStore } from '../../stores/app';
import { SnapshotsScreen } from './SnapshotsScreen';
import { useSnapshotsStore } from './store';

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

registerCommands([
  {
    id: 'snapshots:review',
    group: 'Snapshots',
    label: 'Access review report of a snapshot…',
    help: 'Access review report: role holders, flagged accounts, changes (XLSX or printable page)',
    shortcut: 'Alt+Shift+A',
    order: 10,
    run: () => {
      useAppStore.getState().setView('snapshots');
      useSnapshotsStore.getState().openReview();
    },
  },
]);
