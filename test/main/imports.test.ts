// User imports through the router against the local tenant: a 3 MB CSV of 10,000 users mapped, checked, split into
// chunks of at most 500 KB and sent with never more than two Auth0 jobs at once, rows the tenant refuses (users
// that already exist) tied back to their rows; Auth0's own NDJSON export imported into another tenant; and bad
// files — unparseable, a wrong column, repeated rows, too big — refused in words with nothing sent.
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMPORT_CHUNK_BYTES,
  type AuditEntry,
  type ConnectionSummary,
  type DownloadRef,
  type ExportStatus,
  type ImportFailure,
  type ImportPreview,
  type ImportSummary,
  type TaskSummary,
  type TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { MAX_IMPORT_FILE_BYTES, prepareImport } from '../../main/imports/import-file.js';
import { importProblems } from '../../main/imports/import-schema.js';
import { SessionVault } from '../../main/vault/index.js';
import { exportProgress, routerCall, routerFailure } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let other: TestTenant;
let app: App;
let tenant: TenantProfile;
let second: TenantProfile;
let database: ConnectionSummary;
const dataDir = mkdtempSync(join(tmpdir(), 'td-imports-'));
const events: ImportSummary[] = [];
const exportsEnded = new Map<string, (s: ExportStatus) => void>();
const exportEnd = (id: string) => new Promise<ExportStatus>((resolve) => exportsEnded.set(id, resolve));
let sequence = 0;
const importId = () => `imp_${(++sequence).toString(16).padStart(16, '0')}`;

