// Exports and snapshots through the router against a real local tenant: the field picker and export_as, each format
// (Auth0's own file streamed through, or written here from JSON), a query's matches past the 1,000 cap, picked
// users, snapshots searched with the tenant stopped, compared, exported; and bad input — a truncated download, an
// expired link, a file that isn't users, a path that can't be written — that fails in words and leaves nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CompareItem,
  CompareSummary,
  ExportStatus,
  SnapshotSummary,
  TenantProfile,
  UserSearchResult,
} from '../../../preload/contract.js';
import { createApp, type App } from '../../../main/app.js';
import { SessionVault } from '../../../main/vault/index.js';
import type { User } from '../../../emulator/model.js';
import { startTestTenant, type TestTenant } from '../../support/tenant.js';
import { exportProgress } from '../../support/router.js';

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
let dataDir: string;
const events: ExportStatus[] = [];
let n = 0;
const nextId = () => `export-test-${String(++n).padStart(4, '0')}`;

beforeAll(async () => {
  t = await startTestTenant({ users: 2200, seed: 'exports' });
  // A user whose name a spreadsheet would run as a formula.
  const someone = [...t.emu.store.users.values()][5]!;
  t.emu.store.putUser({ ...someone, name: '=HYPERLINK("http://evil.example","x")' });
  dataDir = mkdtempSync(join(tmpdir(), 'td-exports-'));
  app = await createApp({ dataDir, host: 'browser', version: 'test', vault: new SessionVault() });
  app.router.subscribe((event, payload) => {
    const status = exportProgress(event, payload);
    if (status) events.push(status);
  });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Exports', 'staging', '#123456'));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok)
    throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), { envelope: r.error });
  return r.data as T;
}

/** Starts an export (or import) and waits for its last event. */
async function finished(start: Promise<ExportStatus>): Promise<ExportStatus> {
  const first = await start;
  for (;;) {
    const last = events.filter((e) => e.exportId === first.exportId).at(-1);
    if (last && ['completed', 'failed', 'cancelled'].includes(last.phase)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const exportNow = (payload: Record<string, unknown>) =>
  finished(call<ExportStatus>('exports:start', { tenantId: tenant.id, exportId: nextId(), ...payload }));

const fileOf = (s: ExportStatus) => app.downloads.get(s.file!.id).path;

/** A Parquet file's rows as DuckDB reads them, numbers as numbers and a struct's absent keys left out. */
async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const c = await instance.connect();
    const plain = (v: unknown): unknown => {
      if (typeof v === 'bigint') return Number(v);
      if (Array.isArray(v)) return v.map(plain);
      if (v && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== null)
            .map(([k, x]) => [k, plain(x)]),
        );
      return v;
    };
    const rows = (await c.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS();
    c.closeSync();
    // Top-level columns keep their nulls (a user without the field); structs drop theirs (keys other users have).
    return rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : plain(v)])),
    );
  } finally {
    instance.closeSync();
  }
}
const users = () => [...t.emu.store.users.values()];
const leftovers = () => [
  ...readdirSync(join(dataDir, 'downloads')).filter((f) => f.endsWith('.part')),
  ...readdirSync(join(dataDir, 'snapshots')).filter((f) => f.endsWith('.part')),
];

