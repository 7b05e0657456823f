// The audit trail as CSV for spreadsheets, with every cell that a spreadsheet would run as a formula neutralised.
import { stringify } from 'csv-stringify/sync';
import type { AuditEntry } from '../../preload/contract.js';

/** OWASP's advice: a leading = + - @ tab or carriage return makes a cell a formula; prefix it with a quote. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function auditToCsv(entries: AuditEntry[]): string {
  const cell = (v: unknown) =>
    neutraliseFormula(v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const header = [
    'time',
    'os_user',
    'tenant_id',
    'tenant_domain',
    'action',
    'target',
    'outcome',
    'error',
    'before',
    'after',
  ];
  const rows = entries.map((e) =>
    [
      e.time,
      e.osUser,
      e.tenantId,
      e.tenantDomain,
      e.action,
      e.target,
      e.outcome,
      e.error,
      e.before,
      e.after,
    ].map(cell),
  );
  return stringify([header, ...rows]);
}
