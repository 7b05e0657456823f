// Two snapshots side by side: users added, removed and changed, and for each changed user which fields differ, with
// their values before and after. Both snapshots are walked in user_id order at once (a merge, in bounded memory);
// the result goes to a small SQLite file of its own, so a comparison of a million users can be paged, filtered by
// field and exported without holding it.
import { closeSync, openSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { CompareItem, CompareKind } from '../../preload/contract.js';
import { firstValue, type SnapshotReader } from '../snapshots/snapshot-file.js';

export interface CompareCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  fields: { field: string; count: number }[];
  withoutKey: number;
  duplicateKeys: number;
}

export interface CompareOptions {
  /** What users are matched by: user_id (one tenant over time), or email or another field (two tenants). */
  key?: string;
  /** Only these fields (and what lies under them) are compared; every field when absent. */
  fields?: string[] | null;
}

/** Whether a flattened path is one of the chosen fields or lies under one. */
export function underFields(path: string, fields: readonly string[]): boolean {
  return fields.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`));
}

/** A user's values by path: top-level fields, identities[i].field, metadata down to its leaves (arrays whole). */
export function flatten(user: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (prefix: string, v: unknown, depth: number) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 32) {
      const entries = Object.entries(v);
      // No organization is said by no organizations.<name> path, not by an `organizations` field of its own.
      if (entries.length === 0 && prefix !== 'organizations' && prefix !== 'roles') out.set(prefix, '{}');
      for (const [k, x] of entries) walk(`${prefix}.${k}`, x, depth + 1);
    } else if (v !== undefined) out.set(prefix, JSON.stringify(v));
  };
  for (const [k, v] of Object.entries(user)) {
    if (k === 'identities' && Array.isArray(v)) {
      v.forEach((identity: Record<string, unknown>, i) => {
        for (const [f, x] of Object.entries(identity ?? {}))
          out.set(`identities[${i}].${f}`, JSON.stringify(x));
      });
    } else if (
      (k === 'app_metadata' || k === 'user_metadata' || k === 'organizations' || k === 'roles') &&
      v &&
      typeof v === 'object'
    )
      // Organizations and roles (an export with them): one path per organization, `organizations.<name>.roles`, and
      // per role, `roles.<name>`, so a compare says who joined or left one, and who gained or lost a role.
      walk(k, v, 0);
    else if (v !== undefined) out.set(k, JSON.stringify(v));
  }
  return out;
}

/** UTF-8 byte order, as SQLite sorts user ids. */
const order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function schema(db: Database.Database) {
  db.exec(`
    CREATE TABLE items (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, email TEXT,
      fields TEXT NOT NULL, before TEXT, after TEXT, key TEXT, other_user_id TEXT);
    CREATE TABLE item_fields (field TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (field, seq)) WITHOUT ROWID;
    CREATE TABLE summary (json TEXT NOT NULL);
  `);
}

/**
 * Two snapshots matched by user_id, in one DuckDB query over both: only the users whose record differs as text come
 * out (added, removed, or the same user written differently), in user_id order; and how many users both hold.
 */
async function diffByUserId(
  before: SnapshotReader,
  after: SnapshotReader,
): Promise<{ matched: number; pairs: AsyncGenerator<{ key: string; a?: string; b?: string }> }> {
  const [a, b] = [before.tables, after.tables];
  const c = before.tables.connection;
  const matched = Number(
    await firstValue<bigint>(c, `SELECT count(*) FROM ${a.keys} x JOIN ${b.keys} y ON x.user_id = y.user_id`),
  );
  const side = (t: typeof a) =>
    `SELECT k.user_id AS id, r.json AS j FROM ${t.records} r POSITIONAL JOIN ${t.keys} k`;
  const result = await c.stream(
    `SELECT coalesce(x.id, y.id) AS id, x.j, y.j FROM (${side(a)}) x FULL OUTER JOIN (${side(b)}) y ON x.id = y.id
     WHERE x.j IS DISTINCT FROM y.j ORDER BY id`,
  );
  async function* pairs() {
    for await (const rows of result.yieldRowsJs())
      for (const [key, x, y] of rows as [string, string | null, string | null][])
        yield { key, ...(x !== null ? { a: x } : {}), ...(y !== null ? { b: y } : {}) };
  }
  return { matched, pairs: pairs() };
}

export async function compareSnapshots(
  before: SnapshotReader,
  after: SnapshotReader,
  outPath: string,
  progress: (done: number, total: number) => void,
  options: CompareOptions = {},
): Promise<CompareCounts> {
  const key = options.key ?? 'user_id';
  const chosen = options.fields ?? null;
  const byUserId = key === 'user_id';
  rmSync(outPath, { force: true });
  // Owner-only, like every file of the data dir (SQLite keeps an existing file's mode).
  closeSync(openSync(outPath, 'wx', 0o600));
  const db = new Database(outPath);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    schema(db);
    const insert = db.prepare(
      'INSERT INTO items (kind, user_id, email, fields, before, after, key, other_user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertField = db.prepare('INSERT INTO item_fields (field, seq) VALUES (?, ?)');
    const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
    let withoutKey = 0;
    let duplicateKeys = 0;
    const fieldCounts = new Map<string, number>();
    const total = before.count + after.count;
    let done = 0;
    /** One side's users in key order, without those lacking a key (counted), duplicates counted. */
    async function* keyed(reader: SnapshotReader) {
      let last: string | null = null;
      for await (const item of reader.byKey(key)) {
        if (item.key === null) {
          withoutKey++;
          done++;
          continue;
        }
        if (item.key === last) duplicateKeys++;
        last = item.key;
        yield item as { key: string; user: Record<string, unknown> };
      }
    }
    db.exec('BEGIN');
    const add = (
      kind: CompareKind,
      user: Record<string, unknown>,
      fields: string[],
      bv: unknown,
      av: unknown,
      keyValue: string,
      other?: Record<string, unknown>,
    ) => {
      const r = insert.run(
        kind,
        user.user_id as string,
        typeof user.email === 'string' ? user.email : null,
        JSON.stringify(fields),
        bv === undefined ? null : JSON.stringify(bv),
        av === undefined ? null : JSON.stringify(av),
        byUserId ? null : keyValue,
        other && !byUserId ? (other.user_id as string) : null,
      );
      for (const f of fields) insertField.run(f, r.lastInsertRowid);
      counts[kind]++;
    };
    /** One user of both sides: changed when a chosen field differs. */
    const both = (key: string, xu: Record<string, unknown>, yu: Record<string, unknown>) => {
      const fa = flatten(xu);
      const fb = flatten(yu);
      const fields = [...new Set([...fa.keys(), ...fb.keys()])]
        .filter((k) => fa.get(k) !== fb.get(k) && (!chosen || underFields(k, chosen)))
        .sort();
      if (fields.length === 0) counts.unchanged++;
      else {
        const pick = (m: Map<string, string>) =>
          Object.fromEntries(
            fields.filter((f) => m.has(f)).map((f) => [f, JSON.parse(m.get(f)!) as unknown]),
          );
        add('changed', yu, fields, pick(fa), pick(fb), key, xu);
        for (const f of fields) fieldCounts.set(f, (fieldCounts.get(f) ?? 0) + 1);
      }
    };
    const step = () => {
      if (done % 20_000 < 2) {
        db.exec('COMMIT');
        db.exec('BEGIN');
        progress(done, total);
      }
    };
    if (byUserId) {
      // Users whose records are the same text are unchanged without being read; the rest come in user_id order.
      const { matched, pairs } = await diffByUserId(before, after);
      let matchedSeen = 0;
      for await (const p of pairs) {
        if (p.a === undefined) {
          const u = JSON.parse(p.b!) as Record<string, unknown>;
          add('added', u, [], undefined, u, p.key);
          done++;
        } else if (p.b === undefined) {
          const u = JSON.parse(p.a) as Record<string, unknown>;
          add('removed', u, [], u, undefined, p.key);
          done++;
        } else {
          both(p.key, JSON.parse(p.a) as Record<string, unknown>, JSON.parse(p.b) as Record<string, unknown>);
          matchedSeen++;
          done += 2;
        }
        step();
      }
      counts.unchanged += matched - matchedSeen;
    } else {
      const a = keyed(before);
      const b = keyed(after);
      let x = await a.next();
      let y = await b.next();
      type Keyed = { key: string; user: Record<string, unknown> };
      while (!x.done || !y.done) {
        const xa = x.done ? null : (x.value as Keyed);
        const yb = y.done ? null : (y.value as Keyed);
        const c = !xa ? 1 : !yb ? -1 : order(xa.key, yb.key);
        if (c < 0) {
          add('removed', xa!.user, [], xa!.user, undefined, xa!.key);
          x = await a.next();
          done++;
        } else if (c > 0) {
          add('added', yb!.user, [], undefined, yb!.user, yb!.key);
          y = await b.next();
          done++;
        } else {
          both(yb!.key, xa!.user, yb!.user);
          x = await a.next();
          y = await b.next();
          done += 2;
        }
        step();
      }
    }
    const result: CompareCounts = {
      ...counts,
      withoutKey,
      duplicateKeys,
      fields: [...fieldCounts]
        .map(([field, count]) => ({ field, count }))
        .sort((p, q) => q.count - p.count || (p.field < q.field ? -1 : 1)),
    };
    db.prepare('INSERT INTO summary (json) VALUES (?)').run(JSON.stringify(result));
    db.exec('COMMIT');
    db.exec('CREATE INDEX items_kind ON items (kind, seq)');
    return result;
  } catch (err) {
    db.close();
    rmSync(outPath, { force: true });
    throw err;
  } finally {
    if (db.open) db.close();
  }
}

type Row = {
  kind: CompareKind;
  user_id: string;
  email: string | null;
  fields: string;
  before: string | null;
  after: string | null;
  key: string | null;
  other_user_id: string | null;
};

function asItem(r: Row): CompareItem {
  return {
    kind: r.kind,
    userId: r.user_id,
    ...(r.email ? { email: r.email } : {}),
    ...(r.key !== null ? { key: r.key } : {}),
    ...(r.other_user_id !== null ? { otherUserId: r.other_user_id } : {}),
    fields: JSON.parse(r.fields) as string[],
    ...(r.before ? { before: JSON.parse(r.before) as Record<string, unknown> } : {}),
    ...(r.after ? { after: JSON.parse(r.after) as Record<string, unknown> } : {}),
  };
}

/** Every item of a comparison in the order found, one at a time (an access review walks them all, bounded memory). */
export function* compareRows(path: string): Generator<CompareItem> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    for (const r of db.prepare('SELECT * FROM items ORDER BY seq').iterate() as Iterable<Row>)
      yield asItem(r);
  } finally {
    db.close();
  }
}

export function compareItems(
  path: string,
  kind: CompareKind,
  field: string | undefined,
  offset: number,
  limit: number,
): { items: CompareItem[]; total: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    if (field && kind === 'changed') {
      const total = db
        .prepare('SELECT count(*) FROM item_fields WHERE field = ?')
        .pluck()
        .get(field) as number;
      const rows = db
        .prepare(
          'SELECT i.* FROM item_fields f JOIN items i ON i.seq = f.seq WHERE f.field = ? ORDER BY f.seq LIMIT ? OFFSET ?',
        )
        .all(field, limit, offset) as Row[];
      return { items: rows.map(asItem), total };
    }
    const total = db.prepare('SELECT count(*) FROM items WHERE kind = ?').pluck().get(kind) as number;
    const rows = db
      .prepare('SELECT * FROM items WHERE kind = ? ORDER BY seq LIMIT ? OFFSET ?')
      .all(kind, limit, offset) as Row[];
    return { items: rows.map(asItem), total };
  } finally {
    db.close();
  }
}

/** Names for a comparison across tenants: the field users are matched by and each side's label. */
export interface CompareNames {
  key: string;
  before: string;
  after: string;
}

/**
 * The comparison as CSV: one row per added, removed or changed user, the changed fields with their two values.
 * Across tenants (names given) the rows say "only in A", "only in B" or "different", with the matching value and
 * each side's user id.
 */
export async function compareCsv(path: string, csvPath: string, names?: CompareNames): Promise<number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const out = createWriteStream(csvPath, { mode: 0o600 });
  const csv = stringify({
    header: true,
    columns: names
      ? [
          'comparison',
          names.key,
          `user_id in ${names.before}`,
          `user_id in ${names.after}`,
          'fields',
          names.before,
          names.after,
        ]
      : ['change', 'user_id', 'email', 'fields', 'before', 'after'],
    escape_formulas: true,
    bom: true,
  });
  csv.pipe(out);
  let rows = 0;
  const words = names
    ? { removed: `only in ${names.before}`, added: `only in ${names.after}`, changed: 'different' }
    : null;
  try {
    for (const r of db.prepare('SELECT * FROM items ORDER BY seq').iterate() as Iterable<Row>) {
      const fields = (JSON.parse(r.fields) as string[]).join(' ');
      const row = words
        ? [
            words[r.kind],
            r.key ?? '',
            r.kind === 'removed' ? r.user_id : r.kind === 'changed' ? (r.other_user_id ?? '') : '',
            r.kind === 'removed' ? '' : r.user_id,
            fields,
            r.before ?? '',
            r.after ?? '',
          ]
        : [r.kind, r.user_id, r.email ?? '', fields, r.before ?? '', r.after ?? ''];
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      rows++;
    }
    csv.end();
    await finished(out);
    return rows;
  } finally {
    db.close();
  }
}
