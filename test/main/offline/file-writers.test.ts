// Files that open right: CSV per RFC 4180 in UTF-8 (with a BOM when asked), NDJSON, XLSX read back equal to the data;
// cells a spreadsheet would run as formulas neutralised exactly as csv-stringify's escape_formulas does; a full disk
// reported as such.
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportField } from '../../../preload/contract.js';
import { neutralize, openWriter, XLSX_CELL_MAX } from '../../../main/offline/file-writers.js';

const dir = mkdtempSync(join(tmpdir(), 'td-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const awkward = [
  '=HYPERLINK("http://evil.example","click")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\tleading tab',
  '\rleading CR',
  '\uFF1D1+1 full-width equals',
  '\uFF0B1 full-width plus',
  '\uFF0D1 full-width minus',
  '\uFF20cmd full-width at',
  'quote " inside, and a comma',
  'two\nlines',
  'windows\r\nline',
  'Zoë Ärger-Straße 山田 😀',
  '',
  'plain',
];

const users = awkward.map((text, i) => ({
  user_id: `auth0|${i}`,
  email: `u${i}@example.com`,
  name: text,
  logins_count: i - 3,
  email_verified: i % 2 === 0,
  identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: String(i) }],
  app_metadata: { plan: i % 3 ? 'pro' : 'free', note: text, nested: { list: [1, 'two'] } },
}));

const fields: ExportField[] = [
  { name: 'user_id' },
  { name: 'email', exportAs: 'Email address' },
  { name: 'name' },
  { name: 'logins_count' },
  { name: 'email_verified' },
  { name: 'identities[0].connection', exportAs: 'connection' },
  { name: 'app_metadata.plan', exportAs: 'plan' },
  { name: 'app_metadata' },
  { name: 'user_metadata.missing' },
];

async function write(format: 'csv' | 'ndjson' | 'xlsx', bom = false, rows = users) {
  const path = join(dir, `out-${format}-${bom}.${format}`);
  const w = openWriter({ path, format, fields, bom });
  for (const u of rows) await w.write(u);
  const result = await w.finish();
  return { path, ...result };
}

describe('neutralize', () => {
  it('agrees with csv-stringify’s escape_formulas on every awkward text', () => {
    for (const text of [...awkward, '-', '=', 'a=b', "'=already"]) {
      const theirs = (parse(stringify([[text]], { escape_formulas: true })) as string[][])[0]![0]!;
      expect(neutralize(text), JSON.stringify(text)).toBe(theirs);
    }
  });
});

describe('CSV', () => {
  it('writes RFC 4180 with the chosen columns, formulas neutralised and everything else intact', async () => {
    const { path, rows } = await write('csv');
    expect(rows).toBe(users.length);
    const text = readFileSync(path, 'utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([
      'user_id',
      'Email address',
      'name',
      'logins_count',
      'email_verified',
      'connection',
      'plan',
      'app_metadata',
      'user_metadata.missing',
    ]);
    records.forEach((r, i) => {
      const u = users[i]!;
      expect(r.name).toBe(neutralize(u.name));
      expect(r.logins_count).toBe(String(u.logins_count)); // a negative number is not a formula
      expect(r.email_verified).toBe(String(u.email_verified));
      expect(r.connection).toBe('Username-Password-Authentication');
      expect(JSON.parse(r.app_metadata!)).toEqual(u.app_metadata);
      expect(r['user_metadata.missing']).toBe('');
    });
    expect(records.find((r) => r.name!.includes('HYPERLINK'))!.name!.startsWith("'=")).toBe(true);
    expect(records.find((r) => r.name!.includes('full-width equals'))!.name!.startsWith("'\uFF1D")).toBe(
      true,
    );
  });

  it('starts with a BOM when asked, for Excel', async () => {
    const { path } = await write('csv', true);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parse(bytes, { columns: true, bom: true })).toHaveLength(users.length);
  });
});

