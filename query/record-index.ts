// Records searched in memory: per field, a map from key to the documents holding it (inverted index over integer
// document numbers), answering the Postings of evaluate.ts, so simple queries over 100,000 users answer in well under
// a millisecond. The local tenant answers GET /users and GET /logs with it; Tenant Desk filters exported users with
// it (bulk selections and exports past Auth0's 1,000-result cap).
import { Bitset } from './bitset.js';
import { evaluate, inRange, type Postings, type RangeBounds } from './evaluate.js';
import {
  compareSortValues,
  numericKeys,
  sortValue,
  termsOf,
  USER_RULES,
  type FieldRules,
  type SearchRecord,
} from './fields.js';
import { parseQuery, QueryError, type QueryNode } from './parser.js';

type Posting = number | Set<number>;

class FieldIndex {
  readonly postings = new Map<string, Posting>();
  private sortedKeys: { keys: string[]; numeric: boolean } | null = null;
  private lexicalKeys: string[] | null = null;

  add(value: string, doc: number): void {
    const p = this.postings.get(value);
    if (p === undefined) {
      this.postings.set(value, doc);
      this.sortedKeys = null;
      this.lexicalKeys = null;
    } else if (typeof p === 'number') {
      if (p !== doc) this.postings.set(value, new Set([p, doc]));
    } else p.add(doc);
  }

  remove(value: string, doc: number): void {
    const p = this.postings.get(value);
    if (p === undefined) return;
    if (typeof p === 'number') {
      if (p === doc) {
        this.postings.delete(value);
        this.sortedKeys = null;
        this.lexicalKeys = null;
      }
      return;
    }
    p.delete(doc);
    if (p.size === 1) this.postings.set(value, p.values().next().value as number);
  }

  into(value: string, out: Bitset): void {
    const p = this.postings.get(value);
    if (p === undefined) return;
    if (typeof p === 'number') out.add(p);
    else for (const d of p) out.add(d);
  }

  /** Keys in the field's order: numerically when every key is a number, else lexicographically. */
  sorted(): { keys: string[]; numeric: boolean } {
    if (!this.sortedKeys) {
      const keys = [...this.postings.keys()];
      const numeric = numericKeys(keys);
      keys.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sortedKeys = { keys, numeric };
    }
    return this.sortedKeys;
  }

  lexical(): string[] {
    if (!this.lexicalKeys) {
      const { keys, numeric } = this.sorted();
      this.lexicalKeys = numeric ? [...keys].sort() : keys;
    }
    return this.lexicalKeys;
  }
}

