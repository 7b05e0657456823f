// A snapshot built from a users file that JavaScript did not write (Auth0's export, another tool): numbers written
// otherwise (7.0, 1.5E+3), objects where text is expected, and text that only looks like a number (an IP address)
// are keyed exactly as the engine keys the same user read by JSON.parse — the tenant's meaning.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIT, DuckDBInstance } from '@duckdb/node-api';
import {
  buildSnapshot,
  fromBitValue,
  SnapshotReader,
  textAbovePrefix,
  toBitValue,
} from '../../../main/snapshots/snapshot-file.js';
import { compareSnapshots } from '../../../main/offline/compare.js';
import { Bitset } from '../../../query/index.js';

let dir: string;
let snap: SnapshotReader;

const lines = [
  `{"user_id":"auth0|a","email":"a@example.com","logins_count":7.0,"last_ip":"203.0.113.7","app_metadata":{"score":2.50}}`,
  `{"user_id":"auth0|b","email":"b@example.com","logins_count":1.5E+3,"last_ip":"198.51.100.1","name":{"first":"Ann"}}`,
  `{"user_id":"auth0|c","email":"c@example.com","logins_count":12,"last_ip":"10.0.0.1","nickname":"1.50"}`,
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'td-build-'));
  writeFileSync(join(dir, 'users.ndjson'), `${lines.join('\n')}\n`);
  await buildSnapshot(join(dir, 'users.ndjson'), join(dir, 's.duckdb'), {
    id: 's',
    tenantId: null,
    tenantLabel: 'test',
    tenantDomain: 'test.example',
    environment: null,
    createdAt: new Date().toISOString(),
    sourceLabel: 'a file',
    query: null,
    fields: [],
    origin: 'file',
  });
  snap = await SnapshotReader.open(join(dir, 's.duckdb'));
}, 60_000);

afterAll(async () => {
  await snap?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = async (q: string) =>
  (await snap.query(q, { offset: 0, limit: 10 })).users.map((u) => u.user_id).sort();

describe('a snapshot built from a file JavaScript did not write', () => {
  it('keys numbers as JavaScript writes them, wherever they are', async () => {
    expect(await ids('logins_count:7')).toEqual(['auth0|a']);
    expect(await ids('logins_count:"7.0"')).toEqual([]);
    expect(await ids('logins_count:1500')).toEqual(['auth0|b']);
    expect(await ids('logins_count:[8 TO 2000]')).toEqual(['auth0|b', 'auth0|c']);
    expect(await ids('app_metadata.score:2.5')).toEqual(['auth0|a']);
  });

  it('keeps text that looks like a number as text, and keys no object', async () => {
    expect(await ids('last_ip:"203.0.113.7"')).toEqual(['auth0|a']);
    expect(await ids('last_ip:198.51.100.*')).toEqual(['auth0|b']);
    expect(await ids('nickname:"1.50"')).toEqual(['auth0|c']);
    expect(await ids('_exists_:name')).toEqual([]);
    expect((await snap.user('auth0|b'))?.name).toEqual({ first: 'Ann' });
  });
});

describe('the records’ layout', () => {
  it('keeps a user every fourth row, and reads a snapshot written with one row a user (earlier versions) the same', async () => {
    // This version's file: each user's record at four times its document number, the rows between empty.
    const raw = await DuckDBInstance.create(':memory:');
    const c = await raw.connect();
    const old = join(dir, 'one-row-a-user.duckdb');
    try {
      await c.run(`ATTACH '${join(dir, 's.duckdb')}' AS s (READ_ONLY)`);
      const rows = (
        await c.runAndReadAll(
          `SELECT rowid, json ->> '$.user_id' FROM s.records WHERE json IS NOT NULL ORDER BY rowid`,
        )
      ).getRowsJS();
      expect(rows).toEqual([
        [0n, 'auth0|a'],
        [4n, 'auth0|b'],
        [8n, 'auth0|c'],
      ]);
      await c.run('DETACH s');
      // The same snapshot as an earlier version wrote it: a row a user, no stride in its meta.
      copyFileSync(join(dir, 's.duckdb'), old);
      await c.run(`ATTACH '${old}' AS o`);
      await c.run(
        `CREATE TABLE o.r1 AS SELECT json, bytes FROM o.records WHERE rowid % 4 = 0 ORDER BY rowid`,
      );
      await c.run(`DROP TABLE o.records`);
      await c.run(`ALTER TABLE o.r1 RENAME TO records`);
      await c.run(`DELETE FROM o.meta WHERE key = 'record_stride'`);
      await c.run('DETACH o');
    } finally {
      c.closeSync();
      raw.closeSync();
    }
    const before = await SnapshotReader.open(old);
    try {
      for (const sort of [undefined, 'email:1', 'email:-1', 'logins_count:-1'])
        for (const [offset, limit] of [
          [0, 10],
          [1, 1],
          [2, 5],
        ] as const)
          expect(await before.query('', { sort, offset, limit })).toEqual(
            await snap.query('', { sort, offset, limit }),
          );
      expect((await before.query('', { sort: 'email:-1', offset: 0, limit: 1 })).users[0]!.user_id).toBe(
        'auth0|c',
      );
      expect(await before.user('auth0|b')).toEqual(await snap.user('auth0|b'));
      const all = async (r: SnapshotReader) => {
        const out = [];
        for await (const u of r.matching('logins_count:[8 TO 2000]')) out.push(u);
        return out;
      };
      expect((await all(before)).map((u) => u.user_id)).toEqual(['auth0|b', 'auth0|c']);
      expect(await all(before)).toEqual(await all(snap));
      // Compared with this version's file, by user_id (one query over both) and by email (each side in key order).
      for (const key of ['user_id', 'email'] as const) {
        const counts = await compareSnapshots(before, snap, join(dir, `compare-${key}.sqlite`), () => {}, {
          key,
        });
        expect(counts).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 3 });
      }
    } finally {
      await before.close();
    }
  });
});

