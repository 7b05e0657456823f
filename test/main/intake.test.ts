// Hostile files, as the hardening probe found them, each refused in words with its line and without the process
// growing past the stated bound — and the app working normally afterwards: a CSV header walking __proto__, a 200 MB
// line, a gzip bomb, 100,000-deep nesting, UTF-16 and invalid UTF-8, 1,500 abandoned uploads, an import's file with
// password hashes left behind, and a bulk job overwriting a newer edit.
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BulkPlanSummary,
  ConnectionSummary,
  ExportStatus,
  ImportPreview,
  ImportSummary,
  JobItem,
  JobSummary,
  TaskSummary,
  TenantProfile,
  UserSearchResult,
} from '../../preload/contract.js';
import { setAtPath } from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { INTAKE_PEAK_RSS_BOUND_MB } from '../../main/intake/text.js';
import { fromExportLine } from '../../main/offline/export-lines.js';
import { UploadStore } from '../../main/uploads/upload-store.js';
import { SessionVault } from '../../main/vault/index.js';
import { exportProgress, routerCall, routerFailure, uploadThroughRouter } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
let database: ConnectionSummary;
const dataDir = mkdtempSync(join(tmpdir(), 'td-intake-'));
const work = mkdtempSync(join(tmpdir(), 'td-intake-files-'));
let sequence = 0;
const nextId = () => `intake-${(++sequence).toString().padStart(6, '0')}`;
const call = <T>(channel: string, payload: unknown) => routerCall<T>(app, channel, payload);
const exportsEnded = new Map<string, (s: ExportStatus) => void>();