describe('exports', () => {
  it('exports a tenant as CSV with the chosen fields and export_as names, streaming Auth0’s own file', async () => {
    const s = await exportNow({
      source: { kind: 'tenant' },
      format: 'csv',
      bom: true,
      fields: [
        { name: 'user_id' },
        { name: 'email', exportAs: 'Email' },
        { name: 'name' },
        { name: 'identities[0].connection', exportAs: 'Connection' },
        { name: 'app_metadata.plan', exportAs: 'Plan' },
      ],
    });
    expect(s).toMatchObject({ phase: 'completed', method: 'export-job', users: 2200, written: 2200 });
    expect(s.notes.join(' ')).not.toMatch(/JSON/);
    const bytes = readFileSync(fileOf(s));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { columns: true, bom: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['user_id', 'Email', 'name', 'Connection', 'Plan']);
    expect(rows).toHaveLength(2200);
    const byId = new Map(users().map((u) => [u.user_id, u]));
    for (const r of rows) {
      const u = byId.get(r.user_id!)!;
      expect(r.Email).toBe(u.email ?? '');
      expect(r.Connection).toBe(u.identities[0]!.connection);
      expect(r.Plan).toBe(String(u.app_metadata?.plan ?? ''));
    }
    expect(rows.find((r) => r.name!.includes('HYPERLINK'))!.name).toBe(
      '\'=HYPERLINK("http://evil.example","x")',
    );
    // Progress was reported along the way: Auth0's job, then the download.
    const phases = events.filter((e) => e.exportId === s.exportId).map((e) => e.phase);
    expect(phases).toEqual(expect.arrayContaining(['pending', 'downloading', 'completed']));
  });

  it('writes CSV itself from JSON when Auth0’s CSV can’t hold it (whole metadata), and NDJSON as Auth0 writes it', async () => {
    const csv = await exportNow({
      source: {
        kind: 'connection',
        connectionId: t.emu.store.connections[0]!.id,
        name: t.emu.store.connections[0]!.name,
      },
      format: 'csv',
      fields: [{ name: 'user_id' }, { name: 'app_metadata' }, { name: 'user_metadata', exportAs: 'profile' }],
    });
    expect(csv.phase).toBe('completed');
    expect(csv.notes.join(' ')).toMatch(/whole metadata/);
    const inConnection = users().filter((u) =>
      u.identities.some((i) => i.connection === t.emu.store.connections[0]!.name),
    );
    const rows = parse(readFileSync(fileOf(csv)), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.user_id).sort()).toEqual(inConnection.map((u) => u.user_id).sort());
    const byId = new Map(inConnection.map((u) => [u.user_id, u]));
    for (const r of rows.slice(0, 50)) {
      expect(JSON.parse(r.app_metadata!)).toEqual(byId.get(r.user_id!)!.app_metadata);
      expect(JSON.parse(r.profile!)).toEqual(byId.get(r.user_id!)!.user_metadata);
    }

    const nd = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }, { name: 'user_metadata' }],
    });
    expect(nd).toMatchObject({ phase: 'completed', written: 2200 });
    const lines = readFileSync(fileOf(nd), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2200);
    expect(lines[0]).toEqual({
      user_id: expect.any(String),
      ...(lines[0]!.user_metadata ? { user_metadata: expect.any(Object) } : {}),
    });
  });

  it('exports XLSX that reads back equal to the tenant’s users', async () => {
    const s = await exportNow({
      source: { kind: 'query', q: 'app_metadata.plan:"pro"' },
      format: 'xlsx',
      fields: [{ name: 'user_id' }, { name: 'email' }, { name: 'logins_count' }, { name: 'blocked' }],
    });
    expect(s).toMatchObject({ phase: 'completed', method: 'search' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(fileOf(s));
    const sheet = book.getWorksheet('Users')!;
    const expected = t.emu.store.index.matchAll('app_metadata.plan:"pro"') as unknown as User[];
    expect(sheet.rowCount).toBe(expected.length + 1);
    const byId = new Map(expected.map((u) => [u.user_id, u]));
    sheet.eachRow((row, i) => {
      if (i === 1)
        return expect(row.values).toEqual([undefined, 'user_id', 'email', 'logins_count', 'blocked']);
      const u = byId.get(row.getCell(1).value as string)!;
      expect(row.getCell(2).value ?? undefined).toBe(u.email);
      expect(row.getCell(3).value).toBe(u.logins_count ?? null);
      expect(row.getCell(4).value).toBe(u.blocked ?? null);
    });
  });

  it('exports Parquet that reads back equal to the tenant’s users (read by DuckDB), metadata as structs', async () => {
    const s = await exportNow({
      source: { kind: 'query', q: 'app_metadata.plan:"pro"' },
      format: 'parquet',
      fields: [
        { name: 'user_id' },
        { name: 'email', exportAs: 'Email address' },
        { name: 'email_verified' },
        { name: 'logins_count' },
        { name: 'created_at' },
        { name: 'blocked' },
        { name: 'identities' },
        { name: 'app_metadata' },
      ],
    });
    expect(s).toMatchObject({ phase: 'completed' });
    expect(s.file!.filename).toMatch(/\.parquet$/);
    const rows = await readParquet(fileOf(s));
    const expected = t.emu.store.index.matchAll('app_metadata.plan:"pro"') as unknown as User[];
    expect(rows.length).toBe(expected.length);
    const byId = new Map(expected.map((u) => [u.user_id, u]));
    for (const row of rows) {
      const u = byId.get(row.user_id as string)!;
      expect(row, u.user_id).toEqual({
        user_id: u.user_id,
        'Email address': u.email ?? null,
        email_verified: u.email_verified ?? null,
        logins_count: u.logins_count ?? null,
        // Dates stay Auth0's text (ISO 8601): the file reads back exactly.
        created_at: u.created_at,
        blocked: u.blocked ?? null,
        identities: u.identities,
        app_metadata: u.app_metadata,
      });
    }
  });

  it('exports 1,500+ users matching a query past the 1,000 cap, filtered with the tenant’s rules', async () => {
    const q = 'identities.connection:"Username-Password-Authentication" OR app_metadata.beta:true';
    const expected = (t.emu.store.index.matchAll(q) as unknown as User[]).map((u) => u.user_id).sort();
    expect(expected.length).toBeGreaterThan(1500);
    const s = await exportNow({ source: { kind: 'query', q }, format: 'csv', fields: [{ name: 'user_id' }] });
    expect(s).toMatchObject({
      phase: 'completed',
      method: 'export-job',
      users: 2200,
      written: expected.length,
    });
    expect(s.notes.join(' ')).toMatch(/past Auth0's 1,000-result search limit/);
    const rows = parse(readFileSync(fileOf(s)), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.user_id).sort()).toEqual(expected);
  });

  it('exports picked users by id, saying which no longer exist', async () => {
    const picked = users()
      .slice(100, 160)
      .map((u) => u.user_id);
    const s = await exportNow({
      source: { kind: 'users', userIds: [...picked, 'auth0|gone-meanwhile'] },
      format: 'ndjson',
      fields: [{ name: 'user_id' }, { name: 'email' }],
    });
    expect(s).toMatchObject({ phase: 'completed', method: 'lookup', written: 60 });
    expect(s.notes.join(' ')).toMatch(/1 of the picked users no longer exists/);
    const got = readFileSync(fileOf(s), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { user_id: string }).user_id);
    expect(got.sort()).toEqual([...picked].sort());
  });

  it('refuses a malformed query or a bad field before anything starts', async () => {
    const r = await app.router.invoke('exports:start', {
      tenantId: tenant.id,
      exportId: nextId(),
      source: { kind: 'query', q: 'name:(broken' },
      format: 'csv',
      fields: [{ name: 'user_id' }],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_query' } });
    const f = await app.router.invoke('exports:start', {
      tenantId: tenant.id,
      exportId: nextId(),
      source: { kind: 'tenant' },
      format: 'csv',
      fields: [{ name: 'email' }, { name: 'name', exportAs: 'email' }],
    });
    expect(f).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringMatching(/Two columns would be named "email"/) },
    });
  });
});

