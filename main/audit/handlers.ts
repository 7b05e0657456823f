// The audit slice's handlers: the audit log, read and written out as CSV.
import type { auditChannels } from '../../preload/contract.js';
import type { DownloadStore } from '../downloads/download-store.js';
import type { SliceHandlers } from '../router.js';
import type { AuditLog } from './audit-log.js';
import { writeAuditCsv } from './csv.js';

export function auditHandlers(d: {
  audit: AuditLog;
  downloads: DownloadStore;
}): SliceHandlers<typeof auditChannels> {
  return {
    'audit:list': (input) => d.audit.list(input),
    'audit:export-csv': async (input) => {
      const file = d.downloads.reserve(
        `tenant-desk-audit-${new Date().toISOString().slice(0, 10)}.csv`,
        'text/csv; charset=utf-8',
      );
      try {
        await writeAuditCsv(d.audit.entries(input), file.path);
      } catch (err) {
        file.discard();
        throw err;
      }
      const { id, filename, bytes } = await file.commit();
      return { id, filename, bytes };
    },
  };
}