beforeAll(async () => {
  t = await startTestTenant({ users: 60, seed: 'intake' });
  app = await createApp({
    dataDir,
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    importPollMs: 50,
  });
  app.router.subscribe((event, payload) => {
    const s = exportProgress(event, payload);
    if (s && ['completed', 'failed', 'cancelled'].includes(s.phase)) exportsEnded.get(s.exportId)?.(s);
  });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Intake', 'development', '#336699'));
  const connections = await call<ConnectionSummary[]>('connections:list', { tenantId: tenant.id });
  database = connections.find((c) => c.isDatabase)!;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

/** Opens a file (a path on disk, or bytes) as a snapshot through the window's channels; the export's last status. */
async function openAsSnapshot(name: string, source: Buffer | string): Promise<ExportStatus> {
  return openUploaded(name, await uploadThroughRouter(app, name, source));
}

/** A file handed over already, opened as a snapshot (so that what reading it costs can be measured alone). */
async function openUploaded(name: string, uploadId: string): Promise<ExportStatus> {
  const exportId = nextId();
  const ended = new Promise<ExportStatus>((resolve) => exportsEnded.set(exportId, resolve));
  const started = await call<ExportStatus>('snapshots:open-file', { exportId, uploadId, label: name });
  if (['completed', 'failed'].includes(started.phase)) return started;
  return ended;
}

async function prepareImport(name: string, source: Buffer | string, extra: Record<string, unknown> = {}) {
  const uploadId = await uploadThroughRouter(app, name, source);
  return app.router.invoke('imports:prepare', {
    tenantId: tenant.id,
    importId: `imp_${(++sequence).toString(16).padStart(16, '0')}`,
    uploadId,
    fileName: name,
    connectionId: database.id,
    ...extra,
  });
}

/** Peak RSS while `work` runs, above the RSS just before, sampled every 10 ms (the offline worker is a thread of
 * this process, so its memory is in this figure). The worker is started first (a small file opened), so that its
 * start-up is not counted as the file's. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  await openAsSnapshot('warm-up.ndjson', Buffer.from('{"user_id":"auth0|warm"}\n'));
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** `prefix`, then `megabytes` of one letter, then `suffix`: a huge value, produced a megabyte at a time. */
function* hugeValue(
  prefix: string,
  megabytes: number,
  suffix: string,
  letter = 0x61,
): Generator<Buffer | string> {
  yield prefix;
  const mb = Buffer.alloc(1024 * 1024, letter);
  for (let i = 0; i < megabytes; i++) yield mb;
  yield suffix;
}

/** Writes a file of `parts`, each produced on demand (a large file never held whole). */
function writeFile(name: string, parts: Iterable<Buffer | string>): string {
  const path = join(work, name);
  const fd = openSync(path, 'w');
  for (const p of parts) writeSync(fd, typeof p === 'string' ? Buffer.from(p) : p);
  closeSync(fd);
  return path;
}

describe('__proto__, constructor and prototype are never walked', () => {
  it('refuses a CSV whose header walks __proto__, and the next CSV files open and import as usual', async () => {
    const hostile = await openAsSnapshot(
      'polluting.csv',
      Buffer.from('user_id,email,app_metadata.__proto__.polluted\nauth0|1,a@example.org,yes\n'),
    );
    expect(hostile.phase).toBe('failed');
    expect(hostile.error!.code).toBe('validation');
    expect(hostile.error!.message).toMatch(
      /Column 3 of the header: "app_metadata\.__proto__\.polluted" can't be used/,
    );
    // What broke every later CSV parse in the worker: a clean snapshot file and a clean import both still work.
    const clean = await openAsSnapshot(
      'clean.csv',
      Buffer.from(
        'user_id,email,app_metadata.plan\nauth0|1,a@example.org,gold\nauth0|2,b@example.org,silver\n',
      ),
    );
    expect(clean).toMatchObject({ phase: 'completed', users: 2 });
    const found = await call<UserSearchResult>('snapshots:search', {
      snapshotId: clean.snapshot!.id,
      q: 'app_metadata.plan:gold',
    });
    expect(found.users.map((u) => u.user_id)).toEqual(['auth0|1']);
    // Owner-only, like every file of the data dir (SQLite alone would have made it 0644).
    expect(statSync(join(dataDir, 'snapshots', `${clean.snapshot!.id}.duckdb`)).mode & 0o777).toBe(0o600);
    const prepared = await prepareImport(
      'clean-import.csv',
      Buffer.from('email,given_name\nnew.one@example.org,New\n'),
    );
    expect(prepared.ok && (prepared.data as ImportPreview)).toMatchObject({ ready: true, valid: 1 });
  });

  it('refuses the names in every other way a path comes in', async () => {
    for (const header of ['constructor', 'user_metadata.prototype.x'])
      expect(
        (await openAsSnapshot('h.csv', Buffer.from(`user_id,${header}\nauth0|1,x\n`))).error?.message,
      ).toMatch(/can't be used/);
    // An import's mapping to a metadata key, and a header of that name.
    const mapped = await prepareImport('m.csv', Buffer.from('email,extra\nm1@example.org,x\n'), {
      mapping: { email: 'email', extra: 'user_metadata.__proto__' },
    });
    expect(mapped.ok && (mapped.data as ImportPreview).errors[0]!.message).toMatch(
      /goes to user_metadata\.__proto__/,
    );
    const header = await prepareImport('h2.csv', Buffer.from('email,__proto__\nm2@example.org,x\n'));
    expect(!header.ok && header.error.message).toMatch(/"__proto__" can't be used/);
    // Export fields and comparison keys.
    const exported = await routerFailure(app, 'exports:start', {
      tenantId: tenant.id,
      exportId: nextId(),
      source: { kind: 'tenant' },
      fields: [{ name: 'app_metadata.__proto__' }],
      format: 'csv',
    });
    expect(exported.message).toMatch(/can't be used/);
    const compared = await routerFailure(app, 'cross:compare', {
      runId: nextId(),
      tenantA: tenant.id,
      tenantB: 'ten_0000000000000000',
      key: 'constructor',
      fields: ['email'],
    });
    expect(compared.message).toMatch(/can't be used/);
    // A flat key of a users file is left out rather than walked; a path is refused where one is set.
    const user = fromExportLine({
      user_id: 'auth0|9',
      'app_metadata.__proto__.polluted': 'yes',
      __proto__x: 1,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(user.app_metadata).toBeUndefined();
    expect(() => setAtPath({}, 'app_metadata.constructor.prototype.polluted', 1)).toThrow(/can't be used/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('file intake stays bounded', () => {
  it(`refuses a 200 MB single-line NDJSON in words, the process growing less than ${INTAKE_PEAK_RSS_BOUND_MB} MB`, async () => {
    const line = writeFile('one-line.ndjson', hugeValue('{"user_id":"auth0|1","blob":"', 200, '"}\n'));
    expect(statSync(line).size).toBeGreaterThan(200 * 1024 * 1024);
    const uploaded = await uploadThroughRouter(app, 'one-line.ndjson', line);
    const { result, growthMb } = await peakRssGrowth(() => openUploaded('one-line.ndjson', uploaded));
    expect(result.phase).toBe('failed');
    expect(result.error!.message).toMatch(
      /^Line 1 is longer than 16 MB, the most Tenant Desk reads as one record/,
    );
    expect(growthMb).toBeLessThan(INTAKE_PEAK_RSS_BOUND_MB);
    console.log(`200 MB line: refused, the process grew ${growthMb.toFixed(0)} MB at most`);
    // An import takes files of up to 100 MB, and no user over 1 MB (Auth0 takes 500 KB a file).
    expect((await prepareImport('one-line.ndjson', line)).ok).toBe(false);
    const fiveMb = writeFile(
      'five-mb-line.ndjson',
      hugeValue('{"email":"big@example.org","user_metadata":{"blob":"', 5, '"}}\n'),
    );
    const imported = await prepareImport('five-mb-line.ndjson', fiveMb);
    expect(!imported.ok && imported.error.message).toMatch(/^Line 1 is longer than 1 MB/);
  }, 120_000);

  it('keeps users just under the record limit one batch at a time (180 MB of 12 users)', async () => {
    const big = writeFile(
      'big-users.ndjson',
      (function* () {
        for (let i = 0; i < 12; i++)
          yield* hugeValue(
            `{"user_id":"auth0|big${i}","email":"big${i}@example.org","user_metadata":{"blob":"`,
            15,
            '"}}\n',
            0x62,
          );
      })(),
    );
    const uploaded = await uploadThroughRouter(app, 'big-users.ndjson', big);
    const { result, growthMb } = await peakRssGrowth(() => openUploaded('big-users.ndjson', uploaded));
    expect(result.error?.message ?? null).toBeNull();
    expect(result).toMatchObject({ phase: 'completed', users: 12 });
    expect(growthMb).toBeLessThan(INTAKE_PEAK_RSS_BOUND_MB);
    console.log(`12 users of 15 MB each: kept, the process grew ${growthMb.toFixed(0)} MB at most`);
    // Written in parts (their keys are huge), found as any other.
    for (const [q, total] of [
      ['email:big3@example.org', 1],
      ['_exists_:user_metadata.blob', 12],
    ] as const)
      expect(
        (await call<UserSearchResult>('snapshots:search', { snapshotId: result.snapshot!.id, q })).total,
        q,
      ).toBe(total);
    await call('snapshots:delete', { snapshotId: result.snapshot!.id });
  }, 120_000);

  it('refuses a gzip bomb (1 GB of one line from 1 MB) in words, reading no more than it needs', async () => {
    const block = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x61), { level: 9 });
    const bomb = writeFile(
      'bomb.json.gz',
      (function* () {
        yield gzipSync('{"user_id":"auth0|1","blob":"');
        for (let i = 0; i < 64; i++) yield block;
      })(),
    );
    expect(statSync(bomb).size).toBeLessThan(2 * 1024 * 1024);
    const started = Date.now();
    const uploaded = await uploadThroughRouter(app, 'bomb.json.gz', bomb);
    const { result, growthMb } = await peakRssGrowth(() => openUploaded('bomb.json.gz', uploaded));
    expect(result.phase).toBe('failed');
    expect(result.error!.message).toMatch(/^Line 1 is longer than 16 MB/);
    expect(result.error!.message).not.toMatch(/Invalid string length/);
    expect(growthMb).toBeLessThan(INTAKE_PEAK_RSS_BOUND_MB);
    expect(Date.now() - started).toBeLessThan(30_000);
    console.log(`gzip bomb: refused, the process grew ${growthMb.toFixed(0)} MB at most`);
    // Many short lines past what an import reads unpacked: the size cap, in words.
    const user = Buffer.from('{"email":"same.user@example.org"}\n'.repeat(32_768));
    const lines = gzipSync(Buffer.concat(Array.from({ length: 100 }, () => user)), { level: 9 });
    const many = await prepareImport('many.ndjson.gz', lines);
    expect(!many.ok && many.error.message).toMatch(/^Unzipped, the file is over 100 MB/);
  }, 120_000);

  it('refuses 100,000-deep nesting in words (never a stack overflow), as a line, an element and a cell', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const line = await openAsSnapshot(
      'deep.ndjson',
      Buffer.from(`{"user_id":"auth0|1","app_metadata":{"a":${deep}}}\n`),
    );
    expect(line.error!.message).toBe(
      'Line 1 nests objects and arrays deeper than 128 levels, more than any user holds.',
    );
    const element = await openAsSnapshot(
      'deep.json',
      Buffer.from(`[{"user_id":"auth0|0"},\n{"user_id":"auth0|1","app_metadata":{"a":${deep}}}]`),
    );
    expect(element.error!.message).toMatch(
      /^Element 2 of the array \(line 2\) nests objects and arrays deeper than 128/,
    );
    const cell = await openAsSnapshot(
      'deep.csv',
      Buffer.from(`user_id,app_metadata\nauth0|1,"{""a"":${deep}}"\n`),
    );
    expect(cell.error!.message).toMatch(
      /^Line 2: the app_metadata cell nests objects and arrays deeper than 128/,
    );
    const imported = await prepareImport(
      'deep.ndjson',
      Buffer.from(`{"email":"d@example.org","user_metadata":{"a":${deep}}}\n`),
    );
    expect(!imported.ok && imported.error.message).toMatch(
      /^Line 1 nests objects and arrays deeper than 128/,
    );
    for (const r of [line, element, cell]) expect(r.error!.message).not.toMatch(/call stack/i);
  });
});

describe('encodings', () => {
  const users = [
    { user_id: 'auth0|u1', email: 'zoe@example.org', name: 'Zoë Æsir' },
    { user_id: 'auth0|u2', email: 'jose@example.org', name: 'José 🎉' },
  ];
  const ndjson = users.map((u) => JSON.stringify(u)).join('\n') + '\n';
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

  it('converts UTF-16 (little- and big-endian, with a byte-order mark or not) and reads UTF-8 with one', async () => {
    for (const [name, bytes] of [
      ['le-bom.ndjson', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ndjson, 'utf16le')])],
      ['be-bom.ndjson', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(ndjson)])],
      ['le.ndjson', Buffer.from(ndjson, 'utf16le')],
      ['utf8-bom.ndjson', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ndjson)])],
    ] as const) {
      const s = await openAsSnapshot(name, bytes);
      expect(s, name).toMatchObject({ phase: 'completed', users: 2 });
      const u = await call<{ name: string }>('snapshots:user', {
        snapshotId: s.snapshot!.id,
        userId: 'auth0|u1',
      });
      expect(u.name, name).toBe('Zoë Æsir');
    }
    const csv = `email,name\r\nzoe.csv@example.org,Zoë\r\n`;
    const imported = await prepareImport(
      'excel-unicode.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
    );
    expect(imported.ok && (imported.data as ImportPreview)).toMatchObject({ ready: true, valid: 1 });
  });

  it('reports invalid UTF-8 and broken UTF-16 with their line, turning nothing into U+FFFD', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('{"user_id":"auth0|1","name":"ok"}\n{"user_id":"auth0|2","name":"Jos'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    const s = await openAsSnapshot('latin1.ndjson', latin1);
    expect(s.error!.message).toBe(
      'Line 2 is not valid UTF-8 (byte 33 of the line): the file may be saved in another encoding, such as Windows-1252. Save it as UTF-8 and open it again.',
    );
    const imported = await prepareImport(
      'latin1.csv',
      Buffer.concat([Buffer.from('email,name\nj@example.org,Jos'), Buffer.from([0xe9, 0x0a])]),
    );
    expect(!imported.ok && imported.error.message).toMatch(/^Line 2 is not valid UTF-8/);
    const lone = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('{"user_id":"auth0|1"}\n{"user_id":"auth0|2"}\n{"user_id":"', 'utf16le'),
      Buffer.from([0x00, 0xd8]), // a high surrogate with no low one after it
      Buffer.from('x"}\n', 'utf16le'),
    ]);
    expect((await openAsSnapshot('lone.ndjson', lone)).error!.message).toMatch(
      /^Line 3 is not valid UTF-16LE text/,
    );
    // A list of users for a bulk edit, from a file, goes through the same intake.
    const uploadId = await uploadThroughRouter(
      app,
      'list.csv',
      Buffer.concat([Buffer.from('email\nok@example.org\nJos'), Buffer.from([0xe9])]),
    );
    const plan = await routerFailure(app, 'bulk:plan', {
      tenantId: tenant.id,
      planId: nextId(),
      source: { kind: 'list-file', uploadId, name: 'list.csv' },
      change: { kind: 'block' },
    });
    expect(plan.message).toMatch(/^Line 3 is not valid UTF-8/);
  });
});

