// An import interrupted by the app stopping while two of its parts run in Auth0 and others wait: it comes back
// "interrupted" from its record on disk, and resuming follows up the parts Auth0 has and sends the rest — every
// user imported exactly once. Also the templates: each is a file the import takes as it is.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConnectionSummary,
  DownloadRef,
  ImportPreview,
  ImportSummary,
  TaskSummary,
  TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { routerCall } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let first: App;
let second: App | undefined;
let tenant: TenantProfile;
let database: ConnectionSummary;
const dataDir = mkdtempSync(join(tmpdir(), 'td-imports-resume-'));
const vault = new SessionVault();

const call = routerCall;
async function prepare(app: App, importId: string, name: string, bytes: Buffer): Promise<ImportPreview> {
  const { uploadId } = await call<{ uploadId: string }>(app, 'uploads:begin', { name, bytes: bytes.length });
  await call(app, 'uploads:chunk', { uploadId, offset: 0, data: bytes.toString('base64') });
  await call(app, 'uploads:finish', { uploadId });
  return call<ImportPreview>(app, 'imports:prepare', {
    tenantId: tenant.id,
    importId,
    uploadId,
    fileName: name,
    connectionId: database.id,
  });
}

beforeAll(async () => {
  t = await startTestTenant({ users: 50, seed: 'imports-resume' });
  first = await createApp({ dataDir, host: 'browser', version: 'test', vault, importPollMs: 40 });
  tenant = await call<TenantProfile>(
    first,
    'tenants:add',
    t.sessionProfile('Resume', 'development', '#4527a0'),
  );
  database = (await call<ConnectionSummary[]>(first, 'connections:list', { tenantId: tenant.id })).find(
    (c) => c.isDatabase && !c.requiresUsername,
  )!;
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

describe('an interrupted import', () => {
  it('comes back interrupted after a stop and, resumed, imports every user exactly once', async () => {
    const rows = Array.from(
      { length: 8000 },
      (_, i) => `resume.user${i}@example.org,Given${i},Family${i},${'x'.repeat(120)}`,
    );
    const csv = Buffer.from(`email,given_name,family_name,user_metadata.note\n${rows.join('\n')}`);
    const preview = await prepare(first, 'imp_00000000000000a1', 'many.csv', csv);
    expect(preview.ready).toBe(true);
    expect(preview.chunks).toBeGreaterThanOrEqual(4);
    const before = t.emu.store.users.size;

    // Stop the app at a moment two parts are in Auth0, none is being sent, and some still wait.
    const stopped = new Promise<ImportSummary>((resolve) => {
      let done = false;
      first.router.subscribe((event, payload) => {
        if (done || event !== 'task:progress' || (payload as TaskSummary).kind !== 'import') return;
        const s = ((payload as TaskSummary).detail as { import: ImportSummary }).import;
        const states = s.chunks.map((c) => c.state);
        const inAuth0 = states.filter((x) => x === 'pending' || x === 'processing').length;
        if (inAuth0 === 2 && !states.includes('sending') && states.includes('waiting')) {
          done = true;
          void first.close();
          resolve(s);
        }
      });
    });
    await call(first, 'imports:start', { importId: preview.importId });
    const atStop = await stopped;
    const unsent = atStop.chunks.filter((c) => c.state === 'waiting').length;
    expect(unsent).toBeGreaterThan(0);
    // Auth0 finishes what it has; nothing more arrives while the app is stopped.
    await new Promise((r) => setTimeout(r, 1000));
    const landed = t.emu.store.users.size - before;
    expect(landed).toBeLessThan(8000);

    second = await createApp({ dataDir, host: 'browser', version: 'test', vault, importPollMs: 40 });
    // The secret was kept for the session only: after the restart it is given again, as a user would.
    const admin = t.emu.clients.find((c) => c.name === 'admin')!;
    await call(second, 'tenants:set-secret', {
      id: tenant.id,
      secret: admin.clientSecret,
      secretStorage: 'session',
    });
    const listed = await (
      await call<TaskSummary[]>(second, 'tasks:list', { tenantId: tenant.id })
    )
      .filter((x) => x.kind === 'import')
      .map((x) => (x.detail as { import: ImportSummary }).import);
    expect(listed[0]).toMatchObject({ importId: preview.importId, status: 'interrupted' });
    expect(listed[0]!.message).toMatch(/stopped while this import ran/);
    expect(listed[0]!.chunks.filter((c) => c.state === 'waiting')).toHaveLength(unsent);

    await call(second, 'tasks:control', { taskId: preview.importId, action: 'resume' });
    let s = listed[0]!;
    for (let i = 0; i < 600 && s.status !== 'completed' && s.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = (
        (await call<TaskSummary>(second, 'tasks:get', { taskId: preview.importId })).detail as {
          import: ImportSummary;
        }
      ).import;
    }
    expect(s.message ?? '', JSON.stringify(s.chunks)).toBe('');
    expect(s.status).toBe('completed');
    expect(s.counts).toEqual({ inserted: 8000, updated: 0, failed: 0, total: 8000 });
    expect(t.emu.store.users.size - before).toBe(8000);
    const jobs = [...t.emu.store.jobs.values()].filter((j) => j.type === 'users_import');
    expect(jobs).toHaveLength(s.chunks.length);
  }, 120_000);

  it('offers CSV and JSON templates the import takes as they are', async () => {
    const app = second!;
    for (const format of ['csv', 'json'] as const) {
      const file = await call<DownloadRef>(app, 'imports:template', {
        tenantId: tenant.id,
        connectionId: database.id,
        format,
      });
      const bytes = readFileSync(app.downloads.get(file.id).path);
      const p = await prepare(app, `imp_00000000000000b${format === 'csv' ? 1 : 2}`, file.filename, bytes);
      expect(p, format).toMatchObject({ format, ready: true, rows: 1, valid: 1, errorCount: 0 });
    }
  });
});
