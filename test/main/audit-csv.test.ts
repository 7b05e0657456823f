// The audit export is safe to open in a spreadsheet: formula-like cells are neutralised, CSV quoting is right.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { auditToCsv, neutraliseFormula } from '../../main/audit/csv.js';

describe('audit CSV', () => {
  it('prefixes cells a spreadsheet would run as formulas', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])
      expect(neutraliseFormula(evil)).toBe(`'${evil}`);
    expect(neutraliseFormula('auth0|123')).toBe('auth0|123');
  });

  it('quotes commas, quotes and newlines and round-trips', () => {
    const csv = auditToCsv([
      {
        time: '2026-01-01T00:00:00.000Z',
        osUser: 'alice',
        tenantId: 't1',
        tenantDomain: 'acme.example',
        action: 'user.update-app-metadata',
        target: '=cmd|"/c calc"!A1',
        outcome: 'failure',
        error: 'line one,\nline "two"',
        after: { note: 'a,b' },
      },
    ]);
    const rows = parse(csv) as string[][];
    expect(rows[1]![5]).toBe(`'=cmd|"/c calc"!A1`);
    expect(rows[1]![7]).toBe('line one,\nline "two"');
    expect(JSON.parse(rows[1]![9]!)).toEqual({ note: 'a,b' });
  });
});