describe('nothing held, nothing left', () => {
  const openFds = () => readdirSync('/proc/self/fd').length;

  it('holds no file descriptor for 1,500 abandoned uploads, and removes them once idle', async () => {
    const before = openFds();
    for (let i = 0; i < 1500; i++) await call('uploads:begin', { name: `abandoned-${i}.csv`, bytes: 1000 });
    expect(openFds() - before).toBeLessThan(10);
    // The store's expiry, on a clock of its own.
    let now = 0;
    const dir = mkdtempSync(join(tmpdir(), 'td-uploads-'));
    const store = new UploadStore(dir, { now: () => now, sweepEveryMs: 3_600_000 });
    const ids = Array.from({ length: 1500 }, (_, i) => store.begin(`x-${i}`, 10).uploadId);
    store.chunk(ids[0]!, 0, Buffer.from('12345').toString('base64'));
    expect(readdirSync(store.dir)).toHaveLength(1500);
    now += 9 * 60_000;
    expect(store.sweep()).toBe(0);
    now += 2 * 60_000;
    expect(store.sweep()).toBe(1500);
    expect(readdirSync(store.dir)).toEqual([]);
    expect(() => store.chunk(ids[0]!, 5, 'MTIzNDU=')).toThrow(/abandoned/);
    expect(openFds() - before).toBeLessThan(10);
    store.close();
  });

  it('removes an import\u2019s file once its parts are built, and each part once Auth0 has it: no password hash stays', async () => {
    const hash = '$2b$10$C9bxkiG2C4QKk5TNMj1x0uXMB4lfuuqPiDHUYbjwP1BmnIM2kT1zS';
    const rows = Array.from({ length: 6000 }, (_, i) => ({
      email: `hashed.${i}@example.org`,
      password_hash: hash,
    }));
    const uploadId = await uploadThroughRouter(app, 'with-hashes.json', Buffer.from(JSON.stringify(rows)));
    const importId = `imp_${(++sequence).toString(16).padStart(16, '0')}`;
    const preview = await call<ImportPreview>('imports:prepare', {
      tenantId: tenant.id,
      importId,
      uploadId,
      fileName: 'with-hashes.json',
      connectionId: database.id,
    });
    expect(preview).toMatchObject({ ready: true, valid: 6000 });
    expect(preview.chunks).toBeGreaterThan(1);
    await call('imports:start', { importId });
    // The file as handed over is gone at once.
    expect(readdirSync(join(dataDir, 'uploads')).filter((n) => n.startsWith(uploadId))).toEqual([]);
    let summary: ImportSummary;
    for (;;) {
      summary = (
        (await call<TaskSummary>('tasks:get', { taskId: importId })).detail as { import: ImportSummary }
      ).import;
      if (summary.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(summary.status).toBe('completed');
    expect(existsSync(join(dataDir, 'imports', importId, 'chunks'))).toBe(false);
    const holding: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (readFileSync(p).includes(hash)) holding.push(p);
      }
    };
    walk(dataDir);
    expect(holding).toEqual([]);
  });
});