function lowerBound(keys: string[], target: string, cmp: (a: string, b: string) => number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(keys[mid]!, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const lexicalCmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class RecordIndex implements Postings {
  private readonly fields = new Map<string, FieldIndex>();
  private docs: (SearchRecord | undefined)[] = [];
  private docTerms: (string[] | undefined)[] = [];
  private readonly docOf = new Map<string, number>();
  private live = new Bitset(1024);

  constructor(readonly rules: FieldRules) {}

  get size(): number {
    return this.docOf.size;
  }

  private field(name: string): FieldIndex {
    let f = this.fields.get(name);
    if (!f) {
      f = new FieldIndex();
      this.fields.set(name, f);
    }
    return f;
  }

  upsert(record: SearchRecord): void {
    const id = record[this.rules.idField];
    if (typeof id !== 'string') throw new Error(`a record needs a ${this.rules.idField}`);
    let doc = this.docOf.get(id);
    if (doc !== undefined) this.unindex(doc);
    else {
      doc = this.docs.length;
      this.docOf.set(id, doc);
      if (doc >= this.live.size) {
        const grown = new Bitset(Math.max(1024, this.live.size * 2));
        grown.or(this.live);
        this.live = grown;
      }
    }
    const terms = termsOf(this.rules, record);
    for (let i = 0; i < terms.length; i += 2) this.field(terms[i]!).add(terms[i + 1]!, doc);
    this.docs[doc] = record;
    this.docTerms[doc] = terms;
    this.live.add(doc);
  }

  private unindex(doc: number): void {
    const terms = this.docTerms[doc];
    if (terms)
      for (let i = 0; i < terms.length; i += 2) this.fields.get(terms[i]!)?.remove(terms[i + 1]!, doc);
    this.docTerms[doc] = undefined;
  }

  remove(id: string): void {
    const doc = this.docOf.get(id);
    if (doc === undefined) return;
    this.unindex(doc);
    this.docs[doc] = undefined;
    this.docOf.delete(id);
    this.live.words[doc >>> 5]! &= ~(1 << (doc & 31));
    // Many removals leave many empty slots: number the documents afresh (bitsets shrink with them).
    if (this.docs.length > 4096 && this.docOf.size * 2 < this.docs.length) this.compact();
  }

  private compact(): void {
    const records = this.docs.filter((r): r is SearchRecord => r !== undefined);
    this.fields.clear();
    this.docs = [];
    this.docTerms = [];
    this.docOf.clear();
    this.live = new Bitset(1024);
    for (const r of records) this.upsert(r);
  }

  /** Every record matching q, in insertion order (no paging cap). */
  matchAll(q: string | undefined): SearchRecord[] {
    const out: SearchRecord[] = [];
    for (const d of evaluate(this.rules, parse(q), this)) out.push(this.docs[d]!);
    return out;
  }

  /** Matches of q (all records when empty), sorted by `field:1|-1` or in insertion order, then sliced. */
  query(
    q: string | undefined,
    opts: { sort?: string; offset: number; limit: number },
  ): { total: number; users: SearchRecord[] } {
    const matches = evaluate(this.rules, parse(q), this);
    const total = matches.count();
    if (!opts.sort) return { total, users: matches.slice(opts.offset, opts.limit).map((d) => this.docs[d]!) };
    const { field, dir } = parseSort(opts.sort);
    const keyed: [unknown, number][] = [];
    for (const d of matches) keyed.push([sortValue(this.rules, this.docs[d]!, field), d]);
    keyed.sort((a, b) => {
      const [x, y] = [a[0], b[0]];
      if (x === undefined || y === undefined) return x === y ? a[1] - b[1] : x === undefined ? 1 : -1;
      return (compareSortValues(x, y) || a[1] - b[1]) * dir;
    });
    return { total, users: keyed.slice(opts.offset, opts.offset + opts.limit).map(([, d]) => this.docs[d]!) };
  }

  // ---- Postings ----

  empty(): Bitset {
    return new Bitset(this.live.size);
  }

  all(): Bitset {
    return this.empty().or(this.live);
  }

  exact(field: string, key: string, out: Bitset): void {
    this.fields.get(field)?.into(key, out);
  }

  prefix(field: string, prefix: string, out: Bitset): void {
    const f = this.fields.get(field);
    if (!f) return;
    const keys = f.lexical();
    for (let i = lowerBound(keys, prefix, lexicalCmp); i < keys.length && keys[i]!.startsWith(prefix); i++)
      f.into(keys[i]!, out);
  }

  scan(field: string, literal: string, test: ((key: string) => boolean) | null, out: Bitset): void {
    const f = this.fields.get(field);
    if (!f) return;
    const keep = test ?? ((key: string) => key.includes(literal));
    for (const key of f.postings.keys()) if (keep(key)) f.into(key, out);
  }

  numeric(field: string): boolean {
    const f = this.fields.get(field);
    return f ? f.sorted().numeric : false;
  }

  range(field: string, bounds: RangeBounds, out: Bitset): void {
    const f = this.fields.get(field);
    if (!f) return;
    const { keys } = f.sorted();
    const cmp = bounds.numeric ? (a: string, b: string) => Number(a) - Number(b) : lexicalCmp;
    for (let i = bounds.from === null ? 0 : lowerBound(keys, bounds.from, cmp); i < keys.length; i++) {
      const k = keys[i]!;
      if (inRange(k, bounds)) f.into(k, out);
      else if (
        bounds.to !== null &&
        cmp(k, bounds.to) > 0 &&
        !(bounds.toInclusive && !bounds.numeric && k.startsWith(bounds.to))
      )
        break;
    }
  }

  record(doc: number): SearchRecord | undefined {
    return this.docs[doc];
  }
}

/** Users, by Auth0's user-search rules. */
export class UserIndex extends RecordIndex {
  constructor() {
    super(USER_RULES);
  }
}

export function parse(q: string | undefined): QueryNode {
  return q && q.trim() ? parseQuery(q) : { kind: 'all' };
}

export function parseSort(sort: string): { field: string; dir: 1 | -1 } {
  const m = /^([A-Za-z0-9_.]+):(1|-1)$/.exec(sort);
  if (!m) throw new QueryError(`Invalid sort "${sort}": use field:1 or field:-1`);
  return { field: m[1]!, dir: m[2] === '1' ? 1 : -1 };
}
