// The exports slice's handler: an export of a tenant's users (to a file, a snapshot, or both) started as a task.
import type { exportsChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { ExportService } from './export-service.js';

export function exportsHandlers(d: { exports: ExportService }): SliceHandlers<typeof exportsChannels> {
  return {
    'exports:start': (input) => d.exports.start(input),
  };
}