const call = <T>(channel: string, payload: unknown) => routerCall<T>(app, channel, payload);
const failure = (channel: string, payload: unknown) => routerFailure(app, channel, payload);
async function upload(name: string, bytes: Buffer): Promise<string> {
  const { uploadId } = await call<{ uploadId: string }>('uploads:begin', { name, bytes: bytes.length });
  for (let at = 0; at < bytes.length; at += 3 * 1024 * 1024)
    await call('uploads:chunk', {
      uploadId,
      offset: at,
      data: bytes.subarray(at, at + 3 * 1024 * 1024).toString('base64'),
    });
  await call('uploads:finish', { uploadId });
  return uploadId;
}
async function prepare(
  name: string,
  bytes: Buffer,
  extra: Record<string, unknown> = {},
  on: TenantProfile = tenant,
  connectionId = database.id,
): Promise<ImportPreview> {
  return call<ImportPreview>('imports:prepare', {
    tenantId: on.id,
    importId: importId(),
    uploadId: await upload(name, bytes),
    fileName: name,
    connectionId,
    ...extra,
  });
}
async function finished(id: string): Promise<ImportSummary> {
  for (let i = 0; i < 1200; i++) {
    const s = ((await call<TaskSummary>('tasks:get', { taskId: id })).detail as { import: ImportSummary })
      .import;
    if (s.status !== 'running') return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the import did not finish');
}
const usersOnTenant = (x: TestTenant) => x.emu.store.users.size;

beforeAll(async () => {
  t = await startTestTenant({ users: 300, seed: 'imports' });
  other = await startTestTenant({ users: 5, seed: 'imports-target' });
  app = await createApp({
    dataDir,
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    importPollMs: 40,
  });
  app.router.subscribe((event, payload) => {
    if (event === 'task:progress' && (payload as TaskSummary).kind === 'import')
      events.push(((payload as TaskSummary).detail as { import: ImportSummary }).import);
    const status = exportProgress(event, payload);
    if (status) {
      if (['completed', 'failed', 'cancelled'].includes(status.phase))
        exportsEnded.get(status.exportId)?.(status);
    }
  });
  const add = (x: TestTenant, label: string) =>
    call<TenantProfile>('tenants:add', x.sessionProfile(label, 'development', '#00695c'));
  tenant = await add(t, 'Imports');
  second = await add(other, 'Imports target');
  const connections = await call<ConnectionSummary[]>('connections:list', { tenantId: tenant.id });
  database = connections.find((c) => c.isDatabase && !c.requiresUsername)!;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  await other?.close();
});

describe('importing users', () => {
  it('imports a 3 MB CSV of 10,000 users in chunks, two Auth0 jobs at most, refused rows tied to their row', async () => {
    // 40 rows are users the tenant already has: Auth0 refuses them (no upsert) and says which.
    const existing = [...t.emu.store.users.values()]
      .filter((u) => u.identities[0]?.connection === database.name && u.email)
      .slice(0, 40)
      .map((u) => u.email!);
    expect(existing).toHaveLength(40);
    const header =
      'Email,First name,Last name,Full name,Email verified,user_metadata.plan,user_metadata.notes,Department\n';
    const planted = new Map<number, string>();
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const row = i + 2;
      let email = `import.user${i}@example.org`;
      if (i % 250 === 7) {
        email = existing[planted.size]!;
        planted.set(row, email);
      }
      lines.push(
        `${email},Given${i},Family${i},"Given${i} Family${i}",${i % 2 ? 'true' : 'false'},${['free', 'gold', 'team'][i % 3]},"${'note '.repeat(42).trim()}",Dept ${i % 17}`,
      );
    }
    const csv = Buffer.from(header + lines.join('\n'));
    expect(csv.length).toBeGreaterThan(3_000_000);
    const before = usersOnTenant(t);

    // The unknown column is named, and nothing can start until it is mapped or ignored.
    const first = await prepare('people.csv', csv);
    expect(first.format).toBe('csv');
    expect(first.mapping).toMatchObject({
      Email: 'email',
      'First name': 'given_name',
      'Last name': 'family_name',
      'Full name': 'name',
      'Email verified': 'email_verified',
      'user_metadata.plan': 'user_metadata.plan',
    });
    expect(first.ready).toBe(false);
    expect(first.errors[0]!.message).toMatch(/Column 8 "Department" matches no import field/);
    const notReady = await failure('imports:start', { importId: first.importId });
    expect(notReady.code).toBe('validation');

    const preview = await prepare('people.csv', csv, {
      mapping: { ...first.mapping, Department: 'user_metadata.department' },
    });
    expect(preview).toMatchObject({ rows: 10_000, valid: 10_000, errorCount: 0, ready: true });
    expect(preview.chunks).toBeGreaterThanOrEqual(7);
    expect(usersOnTenant(t)).toBe(before);

    events.length = 0;
    const started = await call<ImportSummary>('imports:start', { importId: preview.importId });
    expect(started.chunks.every((c) => c.bytes <= IMPORT_CHUNK_BYTES)).toBe(true);
    expect(started.chunks.reduce((n, c) => n + c.rows, 0)).toBe(10_000);
    const done = await finished(preview.importId);
    expect(done.status).toBe('completed');
    expect(done.counts).toEqual({ inserted: 10_000 - 40, updated: 0, failed: 40, total: 10_000 });
    expect(usersOnTenant(t)).toBe(before + 10_000 - 40);

    // Never more than two of its jobs in Auth0 at once, at any moment it reported.
    const inAuth0 = (s: ImportSummary) =>
      s.chunks.filter((c) => c.state === 'sending' || c.state === 'pending' || c.state === 'processing')
        .length;
    expect(events.length).toBeGreaterThan(done.chunks.length * 2);
    expect(Math.max(...events.map(inAuth0))).toBe(2);
    // The tenant's own record of jobs agrees: each chunk one completed import job with its summary.
    for (const c of done.chunks) {
      const job = t.emu.store.jobs.get(c.jobId!)!;
      expect(job).toMatchObject({ type: 'users_import', status: 'completed' });
      expect(c.summary).toMatchObject({ total: c.rows });
    }

    const failures = await call<{ items: ImportFailure[]; total: number }>('imports:failures', {
      importId: preview.importId,
      limit: 100,
    });
    expect(failures.total).toBe(40);
    expect(failures.items.map((f) => [f.row, f.email])).toEqual([...planted]);
    expect(new Set(failures.items.map((f) => f.code))).toEqual(new Set(['DUPLICATED_USER']));

    const file = await call<DownloadRef>('tasks:results', { taskId: preview.importId });
    const rows = parse(readFileSync(app.downloads.get(file.id).path, 'utf8'), {
      columns: true,
      bom: true,
    }) as {
      row: string;
      code: string;
    }[];
    expect(rows.map((r) => Number(r.row))).toEqual([...planted.keys()]);

    const imported = [...t.emu.store.users.values()].find((u) => u.email === 'import.user3@example.org')!;
    expect(imported).toMatchObject({
      given_name: 'Given3',
      email_verified: true,
      user_metadata: { plan: 'free', department: 'Dept 3' },
    });
    const history = await (
      await call<TaskSummary[]>('tasks:list', { tenantId: tenant.id })
    )
      .filter((x) => x.kind === 'import')
      .map((x) => (x.detail as { import: ImportSummary }).import);
    expect(history[0]!.importId).toBe(preview.importId);
  }, 180_000);

  it("re-imports Auth0's own NDJSON export into another tenant, converted", async () => {
    await call<ExportStatus>('exports:start', {
      tenantId: tenant.id,
      exportId: 'export-for-import',
      source: { kind: 'connection', connectionId: database.id, name: database.name },
      fields: [
        'user_id',
        'email',
        'email_verified',
        'name',
        'created_at',
        'logins_count',
        'user_metadata',
      ].map((name) => ({ name })),
      format: 'ndjson',
    });
    const exported = await exportEnd('export-for-import');
    expect(exported.phase).toBe('completed');
    const bytes = readFileSync(app.downloads.get(exported.file!.id).path);
    const lines = bytes.toString('utf8').trim().split('\n');
    const sample = JSON.parse(lines[0]!) as { user_id: string; email: string };
    expect(sample.user_id).toMatch(/^auth0\|/);

    const target = (await call<ConnectionSummary[]>('connections:list', { tenantId: second.id })).find(
      (c) => c.isDatabase && !c.requiresUsername,
    )!;
    const before = usersOnTenant(other);
    const p = await prepare('tenant-export.ndjson', bytes, {}, second, target.id);
    expect(p).toMatchObject({ format: 'ndjson', converted: true, ready: true, rows: lines.length });
    expect(p.notes.join(' ')).toMatch(/created_at \([\d,]+\), logins_count/);
    await call('imports:start', { importId: p.importId });
    const done = await finished(p.importId);
    expect(done.status).toBe('completed');
    expect(done.counts.inserted).toBe(lines.length);
    expect(usersOnTenant(other)).toBe(before + lines.length);
    const copy = other.emu.store.users.get(sample.user_id);
    expect(copy?.email).toBe(sample.email);
  }, 180_000);
});