describe('bad downloads leave nothing behind', () => {
  it('a download cut off mid-way fails in words, with no half file or snapshot', async () => {
    await t.fetch(`${t.emu.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ path: '^/__emulator/exports/', truncate: true, times: 1 }]),
    });
    const before = (await call<SnapshotSummary[]>('snapshots:list', {})).length;
    const s = await exportNow({
      source: { kind: 'tenant' },
      format: 'csv',
      fields: [{ name: 'user_id' }],
      keepSnapshot: true,
    });
    expect(s.phase).toBe('failed');
    expect(s.error!.message).toMatch(/cut off before its end/);
    expect(s.file).toBeUndefined();
    expect(leftovers()).toEqual([]);
    expect(await call<SnapshotSummary[]>('snapshots:list', {})).toHaveLength(before);
  });

  it('an expired link is renewed by reading the job again; one that stays expired fails in words', async () => {
    const put = (times: number) =>
      t.fetch(`${t.emu.url}/__emulator/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ path: '^/__emulator/exports/', status: 403, times }]),
      });
    await put(1);
    const renewed = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }],
    });
    expect(renewed).toMatchObject({ phase: 'completed', written: 2200 });
    await put(10);
    const expired = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }],
    });
    expect(expired.phase).toBe('failed');
    expect(expired.error!.message).toMatch(/download link expired/);
    expect(leftovers()).toEqual([]);
    await put(0);
  });

  it('a save to a folder that can’t be written is refused in words, and nothing is left there', async () => {
    const s = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }],
    });
    const target = join(dataDir, 'no-such-folder', 'users.ndjson');
    expect(() => app.downloads.saveTo(s.file!.id, target)).toThrow(
      /Could not save users.ndjson .*the folder does not exist/,
    );
    const file = join(dataDir, 'tenants.json', 'users.ndjson');
    expect(() => app.downloads.saveTo(s.file!.id, file)).toThrow(/part of the path is not a folder/);
    const ok = join(dataDir, 'saved.ndjson');
    app.downloads.saveTo(s.file!.id, ok);
    expect(readFileSync(ok, 'utf8').trim().split('\n')).toHaveLength(2200);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('snapshots', () => {
  let first: SnapshotSummary;

  it('keeps an export as a snapshot and searches it with the tenant stopped, without the 1,000 cap', async () => {
    const s = await exportNow({
      source: { kind: 'tenant' },
      format: 'csv',
      fields: [{ name: 'user_id' }, { name: 'email' }],
      keepSnapshot: true,
    });
    expect(s.phase).toBe('completed');
    expect(s.notes.join(' ')).toMatch(/a snapshot keeps whole users/);
    first = s.snapshot!;
    expect(first).toMatchObject({
      tenantId: tenant.id,
      tenantDomain: t.emu.domain,
      count: 2200,
      origin: 'export',
      fields: ['user_id', 'email'],
    });
    expect((await call<SnapshotSummary[]>('snapshots:list', {})).map((x) => x.id)).toContain(first.id);
    const q = 'identities.connection:"Username-Password-Authentication" OR app_metadata.beta:true';
    const expected = t.emu.store.index.matchAll(q).length;
    // Every answer below comes from the snapshot: the tenant's requests all fail now.
    await t.fetch(`${t.emu.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ path: '.', status: 503, times: 1_000_000 }]),
    });
    try {
      const r = await call<UserSearchResult>('snapshots:search', {
        snapshotId: first.id,
        q,
        perPage: 100,
        page: 12,
        sort: 'email:1',
      });
      expect(r.total).toBe(expected);
      expect(r.capped).toBe(false);
      expect(r.users.length).toBe(Math.min(100, expected - 1200));
      const emails = r.users.map((u) => (u.email ?? '').toLowerCase());
      expect([...emails].sort()).toEqual(emails);
      const one = await call<{ user_id: string }>('snapshots:user', {
        snapshotId: first.id,
        userId: r.users[0]!.user_id,
      });
      expect(one.user_id).toBe(r.users[0]!.user_id);
      const bad = await app.router.invoke('snapshots:search', {
        snapshotId: first.id,
        q: 'user_metadata.x:[1 TO 2]',
      });
      expect(bad).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_query',
          message: expect.stringMatching(/Range queries are not supported on user_metadata/),
        },
      });
    } finally {
      await t.fetch(`${t.emu.url}/__emulator/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '[]',
      });
    }
  });

  it('compares two snapshots: added, removed, changed, and which fields changed', async () => {
    const all = users();
    const removed = all[10]!;
    const changed = all[20]!;
    t.emu.store.deleteUser(removed.user_id);
    t.emu.store.putUser({
      ...changed,
      app_metadata: { ...changed.app_metadata, plan: 'enterprise-x' },
      blocked: true,
    });
    t.emu.store.putUser({ ...all[30]!, user_id: 'auth0|brand-new', email: 'brand.new@example.com' });
    const second = (
      await exportNow({
        source: { kind: 'tenant' },
        format: 'ndjson',
        fields: [{ name: 'user_id' }],
        keepSnapshot: true,
      })
    ).snapshot!;
    const c = await call<CompareSummary>('snapshots:compare', { before: first.id, after: second.id });
    expect(c).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 2198, sameTenant: true });
    expect(c.fields).toEqual(
      expect.arrayContaining([
        { field: 'app_metadata.plan', count: 1 },
        { field: 'blocked', count: 1 },
      ]),
    );
    const ch = await call<{ items: CompareItem[]; total: number }>('snapshots:compare-items', {
      compareId: c.compareId,
      kind: 'changed',
      field: 'blocked',
    });
    expect(ch.total).toBe(1);
    expect(ch.items[0]).toMatchObject({
      userId: changed.user_id,
      before: { 'app_metadata.plan': changed.app_metadata?.plan ?? undefined },
      after: { 'app_metadata.plan': 'enterprise-x', blocked: true },
    });
    const added = await call<{ items: CompareItem[] }>('snapshots:compare-items', {
      compareId: c.compareId,
      kind: 'added',
    });
    expect(added.items.map((i) => i.userId)).toEqual(['auth0|brand-new']);
    const gone = await call<{ items: CompareItem[] }>('snapshots:compare-items', {
      compareId: c.compareId,
      kind: 'removed',
    });
    expect(gone.items.map((i) => i.userId)).toEqual([removed.user_id]);
    const file = await call<{ id: string }>('snapshots:compare-export', { compareId: c.compareId });
    const rows = parse(readFileSync(app.downloads.get(file.id).path), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => r.change).sort()).toEqual(['added', 'changed', 'removed']);
    expect(rows.find((r) => r.change === 'changed')!.fields).toBe('app_metadata.plan blocked');
  });

  it('exports a snapshot’s query matches offline, and deletes a snapshot only when asked', async () => {
    const s = await finished(
      call<ExportStatus>('snapshots:export', {
        snapshotId: first.id,
        exportId: nextId(),
        q: 'email_verified:false',
        format: 'csv',
        fields: [{ name: 'user_id' }, { name: 'email_verified' }],
      }),
    );
    expect(s.phase).toBe('completed');
    const rows = parse(readFileSync(fileOf(s)), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.email_verified === 'false')).toBe(true);
    // The same matches as Parquet, for DuckDB, Spark or BigQuery.
    const pq = await finished(
      call<ExportStatus>('snapshots:export', {
        snapshotId: first.id,
        exportId: nextId(),
        q: 'email_verified:false',
        format: 'parquet',
        fields: [{ name: 'user_id' }, { name: 'email_verified' }],
      }),
    );
    expect(pq.phase).toBe('completed');
    expect(await readParquet(fileOf(pq))).toEqual(
      rows.map((r) => ({ user_id: r.user_id, email_verified: false })),
    );
    await call('snapshots:delete', { snapshotId: first.id });
    expect((await call<SnapshotSummary[]>('snapshots:list', {})).map((x) => x.id)).not.toContain(first.id);
    expect(existsSync(join(dataDir, 'snapshots', `${first.id}.duckdb`))).toBe(false);
    expect(await app.router.invoke('snapshots:search', { snapshotId: first.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('opens a snapshot of the earlier format (SQLite): converted at its first open, listed and searched as any', async () => {
    const id = 'snap_00000000000000aa';
    const legacy = new Database(join(dataDir, 'snapshots', `${id}.sqlite`));
    legacy.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE users (doc INTEGER PRIMARY KEY, user_id TEXT NOT NULL, json TEXT NOT NULL)`);
    const meta = {
      id,
      tenantId: null,
      tenantLabel: 'Earlier',
      tenantDomain: 'earlier.example',
      environment: null,
      createdAt: '2026-06-01T00:00:00.000Z',
      sourceLabel: 'every user',
      query: null,
      fields: [],
      origin: 'export',
      count: 3,
    };
    legacy
      .prepare('INSERT INTO meta VALUES (?, ?), (?, ?)')
      .run('schema', '2', 'snapshot', JSON.stringify(meta));
    ['ada', 'bob', 'cy'].forEach((n, i) =>
      legacy.prepare('INSERT INTO users VALUES (?, ?, ?)').run(
        i,
        `auth0|${n}`,
        JSON.stringify({
          user_id: `auth0|${n}`,
          email: `${n}@earlier.example`,
          app_metadata: { plan: i ? 'pro' : 'free' },
        }),
      ),
    );
    legacy.close();
    const listed = (await call<SnapshotSummary[]>('snapshots:list', {})).find((x) => x.id === id);
    expect(listed).toMatchObject({ tenantLabel: 'Earlier', count: 3 });
    expect(existsSync(join(dataDir, 'snapshots', `${id}.sqlite`))).toBe(false);
    expect(existsSync(join(dataDir, 'snapshots', `${id}.duckdb`))).toBe(true);
    const found = await call<{ total: number; users: { user_id: string }[] }>('snapshots:search', {
      snapshotId: id,
      q: 'app_metadata.plan:pro',
    });
    expect(found.users.map((u) => u.user_id)).toEqual(['auth0|bob', 'auth0|cy']);
    await call('snapshots:delete', { snapshotId: id });
  });

  async function upload(name: string, bytes: Buffer): Promise<string> {
    const { uploadId } = await call<{ uploadId: string }>('uploads:begin', { name, bytes: bytes.length });
    for (let at = 0; at < bytes.length; at += 1000)
      await call('uploads:chunk', {
        uploadId,
        offset: at,
        data: bytes.subarray(at, at + 1000).toString('base64'),
      });
    await call('uploads:finish', { uploadId });
    return uploadId;
  }
  const importFile = async (name: string, bytes: Buffer) =>
    finished(
      call<ExportStatus>('snapshots:open-file', {
        exportId: nextId(),
        uploadId: await upload(name, bytes),
        label: name,
      }),
    );

  it('opens files exported elsewhere as snapshots: Auth0’s NDJSON (gzipped) and CSV', async () => {
    const lines = users()
      .slice(0, 300)
      .map((u) =>
        JSON.stringify({
          user_id: u.user_id,
          email: u.email,
          'identities[0].connection': u.identities[0]!.connection,
          app_metadata: u.app_metadata,
        }),
      )
      .join('\n');
    const nd = await importFile('auth0-export.json.gz', gzipSync(lines));
    expect(nd).toMatchObject({
      phase: 'completed',
      users: 300,
      snapshot: { origin: 'file', count: 300, fileName: 'auth0-export.json.gz' },
    });
    const conn = users()[0]!.identities[0]!.connection;
    const r = await call<UserSearchResult>('snapshots:search', {
      snapshotId: nd.snapshot!.id,
      q: `identities.connection:"${conn}"`,
    });
    expect(r.total).toBe(
      users()
        .slice(0, 300)
        .filter((u) => u.identities[0]!.connection === conn).length,
    );

    const csvText =
      'user_id,email,email_verified,logins_count,app_metadata.plan\n' +
      users()
        .slice(0, 40)
        .map(
          (u) =>
            `${u.user_id},${u.email ?? ''},${u.email_verified},${u.logins_count ?? ''},${String(u.app_metadata?.plan ?? '')}`,
        )
        .join('\n');
    const csv = await importFile('dashboard.csv', Buffer.from(csvText));
    expect(csv).toMatchObject({ phase: 'completed', users: 40 });
    const typed = await call<UserSearchResult>('snapshots:search', {
      snapshotId: csv.snapshot!.id,
      q: 'email_verified:true AND logins_count:[0 TO *]',
    });
    expect(typed.total).toBe(
      users()
        .slice(0, 40)
        .filter((u) => u.email_verified && u.logins_count !== undefined).length,
    );
  });

  it('refuses a file that isn’t users, or a truncated gzip, and keeps nothing of it', async () => {
    const before = (await call<SnapshotSummary[]>('snapshots:list', {})).length;
    const garbage = await importFile('notes.txt', Buffer.from('Dear admin,\nthese are not users.\n'));
    expect(garbage).toMatchObject({
      phase: 'failed',
      error: {
        code: 'validation',
        message: expect.stringMatching(/neither JSON nor a CSV with a user_id column/),
      },
    });
    const badLine = await importFile('broken.ndjson', Buffer.from('{"user_id":"a"}\n{"user_id": oops}\n'));
    expect(badLine.error!.message).toMatch(/Line 2 is not valid JSON/);
    const twice = await importFile(
      'twice.ndjson',
      Buffer.from('{"user_id":"auth0|a"}\n{"user_id":"auth0|b"}\n{"user_id":"auth0|a","email":"x@y.z"}\n'),
    );
    expect(twice).toMatchObject({
      phase: 'failed',
      error: { code: 'validation', message: expect.stringMatching(/the user auth0\|a appears twice/) },
    });
    const whole = gzipSync(
      users()
        .map((u) => JSON.stringify(u))
        .join('\n'),
    );
    const cut = await importFile('cut.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    expect(cut).toMatchObject({
      phase: 'failed',
      error: { message: expect.stringMatching(/incomplete: its gzip data ends early/) },
    });
    expect(await call<SnapshotSummary[]>('snapshots:list', {})).toHaveLength(before);
    expect(leftovers()).toEqual([]);
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
  });

  it('cancels an export: nothing is kept', async () => {
    await t.fetch(`${t.emu.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    const started = await call<ExportStatus>('exports:start', {
      tenantId: tenant.id,
      exportId: nextId(),
      source: { kind: 'tenant' },
      format: 'xlsx',
      fields: [{ name: 'user_id' }],
      keepSnapshot: true,
    });
    await call('tasks:control', { taskId: started.exportId, action: 'cancel' });
    const last = await finished(Promise.resolve(started));
    expect(last.phase).toBe('cancelled');
    expect(last.file).toBeUndefined();
    expect(leftovers()).toEqual([]);
  });
});