describe('NDJSON', () => {
  it('writes one JSON object per line with the export_as names and typed values', async () => {
    const { path } = await write('ndjson');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(users.length);
    lines.forEach((line, i) => {
      const o = JSON.parse(line) as Record<string, unknown>;
      expect(o).toEqual({
        user_id: users[i]!.user_id,
        'Email address': users[i]!.email,
        name: users[i]!.name,
        logins_count: users[i]!.logins_count,
        email_verified: users[i]!.email_verified,
        connection: 'Username-Password-Authentication',
        plan: users[i]!.app_metadata.plan,
        app_metadata: users[i]!.app_metadata,
      });
    });
  });
});

describe('XLSX', () => {
  it('reads back equal to the data: typed numbers and booleans, text neutralised, unicode intact, CR as LF', async () => {
    const { path } = await write('xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('Users')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'user_id',
      'Email address',
      'name',
      'logins_count',
      'email_verified',
      'connection',
      'plan',
      'app_metadata',
      'user_metadata.missing',
    ]);
    users.forEach((u, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(1).value).toBe(u.user_id);
      // XML keeps no carriage return: a spreadsheet reads CR and CRLF as LF.
      expect(row.getCell(3).value ?? '').toBe(neutralize(u.name).replace(/\r\n?/g, '\n'));
      expect(row.getCell(4).value).toBe(u.logins_count);
      expect(row.getCell(5).value).toBe(u.email_verified);
      expect(JSON.parse(row.getCell(8).value as string)).toEqual(u.app_metadata);
      expect(row.getCell(9).value).toBeNull();
    });
    expect(sheet.rowCount).toBe(users.length + 1);
  });

  it('cuts a cell over Excel’s limit and says so', async () => {
    const long = { ...users[0]!, name: 'x'.repeat(40_000) };
    const { path, notes } = await write('xlsx', false, [long]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const value = book.getWorksheet('Users')!.getRow(2).getCell(3).value as string;
    expect(value.length).toBeLessThanOrEqual(XLSX_CELL_MAX);
    expect(value.endsWith('[cut: 40000 characters]')).toBe(true);
    expect(notes.join(' ')).toMatch(/1 cell was longer than Excel/);
  });
});

describe('a disk that fills up', () => {
  it('fails the write with the system’s reason', async () => {
    for (const format of ['csv', 'ndjson', 'xlsx'] as const) {
      const path = join(dir, `full.${format}`);
      const w = openWriter({ path, format, fields, bom: false, open: () => createWriteStream('/dev/full') });
      const run = async () => {
        for (let i = 0; i < 20_000; i++)
          await w.write({ ...users[i % users.length]!, user_id: `auth0|${i}` });
        await w.finish();
      };
      await expect(run(), format).rejects.toMatchObject({ code: 'ENOSPC' });
      await w.abort();
      expect(existsSync(path)).toBe(false);
    }
  });
});

describe('memory of an export', () => {
  it('writes a file and a snapshot’s users without loading DuckDB (it is loaded by the build, elsewhere)', async () => {
    const { spawnSync } = await import('node:child_process');
    const out = join(dir, 'no-duckdb');
    const script = `
      import { createRequire } from 'node:module';
      import { Sink } from './main/offline/sink.ts';
      const sink = new Sink({
        input: 'user',
        file: { path: ${JSON.stringify(`${out}.csv`)}, format: 'csv', fields: [{ name: 'user_id' }, { name: 'email' }], bom: false },
        snapshot: { path: ${JSON.stringify(`${out}.duckdb`)}, meta: {} },
      });
      await sink.write(Array.from({ length: 1000 }, (_, i) => JSON.stringify({ user_id: 'auth0|' + i, email: i + '@example.com' })));
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@duckdb'));
      await sink.abort();
      console.log(JSON.stringify(loaded));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([]);
    // The check sees DuckDB when it is loaded: the snapshot store loads it on first use.
    const seen = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         import { SnapshotReader } from './main/snapshots/snapshot-file.ts';
         await SnapshotReader.open('/nonexistent.duckdb').catch(() => undefined);
         const { toBitValue } = await import('./main/snapshots/snapshot-file.ts');
         const { Bitset } = await import('./query/index.ts');
         toBitValue(new Bitset(32), 8);
         console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@duckdb'))));`,
      ],
      { cwd: process.cwd(), encoding: 'utf8' },
    );
    expect(JSON.parse(seen.stdout.trim().split('\n').pop()!).length).toBeGreaterThan(0);
  });
});
