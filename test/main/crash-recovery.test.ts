// kill -9 while a bulk job, an import, an export and a profile save all run; then the next start: every write left
// pending in the audit log is read back and resolved (applied, not applied or unknown, in words), the job's users left
// "sent" are counted as unknown until resuming reads them back, and no temporary file is left anywhere — while the
// files of another Tenant Desk that still runs are left alone. Resumed, the job and the import finish with nothing
// done twice.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, ImportSummary, JobSummary, TaskSummary } from '../../preload/contract.js';
import { createApp } from '../../main/app.js';
import { TEMP_NAME } from '../../main/fs/sweep.js';
import { spawnAppProcess } from '../support/app-process.js';
import { routerCall } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 2000, seed: 'crash-recovery', latencyMs: 8 });
});
afterAll(async () => t?.close());

/** Each audited write's last line (its outcome, or pending). */
function lastLines(dataDir: string): Map<string, AuditEntry> {
  const out = new Map<string, AuditEntry>();
  for (const l of readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    try {
      const e = JSON.parse(l) as AuditEntry;
      out.set(e.id, e);
    } catch {
      // a line torn by the kill
    }
  }
  return out;
}

/** Every file under `dir` whose name is a temporary one (of an atomic write, a part, a SQLite side file). */
function temporaryFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...temporaryFiles(p));
    else if (TEMP_NAME.test(e.name) || /\.(part|tmp)$|-journal$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The id of a process that has ended. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
      .stdout,
  );
}