/** Starts a plan and waits for its job to stop running. */
async function runPlan(planId: string): Promise<JobSummary> {
  const job = await call<JobSummary>('bulk:start', { planId });
  for (;;) {
    const now = ((await call<TaskSummary>('tasks:get', { taskId: job.id })).detail as { job: JobSummary })
      .job;
    if (now.status !== 'running') return now;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a bulk job never overwrites what changed since its plan', () => {
  it('skips a user edited in the panel after planning, with both values, and writes the others', async () => {
    const users = (await call<UserSearchResult>('users:search', { tenantId: tenant.id, q: '', perPage: 5 }))
      .users;
    const ids = users.slice(0, 4).map((u) => u.user_id);
    const plan = await call<BulkPlanSummary>('bulk:plan', {
      tenantId: tenant.id,
      planId: nextId(),
      source: { kind: 'users', userIds: ids },
      change: { kind: 'metadata', metadata: 'app_metadata', set: { tier: 'planned' } },
    });
    expect(plan.willChange).toBe(4);
    // Someone edits one of them in the user panel after the plan was made.
    const edited = await call<{ updated_at: string }>('users:get', { tenantId: tenant.id, userId: ids[1] });
    await call('users:update-metadata', {
      tenantId: tenant.id,
      userId: ids[1],
      kind: 'app_metadata',
      changes: { tier: 'from the panel' },
      expectedUpdatedAt: edited.updated_at,
    });
    const writesBefore = t.emu.store.appliedWrites.get(ids[1]!) ?? 0;
    const done = await runPlan(plan.planId);
    expect(done.counts).toMatchObject({ done: 3, skipped: 1, failed: 0 });
    const items = await call<{ items: JobItem[] }>('jobs:items', { jobId: done.id, offset: 0, limit: 10 });
    const skipped = items.items.find((i) => i.userId === ids[1])!;
    expect(skipped.state).toBe('skipped');
    expect(skipped.error).toMatch(
      /^changed since the plan: app_metadata\.tier was (absent|".*") when planned, is "from the panel" now — not overwritten$/,
    );
    expect(t.emu.store.users.get(ids[1]!)!.app_metadata?.tier).toBe('from the panel');
    expect(t.emu.store.appliedWrites.get(ids[1]!) ?? 0).toBe(writesBefore);
    for (const id of [ids[0]!, ids[2]!, ids[3]!])
      expect(t.emu.store.users.get(id)!.app_metadata?.tier).toBe('planned');
  });

  it('skips a user whose roles changed since the plan', async () => {
    const role = await call<{ id: string }>('roles:create', {
      tenantId: tenant.id,
      name: 'Intake role',
      description: 'x',
    });
    const other = await call<{ id: string }>('roles:create', {
      tenantId: tenant.id,
      name: 'Intake other',
      description: 'x',
    });
    const users = (await call<UserSearchResult>('users:search', { tenantId: tenant.id, q: '', perPage: 10 }))
      .users;
    const ids = users.slice(5, 8).map((u) => u.user_id);
    for (const id of ids)
      await call('users:assign-roles', { tenantId: tenant.id, userId: id, roleIds: [other.id] });
    const plan = await call<BulkPlanSummary>('bulk:plan', {
      tenantId: tenant.id,
      planId: nextId(),
      source: { kind: 'users', userIds: ids },
      change: { kind: 'roles', add: [role.id], remove: [other.id] },
    });
    expect(plan.willChange).toBe(3);
    // Meanwhile someone takes from one of them the role that the job was to take.
    await call('users:remove-roles', {
      tenantId: tenant.id,
      userId: ids[0],
      roleIds: [other.id],
      guard: { confirmed: true },
    });
    const done = await runPlan(plan.planId);
    expect(done.counts).toMatchObject({ done: 2, skipped: 1 });
    const items = await call<{ items: JobItem[] }>('jobs:items', { jobId: done.id, offset: 0, limit: 10 });
    expect(items.items.find((i) => i.userId === ids[0])!.error).toBe(
      'its roles changed since the plan: held Intake other when planned, holds none of them now \u2014 not changed',
    );
  });
});