describe('bad files', () => {
  it('refuses a file that does not parse, naming the problem, and sends nothing', async () => {
    const before = usersOnTenant(t);
    const json = await failure('imports:prepare', {
      tenantId: tenant.id,
      importId: importId(),
      uploadId: await upload('users.json', Buffer.from('[{"email": "a@example.org"},')),
      fileName: 'users.json',
      connectionId: database.id,
    });
    expect(json.code).toBe('validation');
    expect(json.message).toMatch(/not valid JSON/);
    const notArray = await failure('imports:prepare', {
      tenantId: tenant.id,
      importId: importId(),
      uploadId: await upload('users.json', Buffer.from('{"users": []}')),
      fileName: 'users.json',
      connectionId: database.id,
      format: 'json',
    });
    expect(notArray.message).toMatch(/array of users/);
    const ndjson = await prepare('users.ndjson', Buffer.from('{"email":"a@example.org"}\n{"email": oops}\n'));
    expect(ndjson.ready).toBe(false);
    expect(ndjson.errors).toEqual([{ row: 2, message: expect.stringMatching(/not valid JSON/) }]);
    expect(usersOnTenant(t)).toBe(before);
  });

  it('lists rows Auth0 would refuse and repeated rows, each in words, and will not start', async () => {
    const text = [
      'email,given_name,email_verified,user_metadata,password_hash',
      'ok@example.org,Ok,true,{},',
      'not-an-email,Bad,true,,',
      'maybe@example.org,Maybe,perhaps,,',
      'json@example.org,Json,false,{broken,',
      'hash@example.org,Hash,false,,md5:abc',
      'OK@example.org,Again,true,,',
    ].join('\n');
    const before = usersOnTenant(t);
    const p = await prepare('rows.csv', Buffer.from(text));
    expect(p.ready).toBe(false);
    expect(p.errorCount).toBe(5);
    expect(p.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'email'],
      [4, 'email_verified'],
      [5, 'user_metadata'],
      [6, 'password_hash'],
      [7, 'email'],
    ]);
    expect(p.errors[4]!.message).toBe('Repeats the email ok@example.org of row 2.');
    expect((await failure('imports:start', { importId: p.importId })).code).toBe('validation');
    expect(usersOnTenant(t)).toBe(before);
  });

  it('on a production tenant starts only with the domain and the number of users typed back', async () => {
    const prod = await call<TenantProfile>(
      'tenants:add',
      t.sessionProfile('Imports production', 'production', '#b71c1c'),
    );
    const csv = Buffer.from('email\nguarded.one@example.org\nguarded.two@example.org\n');
    const p = await prepare('guarded.csv', csv, {}, prod);
    const jobs = t.emu.store.jobs.size;
    for (const guard of [
      undefined,
      { confirmed: true, typedDomain: t.emu.domain },
      { confirmed: true, typedDomain: t.emu.domain, typedCount: 3 },
    ]) {
      const e = await failure('imports:start', { importId: p.importId, ...(guard ? { guard } : {}) });
      expect(e.code).toBe('confirmation_required');
      expect(e.details).toMatchObject({ level: 'typed-domain-and-count', count: 2 });
    }
    expect(t.emu.store.jobs.size).toBe(jobs);
    await call('imports:start', {
      importId: p.importId,
      guard: { confirmed: true, typedDomain: t.emu.domain, typedCount: 2 },
    });
    expect((await finished(p.importId)).counts.inserted).toBe(2);
    const audit = await call<AuditEntry[]>('audit:list', { tenantId: prod.id, action: 'users.import' });
    expect(audit.filter((e) => e.outcome === 'refused')).toHaveLength(3);
    expect(audit.some((e) => e.outcome === 'success')).toBe(true);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-import-big-'));
    const path = join(dir, 'huge.csv');
    writeFileSync(path, 'email\n');
    truncateSync(path, MAX_IMPORT_FILE_BYTES + 1);
    await expect(prepareImport({ path, fileName: 'huge.csv', dir: join(dir, 'chunks') })).rejects.toThrow(
      /at most 100 MB/,
    );
  });

  it('refuses an import into a connection that is not a database', async () => {
    const connections = await call<ConnectionSummary[]>('connections:list', { tenantId: tenant.id });
    const social = connections.find((c) => !c.isDatabase)!;
    const e = await failure('imports:prepare', {
      tenantId: tenant.id,
      importId: importId(),
      uploadId: await upload('u.json', Buffer.from('[{"email":"x@example.org"}]')),
      fileName: 'u.json',
      connectionId: social.id,
    });
    expect(e.message).toMatch(/not a database connection/);
  });

  it('checks the schema as Auth0 documents it', () => {
    expect(importProblems({ email: 'a@example.org', password_hash: `$2b$10$${'a'.repeat(53)}` })).toEqual([]);
    expect(importProblems({ email: 'a@example.org', foo: 1 })[0]!.message).toMatch(/"foo" is not a field/);
    expect(importProblems({ email: 'a@example.org', user_id: 'auth0|1' })[0]!.field).toBe('user_id');
    expect(
      importProblems({
        email: 'a@example.org',
        custom_password_hash: { algorithm: 'rot13', hash: { value: 'x' } },
      })[0]!.message,
    ).toMatch(/does not import "rot13"/);
    expect(importProblems({ email: 'a@example.org', app_metadata: { blocked: true } })[0]!.message).toMatch(
      /reserved/,
    );
  });
});
