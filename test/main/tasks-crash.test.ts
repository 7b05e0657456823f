// kill -9 during each kind of long work, then start again: the engine offers it for resume (tasks:list, what the one
// "Interrupted work" banner shows), and resumed it finishes with nothing done twice. Bulk jobs: bulk-crash.test.ts;
// imports (with a bulk job and an export under way at once): crash-recovery.test.ts; here an export kept as a
// snapshot (Auth0's export job asked for once, one file, one snapshot) and a snapshot built from a users file (one
// snapshot; the file, which names users, gone once done).
import { createWriteStream, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportStatus, TaskSummary } from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { spawnAppProcess } from '../support/app-process.js';
import { routerCall } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 40_000, seed: 'tasks-crash' });
}, 120_000);
afterAll(async () => t?.close());

/** Starts the worker, reads its lines until `kill` says so, then kills it with SIGKILL. */
async function killWhen(args: string[], kill: (phase: string, written: number) => boolean) {
  const run = spawnAppProcess('task-worker.ts', args, t);
  let killedAt: { phase: string; written: number } | null = null;
  for await (const line of run.lines) {
    const [word, phase, written] = line.split(' ');
    if (word === 'PROGRESS' && kill(phase!, Number(written))) {
      run.child.kill('SIGKILL');
      killedAt = { phase: phase!, written: Number(written) };
      break;
    }
  }
  await run.exited;
  return killedAt;
}

/** The next start: the task offered as interrupted, resumed, and followed to its end. */
async function resume(app: App, taskId: string): Promise<{ before: TaskSummary; after: ExportStatus }> {
  const listed = await routerCall<TaskSummary[]>(app, 'tasks:list', {});
  const before = listed.find((x) => x.id === taskId)!;
  await routerCall(app, 'tasks:control', { taskId, action: 'resume' });
  for (;;) {
    const now = await routerCall<TaskSummary>(app, 'tasks:get', { taskId });
    if (now.status !== 'running') return { before, after: (now.detail as { export: ExportStatus }).export };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exportJobs = () => [...t.emu.store.jobs.values()].filter((j) => j.type === 'users_export').length;
const snapshotFiles = (dataDir: string) =>
  readdirSync(join(dataDir, 'snapshots')).filter((f) => /^snap_[0-9a-f]{16}\.duckdb$/.test(f));
const leftovers = (dataDir: string) =>
  readdirSync(join(dataDir, 'snapshots')).filter((f) => /\.(part|tmp|session)/.test(f));

describe('kill -9 during long work, then start again', () => {
  it('an export kept as a snapshot: resumed, it follows the Auth0 export job it asked for; one file, one snapshot', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'td-task-crash-'));
    const jobsBefore = exportJobs();
    const killedAt = await killWhen(
      ['export', dataDir],
      (phase, written) => phase === 'downloading' && written >= 5_000,
    );
    expect(killedAt?.phase).toBe('downloading');
    expect(exportJobs()).toBe(jobsBefore + 1);
    expect(snapshotFiles(dataDir)).toEqual([]);

    const app = await createApp({ dataDir, host: 'browser', version: 'test' });
    try {
      const { before, after } = await resume(app, 'crash-export-0001');
      expect(before).toMatchObject({ kind: 'export', status: 'interrupted', can: { resume: true } });
      expect(before.reason).toMatch(/stopped while this export ran/);
      expect(after.phase).toBe('completed');
      expect(after.written).toBe(40_000);
      // Nothing done twice: Auth0 was not asked for a second export; one file; one snapshot, of every user.
      expect(exportJobs()).toBe(jobsBefore + 1);
      expect(after.snapshot?.count).toBe(40_000);
      expect(snapshotFiles(dataDir)).toEqual([`${after.snapshot!.id}.duckdb`]);
      expect(leftovers(dataDir)).toEqual([]);
      expect(existsSync(app.downloads.get(after.file!.id).path)).toBe(true);
      console.log(
        `export killed while ${killedAt!.phase} at ${killedAt!.written} users; resumed to ${after.written}, one Auth0 export job, one snapshot`,
      );
    } finally {
      await app.close();
    }
  }, 240_000);

  it('a snapshot built from a users file: resumed, one snapshot, and the file gone once done', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'td-task-crash-'));
    const file = join(dataDir, '..', `people-${process.pid}.ndjson`);
    const out = createWriteStream(file);
    for (let i = 0; i < 120_000; i++)
      if (
        !out.write(
          `${JSON.stringify({ user_id: `auth0|f${i}`, email: `file.${i}@example.org`, app_metadata: { n: i, note: 'x'.repeat(200) } })}\n`,
        )
      )
        await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const killedAt = await killWhen(['snapshot-file', dataDir, file], (_phase, written) => written >= 20_000);
    expect(killedAt!.written).toBeLessThan(120_000);

    const app = await createApp({ dataDir, host: 'browser', version: 'test' });
    try {
      const { before, after } = await resume(app, 'crash-file-0001');
      expect(before).toMatchObject({ kind: 'snapshot-file', status: 'interrupted', can: { resume: true } });
      expect(after.phase).toBe('completed');
      expect(after.snapshot?.count).toBe(120_000);
      expect(snapshotFiles(dataDir)).toEqual([`${after.snapshot!.id}.duckdb`]);
      expect(leftovers(dataDir)).toEqual([]);
      // The users file lived in the task's folder until the snapshot was made, and no longer.
      expect(readdirSync(join(dataDir, 'tasks', 'crash-file-0001'))).not.toContain('source');
      console.log(
        `snapshot from a file killed at ${killedAt!.written} users; resumed to ${after.snapshot!.count}, one snapshot`,
      );
    } finally {
      await app.close();
    }
  }, 240_000);
});
