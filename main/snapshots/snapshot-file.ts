// One snapshot: a SQLite file (better-sqlite3) holding a tenant's users as they were exported, searchable offline
// with Auth0's query syntax and exactly the tenant's rules. It is an inverted index like the local tenant's: each
// key of each field (query/fields.ts termsOf) maps to the users holding it, stored per chunk of 16,384 users as a
// small sorted array or a bitmap (the idea of Roaring bitmaps). A query's leaves compile to one SQL statement each
// (an exact key, a key range, a prefix, a scan of one field's keys) and the boolean structure is evaluated on bitsets
// by the shared evaluator (query/evaluate.ts) — so a 1,000,000-user snapshot opens at once, answers in bounded memory
// (a bitset is 125 KB), and means what the tenant means. The file is built under a temporary name and renamed into
// place once complete and synced.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  Bitset,
  compareSortValues,
  evaluate,
  inRange,
  numericKeys,
  parse,
  parseSort,
  QueryError,
  sortValue,
  termsOf,
  USER_RULES,
  type Postings,
  type RangeBounds,
  type SearchRecord,
} from '../../query/index.js';

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_WORDS = CHUNK / 32;
/** A chunk's documents as sorted 16-bit offsets up to this many, as a bitmap (CHUNK / 8 bytes) beyond. */
const ARRAY_MAX = CHUNK / 16 - 1;
const BITMAP_BYTES = CHUNK / 8;
const SCHEMA_VERSION = 1;

/** Fields a snapshot can sort all its users by at once (the users table's sortable columns); others up to a cap. */
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
/** Sorting by another field reads every match: allowed up to this many. */
export const UNINDEXED_SORT_CAP = 100_000;
/** Up to this many matches, a sorted page is read by fetching their sort values; past it, by walking the index. */
const FETCH_SORT_MAX = 50_000;

const column = (field: string) => `s_${field}`;

export interface SnapshotMeta {
  id: string;
  /** The tenant it was taken from (null for a file exported elsewhere, when unknown). */
  tenantId: string | null;
  tenantLabel: string;
  tenantDomain: string | null;
  environment: string | null;
  createdAt: string;
  /** What was exported, in words ("every user", "connection X", "users matching q"), and the query if any. */
  sourceLabel: string;
  query: string | null;
  /** The fields the export asked for (a snapshot always keeps whole users, searchable by any field). */
  fields: string[];
  count: number;
  origin: 'export' | 'file';
  fileName?: string;
}

function encode(docs: number[]): Buffer {
  if (docs.length <= ARRAY_MAX) {
    const b = Buffer.allocUnsafe(docs.length * 2);
    for (let i = 0; i < docs.length; i++) b.writeUInt16LE(docs[i]!, i * 2);
    return b;
  }
  const b = Buffer.alloc(BITMAP_BYTES);
  for (const d of docs) b[d >>> 3] = b[d >>> 3]! | (1 << (d & 7));
  return b;
}

function decodeInto(out: Bitset, chunk: number, blob: Buffer): void {
  const base = chunk * CHUNK;
  if (blob.length === BITMAP_BYTES) {
    const w0 = chunk * CHUNK_WORDS;
    const words = out.words;
    for (let i = 0; i < CHUNK_WORDS && w0 + i < words.length; i++) words[w0 + i]! |= blob.readUInt32LE(i * 4);
    return;
  }
  for (let i = 0; i < blob.length; i += 2) out.add(base + blob.readUInt16LE(i));
}

function createSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE users (doc INTEGER PRIMARY KEY, user_id TEXT NOT NULL, json TEXT NOT NULL,
      ${INDEXED_SORTS.map((f) => `${column(f)}`).join(', ')});
    CREATE TABLE postings (field TEXT NOT NULL, key TEXT NOT NULL, chunk INTEGER NOT NULL, docs BLOB NOT NULL,
      num REAL);
    CREATE TABLE fields (field TEXT PRIMARY KEY, numeric INTEGER NOT NULL) WITHOUT ROWID;
  `);
}

/** A sort value as a SQL value: numbers stay numbers; booleans become the words the in-memory index compares. */
function sqlSortValue(v: ReturnType<typeof sortValue>): string | number | null {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

/** Builds a snapshot file from users streamed in, a chunk of users in memory at a time. */
export class SnapshotWriter {
  private readonly db: Database.Database;
  private readonly tmp: string;
  private readonly insertUser: Database.Statement;
  private readonly insertPosting: Database.Statement;
  /** This chunk's postings: field → key → document offsets within the chunk, ascending. */
  private chunkPostings = new Map<string, Map<string, number[]>>();
  /** Per field: whether every key seen so far is a number. */
  private readonly numericFields = new Map<string, boolean>();
  private readonly seenIds = new Set<string>();
  private n = 0;
  private pendingRows = 0;
  private done = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.tmp = `${path}.part`;
    rmSync(this.tmp, { force: true });
    this.db = new Database(this.tmp);
    // Built in one go under a temporary name: no journal is needed; the finished file is synced, then renamed.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('page_size = 8192');
    this.db.pragma('cache_size = -16384');
    createSchema(this.db);
    this.insertUser = this.db.prepare(
      `INSERT INTO users (doc, user_id, json, ${INDEXED_SORTS.map(column).join(', ')})
       VALUES (?, ?, ?, ${INDEXED_SORTS.map(() => '?').join(', ')})`,
    );
    this.insertPosting = this.db.prepare(
      'INSERT INTO postings (field, key, chunk, docs, num) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.exec('BEGIN');
  }

  get count(): number {
    return this.n;
  }

  /** Adds one user (a user id seen before is refused: a snapshot holds each user once). */
  add(user: SearchRecord): void {
    const id = user.user_id;
    if (typeof id !== 'string' || id === '') throw new Error('a user without a user_id');
    if (this.seenIds.has(id)) throw new Error(`the user ${id} appears twice`);
    this.seenIds.add(id);
    const doc = this.n++;
    this.insertUser.run(
      doc,
      id,
      JSON.stringify(user),
      ...INDEXED_SORTS.map((f) => sqlSortValue(sortValue(USER_RULES, user, f))),
    );
    const low = doc & (CHUNK - 1);
    const terms = termsOf(USER_RULES, user);
    for (let i = 0; i < terms.length; i += 2) {
      let keys = this.chunkPostings.get(terms[i]!);
      if (keys === undefined) this.chunkPostings.set(terms[i]!, (keys = new Map()));
      const list = keys.get(terms[i + 1]!);
      if (list === undefined) keys.set(terms[i + 1]!, [low]);
      else if (list[list.length - 1] !== low) list.push(low);
    }
    if (low === CHUNK - 1) this.flushChunk(doc >>> CHUNK_BITS);
    if (++this.pendingRows >= 20_000) {
      this.db.exec('COMMIT');
      this.db.exec('BEGIN');
      this.pendingRows = 0;
    }
  }

  private flushChunk(chunk: number): void {
    for (const [field, keys] of this.chunkPostings)
      for (const [key, docs] of keys) {
        // Numeric exactly as the in-memory index decides it (query/fields.ts numericKeys).
        const num = numericKeys([key]) ? Number(key) : null;
        if (num === null) this.numericFields.set(field, false);
        else if (!this.numericFields.has(field)) this.numericFields.set(field, true);
        this.insertPosting.run(field, key, chunk, encode(docs), num);
      }
    this.chunkPostings = new Map();
  }

  /** Indexes, meta, sync and rename: the snapshot exists only once this returns. */
  finish(meta: Omit<SnapshotMeta, 'count'>): SnapshotMeta {
    if (this.n % CHUNK !== 0 || this.chunkPostings.size) this.flushChunk(Math.floor((this.n - 1) / CHUNK));
    const full: SnapshotMeta = { ...meta, count: this.n };
    const setField = this.db.prepare('INSERT INTO fields (field, numeric) VALUES (?, ?)');
    for (const [field, numeric] of this.numericFields) setField.run(field, numeric ? 1 : 0);
    const setMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    setMeta.run('schema', String(SCHEMA_VERSION));
    setMeta.run('snapshot', JSON.stringify(full));
    this.db.exec('COMMIT');
    this.db.exec(`
      CREATE INDEX postings_key ON postings (field, key, chunk);
      CREATE INDEX postings_num ON postings (field, num) WHERE num IS NOT NULL;
      CREATE UNIQUE INDEX users_id ON users (user_id);
      ${INDEXED_SORTS.map(
        (f) => `CREATE INDEX users_${f} ON users (${column(f)}, doc) WHERE ${column(f)} IS NOT NULL;`,
      ).join('\n')}
      ANALYZE;
    `);
    this.db.close();
    this.done = true;
    const fd = openSync(this.tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.tmp, this.path);
    try {
      const dirFd = openSync(dirname(this.path), 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // Some platforms cannot fsync a directory; the rename is still atomic.
    }
    return full;
  }

  /** Gives up: nothing is left behind. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.db.close();
    } catch {
      // closing a broken database
    }
    rmSync(this.tmp, { force: true });
  }
}

interface PostingRow {
  chunk: number;
  docs: Buffer;
}

/** An open snapshot: read-only, answering the shared evaluator's Postings with SQL. */
export class SnapshotReader implements Postings {
  private readonly db: Database.Database;
  readonly meta: SnapshotMeta;
  private readonly numericCache = new Map<string, boolean>();
  private readonly stmt: Record<string, Database.Statement>;

  constructor(readonly path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma('cache_size = -32768');
    let meta: SnapshotMeta;
    try {
      const schema = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as
        string | undefined;
      if (schema !== String(SCHEMA_VERSION)) throw new Error(`unsupported snapshot version ${schema ?? '?'}`);
      meta = JSON.parse(
        this.db.prepare("SELECT value FROM meta WHERE key = 'snapshot'").pluck().get() as string,
      ) as SnapshotMeta;
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.meta = meta;
    this.stmt = {
      exact: this.db.prepare('SELECT chunk, docs FROM postings WHERE field = ? AND key = ?'),
      between: this.db.prepare(
        'SELECT key, chunk, docs FROM postings WHERE field = ? AND key >= ? AND key < ?',
      ),
      scan: this.db.prepare('SELECT key, chunk, docs FROM postings WHERE field = ? AND instr(key, ?) > 0'),
      field: this.db.prepare('SELECT key, chunk, docs FROM postings WHERE field = ?'),
      numRange: this.db.prepare(
        'SELECT key, chunk, docs FROM postings WHERE field = ? AND num >= ? AND num <= ? AND num IS NOT NULL',
      ),
      numeric: this.db.prepare('SELECT numeric FROM fields WHERE field = ?').pluck(),
      record: this.db.prepare('SELECT json FROM users WHERE doc = ?').pluck(),
      byId: this.db.prepare('SELECT json FROM users WHERE user_id = ?').pluck(),
    };
  }

  get count(): number {
    return this.meta.count;
  }

  close(): void {
    this.db.close();
  }

  // ---- Postings ----

  empty(): Bitset {
    return new Bitset(Math.max(32, this.meta.count));
  }

  all(): Bitset {
    const out = this.empty();
    const full = this.meta.count >>> 5;
    out.words.fill(0xffffffff, 0, full);
    for (let d = full * 32; d < this.meta.count; d++) out.add(d);
    return out;
  }

  exact(field: string, key: string, out: Bitset): void {
    for (const row of this.stmt.exact!.iterate(field, key) as Iterable<PostingRow>)
      decodeInto(out, row.chunk, row.docs);
  }

  prefix(field: string, prefix: string, out: Bitset): void {
    for (const row of this.stmt.between!.iterate(field, prefix, `${prefix}\u{10FFFF}`) as Iterable<
      PostingRow & { key: string }
    >)
      if (row.key.startsWith(prefix)) decodeInto(out, row.chunk, row.docs);
  }

  scan(field: string, literal: string, test: (key: string) => boolean, out: Bitset): void {
    const rows = literal ? this.stmt.scan!.iterate(field, literal) : this.stmt.field!.iterate(field);
    for (const row of rows as Iterable<PostingRow & { key: string }>)
      if (test(row.key)) decodeInto(out, row.chunk, row.docs);
  }

  numeric(field: string): boolean {
    let n = this.numericCache.get(field);
    if (n === undefined) {
      n = (this.stmt.numeric!.get(field) as number | undefined) === 1;
      this.numericCache.set(field, n);
    }
    return n;
  }

  range(field: string, b: RangeBounds, out: Bitset): void {
    let rows: Iterable<PostingRow & { key: string }>;
    // SQLite orders text by UTF-8 bytes, JavaScript by UTF-16 units: they agree whenever the bounds hold no
    // character from U+D800 up, so only then may SQL narrow the keys (inRange decides either way).
    const narrowable = ![b.from, b.to].some((v) => v !== null && /[\uD800-\uFFFF]/.test(v));
    if (b.numeric)
      rows = this.stmt.numRange!.iterate(
        field,
        b.from === null ? -Infinity : Number(b.from),
        b.to === null ? Infinity : Number(b.to),
      ) as Iterable<PostingRow & { key: string }>;
    else if (narrowable)
      rows = this.stmt.between!.iterate(
        field,
        b.from ?? '',
        b.to === null ? '\u{10FFFF}\u{10FFFF}' : `${b.to}\u{10FFFF}`,
      ) as Iterable<PostingRow & { key: string }>;
    else rows = this.stmt.field!.iterate(field) as Iterable<PostingRow & { key: string }>;
    for (const row of rows) if (inRange(row.key, b)) decodeInto(out, row.chunk, row.docs);
  }

  record(doc: number): SearchRecord | undefined {
    const json = this.stmt.record!.get(doc) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as SearchRecord);
  }

  // ---- search ----

  /** The users matching q (every user when empty), sorted by `field:1|-1` or in export order, a page of them. */
  query(
    q: string | undefined,
    opts: { sort?: string; offset: number; limit: number },
  ): { total: number; users: SearchRecord[] } {
    const matches = evaluate(USER_RULES, parse(q), this);
    const total = matches.count();
    if (!opts.sort) return { total, users: this.fetch(matches.slice(opts.offset, opts.limit)) };
    const { field, dir } = parseSort(opts.sort);
    const indexed = (INDEXED_SORTS as readonly string[]).includes(field);
    // Walking the sort index costs about (offset + limit) × users / matches rows; fetching costs one per match.
    const walk = ((opts.offset + opts.limit) * this.meta.count) / Math.max(1, total);
    if ((total <= FETCH_SORT_MAX && (!indexed || total <= walk)) || (!indexed && total <= UNINDEXED_SORT_CAP))
      return {
        total,
        users: this.fetch(
          this.sortedByFetch(matches, field, dir, opts.offset + opts.limit).slice(opts.offset),
        ),
      };
    if (!indexed)
      throw new QueryError(
        `Sorting by ${field} reads every matching user: it works on up to ${UNINDEXED_SORT_CAP.toLocaleString('en')} matches (this query has ${total.toLocaleString('en')}). Narrow the query, or sort by ${INDEXED_SORTS.join(', ')}.`,
      );
    return { total, users: this.fetch(this.sortedByIndex(matches, field, dir, opts.offset, opts.limit)) };
  }

  /** Every matching user, in export order, a batch at a time (exports and comparisons of a snapshot). */
  *matching(q: string | undefined): Generator<SearchRecord> {
    const matches = evaluate(USER_RULES, parse(q), this);
    let batch: number[] = [];
    for (const d of matches) {
      batch.push(d);
      if (batch.length === 500) {
        yield* this.fetch(batch);
        batch = [];
      }
    }
    yield* this.fetch(batch);
  }

  /** Every user ordered by user_id (a comparison walks two snapshots side by side). */
  *byUserId(): Generator<SearchRecord> {
    const stmt = this.db.prepare('SELECT json FROM users ORDER BY user_id').pluck();
    for (const json of stmt.iterate() as Iterable<string>) yield JSON.parse(json) as SearchRecord;
  }

  user(userId: string): SearchRecord | undefined {
    const json = this.stmt.byId!.get(userId) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as SearchRecord);
  }

  private fetch(docs: number[]): SearchRecord[] {
    if (docs.length === 0) return [];
    const rows = this.db
      .prepare('SELECT doc, json FROM users WHERE doc IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(docs)) as { doc: number; json: string }[];
    const byDoc = new Map(rows.map((r) => [r.doc, r.json]));
    return docs.map((d) => JSON.parse(byDoc.get(d)!) as SearchRecord);
  }

  /** Few matches: their sort values are read and sorted here, with the in-memory index's exact comparison. */
  private sortedByFetch(matches: Bitset, field: string, dir: 1 | -1, upTo: number): number[] {
    const keyed: [unknown, number][] = [];
    const indexed = (INDEXED_SORTS as readonly string[]).includes(field);
    const docs = [...matches];
    for (let i = 0; i < docs.length; i += 5000) {
      const part = JSON.stringify(docs.slice(i, i + 5000));
      if (indexed) {
        for (const r of this.db
          .prepare(
            `SELECT doc, ${column(field)} AS v FROM users WHERE doc IN (SELECT value FROM json_each(?))`,
          )
          .all(part) as { doc: number; v: string | number | null }[])
          keyed.push([r.v === null ? undefined : r.v, r.doc]);
      } else {
        for (const r of this.db
          .prepare('SELECT doc, json FROM users WHERE doc IN (SELECT value FROM json_each(?))')
          .all(part) as { doc: number; json: string }[]) {
          const v = sortValue(USER_RULES, JSON.parse(r.json) as SearchRecord, field);
          keyed.push([typeof v === 'boolean' ? String(v) : v, r.doc]);
        }
      }
    }
    keyed.sort((a, b) => {
      const [x, y] = [a[0], b[0]];
      if (x === undefined || y === undefined) return x === y ? a[1] - b[1] : x === undefined ? 1 : -1;
      return (compareSortValues(x, y) || a[1] - b[1]) * dir;
    });
    return keyed.slice(0, upTo).map(([, d]) => d);
  }

  /** Many matches: the sort column's index is walked in order, keeping the matching users until the page is full. */
  private sortedByIndex(
    matches: Bitset,
    field: string,
    dir: 1 | -1,
    offset: number,
    limit: number,
  ): number[] {
    const out: number[] = [];
    let skipped = 0;
    const order = dir === 1 ? 'ASC' : 'DESC';
    const valued = this.db
      .prepare(
        `SELECT doc FROM users INDEXED BY users_${field} WHERE ${column(field)} IS NOT NULL ORDER BY ${column(field)} ${order}, doc ${order}`,
      )
      .pluck();
    const unvalued = this.db
      .prepare(`SELECT doc FROM users WHERE ${column(field)} IS NULL ORDER BY doc`)
      .pluck();
    for (const stmt of [valued, unvalued]) {
      for (const doc of stmt.iterate() as Iterable<number>) {
        if (!matches.has(doc)) continue;
        if (skipped < offset) skipped++;
        else {
          out.push(doc);
          if (out.length >= limit) return out;
        }
      }
    }
    return out;
  }
}
