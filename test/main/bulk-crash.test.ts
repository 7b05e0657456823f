// Nothing lost, nothing doubled: 2,000 metadata updates under 10 % injected failures, the process running the job
// killed (SIGKILL) at about half way, then Tenant Desk started again and the job resumed. Every user is changed
// exactly once (counted by the tenant), and the journal and the audit log tell the same story.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, JobSummary } from '../../preload/contract.js';
import { spawnAppProcess } from '../support/app-process.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 2000, seed: 'bulk-crash', failRate: 0.1 });
});
afterAll(async () => t?.close());

function worker(mode: 'start' | 'resume', dataDir: string) {
  return spawnAppProcess('bulk-worker.ts', [mode, dataDir], t);
}

describe('a bulk job killed half way', () => {
  it('resumes after a restart and changes every user exactly once, journal and audit agreeing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'td-crash-'));
    const first = worker('start', dataDir);
    let planned = 0;
    let killedAt = 0;
    for await (const line of first.lines) {
      const [word, a, b] = line.split(' ');
      if (word === 'PLANNED') planned = Number(a);
      if (word === 'PROGRESS' && Number(a) >= Number(b) / 2) {
        first.child.kill('SIGKILL');
        killedAt = Number(a);
        break;
      }
    }
    await first.exited;
    expect(planned).toBe(2000);
    expect(killedAt).toBeGreaterThanOrEqual(1000);
    expect(killedAt).toBeLessThan(2000);
    const appliedAtKill = [...t.emu.store.users.values()].filter(
      (u) => u.user_metadata?.crash_test === 'applied',
    ).length;
    expect(appliedAtKill).toBeLessThan(2000);

    const second = worker('resume', dataDir);
    let summary: JobSummary | undefined;
    let found = '';
    for await (const line of second.lines) {
      if (line.startsWith('FOUND ')) found = line;
      if (line.startsWith('DONE ')) summary = JSON.parse(line.slice(5)) as JobSummary;
    }
    expect(await second.exited).toBe(0);
    expect(found).toMatch(/ interrupted /);
    expect(summary).toMatchObject({
      status: 'completed',
      counts: { total: 2000, done: 2000, failed: 0, unknown: 0 },
    });

    // The tenant's own count: each of the 2,000 users written exactly once.
    const users = [...t.emu.store.users.values()];
    expect(users.filter((u) => u.user_metadata?.crash_test === 'applied')).toHaveLength(2000);
    const counts = users.map((u) => t.emu.store.appliedWrites.get(u.user_id) ?? 0);
    expect(counts.filter((c) => c !== 1)).toEqual([]);

    // The journal and the audit log agree: each user done once in both.
    const jobDir = join(dataDir, 'tasks', summary!.id);
    const final = new Map<number, string>();
    for (const l of readFileSync(join(jobDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean))
      final.set((JSON.parse(l) as { i: number }).i, (JSON.parse(l) as { s: string }).s);
    expect([...final.values()].filter((s) => s === 'done')).toHaveLength(2000);
    const audit = new Map<string, AuditEntry>();
    for (const l of readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const e = JSON.parse(l) as AuditEntry;
      if (e.jobId === summary!.id) audit.set(e.id, e); // the last line of each write is its outcome
    }
    // A write in flight at the kill is read back at the next start and recorded as interrupted, applied: that is the
    // user's one write.
    const successes = new Map<string, number>();
    for (const e of audit.values())
      if (
        e.action === 'user.update-user-metadata' &&
        (e.outcome === 'success' || (e.outcome === 'interrupted' && e.resolution === 'applied'))
      )
        successes.set(e.target!, (successes.get(e.target!) ?? 0) + 1);
    expect(successes.size).toBe(2000);
    expect([...successes.values()].every((n) => n === 1)).toBe(true);
    const jobEntry = [...audit.values()].find((e) => e.action === 'bulk.metadata')!;
    expect(jobEntry).toMatchObject({ outcome: 'success', after: { status: 'completed', done: 2000 } });
    expect(readdirSync(join(dataDir, 'tasks'))).toContain(summary!.id);
    console.log(
      `killed at ${killedAt}/2000 (${appliedAtKill} applied then); resumed to 2000/2000, each once`,
    );
  }, 180_000);
});
