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
import { partName } from '../fs/sweep.js';
import type { SnapshotSummary } from '../../preload/contract.js';
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
  SNAPSHOT_USER_RULES,
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
const SCHEMA_VERSION = 2;
/** Date-shaped fields (created_at, last_login…) also get month and day buckets, so a range reads whole buckets and
 * only its two edges key by key — the idea of Lucene's trie ranges; these are the prefix lengths. */
const BUCKET_LEVELS = [7, 10] as const;
const DATE_SHAPED = /^\d{4}-\d{2}-\d{2}[\x20-\x7e]*$/;
/**
 * A chunk's postings are held in memory until the chunk is full; keys this long in all (a file of users with huge
 * metadata values) are written out early instead, so the build's memory stays bounded whatever the users hold.
 */
const MAX_PENDING_KEY_CHARS = 8 * 1024 * 1024;
/**
 * Keys longer than this (metadata values of megabytes) go straight into their table instead of the staging table
 * sorted at the end (a sort holds many of them in memory at once); and the postings' statistics are not gathered
 * when there are such keys (ANALYZE samples them), the planner doing without.
 */
const HUGE_KEY_CHARS = 64 * 1024;
/** Fields with fewer distinct keys than this are ranged key by key (buckets would save nothing). */
const BUCKET_MIN_KEYS = 2048;
const bucketField = (field: string, level: number) => `\u0002${level}:${field}`;
/** The smallest string greater than every string starting with `p` (p is ASCII). */
const successor = (p: string) => p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1);

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

/** What a snapshot file says of itself: the summary the window sees, less the file's size (known from outside). */
export type SnapshotMeta = Omit<SnapshotSummary, 'bytes'>;

/** A chunk's documents: one as its offset (an integer, the commonest case by far), a few as an array, many as bits. */
type Encoded = Buffer | number;

/** Stored: a single offset bound as a BigInt, which SQLite keeps as an INTEGER (a JavaScript number binds as REAL). */
function encode(docs: number[]): Buffer | bigint {
  if (docs.length === 1) return BigInt(docs[0]!);
  if (docs.length <= ARRAY_MAX) {
    const b = Buffer.allocUnsafe(docs.length * 2);
    for (let i = 0; i < docs.length; i++) b.writeUInt16LE(docs[i]!, i * 2);
    return b;
  }
  const b = Buffer.alloc(BITMAP_BYTES);
  for (const d of docs) b[d >>> 3] = b[d >>> 3]! | (1 << (d & 7));
  return b;
}