describe('kill -9 with every kind of work under way', () => {
  it('resolves every pending write at the next start, counts sent users as unknown, leaves no temporary file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'td-crash-all-'));
    const { child, lines, exited } = spawnAppProcess('crash-worker.ts', [dataDir], t);
    // Whatever happens to this test, the worker does not outlive it.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    setTimeout(reap, 120_000).unref();
    let planned = 0;
    let ready = false;
    let importing = '';
    let progress = 0;
    // Killed once the job is on its way (ten users: writes in flight) and while the import still runs — not later,
    // so that a slow machine, with other test files beside this one, still kills it before the import is done.
    let killed = false;
    for await (const line of lines) {
      const [word, a] = line.split(' ');
      if (word === 'PLANNED') planned = Number(a);
      if (word === 'READY') ready = true;
      if (word === 'IMPORTING') importing = a!;
      if (word === 'PROGRESS') progress = Number(a);
      if (ready && progress >= 10 && importing === 'running') {
        child.kill('SIGKILL');
        killed = true;
        break;
      }
    }
    await exited;
    expect(
      killed,
      `killed while the job and the import ran (seen: ready ${ready}, job at ${progress}, import ${importing})`,
    ).toBe(true);
    expect(planned).toBe(2000);

    // What the killed run left: writes pending (the job's and the import's own entries at least), users "sent".
    const pendingAtKill = [...lastLines(dataDir).values()].filter((e) => e.outcome === 'pending');
    expect(pendingAtKill.length).toBeGreaterThanOrEqual(2);
    const [jobId] = readdirSync(join(dataDir, 'tasks')).filter((d) => d.startsWith('job_'));
    const journal = new Map<number, string>();
    for (const l of readFileSync(join(dataDir, 'tasks', jobId!, 'journal.jsonl'), 'utf8').split('\n')) {
      try {
        const j = JSON.parse(l) as { i: number; s: string };
        journal.set(j.i, j.s);
      } catch {
        // torn
      }
    }
    const sentAtKill = [...journal.values()].filter((s) => s === 'sent').length;
    // Left by a run that has ended, in every folder that has them; and one of a run still going (this test's).
    const dead = deadPid();
    const planted = [
      join(dataDir, `.tenants.json.${dead}.0badc0de.tmp`),
      join(dataDir, 'snapshots', `snap_0123456789abcdef.duckdb.${dead}.part`),
      join(dataDir, 'snapshots', `snap_0123456789abcdef.duckdb.${dead}.part.wal`),
      join(dataDir, 'snapshots', 'comparisons', `cmp_x.sqlite.${dead}.session`),
      join(dataDir, 'downloads', `dl_0123456789abcdef0123456789abcdef.${dead}.part`),
      join(dataDir, 'uploads', `up_0123456789abcdef0123456789abcdef.${dead}.session`),
      join(dataDir, 'tasks', jobId!, `.task.json.${dead}.12345678.tmp`),
    ];
    const alive = join(dataDir, 'snapshots', `snap_fedcba9876543210.duckdb.${process.pid}.part`);
    for (const p of [...planted, alive]) {
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, 'left behind');
    }

    const app = await createApp({
      dataDir,
      host: 'browser',
      version: 'test',
      jobRetryDelayMs: 20,
      importPollMs: 50,
    });
    try {
      const resolved = await app.recovered;
      // No write is left pending; each interrupted one says what reading it back found.
      const last = lastLines(dataDir);
      expect([...last.values()].filter((e) => e.outcome === 'pending')).toEqual([]);
      expect(resolved.map((e) => e.id).sort()).toEqual(pendingAtKill.map((e) => e.id).sort());
      for (const e of resolved) {
        expect(e.outcome).toBe('interrupted');
        expect(['applied', 'not-applied', 'unknown']).toContain(e.resolution);
        expect(e.error).toMatch(/^Tenant Desk stopped while this was under way; at the next start, /);
      }
      // A user's write read back agrees with the tenant.
      for (const e of resolved.filter((x) => x.action === 'user.update-user-metadata')) {
        const applied = t.emu.store.users.get(e.target!)?.user_metadata?.crash_recovery === 'applied';
        expect(e.resolution, e.target!).toBe(applied ? 'applied' : 'not-applied');
      }
      expect(resolved.find((e) => e.action === 'bulk.metadata')!.error).toMatch(
        /the job is interrupted with [\d,]+ of 2,000 users done.*resume it in Tasks/,
      );
      expect(resolved.find((e) => e.action === 'users.import')!.error).toMatch(/the import is interrupted/);

      // The job: users left "sent" are unknown until read back, not "remaining".
      const job = (
        (await routerCall<TaskSummary>(app, 'tasks:get', { taskId: jobId })).detail as { job: JobSummary }
      ).job;
      expect(job.status).toBe('interrupted');
      expect(job.counts.unknown).toBe(sentAtKill);
      expect(job.counts.done + job.counts.unknown + job.counts.remaining + job.counts.skipped).toBe(2000);

      const by = (r: string) => resolved.filter((e) => e.resolution === r).length;
      console.log(
        `killed at ${progress}/2000: ${pendingAtKill.length} writes pending (${by('applied')} applied, ${by('not-applied')} not applied, ${by('unknown')} unknown when read back), ${sentAtKill} users sent`,
      );
      // Nothing temporary is left, but for the files of a process still running.
      expect(temporaryFiles(dataDir)).toEqual([alive]);

      // Resumed, both finish, nothing done twice.
      await routerCall(app, 'tasks:control', { taskId: jobId, action: 'resume' });
      await routerCall(app, 'tasks:control', { taskId: 'imp_00000000000c0a51', action: 'resume' });
      let done: JobSummary;
      for (;;) {
        done = (
          (await routerCall<TaskSummary>(app, 'tasks:get', { taskId: jobId })).detail as { job: JobSummary }
        ).job;
        if (done.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(done.status).toBe('completed');
      expect(done.counts).toMatchObject({ total: 2000, failed: 0 });
      const seeded = [...t.emu.store.users.values()].filter((u) => !u.email?.startsWith('crash.import.'));
      expect(seeded.filter((u) => u.user_metadata?.crash_recovery === 'applied')).toHaveLength(2000);
      expect(seeded.map((u) => t.emu.store.appliedWrites.get(u.user_id) ?? 0).filter((n) => n !== 1)).toEqual(
        [],
      );
      let imported: ImportSummary;
      for (;;) {
        imported = (
          (await routerCall<TaskSummary>(app, 'tasks:get', { taskId: 'imp_00000000000c0a51' })).detail as {
            import: ImportSummary;
          }
        ).import;
        if (imported.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const importedUsers = [...t.emu.store.users.values()].filter((u) =>
        u.email?.startsWith('crash.import.'),
      );
      expect(new Set(importedUsers.map((u) => u.email)).size).toBe(importedUsers.length);
      expect(imported.chunks.every((c) => ['completed', 'unknown'].includes(c.state))).toBe(true);
      // The job's own entry gets its outcome once it ends.
      await app.close();
      const jobEntry = [...lastLines(dataDir).values()].find((e) => e.action === 'bulk.metadata')!;
      expect(jobEntry).toMatchObject({
        outcome: 'success',
        after: { status: 'completed', done: expect.any(Number) },
      });
    } finally {
      await app.close().catch(() => undefined);
    }
  }, 240_000);
});
