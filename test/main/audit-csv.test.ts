// The audit export is safe to open in a spreadsheet: every cell a spreadsheet would run as a formula is neutralised
// (full-width signs too), CSV quoting is right, and each write appears once with its outcome.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { writeAuditCsv } from '../../main/audit/csv.js';

function freshLog() {
  const dir = mkdtempSync(join(tmpdir(), 'td-audit-'));
  return { dir, log: new AuditLog(dir, 'alice') };
}

describe('audit CSV', () => {
  it('neutralises formula cells, including full-width ＝＋－＠, and quotes commas, quotes and newlines', async () => {
    const { dir, log } = freshLog();
    const evil = [
      '=HYPERLINK("http://x")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\tcmd',
      '\rcmd',
      '＝1+1',
      '＋1',
      '－1',
      '＠A1',
    ];
    for (const target of evil)
      log.record({
        tenantId: 't1',
        tenantDomain: 'acme.example',
        action: 'user.block',
        target,
        outcome: 'success',
      });
    log.record({
      tenantId: 't1',
      tenantDomain: 'acme.example',
      action: 'user.update-app-metadata',
      target: 'auth0|123',
      outcome: 'failure',
      error: 'line one,\nline "two"',
      after: { note: 'a,b' },
    });
    const file = join(dir, 'out.csv');
    expect(await writeAuditCsv(log.entries({}), file)).toBe(evil.length + 1);
    const rows = parse(readFileSync(file, 'utf8')) as string[][];
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    expect(rows.slice(1, evil.length + 1).map((r) => r[col('target')])).toEqual(evil.map((e) => `'${e}`));
    const last = rows[evil.length + 1]!;
    expect(last[col('target')]).toBe('auth0|123');
    expect(last[col('error')]).toBe('line one,\nline "two"');
    expect(JSON.parse(last[col('after')]!)).toEqual({ note: 'a,b' });
  });

  it('folds a write’s pending line into its outcome, and shows an unfinished one as interrupted', async () => {
    const { dir, log } = freshLog();
    const base = { tenantId: 't1', tenantDomain: 'acme.example', target: 'auth0|1' };
    const done = log.begin({ ...base, action: 'user.block', before: { blocked: false } });
    log.finish(done.id, { ...base, action: 'user.block', outcome: 'success', before: { blocked: false } });
    await log.begin({ ...base, action: 'user.delete', before: { email: 'x@example.com' } }).written;
    await log.flush();
    // Another process (a later run) reads the log: the delete never finished.
    const later = new AuditLog(dir, 'alice');
    const listed = await later.list({ limit: 10 });
    expect(listed.map((e) => [e.action, e.outcome])).toEqual([
      ['user.delete', 'interrupted'],
      ['user.block', 'success'],
    ]);
    // The process that began it still sees it running.
    expect((await log.list({ limit: 10 }))[0]!.outcome).toBe('pending');
    const file = join(dir, 'out.csv');
    expect(await writeAuditCsv(later.entries({}), file)).toBe(2);
    const rows = parse(readFileSync(file, 'utf8')) as string[][];
    expect(rows.slice(1).map((r) => r[6])).toEqual(['success', 'interrupted']);
  });

  it('reads newest first from the end of a large log, and skips a torn last line', async () => {
    const { dir, log } = freshLog();
    for (let i = 0; i < 3000; i++)
      log.record({
        tenantId: i % 2 ? 'a' : 'b',
        tenantDomain: 'd',
        action: 'user.block',
        target: `u${i}`,
        outcome: 'success',
      });
    await log.flush();
    const { appendFileSync } = await import('node:fs');
    appendFileSync(join(dir, 'audit.jsonl'), '{"id":"aud_torn","time":"2026');
    const newest = await log.list({ tenantId: 'a', limit: 3 });
    expect(newest.map((e) => e.target)).toEqual(['u2999', 'u2997', 'u2995']);
    expect(await log.list({ limit: 5000 })).toHaveLength(3000);
  });
});
