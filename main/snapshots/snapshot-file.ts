// One snapshot: a DuckDB file holding a tenant's users as they were exported, searchable offline with Auth0's query
// syntax and exactly the tenant's rules (query/fields.ts, query/evaluate.ts).
//
// Chosen by measurement (README, "Snapshots: the store"): the earlier store, an inverted index in SQLite, answered in
// 58 ms at p95 but took 67 s and 1.65 GB for a million users; DuckDB loads the same NDJSON in under 3 s into 60 MB.
// So the users are written to a temporary NDJSON file and DuckDB builds the snapshot from it — in the snapshot
// builder's own process (builder.ts), so that DuckDB's memory is never the window's — in three reads of the file:
//   records (json)                  each user as Auth0 gave it, at row document number × RECORD_STRIDE, the rows
//                                   between them empty (zstd: an eighth of the file's size; a user read unpacks
//                                   512 users, not 2,048);
//   keys    (a column per field)    each top-level value as the shared engine keys it (lower-cased where Auth0
//                                   searches without case), name fields' words (' word word … '), email's domain,
//                                   logins_count again as a number; the keys of nearly one value per user that
//                                   queries scan are kept uncompressed (PLAIN_KEYS);
//   terms   (doc, field, key)       fields of many values, a row per value: identities.*, roles and organizations (of
//                                   a snapshot taken with them), and app_metadata / user_metadata flattened to
//                                   dotted paths (arrays transparent) — sorted by field and key, so that a leaf
//                                   reads a few row groups;
//   fields  (field, numeric)        whether every key of a field is a number (ranges then compare numerically).
// A query is evaluated by the shared evaluator: it asks for each leaf (an exact key, a prefix, a wildcard, a range, a
// phrase), every leaf of a query is answered by ONE scan with one bitstring per leaf (bitstring_agg … FILTER), and
// the boolean structure is combined on bitsets here — so the semantics stay in one place, shared with the local
// tenant, and the differential test against the local tenant is still the judge. A sorted page goes back to DuckDB
// with the matches as a bitstring and comes out with its top N. Snapshots of the earlier SQLite format are converted
// on first open (convertLegacySnapshot).
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type * as DuckDBModule from '@duckdb/node-api';
import type { DuckDBBitValue, DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { partName } from '../fs/sweep.js';
import type { SnapshotSummary } from '../../preload/contract.js';
import {
  Bitset,
  compareSortValues,
  EXISTS,
  evaluate,
  HAS,
  parse,
  parseSort,
  QueryError,
  sortValue,
  SNAPSHOT_USER_RULES,
  termsOf,
  USER_RULES,
  words,
  type Postings,
  type QueryNode,
  type RangeBounds,
  type SearchRecord,
} from '../../query/index.js';

const SCHEMA_VERSION = 3;
const RULES = SNAPSHOT_USER_RULES;
/** Identities' fields, kept one row per value in terms (with roles, organizations and metadata). */
const IDENTITY_FIELDS = RULES.nested.identities!;
const META_ROOTS = RULES.deep;
/** Fields a snapshot can sort all its users by at once (columns of keys); others up to a cap. */
export const INDEXED_SORTS = [
  'email',
  'name',
  'nickname',
  'user_id',
  'created_at',
  'updated_at',
  'last_login',
  'logins_count',
  'blocked',
  'email_verified',
] as const;
/**
 * From this many users, a snapshot keeps each indexed sort's order whole (a permutation of its users, order_<field>):
 * a sorted page then reads that order until it holds its users, where sorting every match in one scan would take
 * hundreds of milliseconds (measured at ten million users). Below it, the scan takes a few tens of milliseconds and
 * the orders would only lengthen the build. TENANT_DESK_SNAPSHOT_ORDERS_FROM sets it (the tests build them small).
 */
function sortOrdersFrom(): number {
  const n = Number(process.env.TENANT_DESK_SNAPSHOT_ORDERS_FROM || NaN);
  return Number.isInteger(n) && n >= 0 ? n : 2_000_000;
}
/** A sorted page walks a kept order only when it should find its users within this many of the order's entries
 * (with matches spread evenly); fewer matches are sorted by one scan, which is quick when they are few. */
const ORDER_WALK_MAX = 2_000_000;

/** The value a sort by an indexed field orders on: its key, or the key as a number for a field of numbers. */
function sortKey(field: string, numeric: boolean, numbers: ReadonlySet<string>): string {
  return !numeric ? id(field) : numbers.has(field) ? id(`n_${field}`) : `TRY_CAST(${id(field)} AS DOUBLE)`;
}

/**
 * Evenly spaced users whose sort values a snapshot keeps for each indexed sort (meta 'sort_samples', in order), so
 * that a sorted page is asked only of the users at or beyond a value that leaves enough of them (see sortBound).
 */
const SORT_SAMPLES = 1024;

/** Sorting by another field reads every match: allowed up to this many. */
export const UNINDEXED_SORT_CAP = 100_000;
/** DuckDB reads a line of the users file up to this size (a user of Auth0 is a few KB; the limit is Auth0's 1 MB
 * of metadata, many times over). Longer lines are refused with their line number by the file readers before. */
const MAX_USER_BYTES = 16 * 1024 * 1024;

/**
 * Metadata values are kept to this many characters as keys: longer than any query (queries are at most 4,000
 * characters), so an exact key, a prefix and a range still mean what the tenant means; only a wildcard inside a
 * value of more than 8 KB is not found (a value of megabytes would otherwise be sorted and held whole).
 */
const LONG_KEY = 8192;
/** A user's metadata longer than this is flattened by the engine's own walk, a user at a time (see buildSnapshot). */
const HUGE_META = 256 * 1024;

/** What a snapshot file says of itself: the summary the window sees, less the file's size (known from outside). */
export type SnapshotMeta = Omit<SnapshotSummary, 'bytes'>;

type DuckDB = typeof DuckDBModule;
let duckdb: DuckDB | null = null;
/** DuckDB, loaded on first use (required, as the bundles load every native module): a process that only writes
 * users files — the offline worker during an export — never holds its library (25 MB of memory). */
function duck(): DuckDB {
  return (duckdb ??= createRequire(import.meta.url)('@duckdb/node-api') as DuckDB);
}

/** A SQL string literal. */
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** A SQL identifier. */
const id = (s: string) => `"${s.replaceAll('"', '""')}"`;
/** The first column of a query's first row (a count, an id), or undefined when it has no row. */
export async function firstValue<T>(c: DuckDBConnection, sql: string): Promise<T | undefined> {
  return (await c.runAndReadAll(sql)).getRowsJS()[0]?.[0] as T | undefined;
}

/** Keys kept uncompressed: text of nearly one value per user, which queries scan (a wildcard, a range, a prefix) —
 * measured at a million users, a scan of them took half the time of one compressed, for 20 MB more each. */
const PLAIN_KEYS = ['user_id', 'email', 'nickname', 'w_nickname', 'created_at', 'updated_at', 'last_login'];

/** Top-level fields kept a second time as numbers (n_<field>): a range over them compares doubles rather than
 * reading each key as one (logins_count is the one Auth0 field that is a number). */
const NUMBER_KEYS = ['logins_count'];

/** Whether a string is one word of the engine (letters and digits only): what a word list can hold. */
const isWord = (s: string) => words(s).length === 1 && words(s)[0] === s;

/** Settings of a DuckDB instance: two threads (the machine's cores are shared with the window), bounded memory,
 * spilling to a folder of this process's own (swept after a crash). */
function duckConfig(memoryLimit: string, spill: string): Record<string, string> {
  return {
    threads: process.env.TENANT_DESK_SNAPSHOT_THREADS ?? '2',
    memory_limit: memoryLimit,
    temp_directory: spill,
    preserve_insertion_order: 'true',
    // zstd for text (the records) needs DuckDB's newer storage (measured: a build a second faster with the latest than
    // with 1.2's). The files are read by this same DuckDB.
    storage_compatibility_version: 'latest',
    // Memory DuckDB's allocator has freed goes back to the system as the work goes (not only at its end): measured
    // reading a million users' records, the process's peak was 430–470 MB instead of 630–820.
    allocator_background_threads: 'true',
    // Nothing is fetched from the network: the JSON extension is built in.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
}

/** Rows unpacked together to read one of them from zstd (one of DuckDB's vectors), and the most bytes such a
 * block may hold for the records to be kept in zstd (the reader's memory is 256 MB). */
const ZSTD_BLOCK_ROWS = 2048;
/**
 * Rows of the records table a user takes: the user's record, then empty rows (zstd keeps an empty row as its
 * length alone). DuckDB's zstd unpacks a whole vector of 2,048 rows to read one of them, so a page of 50 users
 * sorted by a field (50 vectors) unpacked 50 × 2,048 users; with 4 rows a user, 50 × 512. Measured at a million
 * users: such a page read in 17 ms instead of 32, the records written in 1.9 s instead of 2.8, and 89 MB instead of
 * 71 (8 rows a user: 18 ms and 116 MB). Snapshots written before it have 1 (meta 'record_stride').
 */
const RECORD_STRIDE = 4;
const ZSTD_BLOCK_MAX_BYTES = 32 * 1024 * 1024;

/** The memory a build may use: enough for ten million users' sorts, well under the process's 1 GB. */
const BUILD_MEMORY = process.env.TENANT_DESK_SNAPSHOT_MEMORY ?? '640MB';
/** The memory the first scan (each user's record, in order) may use. */
const READ_MEMORY = process.env.TENANT_DESK_SNAPSHOT_SCAN_MEMORY ?? '256MB';

// ---------------------------------------------------------------------------------------------------------- build

/** The SQL expression for a scalar as the engine keys it (query/fields.ts scalarKey) from a JSON value. */
function jsonKey(type: string, atom: string): string {
  return `CASE
    WHEN ${type} = 'VARCHAR' THEN nullif(CASE WHEN contains(${atom}::VARCHAR, '\\') THEN json_extract_string(${atom}, '$') ELSE (${atom}::VARCHAR)[2:-2] END, '')
    WHEN ${type} = 'DOUBLE' THEN ${jsNumber(`CAST(${atom} AS DOUBLE)`)}
    WHEN ${type} IN ('BOOLEAN', 'BIGINT', 'UBIGINT') THEN ${atom}::VARCHAR
  END`;
}

/** A double as JavaScript's String(n) writes it (7.0 is "7"). */
function jsNumber(d: string): string {
  return `CASE WHEN isfinite(${d}) AND ${d} = trunc(${d}) AND abs(${d}) < 1e21 THEN CAST(CAST(${d} AS HUGEINT) AS VARCHAR) ELSE CAST(${d} AS VARCHAR) END`;
}

/** A number of the engine: what JavaScript's Number() reads (numericKeys in query/fields.ts). */
const NUMERIC_KEY = `regexp_full_match(k, '\\s*([+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?Infinity|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)\\s*')`;

/**
 * Builds a snapshot file from a file of users, one JSON object per line (written by SnapshotWriter, or generated by
 * the benchmark), under a temporary name renamed into place once complete and synced.
 */
export async function buildSnapshot(
  usersFile: string,
  path: string,
  meta: Omit<SnapshotMeta, 'count'>,
): Promise<SnapshotMeta> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = partName(path);
  const spill = `${tmp}.spill.${process.pid}.part`;
  const scratch = partName(`${path}.scratch`);
  const clean = () => {
    for (const p of [tmp, `${tmp}.wal`, scratch, `${scratch}.wal`]) rmSync(p, { force: true });
    rmSync(spill, { recursive: true, force: true });
  };
  clean();
  let instance: DuckDBInstance | null = null;
  let c: DuckDBConnection | null = null;
  try {
    instance = await duck().DuckDBInstance.create(tmp, duckConfig(BUILD_MEMORY, spill));
    let connection = await instance.connect();
    c = connection;
    // Each step timed when asked (the benchmark prints where a build's time goes).
    const timed = process.env.TENANT_DESK_SNAPSHOT_TIMINGS === '1';
    const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const result = await work();
      if (timed)
        console.error(
          `snapshot build: ${label} ${((performance.now() - t0) / 1000).toFixed(2)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
        );
      return result;
    };
    const run = (label: string, sql: string) => step(label, () => connection.run(sql));
    const file = lit(usersFile);
    // Work tables go to a scratch file of their own (evictable, unlike temporary tables), deleted at the end: the
    // snapshot's file holds only what it keeps.
    await connection.run(`ATTACH ${lit(scratch)} AS scratch`);
    await run('meta', `CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
    // Each user as written, at row document number × RECORD_STRIDE (insertion order is kept; the rows between are
    // empty), compressed with zstd (measured at a million users, one row a user: 1.6 s and 70 MB, where DuckDB's
    // default for text took 2.7 s and 235 MB, and a page of records reads as fast).
    // Reading the file in order holds what the threads read ahead: a smaller pool for this step keeps the process's
    // memory down (measured: 565 MB instead of 840 at a million users); the steps after it need more.
    await connection.run(`SET memory_limit = '${READ_MEMORY}'`);
    const readRecords = async (compression: string) => {
      await connection.run(
        `CREATE OR REPLACE TABLE records (json VARCHAR${compression}, bytes BIGINT USING COMPRESSION bitpacking)`,
      );
      await run(
        'records',
        `INSERT INTO records SELECT unnest([json${', NULL'.repeat(RECORD_STRIDE - 1)}]), unnest([strlen(json)${', NULL'.repeat(RECORD_STRIDE - 1)}])
        FROM read_ndjson_objects(${file}, maximum_object_size = ${MAX_USER_BYTES})`,
      );
    };
    await readRecords(' USING COMPRESSION zstd');
    // zstd unpacks a block of users at once to read one of them: where users are so large that a block of them would
    // not fit the reader's memory (a block of 15 MB users did not, nor in DuckDB's own choice of compression), the
    // records are kept uncompressed instead (tested: intake.test.ts, 12 users of 15 MB).
    const block = await firstValue<bigint>(
      connection,
      `SELECT max(b) FROM (SELECT sum(bytes) AS b FROM records GROUP BY rowid // ${ZSTD_BLOCK_ROWS})`,
    );
    if ((block ?? 0n) > BigInt(ZSTD_BLOCK_MAX_BYTES)) await readRecords(' USING COMPRESSION uncompressed');
    const top = RULES.topFields;
    const read = (columns: string[]) =>
      `read_json(${file}, columns = {${columns.join(', ')}}, format = 'newline_delimited', maximum_object_size = ${MAX_USER_BYTES})`;
    const key = (f: string) =>
      RULES.caseInsensitive.has(f) ? `lower(nullif(${id(f)}, ''))` : `nullif(${id(f)}, '')`;
    // The keys straight from the file's top-level fields, read as text (the few values that are not text are put
    // right by fixScalars); the fields of many values (identities, metadata, roles, organizations) by a second read
    // of the file as JSON into the scratch file. Two reads of the file cost less than one read kept whole and copied
    // (measured: 5.4 s against 8.6 at a million users).
    const keyColumns = [...top, 'email_domain', ...[...RULES.wordFields].map((f) => `w_${f}`)];
    const numberColumns = NUMBER_KEYS.map((f) => `${id(`n_${f}`)} DOUBLE`);
    const plain = new Set(PLAIN_KEYS);
    await connection.run(
      `CREATE TABLE keys (${[...keyColumns.map((k) => `${id(k)} VARCHAR${plain.has(k) ? ' USING COMPRESSION uncompressed' : ''}`), ...numberColumns].join(', ')})`,
    );
    await connection.run(`SET memory_limit = '${BUILD_MEMORY}'`);
    await run(
      'keys',
      `INSERT INTO keys SELECT
        ${top.map((f) => `${key(f)} AS ${id(f)}`).join(',\n        ')},
        CASE WHEN contains(email, '@') THEN lower(split_part(email, '@', -1)) END AS email_domain,
        ${[...RULES.wordFields]
          .map(
            (f) =>
              `' ' || trim(regexp_replace(lower(${id(f)}), '[^\\p{L}\\p{N}]+', ' ', 'g')) || ' ' AS ${id(`w_${f}`)}`,
          )
          .join(',\n        ')},
        ${NUMBER_KEYS.map((f) => `TRY_CAST(${key(f)} AS DOUBLE)`).join(', ')}
      FROM ${read(top.map((f) => `${id(f)}: 'VARCHAR'`))}`,
    );
    // The scratch file's tables are written uncompressed: read once or twice and deleted, they are not worth
    // compressing (measured at a million users: the fields of many values read in 0.96 s instead of 1.34). Records
    // and keys are written out first, so that the setting (the instance's, for every table it writes) is not theirs.
    await run('checkpoint (records, keys)', 'CHECKPOINT');
    await connection.run(`SET force_compression = 'uncompressed'`);
    await run(
      'fields of many values read',
      `CREATE TABLE scratch.raw AS SELECT * FROM ${read([
        `user_id: 'VARCHAR'`,
        `identities: 'JSON'`,
        ...META_ROOTS.map((f) => `${id(f)}: 'JSON'`),
        `roles: 'JSON'`,
        `organizations: 'JSON'`,
      ])}`,
    );
    // Written out, and a fresh instance: the tables written so far leave the buffer pool whole (the instance that
    // wrote them keeps their blocks), so the checks and the rest have all of its memory (at ten million users, the
    // checks in the first instance took the process past 1 GB).
    await run('checkpoint (fields of many values)', 'CHECKPOINT scratch');
    await step('reopen', async () => {
      connection.closeSync();
      instance!.closeSync();
      instance = await duck().DuckDBInstance.create(tmp, duckConfig(BUILD_MEMORY, spill));
      connection = await instance.connect();
      c = connection;
      await connection.run(`ATTACH ${lit(scratch)} AS scratch`);
    });
    const [records, keys, raw] = (
      await connection.runAndReadAll(
        `SELECT (SELECT count(*) FROM records WHERE rowid % ${RECORD_STRIDE} = 0), (SELECT count(*) FROM keys), (SELECT count(*) FROM scratch.raw)`,
      )
    ).getRowsJS()[0] as [bigint, bigint, bigint];
    if (records !== keys || keys !== raw)
      throw new Error(
        `the users file was read as ${records}, ${keys} and ${raw} users (a line is not one JSON object)`,
      );
    const count = Number(records);
    // The three reads are one file read in order: checked at every 16,384th user and the last (a line read
    // otherwise by one of them would shift every user after it, the last included), so that no user's keys or terms
    // can be another's. The records are looked up by row number: a filter on it would read every block of them.
    const sampled = [...Array.from({ length: Math.ceil(count / 16384) }, (_, i) => i * 16384), count - 1];
    const samples = sampled.join(',');
    const misaligned = await step('checks', () =>
      firstValue<bigint>(
        connection,
        `SELECT count(*) FROM (SELECT rowid // ${RECORD_STRIDE} AS r, json FROM records WHERE rowid IN (${sampled.map((d) => d * RECORD_STRIDE).join(',')})) x
        JOIN (SELECT rowid AS r, user_id FROM keys WHERE rowid IN (${samples})) k USING (r)
        JOIN (SELECT rowid AS r, user_id FROM scratch.raw WHERE rowid IN (${samples})) w USING (r)
        WHERE x.json ->> '$.user_id' IS DISTINCT FROM k.user_id OR w.user_id IS DISTINCT FROM k.user_id`,
      ),
    );
    if (misaligned !== 0n) throw new Error('the users file was not read the same way three times');
    const missing = await step('checks (user_id)', () =>
      firstValue<bigint>(connection, `SELECT count(*) FROM keys WHERE user_id IS NULL`),
    );
    if (missing !== 0n) throw new Error('a user without a user_id');
    // Its hash table with the smaller pool (it spills what does not fit): at ten million users its peak was 385 MB
    // so, 895 MB with the larger one, and it was faster.
    await connection.run(`SET memory_limit = '${READ_MEMORY}'`);
    const twice = await step('checks (twice)', () =>
      // By the ids' hashes first (8 bytes a user, not the id: at ten million users the ids' own table took the
      // process past 1 GB), then the ids of any hash seen twice.
      firstValue<string>(
        connection,
        `SELECT user_id FROM keys WHERE hash(user_id) IN (
          SELECT h FROM (SELECT hash(user_id) AS h FROM keys) GROUP BY h HAVING count(*) > 1
        ) GROUP BY user_id HAVING count(*) > 1 LIMIT 1`,
      ),
    );
    if (twice !== undefined) throw new Error(`the user ${twice} appears twice`);
    await connection.run(`SET memory_limit = '${BUILD_MEMORY}'`);
    await step('scalars', () => fixScalars(connection, top, RECORD_STRIDE));
    // From here on nothing needs the file's order (terms are sorted at the end): DuckDB may then stream with less
    // memory.
    await connection.run(`SET preserve_insertion_order = false`);
    // Fields of many values, one row per value: identities' fields, roles, organizations, and metadata at every
    // scalar leaf's dotted path (arrays transparent) — sorted by field and key, so a leaf reads a few row groups. A
    // user's metadata of more than HUGE_META is flattened here instead, one user at a time, by the engine's own walk
    // (DuckDB's tree of it would hold several copies of every value at once).
    const isMeta = (f: string) => `json_type(${id(f)}) IN ('OBJECT', 'ARRAY')`;
    // (Measured on the text alone: telling an object from a string would parse every value, huge ones included.)
    const size = META_ROOTS.map((f) => `coalesce(length(${id(f)}::VARCHAR), 0)`).join(' + ');
    await run(
      'terms (large metadata)',
      `CREATE TABLE scratch.mhuge (doc BIGINT, field VARCHAR, key VARCHAR)`,
    );
    const large = await step(
      'large metadata found',
      async () =>
        (
          await connection.runAndReadAll(`SELECT rowid FROM scratch.raw WHERE ${size} > ${HUGE_META}`)
        ).getRowsJS() as [bigint][],
    );
    const appender = await connection.createAppender('mhuge', 'main', 'scratch');
    for (const [doc] of large) {
      const values = (
        await connection.runAndReadAll(
          `SELECT ${META_ROOTS.map((f) => `CASE WHEN ${isMeta(f)} THEN ${id(f)} END`).join(', ')} FROM scratch.raw WHERE rowid = ${doc}`,
        )
      ).getRowsJS()[0] as (string | null)[];
      const record: SearchRecord = {};
      META_ROOTS.forEach((f, i) => {
        if (values[i] !== null) record[f] = JSON.parse(values[i]!) as unknown;
      });
      const terms = termsOf(
        { ...RULES, topFields: [], nested: {}, emailDomain: false, extensions: undefined },
        record,
      );
      for (let i = 0; i < terms.length; i += 2) {
        if (terms[i] === HAS || terms[i] === EXISTS) continue;
        appender.appendBigInt(doc);
        appender.appendVarchar(terms[i]!);
        appender.appendVarchar(terms[i + 1]!.slice(0, LONG_KEY));
        appender.endRow();
      }
    }
    appender.closeSync();
    // Metadata flattened level by level: an object's entries (a map of JSON values) and an array's elements (arrays
    // are transparent) until only scalars are left, to the engine's depth (query/fields.ts flatten).
    // One table per level, each made whole by one statement (DuckDB writes a new table's blocks straight to disk;
    // rows appended to a table would wait in memory for a checkpoint).
    let levels = 0;
    await connection.run(`SET force_compression = 'uncompressed'`);
    // The first level is read from the users' fields as they are (not written out: measured 0.6 s at a million);
    // a huge value's type is not asked (the question parses it whatever a filter beside it says).
    let level = `(SELECT doc, path, v, t FROM (${META_ROOTS.map(
      (f) =>
        `SELECT rowid AS doc, ${lit(f)} AS path, ${id(f)} AS v, CASE WHEN ${size} > ${HUGE_META} THEN NULL ELSE json_type(${id(f)}) END AS t FROM scratch.raw`,
    ).join(' UNION ALL ')}) WHERE t IN ('OBJECT', 'ARRAY'))`;
    const nesting = `t IN ('OBJECT', 'ARRAY')`;
    for (let depth = 0; depth <= 128; depth++) {
      // The next level: an object's entries, an array's elements.
      const next = `SELECT doc, path, v, json_type(v) AS t FROM (
          SELECT doc, path || '.' || e.key AS path, e.value AS v FROM (
            SELECT doc, path, unnest(map_entries(json_transform(v, '"MAP(VARCHAR, JSON)"'))) AS e FROM ${level} WHERE t = 'OBJECT')
          UNION ALL SELECT doc, path, unnest(json_transform(v, '["JSON"]')) FROM ${level} WHERE t = 'ARRAY')`;
      // Each level written once: its scalars' keys, and the objects and arrays still in it, the next level's input
      // (measured: reading the first level's scalars in the terms' own statement took longer).
      await run(
        `terms (metadata, level ${depth + 2})`,
        `CREATE TABLE scratch.mflat${depth} AS SELECT doc, path AS field,
          CASE WHEN NOT ${nesting} THEN left(${jsonKey('t', 'v')}, ${LONG_KEY}) END AS key,
          CASE WHEN ${nesting} THEN v END AS v, CASE WHEN ${nesting} THEN t END AS t
        FROM (${next}) WHERE t <> 'NULL'`,
      );
      levels++;
      level = `(SELECT doc, field AS path, v, t FROM scratch.mflat${depth} WHERE t IS NOT NULL)`;
      // Most metadata is flat: then no value of this level is an object or an array, and there is no next level.
      if (depth === 128 || (await firstValue<bigint>(connection, `SELECT count(*) FROM ${level}`)) === 0n)
        break;
    }
    await connection.run(`SET force_compression = 'auto'`);
    await run(
      'terms',
      `CREATE TABLE terms AS
      SELECT doc, field, key FROM (
        ${IDENTITY_FIELDS.map(
          (f) =>
            `SELECT rowid AS doc, ${lit(`identities.${f}`)} AS field, unnest(json_extract_string(identities, ${lit(`$[*].${f}`)})) AS key FROM scratch.raw WHERE json_type(identities) = 'ARRAY'`,
        ).join('\n        UNION ALL ')}
        UNION ALL SELECT rowid, 'roles', unnest(json_keys(roles)) FROM scratch.raw WHERE json_type(roles) = 'OBJECT'
        UNION ALL SELECT rowid, 'organizations', unnest(json_keys(organizations)) FROM scratch.raw WHERE json_type(organizations) = 'OBJECT'
        ${Array.from({ length: levels }, (_, i) => `UNION ALL SELECT doc, field, key FROM scratch.mflat${i}`).join('\n        ')}
        UNION ALL SELECT doc, field, key FROM scratch.mhuge)
      WHERE key IS NOT NULL AND key <> ''
      ORDER BY field, key`,
    );
    await connection.run('DETACH scratch');
    for (const p of [scratch, `${scratch}.wal`]) rmSync(p, { force: true });
    // Which fields hold only numbers (ranges compare them numerically).
    await run(
      'numeric fields',
      `CREATE TABLE fields AS
      SELECT field, bool_and(${NUMERIC_KEY}) AS numeric FROM (
        ${[
          ...top.map((f) => `SELECT ${lit(f)} AS field, ${id(f)} AS k FROM keys WHERE ${id(f)} IS NOT NULL`),
          `SELECT 'email.domain', email_domain FROM keys WHERE email_domain IS NOT NULL`,
          `SELECT field, key FROM terms`,
        ].join('\n        UNION ALL ')}
      ) GROUP BY field`,
    );
    // Each indexed sort's order, for a snapshot large enough to need it (sortOrdersFrom): ascending, users without
    // the field last, ties by document — a descending sort reads its users with the field backwards, then the others
    // forwards (the same order as the sorting scan's).
    const orders: Record<string, number> = {};
    // A smaller snapshot keeps a sample of each indexed sort's values instead (SORT_SAMPLES users evenly spaced). And
    // the top-level fields with a key more than half the users hold (email_verified:true), which a query gathers as
    // the others instead: each field's commonest key among the same sampled users, then counted among all of them.
    const sortSamples: Record<string, (string | number)[]> = {};
    const denseKeys: Record<string, string> = {};
    const withOrders = count >= sortOrdersFrom();
    const numeric = new Map(
      (
        await connection.runAndReadAll(
          `SELECT field, numeric FROM fields WHERE field IN (${INDEXED_SORTS.map(lit).join(', ')})`,
        )
      ).getRowsJS() as [string, boolean][],
    );
    const numbers = new Set(NUMBER_KEYS);
    const sortKeys = INDEXED_SORTS.map((f) => sortKey(f, numeric.get(f) ?? false, numbers));
    if (count > 0) {
      const fields = [...top, 'email.domain'];
      const column = (f: string) => (f === 'email.domain' ? 'email_domain' : id(f));
      const every = Math.max(1, Math.floor(count / SORT_SAMPLES));
      const sampled = await step(
        'samples (sort values, commonest keys)',
        async () =>
          (
            await connection.runAndReadAll(
              `SELECT ${[
                ...fields.map((f) => `mode(${column(f)})`),
                ...(withOrders
                  ? []
                  : sortKeys.map((v) => `list(${v} ORDER BY ${v}) FILTER (WHERE ${v} IS NOT NULL)`)),
              ].join(', ')} FROM keys WHERE rowid % ${every} = 0`,
            )
          ).getRowsJS()[0] as unknown[],
      );
      if (!withOrders)
        INDEXED_SORTS.forEach((f, i) => {
          const values = ((sampled[fields.length + i] ?? []) as (string | number)[]).filter(
            (v) => typeof v === 'string' || Number.isFinite(v),
          );
          if (values.length > 0) sortSamples[f] = values;
        });
      const asked = fields.flatMap((f, i) =>
        typeof sampled[i] === 'string' ? [{ f, key: sampled[i] }] : [],
      );
      if (asked.length > 0) {
        const counts = await step(
          'dense keys (counts)',
          async () =>
            (
              await connection.runAndReadAll(
                `SELECT ${asked.map(({ f, key }) => `count(*) FILTER (WHERE ${column(f)} = ${lit(key)})`).join(', ')} FROM keys`,
              )
            ).getRowsJS()[0] as bigint[],
        );
        asked.forEach(({ f, key }, i) => {
          if (Number(counts[i]) * 2 > count) denseKeys[f] = key;
        });
      }
    }
    if (count > 0 && withOrders) {
      // With the smaller pool (each sort spills what does not fit): measured at ten million users, the process's peak
      // was 528 MB so and 1,002 MB with the larger one, in the same time.
      await connection.run(`SET preserve_insertion_order = true; SET memory_limit = '${READ_MEMORY}'`);
      for (const [i, f] of INDEXED_SORTS.entries()) {
        const v = sortKeys[i]!;
        await run(
          `sort order (${f})`,
          `CREATE TABLE ${id(`order_${f}`)} AS SELECT rowid::UINTEGER AS doc FROM keys ORDER BY (${v} IS NULL), ${v}, rowid`,
        );
        orders[f] = Number(await firstValue<bigint>(connection, `SELECT count(${v}) FROM keys`));
      }
    }
    const full: SnapshotMeta = { ...meta, count };
    await connection.run(
      `INSERT INTO meta VALUES ('schema', ${lit(String(SCHEMA_VERSION))}), ('snapshot', ${lit(JSON.stringify(full))}), ('orders', ${lit(JSON.stringify(orders))}), ('record_stride', ${lit(String(RECORD_STRIDE))}), ('sort_samples', ${lit(JSON.stringify(sortSamples))}), ('dense_keys', ${lit(JSON.stringify(denseKeys))})`,
    );
    await run('checkpoint', 'CHECKPOINT');
    connection.closeSync();
    c = null;
    instance.closeSync();
    instance = null;
    rmSync(`${tmp}.wal`, { force: true });
    // Owner-only, like every file of the data dir (DuckDB makes its file with the umask's mode).
    chmodSync(tmp, 0o600);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    try {
      const dirFd = openSync(dirname(path), 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // Some platforms cannot fsync a directory; the rename is still atomic.
    }
    rmSync(spill, { recursive: true, force: true });
    return full;
  } catch (err) {
    c?.closeSync();
    instance?.closeSync();
    clean();
    throw err;
  }
}

/**
 * The fast scan reads top-level fields as text; the few values that are not a string there are put right here, as
 * the engine keys them: an object or array is no key, and a number is written as JavaScript writes it (7.0 is 7).
 */
async function fixScalars(c: DuckDBConnection, top: readonly string[], stride: number): Promise<void> {
  /** A value that may not have been a string: one looking like an object or array, or a number DuckDB may write
   * otherwise than JavaScript — with a point or an exponent (7.0, 1e+20). Not any dotted text: an IP address is text
   * (a million of them took 1.5 s to look at again). Only text starting with '-', '.', '/' or a digit goes to the
   * pattern. */
  const suspect = (f: string) =>
    `(starts_with(${id(f)}, '{') OR starts_with(${id(f)}, '[') OR (${id(f)} >= '-' AND ${id(f)} < ':' AND regexp_full_match(${id(f)}, '-?([0-9]+(\\.[0-9]+)?[eE][+-]?[0-9]+|[0-9]+\\.[0-9]+)')))`;
  const any = await firstValue(c, `SELECT rowid FROM keys WHERE ${top.map(suspect).join(' OR ')} LIMIT 1`);
  if (any === undefined) return;
  for (const f of top) {
    const value = RULES.caseInsensitive.has(f) ? `lower(${jsonKey('t', 'v')})` : jsonKey('t', 'v');
    const number = NUMBER_KEYS.includes(f) ? `, ${id(`n_${f}`)} = TRY_CAST(fixed.k AS DOUBLE)` : '';
    await c.run(`UPDATE keys SET ${id(f)} = fixed.k${number} FROM (
        SELECT r.rowid AS doc, ${value} AS k FROM (
          SELECT rowid // ${stride} AS rowid, json_type(json, ${lit(`$.${f}`)}) AS t, json_extract(json, ${lit(`$.${f}`)}) AS v
          FROM records WHERE rowid IN (SELECT rowid * ${stride} FROM keys WHERE ${suspect(f)})
        ) r
      ) fixed WHERE keys.rowid = fixed.doc`);
  }
}

/**
 * One piece of DuckDB work asked of the snapshot builder (a process of its own: builder.ts): a snapshot built from a
 * users file, or rows (one JSON object per line) written as a Parquet file.
 */
export type BuildRequest =
  | { kind?: 'snapshot'; usersFile: string; path: string; meta: Omit<SnapshotMeta, 'count'> }
  | { kind: 'parquet'; usersFile: string; path: string; columns: string[] };
export type BuildResult = { meta?: SnapshotMeta; rows?: number; peakRssMb: number };
export type BuildReply = ({ ok: true } & BuildResult) | { ok: false; message: string };
/** Runs a request: in this process (tests of the store), or in the snapshot builder's own process. */
export type SnapshotBuilder = (request: BuildRequest) => Promise<BuildResult>;

/** The work of a request, in this process (what the builder process runs). */
export async function runBuildHere(r: BuildRequest): Promise<BuildResult> {
  const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
  if (r.kind === 'parquet') {
    const rows = await writeParquet(r.usersFile, r.path, r.columns);
    return { rows, peakRssMb: peakRssMb() };
  }
  const meta = await buildSnapshot(r.usersFile, r.path, r.meta);
  return { meta, peakRssMb: peakRssMb() };
}

let builder: SnapshotBuilder = runBuildHere;
/** The builder in use (the Parquet writer asks it too). */
export function snapshotBuilder(): SnapshotBuilder {
  return builder;
}
/** The builder SnapshotWriter.finish uses from now on (the offline worker asks main, which starts a process). */
export function setSnapshotBuilder(b: SnapshotBuilder): void {
  builder = b;
}

/**
 * Builds a snapshot file from users added one at a time: they are written to a temporary NDJSON file next to the
 * snapshot (owner-only, removed once built or given up, swept after a crash), which DuckDB then reads.
 */
export class SnapshotWriter {
  private readonly usersFile: string;
  private fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private n = 0;
  private done = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.usersFile = partName(`${path}.users`);
    rmSync(this.usersFile, { force: true });
    this.fd = openSync(this.usersFile, 'wx', 0o600);
  }

  get count(): number {
    return this.n;
  }

  /** Adds one user (a snapshot holds each user once: finish refuses a user id seen twice, naming it). */
  add(user: SearchRecord): void {
    const uid = user.user_id;
    if (typeof uid !== 'string' || uid === '') throw new Error('a user without a user_id');
    const line = JSON.stringify(user);
    if (line.length > MAX_USER_BYTES / 4 && Buffer.byteLength(line) > MAX_USER_BYTES)
      throw new Error(`the user ${uid} is larger than ${MAX_USER_BYTES / 1024 / 1024} MB`);
    this.pending.push(line);
    this.pendingChars += line.length;
    this.n++;
    if (this.pendingChars > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join('\n') + '\n');
    let at = 0;
    while (at < buf.length) at += writeSync(this.fd, buf, at);
    this.pending = [];
    this.pendingChars = 0;
  }

  /** The snapshot built, synced and renamed into place: it exists only once this returns. */
  async finish(meta: Omit<SnapshotMeta, 'count'>): Promise<SnapshotMeta> {
    if (this.done) throw new Error('the snapshot was finished or given up already');
    try {
      this.flush();
      closeSync(this.fd);
      this.fd = -1;
      return (await builder({ usersFile: this.usersFile, path: this.path, meta })).meta!;
    } finally {
      this.done = true;
      if (this.fd >= 0) closeSync(this.fd);
      rmSync(this.usersFile, { force: true });
    }
  }

  /** Gives up: nothing is left behind. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      if (this.fd >= 0) closeSync(this.fd);
    } catch {
      // closed already
    }
    rmSync(this.usersFile, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------- read

/** One DuckDB instance per process for every open snapshot, each attached read-only under an alias of its own. */
let shared: { instance: DuckDBInstance; spill: string } | null = null;
let aliases = 0;
async function sharedInstance(dir: string): Promise<DuckDBInstance> {
  if (!shared) {
    const spill = `${dir}/.reads.${process.pid}.part`;
    const instance = await duck().DuckDBInstance.create(
      ':memory:',
      duckConfig(process.env.TENANT_DESK_SNAPSHOT_READ_MEMORY ?? '256MB', spill),
    );
    shared = { instance, spill };
  }
  return shared.instance;
}

/** One question of the evaluator (a leaf), answered by a scan with the others of the same query. */
type Leaf = {
  /** A condition on keys, or on terms (metadata). */
  table: 'keys' | 'terms';
  sql: string;
  /** The condition selects the users the leaf does NOT match (a key most users hold: fewer rows to gather). */
  complement?: boolean;
};

/** A field of the engine as this store keeps it: a column of keys (with its words), rows of terms, or nowhere. */
type FieldPlace =
  { kind: 'column'; column: string; words: string | null } | { kind: 'terms' } | { kind: 'none' };

function place(field: string): FieldPlace {
  if ((RULES.topFields as readonly string[]).includes(field))
    return {
      kind: 'column',
      column: id(field),
      words: RULES.wordFields.has(field) ? id(`w_${field}`) : null,
    };
  if (field === 'email.domain') return { kind: 'column', column: 'email_domain', words: null };
  if (
    IDENTITY_FIELDS.some((f) => field === `identities.${f}`) ||
    field === 'roles' ||
    field === 'organizations' ||
    META_ROOTS.some((r) => field.startsWith(`${r}.`))
  )
    return { kind: 'terms' };
  return { kind: 'none' };
}

/**
 * The least text above `prefix` and every text beginning with it, in DuckDB's order of text (by UTF-8 bytes): the
 * prefix with its last character one higher, when that character is printable ASCII (' ' to '~'; a key between
 * the two would have to begin with the prefix); else null.
 */
export function textAbovePrefix(prefix: string): string | null {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.length > 0 && last >= 0x20 && last < 0x7f
    ? prefix.slice(0, -1) + String.fromCharCode(last + 1)
    : null;
}

/** The fields a query ranges over. */
function rangeFields(node: QueryNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.flatMap(rangeFields);
    case 'not':
      return rangeFields(node.child);
    case 'range':
      return [node.field];
    default:
      return [];
  }
}

/** `*` pattern (U+0000 an escaped star) as a LIKE pattern with `\` as its escape. */
function likePattern(glob: string): string {
  return glob
    .split('*')
    .map((piece) => piece.replace(/[\\%_]/g, (ch) => `\\${ch}`).replaceAll('\u0000', '*'))
    .join('%');
}

/** Each byte with its bits in reverse order: DuckDB's bitstrings are first-bit-highest, a Bitset's words lowest. */
const REVERSED = Uint8Array.from({ length: 256 }, (_, b) => {
  let r = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i);
  return r;
});
/** A Bitset's words seen as bytes in document order (byte k = documents 8k..8k+7, lowest first): true where the
 * machine is little-endian, as every platform Electron ships for is. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The matches of a query as a DuckDB bitstring (a BIT parameter), document i at bit i: a byte at a time. DuckDB's
 * first byte says how many padding bits (ones) come before document 0.
 */
export function toBitValue(set: Bitset, n: number): DuckDBBitValue {
  const padding = (8 - (n % 8)) % 8;
  const data = new Uint8Array(Math.ceil(n / 8) + 1);
  data[0] = padding;
  if (!LITTLE_ENDIAN) {
    for (let b = 0; b < padding; b++) data[1]! |= 1 << (7 - b);
    for (const d of set) {
      const at = d + padding;
      data[1 + (at >>> 3)]! |= 1 << (7 - (at & 7));
    }
    return new (duck().DuckDBBitValue)(data);
  }
  const docs = new Uint8Array(set.words.buffer, set.words.byteOffset, set.words.byteLength);
  const last = docs.length - 1;
  for (let k = 0; k < data.length - 1; k++) {
    // Bit positions 8k..8k+7 hold documents 8k-padding..8k+7-padding.
    const here = k <= last ? docs[k]! : 0;
    const before = k > 0 && k - 1 <= last ? docs[k - 1]! : 0;
    let byte = padding === 0 ? here : ((here << padding) | (before >>> (8 - padding))) & 0xff;
    if (k === 0) byte |= (1 << padding) - 1;
    data[1 + k] = REVERSED[byte]!;
  }
  // Documents past n (none, in a set of this snapshot) would fall off the end.
  return new (duck().DuckDBBitValue)(data);
}

/** A DuckDB bitstring's documents added to a set (which holds at least as many documents), a byte at a time. */
export function fromBitValue(v: DuckDBBitValue | null, out: Bitset): void {
  if (!v) return;
  const data = v.data;
  const padding = data[0]!;
  if (!LITTLE_ENDIAN) {
    for (let i = 1; i < data.length; i++) {
      let byte = data[i]!;
      if (byte === 0) continue;
      const base = (i - 1) * 8 - padding;
      for (let bit = 0; byte !== 0; bit++, byte = (byte << 1) & 0xff)
        if (byte & 0x80) {
          const d = base + bit;
          if (d >= 0) out.add(d);
        }
    }
    return;
  }
  const docs = new Uint8Array(out.words.buffer, out.words.byteOffset, out.words.byteLength);
  const bytes = data.length - 1;
  for (let k = 0; k < bytes && k < docs.length; k++) {
    // Documents 8k..8k+7 are at bit positions 8k+padding..8k+7+padding.
    const here = REVERSED[data[1 + k]!]!;
    const next = k + 1 < bytes ? REVERSED[data[2 + k]!]! : 0;
    const byte = padding === 0 ? here : ((here >>> padding) | (next << (8 - padding))) & 0xff;
    if (byte !== 0) docs[k]! |= byte;
  }
}

/** An open snapshot: read-only, its queries evaluated by the shared evaluator, its leaves answered by DuckDB. */
export class SnapshotReader {
  private constructor(
    readonly path: string,
    readonly meta: SnapshotMeta,
    private readonly c: DuckDBConnection,
    private readonly alias: string,
    private readonly numericFields: Map<string, boolean>,
  ) {}

  /** Fields whose keys this file also keeps as numbers (n_<field>; a snapshot of this format built before them has
   * none, and ranges read each key as a number instead). */
  private numbers = new Set<string>();
  /** The indexed sorts whose order the file keeps, each with how many users have the field (see sortOrdersFrom). */
  private orders = new Map<string, number>();
  /** Rows of the records table a user takes (RECORD_STRIDE; 1 in a file written before it). */
  private stride = 1;
  /** Each indexed sort's sample of values, in order (SORT_SAMPLES; none in a file written before them). */
  private samples: Record<string, (string | number)[]> = {};
  /** Top-level fields with a key more than half the users hold, and that key (meta 'dense_keys'). */
  private denseKeys = new Map<string, string>();

  static async open(path: string): Promise<SnapshotReader> {
    statSync(path);
    const instance = await sharedInstance(dirname(path));
    const c = await instance.connect();
    const alias = `snap${++aliases}`;
    try {
      await c.run(`ATTACH ${lit(path)} AS ${alias} (READ_ONLY)`);
      const rows = (await c.runAndReadAll(`SELECT key, value FROM ${alias}.meta`)).getRowsJS() as [
        string,
        string,
      ][];
      const values = new Map(rows);
      const schema = values.get('schema');
      if (schema !== String(SCHEMA_VERSION))
        throw new Error(
          `it was written by ${Number(schema) < SCHEMA_VERSION ? 'an earlier' : 'a later'} version of Tenant Desk (format ${schema ?? '?'}; this one reads ${SCHEMA_VERSION}): import its export again`,
        );
      const meta = JSON.parse(values.get('snapshot')!) as SnapshotMeta;
      const reader = new SnapshotReader(path, meta, c, alias, new Map());
      const numbers = (
        await c.runAndReadAll(
          `SELECT column_name FROM duckdb_columns() WHERE database_name = ${lit(alias)} AND table_name = 'keys' AND starts_with(column_name, 'n_')`,
        )
      ).getRowsJS() as [string][];
      for (const [column] of numbers) reader.numbers.add(column.slice(2));
      await reader.loadNumeric([...INDEXED_SORTS]);
      for (const [f, withField] of Object.entries(
        JSON.parse(values.get('orders') ?? '{}') as Record<string, number>,
      ))
        reader.orders.set(f, withField);
      const stride = Number(values.get('record_stride') ?? '1');
      if (!Number.isInteger(stride) || stride < 1 || stride > 64)
        throw new Error(`its records are laid out in a way this version cannot read (${stride} rows a user)`);
      reader.stride = stride;
      reader.samples = JSON.parse(values.get('sort_samples') ?? '{}') as Record<string, (string | number)[]>;
      for (const [f, key] of Object.entries(
        JSON.parse(values.get('dense_keys') ?? '{}') as Record<string, string>,
      ))
        reader.denseKeys.set(f, key);
      return reader;
    } catch (err) {
      await c.run(`DETACH DATABASE IF EXISTS ${alias}`).catch(() => undefined);
      c.closeSync();
      throw err;
    }
  }

  get count(): number {
    return this.meta.count;
  }

  /** The indexed sorts whose whole order this file keeps (a snapshot of millions of users; see sortOrdersFrom). */
  get keptOrders(): string[] {
    return [...this.orders.keys()];
  }

  async close(): Promise<void> {
    await this.c.run(`DETACH DATABASE IF EXISTS ${this.alias}`).catch(() => undefined);
    this.c.closeSync();
  }

  private t(table: 'records' | 'keys' | 'terms'): string {
    return `${this.alias}.${table}`;
  }

  // ---- the evaluator's questions ----

  /** A condition on one key `k` for each kind of leaf. */
  private static cond(
    op:
      | { kind: 'exact'; key: string }
      | { kind: 'prefix'; prefix: string }
      | { kind: 'scan'; literal: string; glob: string | null }
      | { kind: 'range'; bounds: RangeBounds },
    k: string,
    number?: string,
  ): string {
    switch (op.kind) {
      case 'exact':
        return `${k} = ${lit(op.key)}`;
      case 'prefix':
        return `starts_with(${k}, ${lit(op.prefix)})`;
      case 'scan':
        return op.glob === null
          ? `contains(${k}, ${lit(op.literal)})`
          : `${k} LIKE ${lit(likePattern(op.glob))} ESCAPE '\\'`;
      case 'range': {
        const b = op.bounds;
        const parts: string[] = [];
        if (b.numeric) {
          const n = number ?? `TRY_CAST(${k} AS DOUBLE)`;
          if (b.from !== null) parts.push(`${n} ${b.fromInclusive ? '>=' : '>'} ${Number(b.from)}`);
          if (b.to !== null) parts.push(`${n} ${b.toInclusive ? '<=' : '<'} ${Number(b.to)}`);
          parts.push(`${n} IS NOT NULL`);
        } else {
          if (b.from !== null) parts.push(`${k} ${b.fromInclusive ? '>=' : '>'} ${lit(b.from)}`);
          if (b.to !== null) {
            // Up to and including the bound and every key it begins (`to:2025-06-30` takes the whole day): one
            // comparison with the least text above them all where there is one, which DuckDB applies in its scan
            // (measured at a million users: a date range in 28 ms instead of 38).
            const above = b.toInclusive ? textAbovePrefix(b.to) : b.to;
            parts.push(
              above !== null
                ? `${k} < ${lit(above)}`
                : `(${k} <= ${lit(b.to)} OR starts_with(${k}, ${lit(b.to)}))`,
            );
          }
        }
        return parts.length ? parts.join(' AND ') : 'true';
      }
    }
  }

  /** The leaf for a condition on a field's keys, wherever the field is kept. */
  private leaf(field: string, op: Parameters<typeof SnapshotReader.cond>[0]): Leaf | null {
    const p = place(field);
    const c = (k: string, number?: string) => SnapshotReader.cond(op, k, number);
    switch (p.kind) {
      case 'none':
        return null;
      case 'terms':
        return { table: 'terms', sql: `field = ${lit(field)} AND ${c('key')}` };
      case 'column': {
        // A key most users hold (email_verified:true): its complement has fewer rows to gather into a bitstring
        // (measured at a million users, 850,000 holders: 3 ms instead of 12).
        if (op.kind === 'exact' && !p.words && this.denseKeys.get(field) === op.key)
          return { table: 'keys', sql: `${p.column} IS DISTINCT FROM ${lit(op.key)}`, complement: true };
        const own = c(p.column, this.numbers.has(field) ? id(`n_${field}`) : undefined);
        if (!p.words) return { table: 'keys', sql: own };
        // Name fields are also keyed word by word (w_<field> is ' word word … ').
        let byWords: string;
        if (op.kind === 'exact')
          byWords = isWord(op.key) ? `contains(${p.words}, ${lit(` ${op.key} `)})` : 'false';
        else if (op.kind === 'prefix')
          byWords = isWord(op.prefix) ? `contains(${p.words}, ${lit(` ${op.prefix}`)})` : 'false';
        else if (op.kind === 'scan' && op.glob === null)
          // A word of the value holding the literal means the value holds it (a word field's keys and words are both
          // lower-cased): the value's own scan answers alone, and the words are not read (half the time).
          return { table: 'keys', sql: own };
        else
          byWords = `len(list_filter(string_split(trim(${p.words}), ' '), x -> x <> '' AND ${c('x')})) > 0`;
        return { table: 'keys', sql: `(${own} OR ${byWords})` };
      }
    }
  }

  /** Every document holding any key of a field (HAS), or of a field or one below it (EXISTS). */
  private has(field: string, below: boolean): Leaf | null {
    const p = place(field);
    if (p.kind === 'column') {
      if (below && field === 'email')
        return { table: 'keys', sql: `(email IS NOT NULL OR email_domain IS NOT NULL)` };
      return { table: 'keys', sql: `${p.column} IS NOT NULL` };
    }
    return below
      ? { table: 'terms', sql: `(field = ${lit(field)} OR starts_with(field, ${lit(`${field}.`)}))` }
      : p.kind === 'terms'
        ? { table: 'terms', sql: `field = ${lit(field)}` }
        : null;
  }

  /** A field's numeric flag (loaded before evaluation: the evaluator asks it synchronously). */
  private numeric(field: string): boolean {
    return this.numericFields.get(field) ?? false;
  }

  /** The numeric flags of these fields, read once each (a snapshot may have many metadata fields). */
  private async loadNumeric(fields: string[]): Promise<void> {
    const unknown = fields.filter((f) => !this.numericFields.has(f));
    if (unknown.length === 0) return;
    const rows = (
      await this.c.runAndReadAll(
        `SELECT field, numeric FROM ${this.alias}.fields WHERE field IN (${unknown.map(lit).join(', ')})`,
      )
    ).getRowsJS() as [string, boolean][];
    for (const f of unknown) this.numericFields.set(f, false);
    for (const [f, numeric] of rows) this.numericFields.set(f, numeric);
  }

  /**
   * The matches of a query: the evaluator runs once to learn its leaves, they are answered in one scan of keys (and
   * one of terms if metadata is asked), and the evaluator runs again over the answers.
   */
  async evaluate(node: QueryNode): Promise<Bitset> {
    const n = this.meta.count;
    await this.loadNumeric(rangeFields(node));
    const leaves: (Leaf | null)[] = [];
    const answers: Bitset[] = [];
    let replay = false;
    let at = 0;
    const empty = () => new Bitset(Math.max(32, n));
    const ask = (leaf: () => Leaf | null, out: Bitset) => {
      if (!replay) leaves.push(leaf());
      else out.or(answers[at++]!);
    };
    const postings: Postings = {
      empty,
      all: () => {
        const out = empty();
        const full = n >>> 5;
        out.words.fill(0xffffffff, 0, full);
        for (let d = full * 32; d < n; d++) out.add(d);
        return out;
      },
      exact: (field, key, out) =>
        ask(
          () =>
            field === HAS
              ? this.has(key, false)
              : field === EXISTS
                ? this.has(key, true)
                : this.leaf(field, { kind: 'exact', key }),
          out,
        ),
      prefix: (field, prefix, out) => ask(() => this.leaf(field, { kind: 'prefix', prefix }), out),
      scan: (field, literal, test, out, glob) =>
        ask(
          () => this.leaf(field, { kind: 'scan', literal, glob: test === null ? null : (glob ?? null) }),
          out,
        ),
      numeric: (field) => this.numeric(field),
      range: (field, bounds, out) => ask(() => this.leaf(field, { kind: 'range', bounds }), out),
      phrase: (field, ws, out) =>
        ask(() => {
          const p = place(field);
          return p.kind === 'column' && p.words
            ? { table: 'keys', sql: `contains(${p.words}, ${lit(` ${ws.join(' ')} `)})` }
            : null;
        }, out),
      record: () => undefined,
    };
    evaluate(RULES, node, postings);
    for (let i = 0; i < leaves.length; i++) answers.push(empty());
    if (n > 0) {
      for (const table of ['keys', 'terms'] as const) {
        const asked = leaves.flatMap((l, i) => (l && l.table === table ? [{ l, i }] : []));
        if (asked.length === 0) continue;
        const column = table === 'keys' ? 'rowid' : 'doc';
        // Metadata: only the rows of the fields asked are read (terms is sorted by field).
        // A few leaves of keys are a scan each, with the leaf as its WHERE: DuckDB then filters in the scan (measured
        // at a million users: a date range in 24 ms instead of 32 as a FILTER; two range leaves in 28 ms instead of
        // 33 as one scan with two FILTERs). More leaves share one scan.
        const own = table === 'keys' && asked.length <= 4;
        const where = table === 'terms' ? ` WHERE ${asked.map(({ l }) => `(${l.sql})`).join(' OR ')}` : '';
        for (let from = 0; from < asked.length; from += 64) {
          const part = asked.slice(from, from + 64);
          const sql = own
            ? `SELECT ${part
                .map(
                  ({ l }) =>
                    `(SELECT bitstring_agg(${column}, 0, ${n - 1}) FROM ${this.t(table)} WHERE ${l.sql})`,
                )
                .join(', ')}`
            : `SELECT ${part
                .map(
                  ({ l }) =>
                    `bitstring_agg(${column}, 0, ${n - 1})${asked.length === 1 ? '' : ` FILTER (WHERE ${l.sql})`}`,
                )
                .join(', ')} FROM ${this.t(table)}${where}`;
          const row = (await this.c.runAndReadAll(sql)).getRows()[0]!;
          part.forEach(({ l, i }, j) => {
            fromBitValue(row[j] as DuckDBBitValue | null, answers[i]!);
            if (l.complement) answers[i] = postings.all().andNot(answers[i]!);
          });
        }
      }
    }
    replay = true;
    return evaluate(RULES, node, postings);
  }

  // ---- search ----

  /** The users matching q (every user when empty), sorted by `field:1|-1` or in export order, a page of them. */
  async query(
    q: string | undefined,
    opts: { sort?: string; offset: number; limit: number },
  ): Promise<{ total: number; users: SearchRecord[] }> {
    const matches = await this.evaluate(parse(q));
    const total = matches.count();
    if (opts.limit === 0) return { total, users: [] };
    if (!opts.sort) return { total, users: await this.fetch(matches.slice(opts.offset, opts.limit)) };
    const { field, dir } = parseSort(opts.sort);
    if ((INDEXED_SORTS as readonly string[]).includes(field)) {
      const walked = await this.walkOrder(field, dir, matches, total, opts.offset, opts.limit);
      if (walked) return { total, users: await this.fetch(walked) };
      const v = sortKey(field, this.numeric(field), this.numbers);
      const order = dir === 1 ? 'ASC' : 'DESC';
      const all = total === this.meta.count;
      const values: Record<string, DuckDBValue> = all ? {} : { bits: toBitValue(matches, this.meta.count) };
      const types = all ? {} : { bits: duck().BIT };
      const matching = all ? '' : ' AND get_bit($bits, rowid::INTEGER) = 1';
      const rows = async (sql: string) =>
        ((await this.c.runAndReadAll(sql, values, types)).getRowsJS() as [bigint][]).map(([d]) => Number(d));
      // The users with the field first (by it, ties by document), then those without (by document): asked as two
      // plain top-N scans — a page rarely reaches the second (measured at a million users: a descending sort of
      // 850,000 matches answered in 72 ms instead of 80, asked as one ORDER BY with the nulls' ordering in it).
      const [offset, limit] = [Math.trunc(opts.offset), Math.trunc(opts.limit)];
      const page = (bound: string) =>
        rows(
          `SELECT rowid FROM ${this.t('keys')} WHERE ${v} IS NOT NULL${matching}${bound} ORDER BY ${v} ${order}, rowid ${order} LIMIT ${limit} OFFSET ${offset}`,
        );
      // First only among the users at or beyond a sampled value (DuckDB drops the others in its scan, and sorts a few
      // thousand instead of every match): right whenever the page comes out full, since every user left out comes
      // after every user kept. Else (too few there) the whole scan answers.
      const bound = this.sortBound(field, dir, v, total, offset + limit);
      let docs = bound === null ? [] : await page(bound);
      if (bound === null || docs.length < limit) docs = await page('');
      if (docs.length < limit) {
        // How many matches have the field: known from this page when it ends among them, else counted.
        const withField =
          docs.length > 0
            ? offset + docs.length
            : (await rows(`SELECT count(*) FROM ${this.t('keys')} WHERE ${v} IS NOT NULL${matching}`))[0]!;
        docs.push(
          ...(await rows(
            `SELECT rowid FROM ${this.t('keys')} WHERE ${v} IS NULL${matching} ORDER BY rowid LIMIT ${limit - docs.length} OFFSET ${Math.max(0, offset - withField)}`,
          )),
        );
      }
      return { total, users: await this.fetch(docs) };
    }
    if (total > UNINDEXED_SORT_CAP)
      throw new QueryError(
        `Sorting by ${field} reads every matching user: it works on up to ${UNINDEXED_SORT_CAP.toLocaleString('en')} matches (this query has ${total.toLocaleString('en')}). Narrow the query, or sort by ${INDEXED_SORTS.join(', ')}.`,
      );
    // Few matches, sorted here with the in-memory index's exact comparison.
    const keyed: [unknown, number, SearchRecord][] = [];
    for await (const [doc, user] of this.records(matches)) {
      const v = sortValue(USER_RULES, user, field);
      keyed.push([typeof v === 'boolean' ? String(v) : v, doc, user]);
    }
    keyed.sort((a, b) => {
      const [x, y] = [a[0], b[0]];
      if (x === undefined || y === undefined) return x === y ? a[1] - b[1] : x === undefined ? 1 : -1;
      return (compareSortValues(x, y) || a[1] - b[1]) * dir;
    });
    return { total, users: keyed.slice(opts.offset, opts.offset + opts.limit).map(([, , u]) => u) };
  }

  /**
   * A condition keeping the users whose sort value is at or beyond a value of the field's sample, chosen so that about
   * four times the page's `want` matches should pass it (matches assumed spread evenly over the values); null where
   * the sample cannot say (no sample, or the page lies too deep).
   */
  private sortBound(field: string, dir: 1 | -1, v: string, total: number, want: number): string | null {
    const sample = this.samples[field];
    if (!sample || total === 0) return null;
    // Users of the snapshot beyond the j-th value from the page's end of the sample: about j × count / length.
    const usersNeeded = (4 * want * this.meta.count) / total;
    const j = Math.ceil((usersNeeded * sample.length) / this.meta.count) + 1;
    if (j > sample.length) return null;
    const x = dir === 1 ? sample[j - 1]! : sample[sample.length - j]!;
    return ` AND ${v} ${dir === 1 ? '<=' : '>='} ${typeof x === 'number' ? String(x) : lit(x)}`;
  }

  /**
   * A sorted page read from the field's kept order (when the file keeps it and the page's users are near enough its
   * start): the order's entries are read a growing range at a time and kept when they match, until the page is full.
   * Null when the sorting scan should answer instead (no kept order, too few matches, or a walk past its bound).
   */
  private async walkOrder(
    field: string,
    dir: 1 | -1,
    matches: Bitset,
    total: number,
    offset: number,
    limit: number,
  ): Promise<number[] | null> {
    const withField = this.orders.get(field);
    const n = this.meta.count;
    const want = offset + limit;
    if (withField === undefined || total === 0 || (want * n) / total > ORDER_WALK_MAX) return null;
    const all = total === n;
    const page: number[] = [];
    let seen = 0;
    let read = 0;
    let step = 16_384;
    // Ascending: the whole order. Descending: the users with the field backwards, then the others forwards.
    const spans: [number, number, boolean][] =
      dir === 1
        ? [[0, n - 1, false]]
        : [
            [withField - 1, 0, true],
            [withField, n - 1, false],
          ];
    for (const [start, end, back] of spans) {
      for (let at = start; back ? at >= end : at <= end;) {
        if (read > 2 * ORDER_WALK_MAX) return null; // the matches sit late in the order: the scan answers
        const [lo, hi] = back ? [Math.max(end, at - step + 1), at] : [at, Math.min(end, at + step - 1)];
        const docs = (
          await this.c.runAndReadAll(
            `SELECT doc FROM ${this.alias}.${id(`order_${field}`)} WHERE rowid BETWEEN ${lo} AND ${hi}`,
          )
        ).getColumnsJS()[0] as number[];
        if (docs.length !== hi - lo + 1)
          throw new Error(`the order of ${field} is incomplete in this snapshot`);
        read += docs.length;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[back ? docs.length - 1 - i : i]!;
          if (!all && !matches.has(doc)) continue;
          if (seen++ >= offset) page.push(doc);
          if (page.length === limit) return page;
        }
        at = back ? lo - 1 : hi + 1;
        step = Math.min(step * 4, 1 << 20);
      }
    }
    return page;
  }

  /** The users of these documents, in this order. */
  private async fetch(docs: number[]): Promise<SearchRecord[]> {
    if (docs.length === 0) return [];
    const S = this.stride;
    const rowsOf = [...docs].sort((a, b) => a - b).map((d) => d * S);
    const rows = (
      await this.c.runAndReadAll(
        `SELECT rowid, json FROM ${this.t('records')} WHERE rowid BETWEEN ${rowsOf[0]} AND ${rowsOf[rowsOf.length - 1]} AND rowid IN (${rowsOf.join(',')})`,
      )
    ).getRowsJS() as [bigint, string][];
    const byDoc = new Map(rows.map(([r, json]) => [Number(r) / S, json]));
    return docs.map((d) => JSON.parse(byDoc.get(d)!) as SearchRecord);
  }

  /** The records of a set of documents, in document order, read a range of rows at a time. */
  private async *records(matches: Bitset): AsyncGenerator<[number, SearchRecord]> {
    const STEP = 65_536;
    for (let from = 0; from < this.meta.count; from += STEP) {
      const to = Math.min(this.meta.count, from + STEP) - 1;
      let any = false;
      for (let w = from >>> 5; w <= to >>> 5 && !any; w++) any = matches.words[w] !== 0;
      if (!any) continue;
      const S = this.stride;
      const result = await this.c.stream(
        `SELECT rowid, json FROM ${this.t('records')} WHERE rowid BETWEEN ${from * S} AND ${to * S}${S > 1 ? ` AND rowid % ${S} = 0` : ''} ORDER BY rowid`,
      );
      for await (const rows of result.yieldRowsJs())
        for (const [r, json] of rows as [bigint, string][]) {
          const doc = Number(r) / S;
          if (matches.has(doc)) yield [doc, JSON.parse(json) as SearchRecord];
        }
    }
  }

  /** Every matching user, in export order (exports and reports of a snapshot). */
  async *matching(q: string | undefined): AsyncGenerator<SearchRecord> {
    const matches = await this.evaluate(parse(q));
    for await (const [, user] of this.records(matches)) yield user;
  }

  /**
   * Every user with the value of a field, ordered by it (UTF-8 byte order); users without it first, with a null key.
   * Emails are matched without case. The sort runs in DuckDB, spilling to disk past its memory.
   */
  async *byKey(key: string): AsyncGenerator<{ key: string | null; user: SearchRecord }> {
    const expr = this.keyExpr(key);
    const result = await this.c.stream(
      `SELECT ${expr} AS k, r.json FROM ${this.recordsInOrder} r POSITIONAL JOIN ${this.t('keys')} k ORDER BY k NULLS FIRST`,
    );
    for await (const rows of result.yieldRowsJs())
      for (const [k, json] of rows as [string | null, string][])
        yield { key: k === null || k === '' ? null : k, user: JSON.parse(json) as SearchRecord };
  }

  /** The SQL value users are matched by in a comparison: user_id, email without case, or a field's value as text. */
  private keyExpr(key: string): string {
    if (key === 'user_id') return `k.user_id`;
    if (key === 'email') return `k.email`;
    return `json_extract_string(r.json, ${lit(`$.${key}`)})`;
  }

  /** The users' records (json), a row a user in document order: to be joined by position with keys. */
  private get recordsInOrder(): string {
    return this.stride === 1
      ? this.t('records')
      : `(SELECT json FROM ${this.t('records')} WHERE rowid % ${this.stride} = 0)`;
  }

  /** The DuckDB relations of this snapshot (records a row a user, in the order of keys), for a comparison run in
   * one query across two snapshots. */
  get tables(): { records: string; keys: string; connection: DuckDBConnection } {
    return { records: this.recordsInOrder, keys: this.t('keys'), connection: this.c };
  }

  async user(userId: string): Promise<SearchRecord | undefined> {
    const rows = (
      await this.c.runAndReadAll(
        `SELECT r.json FROM ${this.t('records')} r WHERE r.rowid = (SELECT rowid * ${this.stride} FROM ${this.t('keys')} WHERE user_id = $id LIMIT 1)`,
        { id: userId },
      )
    ).getRowsJS() as [string][];
    return rows[0] ? (JSON.parse(rows[0][0]) as SearchRecord) : undefined;
  }

  /** A field's most common keys with their counts (charts over a snapshot). */
  async facet(field: string, limit: number): Promise<{ key: string; count: number }[]> {
    const p = place(field);
    let sql: string;
    if (p.kind === 'column')
      sql = `SELECT ${p.column} AS k, count(*) FROM ${this.t('keys')} WHERE ${p.column} IS NOT NULL GROUP BY k`;
    else if (p.kind === 'terms')
      sql = `SELECT key AS k, count(DISTINCT doc) FROM ${this.t('terms')} WHERE field = ${lit(field)} GROUP BY k`;
    else return [];
    const rows = (
      await this.c.runAndReadAll(`${sql} ORDER BY 2 DESC, 1 LIMIT ${Math.max(0, Math.trunc(limit))}`)
    ).getRowsJS() as [string, bigint][];
    return rows.map(([key, count]) => ({ key, count: Number(count) }));
  }
}