describe('a range up to a bound, inclusive', () => {
  it('takes with one comparison exactly the keys up to the bound or beginning with it, in DuckDB’s order', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      const alphabet = [
        '0',
        '1',
        '9',
        ':',
        '-',
        'T',
        'Z',
        'a',
        'z',
        '}',
        '~',
        '\x7f',
        ' ',
        'é',
        '€',
        '😀',
        '\u0001',
      ];
      let seed = 7;
      const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
      const text = (max: number) =>
        Array.from(
          { length: Math.floor(rand() * max) },
          () => alphabet[Math.floor(rand() * alphabet.length)],
        ).join('');
      const keys = [
        ...Array.from({ length: 400 }, () => text(5)),
        '2025-06-30',
        '2025-06-30T23:59:59.999Z',
        '2025-06-31',
        '2025-06-3',
        '2025-07-01',
      ];
      await c.run(`CREATE TABLE k (v VARCHAR)`);
      const appender = await c.createAppender('k');
      for (const k of keys) {
        appender.appendVarchar(k);
        appender.endRow();
      }
      appender.closeSync();
      const bounds = ['2025-06-30', '2025-06-3', 'a', 'z}', ...Array.from({ length: 200 }, () => text(3))];
      let compared = 0;
      for (const to of bounds) {
        const above = textAbovePrefix(to);
        if (above === null) {
          // Only where no character follows the last one in ASCII's printable range.
          expect(to === '' || !/[\x20-\x7e]$/.test(to), JSON.stringify(to)).toBe(true);
          continue;
        }
        const [two, one] = (
          await c.runAndReadAll(
            `SELECT list(v ORDER BY v) FILTER (WHERE v <= $to OR starts_with(v, $to)), list(v ORDER BY v) FILTER (WHERE v < $above) FROM k`,
            { to, above },
          )
        ).getRowsJS()[0]!;
        expect(one, JSON.stringify(to)).toEqual(two);
        compared++;
      }
      expect(compared).toBeGreaterThan(50);
      expect(textAbovePrefix('2025-06-30')).toBe('2025-06-31');
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });
});

describe('matches passed to and from DuckDB as bitstrings', () => {
  it('round-trips any set of documents at any count, padding included', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    let seed = 11;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    try {
      for (const n of [1, 2, 7, 8, 9, 31, 32, 33, 63, 100, 1000, 4099]) {
        for (const density of [0, 0.05, 0.5, 1]) {
          const want = Array.from({ length: n }, (_, d) => d).filter(() => rand() < density);
          const set = new Bitset(Math.max(32, n));
          for (const d of want) set.add(d);
          // Ours → DuckDB: the documents DuckDB reads from the bitstring.
          const read = (
            await c.runAndReadAll(
              `SELECT coalesce(list(i ORDER BY i), []) FROM range(${n}) t(i) WHERE get_bit($bits, i::INTEGER) = 1`,
              { bits: toBitValue(set, n) },
              { bits: BIT },
            )
          ).getRowsJS()[0]![0] as bigint[];
          expect(read.map(Number)).toEqual(want);
          // DuckDB → ours: a bitstring DuckDB made, read into a set already holding another document.
          const back = new Bitset(Math.max(32, n));
          const row = (
            await c.runAndReadAll(
              `SELECT bitstring_agg(i, 0, ${n - 1}) FROM range(${n}) t(i) WHERE i IN (SELECT unnest([${want.join(',')}]::BIGINT[]))`,
            )
          ).getRows()[0]![0];
          fromBitValue(row as never, back);
          expect([...back]).toEqual(want);
        }
      }
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });
});
