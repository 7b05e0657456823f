// A command starts and, in the background, reads the audit log for writes an earlier run left pending — while its own
// first write is being made. A write that finishes while the log is read (its outcome line after the part read) is
// this run's own, finished: never resolved as interrupted, so it keeps one outcome.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import type * as Lines from '../../main/fs/lines.js';

/** The log as it was when reading began, handed over slowly: the write finishes in between. */
let hold: Promise<void> = Promise.resolve();
vi.mock('../../main/fs/lines.js', async (original) => {
  const real = await original<typeof Lines>();
  return {
    ...real,
    async *linesForward(file: string) {
      const text = readFileSync(file, 'utf8');
      await hold;
      for (const line of text.split('\n')) if (line) yield line;
    },
  };
});
const { AuditLog } = await import('../../main/audit/audit-log.js');

it('does not take a write that finished while the log was read for an interrupted one', async () => {
  const log = new AuditLog(mkdtempSync(join(tmpdir(), 'td-audit-race-')), 'sam');
  const base = { tenantId: 't1', tenantDomain: 'acme.example', target: 'auth0|1', action: 'user.block' };
  const pending = log.begin(base);
  await pending.written;
  let release!: () => void;
  hold = new Promise((r) => (release = r));
  const reading = log.interrupted(() => false);
  // The read has the pending line; the outcome comes after it.
  await new Promise((r) => setTimeout(r, 20));
  log.finish(pending.id, { ...base, outcome: 'success' });
  release();
  expect(await reading).toEqual([]);
  // Once read again, nothing is pending either; and a later run finds nothing to resolve.
  hold = Promise.resolve();
  expect(await log.interrupted(() => false)).toEqual([]);
});