function decodeInto(out: Bitset, chunk: number, blob: Encoded): void {
  const base = chunk * CHUNK;
  if (typeof blob === 'number') {
    out.add(base + blob);
    return;
  }
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
      num REAL, PRIMARY KEY (field, key, chunk)) WITHOUT ROWID;
    CREATE TABLE fields (field TEXT PRIMARY KEY, numeric INTEGER NOT NULL, buckets INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TEMP TABLE staging (field TEXT NOT NULL, key TEXT NOT NULL, chunk INTEGER NOT NULL, docs BLOB NOT NULL,
      num REAL);
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
  private readonly insertHugePosting: Database.Statement;
  /** This chunk's postings: field → key → document offsets within the chunk, ascending. */
  private chunkPostings = new Map<string, Map<string, number[]>>();
  /** Per field: whether every key seen so far is a number. */
  private readonly numericFields = new Map<string, boolean>();
  /** Per field: whether every key seen so far is an ASCII date-shaped string (worth month and day buckets). */
  private readonly dateFields = new Map<string, boolean>();
  private n = 0;
  private pendingRows = 0;
  private done = false;
  /** Characters of the keys in chunkPostings. */
  private pendingKeyChars = 0;
  /** Whether a chunk was written out in parts (its keys then have several staging rows, merged at finish). */
  private splitChunks = false;
  /** The longest key indexed: statistics over huge keys would hold many of them in memory at once. */
  private longestKey = 0;

  constructor(
    readonly path: string,
    /** Tests make it small, to write every chunk in parts. */
    private readonly maxPendingKeyChars = MAX_PENDING_KEY_CHARS,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.tmp = partName(path);
    for (const side of ['', '-journal', '-wal', '-shm']) rmSync(`${this.tmp}${side}`, { force: true });
    // Made here, owner-only: SQLite keeps an existing file's mode (a new one would get the umask's 0644).
    closeSync(openSync(this.tmp, 'wx', 0o600));
    this.db = new Database(this.tmp);
    // Built in one go under a temporary name: no journal is needed; the finished file is synced, then renamed.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('page_size = 8192');
    // Appends in order need little cache; memory stays bounded whatever the snapshot's size.
    this.db.pragma('cache_size = -4096');
    // Postings are collected unordered in a temporary table, then copied once in key order into their own.
    this.db.pragma('temp_store = FILE');
    createSchema(this.db);
    this.db.pragma('temp.cache_size = -4096');
    this.insertUser = this.db.prepare(
      `INSERT INTO users (doc, user_id, json, ${INDEXED_SORTS.map(column).join(', ')})
       VALUES (?, ?, ?, ${INDEXED_SORTS.map(() => '?').join(', ')})`,
    );
    this.insertPosting = this.db.prepare(
      'INSERT INTO temp.staging (field, key, chunk, docs, num) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.function('td_merge', { deterministic: true }, (a, b) => {
      const set = new Bitset(CHUNK);
      decodeInto(set, 0, a as Encoded);
      decodeInto(set, 0, b as Encoded);
      return encode([...set]);
    });
    this.insertHugePosting = this.db.prepare(
      `INSERT INTO postings (field, key, chunk, docs, num) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (field, key, chunk) DO UPDATE SET docs = td_merge(docs, excluded.docs)`,
    );
    this.db.exec('BEGIN');
  }

  get count(): number {
    return this.n;
  }

  /** Adds one user (a snapshot holds each user once: finish refuses a user id seen twice, naming it). */
  add(user: SearchRecord): void {
    const id = user.user_id;
    if (typeof id !== 'string' || id === '') throw new Error('a user without a user_id');
    const doc = this.n++;
    this.insertUser.run(
      doc,
      id,
      JSON.stringify(user),
      ...INDEXED_SORTS.map((f) => sqlSortValue(sortValue(USER_RULES, user, f))),
    );
    const low = doc & (CHUNK - 1);
    const terms = termsOf(SNAPSHOT_USER_RULES, user);
    for (let i = 0; i < terms.length; i += 2) {
      let keys = this.chunkPostings.get(terms[i]!);
      if (keys === undefined) this.chunkPostings.set(terms[i]!, (keys = new Map()));
      const list = keys.get(terms[i + 1]!);
      if (list === undefined) {
        keys.set(terms[i + 1]!, [low]);
        this.pendingKeyChars += terms[i + 1]!.length;
        if (terms[i + 1]!.length > this.longestKey) this.longestKey = terms[i + 1]!.length;
      } else if (list[list.length - 1] !== low) list.push(low);
    }
    if (low === CHUNK - 1) this.flushChunk(doc >>> CHUNK_BITS);
    else if (this.pendingKeyChars > this.maxPendingKeyChars) {
      this.flushChunk(doc >>> CHUNK_BITS);
      this.splitChunks = true;
    }
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
        if (this.dateFields.get(field) !== false) this.dateFields.set(field, DATE_SHAPED.test(key));
        (key.length > HUGE_KEY_CHARS ? this.insertHugePosting : this.insertPosting).run(
          field,
          key,
          chunk,
          encode(docs),
          num,
        );
      }
    this.chunkPostings = new Map();
    this.pendingKeyChars = 0;
  }

  /** Indexes, meta, sync and rename: the snapshot exists only once this returns. */
  finish(meta: Omit<SnapshotMeta, 'count'>): SnapshotMeta {
    if (this.n % CHUNK !== 0 || this.chunkPostings.size) this.flushChunk(Math.floor((this.n - 1) / CHUNK));
    const full: SnapshotMeta = { ...meta, count: this.n };
    this.db.exec('COMMIT');
    this.db.exec('BEGIN');
    if (this.splitChunks) {
      // A key's documents of one chunk may be in several rows: their union is its posting.
      this.db.aggregate('td_union', {
        start: () => new Bitset(CHUNK),
        step: (set: unknown, docs: unknown) => {
          decodeInto(set as Bitset, 0, docs as Encoded);
          return set;
        },
        result: (set: unknown) => encode([...(set as Bitset)]),
      });
      this.db.exec(
        'INSERT INTO postings SELECT field, key, chunk, td_union(docs), min(num) FROM temp.staging GROUP BY field, key, chunk ORDER BY field, key, chunk',
      );
    } else
      this.db.exec(
        'INSERT INTO postings SELECT field, key, chunk, docs, num FROM temp.staging ORDER BY field, key, chunk',
      );
    this.db.exec('DROP TABLE temp.staging');
    const setField = this.db.prepare('INSERT INTO fields (field, numeric, buckets) VALUES (?, ?, ?)');
    for (const [field, numeric] of this.numericFields) {
      const buckets = !numeric && this.dateFields.get(field) === true && this.buildBuckets(field);
      setField.run(field, numeric ? 1 : 0, buckets ? 1 : 0);
    }
    // Checked here with the database rather than with a set of every id in memory (100 MB at a million users).
    this.db.exec('CREATE INDEX users_id ON users (user_id)');
    const twice = this.db
      .prepare('SELECT user_id FROM users GROUP BY user_id HAVING count(*) > 1 LIMIT 1')
      .pluck()
      .get() as string | undefined;
    if (twice !== undefined) throw new Error(`the user ${twice} appears twice`);
    const setMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    setMeta.run('schema', String(SCHEMA_VERSION));
    setMeta.run('snapshot', JSON.stringify(full));
    this.db.exec('COMMIT');
    this.db.exec(`
      CREATE INDEX postings_num ON postings (field, num) WHERE num IS NOT NULL;
      ${INDEXED_SORTS.map(
        (f) => `CREATE INDEX users_${f} ON users (${column(f)}, doc) WHERE ${column(f)} IS NOT NULL;`,
      ).join('\n')}
      ${
        // ANALYZE samples each index's keys; a sample of huge keys (values of megabytes) would be held at once.
        this.longestKey > HUGE_KEY_CHARS ? 'ANALYZE users;' : 'ANALYZE;'
      }
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

  /** A date-shaped field's month and day buckets: per prefix and chunk, the union of its keys' documents. */
  private buildBuckets(field: string): boolean {
    const distinct = this.db
      .prepare('SELECT count(DISTINCT key) FROM postings WHERE field = ?')
      .pluck()
      .get(field) as number;
    if (distinct < BUCKET_MIN_KEYS) return false;
    const rows = this.db.prepare('SELECT key, chunk, docs FROM postings WHERE field = ? ORDER BY key');
    const insert = this.db.prepare(
      'INSERT INTO postings (field, key, chunk, docs, num) VALUES (?, ?, ?, ?, NULL)',
    );
    for (const level of BUCKET_LEVELS) {
      let prefix: string | null = null;
      let chunks = new Map<number, Bitset>();
      // Written once the read is over (a connection cannot write while it iterates); a few rows per bucket.
      const made: [string, number, Buffer | bigint][] = [];
      const flush = () => {
        for (const chunk of [...chunks.keys()].sort((a, b) => a - b))
          made.push([prefix!, chunk, encode([...chunks.get(chunk)!])]);
        chunks = new Map();
      };
      for (const row of rows.iterate(field) as Iterable<PostingRow & { key: string }>) {
        const p = row.key.slice(0, level);
        if (p !== prefix) {
          if (prefix !== null) flush();
          prefix = p;
        }
        let set = chunks.get(row.chunk);
        if (set === undefined) chunks.set(row.chunk, (set = new Bitset(CHUNK)));
        decodeInto(set, 0, row.docs);
      }
      if (prefix !== null) flush();
      for (const [key, chunk, docs] of made) insert.run(bucketField(field, level), key, chunk, docs);
    }
    return true;
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
    for (const side of ['', '-journal', '-wal', '-shm']) rmSync(`${this.tmp}${side}`, { force: true });
  }
}

interface PostingRow {
  chunk: number;
  docs: Encoded;
}

/** An open snapshot: read-only, answering the shared evaluator's Postings with SQL. */
export class SnapshotReader implements Postings {
  private readonly db: Database.Database;
  readonly meta: SnapshotMeta;
  private readonly numericCache = new Map<string, boolean>();
  private readonly stmt: Record<string, Database.Statement>;
  /** Where td_or writes and what td_keep asks, for the statement running now. */
  private into: Bitset | null = null;
  private keep: ((key: string) => boolean) | null = null;

  constructor(readonly path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma('cache_size = -32768');
    let meta: SnapshotMeta;
    try {
      const schema = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as
        string | undefined;
      if (schema !== String(SCHEMA_VERSION))
        throw new Error(
          `it was written by ${Number(schema) < SCHEMA_VERSION ? 'an earlier' : 'a later'} version of Tenant Desk (format ${schema ?? '?'}; this one reads ${SCHEMA_VERSION}): import its export again`,
        );
      meta = JSON.parse(
        this.db.prepare("SELECT value FROM meta WHERE key = 'snapshot'").pluck().get() as string,
      ) as SnapshotMeta;
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.meta = meta;
    // Postings are ORed into the bitset from inside SQLite (td_or), keys tested there too (td_keep): matching rows
    // never become JavaScript objects, which is most of the cost of a wildcard over many keys.
    this.db.function('td_or', { deterministic: false }, (chunk, docs) => {
      decodeInto(this.into!, chunk as number, docs as Buffer);
      return 1;
    });
    // Single documents (stored as integers) come back all at once as one JSON array; the rest through td_or.
    this.db.function('td_keep', { deterministic: false }, (key) => (this.keep!(key as string) ? 1 : 0));
    const collect = (where: string) =>
      this.db
        .prepare(
          `SELECT json_group_array(chunk * ${CHUNK} + docs) FILTER (WHERE typeof(docs) = 'integer'),
             count(td_or(chunk, docs)) FILTER (WHERE typeof(docs) = 'blob')
           FROM postings WHERE ${where}`,
        )
        .pluck();
    this.stmt = {
      exact: collect('field = ? AND key = ?'),
      between: collect('field = ? AND key >= ? AND key < ? AND td_keep(key)'),
      scan: collect('field = ? AND instr(key, ?) > 0 AND td_keep(key)'),
      contains: collect('field = ? AND instr(key, ?) > 0'),
      field: collect('field = ? AND td_keep(key)'),
      numRange: collect('field = ? AND num >= ? AND num <= ? AND num IS NOT NULL AND td_keep(key)'),
      windowKeys: collect('field = ? AND key >= ? AND key < ? AND key <= ? AND td_keep(key)'),
      numeric: this.db.prepare('SELECT numeric FROM fields WHERE field = ?').pluck(),
      buckets: this.db.prepare('SELECT buckets FROM fields WHERE field = ?').pluck(),
      window: this.db.prepare(
        'SELECT key, chunk, docs FROM postings WHERE field = ? AND key >= ? AND key < ? AND key <= ?',
      ),
      record: this.db.prepare('SELECT json FROM users WHERE doc = ?').pluck(),
      byId: this.db.prepare('SELECT json FROM users WHERE user_id = ?').pluck(),
      docs: this.db.prepare('SELECT doc, json FROM users WHERE doc IN (SELECT value FROM json_each(?))'),
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

  /** Runs a collecting statement: the documents of every row it selects (and `keep` accepts) ORed into out. */
  private collect(
    stmt: Database.Statement,
    args: unknown[],
    out: Bitset,
    keep: (key: string) => boolean = () => true,
  ): void {
    this.into = out;
    this.keep = keep;
    try {
      const singles = JSON.parse(stmt.get(...args) as string) as number[];
      for (const d of singles) out.add(d);
    } finally {
      this.into = null;
      this.keep = null;
    }
  }

  exact(field: string, key: string, out: Bitset): void {
    this.collect(this.stmt.exact!, [field, key], out);
  }

  prefix(field: string, prefix: string, out: Bitset): void {
    this.collect(this.stmt.between!, [field, prefix, `${prefix}\u{10FFFF}`], out, (k) =>
      k.startsWith(prefix),
    );
  }

  scan(field: string, literal: string, test: ((key: string) => boolean) | null, out: Bitset): void {
    if (!literal) this.collect(this.stmt.field!, [field], out, test ?? undefined);
    else if (test) this.collect(this.stmt.scan!, [field, literal], out, test);
    else this.collect(this.stmt.contains!, [field, literal], out);
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
    const keep = (key: string) => inRange(key, b);
    // SQLite orders text by UTF-8 bytes, JavaScript by UTF-16 units: they agree whenever the bounds hold no
    // character from U+D800 up, so only then may SQL narrow the keys (inRange decides either way).
    const narrowable = ![b.from, b.to].some((v) => v !== null && /[\uD800-\uFFFF]/.test(v));
    if (b.numeric)
      this.collect(
        this.stmt.numRange!,
        [field, b.from === null ? -Infinity : Number(b.from), b.to === null ? Infinity : Number(b.to)],
        out,
        keep,
      );
    else if (narrowable && this.stmt.buckets!.get(field) === 1)
      this.bucketRange(field, b, 0, '', '\u{10FFFF}', out);
    else if (narrowable)
      this.collect(
        this.stmt.between!,
        [field, b.from ?? '', b.to === null ? '\u{10FFFF}\u{10FFFF}' : `${b.to}\u{10FFFF}`],
        out,
        keep,
      );
    else this.collect(this.stmt.field!, [field], out, keep);
  }

  /**
   * A range over a bucketed field: buckets of this level wholly inside are read whole; the (at most two) buckets
   * across an edge are read at the next level, down to the keys themselves, which inRange decides one by one.
   * Only the keys in [lo, hi) are looked at (the window of the enclosing bucket).
   */
  private bucketRange(
    field: string,
    b: RangeBounds,
    level: number,
    lo: string,
    hi: string,
    out: Bitset,
  ): void {
    const length = BUCKET_LEVELS[level];
    const ceiling =
      b.to === null ? '\u{10FFFF}' : `${length === undefined ? b.to : b.to.slice(0, length)}\u{10FFFF}`;
    const from = length === undefined || b.from === null ? lo : b.from.slice(0, length);
    const args = [
      length === undefined ? field : bucketField(field, length),
      from > lo ? from : lo,
      hi,
      ceiling,
    ];
    if (length === undefined) {
      this.collect(this.stmt.windowKeys!, args, out, (key) => inRange(key, b));
      return;
    }
    const rows = this.stmt.window!.iterate(...args) as Iterable<PostingRow & { key: string }>;
    const edges: string[] = [];
    for (const row of rows) {
      const p = row.key;
      const above = b.from === null || p > b.from;
      const below = b.to === null || successor(p) <= b.to || (b.toInclusive && p.startsWith(b.to));
      if (above && below) decodeInto(out, row.chunk, row.docs);
      else if (edges[edges.length - 1] !== p) edges.push(p);
    }
    for (const p of edges) this.bucketRange(field, b, level + 1, p, successor(p), out);
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
    const matches = evaluate(SNAPSHOT_USER_RULES, parse(q), this);
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
    const matches = evaluate(SNAPSHOT_USER_RULES, parse(q), this);
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

  /**
   * Every user with the value of a field, ordered by it (UTF-8 byte order); users without it first, with a null key.
   * Emails are matched without case. The sort runs in SQLite, so memory stays bounded.
   */
  *byKey(key: string): Generator<{ key: string | null; user: SearchRecord }> {
    if (key === 'user_id') {
      for (const user of this.byUserId()) yield { key: user.user_id as string, user };
      return;
    }
    const path = `$.${key}`;
    const expr = key === 'email' ? 'lower(json_extract(json, ?))' : 'CAST(json_extract(json, ?) AS TEXT)';
    const stmt = this.db.prepare(`SELECT ${expr} AS k, json FROM users ORDER BY k`).raw();
    for (const [k, json] of stmt.iterate(path) as Iterable<[string | null, string]>)
      yield { key: k === null || k === '' ? null : k, user: JSON.parse(json) as SearchRecord };
  }

  user(userId: string): SearchRecord | undefined {
    const json = this.stmt.byId!.get(userId) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as SearchRecord);
  }

  private fetch(docs: number[]): SearchRecord[] {
    if (docs.length === 0) return [];
    const rows = this.stmt.docs!.all(JSON.stringify(docs)) as { doc: number; json: string }[];
    const byDoc = new Map(rows.map((r) => [r.doc, r.json]));
    return docs.map((d) => JSON.parse(byDoc.get(d)!) as SearchRecord);
  }

  /** Few matches: their sort values are read and sorted here, with the in-memory index's exact comparison. */
  private sortedByFetch(matches: Bitset, field: string, dir: 1 | -1, upTo: number): number[] {
    const keyed: [unknown, number][] = [];
    const indexed = (INDEXED_SORTS as readonly string[]).includes(field);
    const docs = [...matches];
    const values = indexed
      ? this.db.prepare(
          `SELECT doc, ${column(field)} AS v FROM users WHERE doc IN (SELECT value FROM json_each(?))`,
        )
      : null;
    for (let i = 0; i < docs.length; i += 5000) {
      const part = JSON.stringify(docs.slice(i, i + 5000));
      if (values) {
        for (const r of values.all(part) as { doc: number; v: string | number | null }[])
          keyed.push([r.v === null ? undefined : r.v, r.doc]);
      } else {
        for (const r of this.stmt.docs!.all(part) as { doc: number; json: string }[]) {
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

  // ---- facet (added for Insights, #24: the one method the store redesign must port) ----

  /**
   * The keys of one indexed field (as queries match them: `identities.connection`, `roles`, `email_verified`…) with
   * how many users hold each, the most held first (ties by key), at most `limit` of them. Read from the postings: a
   * key's count is the size of its posting, which is the total of the query `field:"key"` on this snapshot.
   */
  facet(field: string, limit: number): { key: string; count: number }[] {
    const counts = new Map<string, number>();
    const rows = this.db.prepare('SELECT key, docs FROM postings WHERE field = ?').raw();
    for (const [key, docs] of rows.iterate(field) as Iterable<[string, Encoded]>) {
      let n: number;
      if (typeof docs === 'number') n = 1;
      else if (docs.length !== BITMAP_BYTES) n = docs.length / 2;
      else {
        n = 0;
        for (let i = 0; i < BITMAP_BYTES; i += 4) {
          let w = docs.readUInt32LE(i);
          w -= (w >>> 1) & 0x55555555;
          w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
          n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
        }
      }
      counts.set(key, (counts.get(key) ?? 0) + n);
    }
    return [...counts]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit);
  }
}