// ---------------------------------------------------------------------------------------------------------- Parquet

/**
 * Rows (one JSON object per line, each with every column) written as a Parquet file (zstd), the columns in this order
 * with the types DuckDB finds over every row: numbers, booleans, nested objects as structs, lists. Dates stay the
 * text Auth0 gives (ISO 8601), so the file reads back exactly; a mixed or empty column is JSON.
 */
export async function writeParquet(rowsFile: string, path: string, columns: string[]): Promise<number> {
  const spill = `${partName(path)}.spill`;
  const instance = await duck().DuckDBInstance.create(':memory:', duckConfig(BUILD_MEMORY, spill));
  try {
    const c = await instance.connect();
    const empty = statSync(rowsFile).size === 0;
    const select = empty
      ? `SELECT ${columns.map((col) => `NULL::VARCHAR AS ${id(col)}`).join(', ')} WHERE false`
      : `SELECT ${columns.map(id).join(', ')} FROM read_json(${lit(rowsFile)}, format = 'newline_delimited', sample_size = -1, maximum_object_size = ${MAX_USER_BYTES}, dateformat = '__text__', timestampformat = '__text__')`;
    await c.run(`COPY (${select}) TO ${lit(path)} (FORMAT parquet, COMPRESSION zstd)`);
    chmodSync(path, 0o600);
    const rows = empty
      ? 0
      : Number(await firstValue<bigint>(c, `SELECT count(*) FROM read_parquet(${lit(path)})`));
    c.closeSync();
    return rows;
  } finally {
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  }
}

// -------------------------------------------------------------------------------------------- earlier snapshots

/**
 * A snapshot of the earlier format (SQLite, schema 2: a users table with each user's JSON) rewritten in this one:
 * its users read in their order, the new file built and renamed into place; the caller removes the old file.
 */
export async function convertLegacySnapshot(from: string, to: string): Promise<SnapshotMeta> {
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    const schema = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as
      string | undefined;
    if (schema !== '2') throw new Error(`it has a format this version cannot convert (${schema ?? '?'})`);
    const meta = JSON.parse(
      db.prepare("SELECT value FROM meta WHERE key = 'snapshot'").pluck().get() as string,
    ) as SnapshotMeta;
    const w = new SnapshotWriter(to);
    try {
      for (const json of db
        .prepare('SELECT json FROM users ORDER BY doc')
        .pluck()
        .iterate() as Iterable<string>)
        w.add(JSON.parse(json) as SearchRecord);
      const { count: _count, ...rest } = meta;
      return await w.finish(rest);
    } catch (err) {
      w.abort();
      throw err;
    }
  } finally {
    db.close();
  }
}
