// The audit trail as CSV for spreadsheets, streamed from the log into a file, with csv-stringify's escape_formulas
// neutralising every cell a spreadsheet would run as a formula (its list includes the full-width ＝＋－＠).
import { stringify } from 'csv-stringify';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { AuditEntry } from '../../preload/contract.js';

export const AUDIT_CSV_COLUMNS = [
  'time',
  'os_user',
  'tenant_id',
  'tenant_domain',
  'action',
  'target',
  'outcome',
  'error',
  'job_id',
  'before',
  'after',
  'audit_id',
  // Later additions go at the end, so that a sheet reading the columns above by position keeps working.
  'reason_ticket',
  'reason_note',
  'via',
];

function cell(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

export function auditRow(e: AuditEntry): string[] {
  return [
    e.time,
    e.osUser,
    e.tenantId,
    e.tenantDomain,
    e.action,
    e.target,
    e.outcome,
    e.error,
    e.jobId,
    e.before,
    e.after,
    e.id,
    e.reason?.ticket,
    e.reason?.note,
    e.via,
  ].map(cell);
}

/** Streams entries into a CSV file; returns the number of rows written. */
export async function writeAuditCsv(entries: AsyncIterable<AuditEntry>, file: string): Promise<number> {
  let rows = 0;
  async function* records() {
    for await (const e of entries) {
      rows++;
      yield auditRow(e);
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ header: true, columns: AUDIT_CSV_COLUMNS, escape_formulas: true }),
    createWriteStream(file, { mode: 0o600 }),
  );
  return rows;
}
