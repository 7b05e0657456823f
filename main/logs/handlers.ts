// The logs slice's handlers: a tenant's logs, searched, followed from a checkpoint, and one by one.
import type { logsChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { LogReads } from './log-reads.js';

export function logsHandlers(d: { logs: LogReads }): SliceHandlers<typeof logsChannels> {
  return {
    'logs:search': (input) => d.logs.search(input),
    'logs:checkpoint': (input) => d.logs.checkpoint(input),
    'logs:get': (input) => d.logs.get(input.tenantId, input.logId),
  };
}
