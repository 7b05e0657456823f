// The snapshots slice's handlers: snapshots listed, searched offline, opened from a file, exported, compared.
import type { snapshotsChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { SnapshotService } from './snapshot-service.js';

export function snapshotsHandlers(d: {
  snapshots: SnapshotService;
}): SliceHandlers<typeof snapshotsChannels> {
  const { snapshots } = d;
  return {
    'snapshots:list': () => snapshots.list(),
    'snapshots:search': (input) => snapshots.search(input),
    'snapshots:user': (input) => snapshots.user(input.snapshotId, input.userId),
    'snapshots:delete': (input) => snapshots.delete(input.snapshotId),
    'snapshots:open-file': (input) => snapshots.openFile(input),
    'snapshots:export': (input) => snapshots.export(input),
    'snapshots:compare': (input) => snapshots.compare(input.before, input.after),
    'snapshots:compare-items': (input) => snapshots.compareItems(input),
    'snapshots:compare-export': (input) => snapshots.compareExport(input.compareId),
  };
}
