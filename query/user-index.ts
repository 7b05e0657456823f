// Auth0's user search, evaluated locally: inverted indexes per field over integer document numbers, evaluated with
// bitsets, so simple queries over 100,000 users answer in well under a millisecond. Semantics follow Auth0's v3
// search (see parser.ts for the syntax and the sources). The local tenant answers GET /users with it; Tenant Desk
// filters exported users with it (bulk selections past Auth0's 1,000-result cap), so both mean the same thing.
import { Bitset } from './bitset.js';
import { globMatcher } from './glob.js';
import { parseQuery, QueryError, type QueryNode } from './parser.js';

export { parseQuery, QueryError, type QueryNode } from './parser.js';

export type StoredUser = Record<string, unknown>;

/** Normalized fields whose values Auth0 searches case-insensitively. */
const CASE_INSENSITIVE = new Set(['email', 'email.domain', 'name', 'given_name', 'family_name', 'nickname']);
/** Fields also indexed word by word, so `name:john` finds "John Smith". */
const WORD_FIELDS = new Set(['name', 'given_name', 'family_name', 'nickname']);
const TOP_FIELDS = [
  'user_id',
  'email',
  'email_verified',
  'username',
  'phone_number',
  'phone_verified',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'created_at',
  'updated_at',
  'last_login',
  'last_ip',
  'logins_count',
  'blocked',
  'organization_id',
  'last_password_reset',
];
const IDENTITY_FIELDS = ['connection', 'provider', 'user_id', 'isSocial'];
/** What a term without a field searches (never metadata, as Auth0 documents). */
const DEFAULT_FIELDS = [
  'email',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'username',
  'user_id',
  'phone_number',
];

type Posting = number | Set<number>;

class FieldIndex {
  readonly postings = new Map<string, Posting>();
  private sortedKeys: string[] | null = null;
  private reversedKeys: [string, string][] | null = null;

  add(value: string, doc: number): void {
    const p = this.postings.get(value);
    if (p === undefined) {
      this.postings.set(value, doc);
      this.sortedKeys = null;
      this.reversedKeys = null;
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
        this.reversedKeys = null;
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

  /** Keys in order: numerically when every key is a number, else lexicographically (ISO dates sort correctly). */
  sorted(): { keys: string[]; numeric: boolean } {
    if (!this.sortedKeys) {
      const keys = [...this.postings.keys()];
      const numeric = keys.length > 0 && keys.every((k) => k !== '' && !Number.isNaN(Number(k)));
      keys.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sortedKeys = keys;
    }
    const keys = this.sortedKeys;
    return {
      keys,
      numeric:
        keys.length > 0 && !Number.isNaN(Number(keys[0])) && !Number.isNaN(Number(keys[keys.length - 1])),
    };
  }

  reversed(): [string, string][] {
    if (!this.reversedKeys) {
      this.reversedKeys = [...this.postings.keys()].map((k): [string, string] => [
        [...k].reverse().join(''),
        k,
      ]);
      this.reversedKeys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    }
    return this.reversedKeys;
  }
}

function lowerBound(keys: string[], target: string, map: (k: string) => string = (k) => k): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (map(keys[mid]!) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function scalarKey(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

function words(lower: string): string[] {
  return lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Walks metadata to dotted paths of scalar leaves; arrays are transparent; empty values are not indexed. */
function flattenMetadata(prefix: string, value: unknown, emit: (field: string, key: string) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) flattenMetadata(prefix, v, emit);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flattenMetadata(`${prefix}.${k}`, v, emit);
    return;
  }
  const key = scalarKey(value);
  if (key !== null) emit(prefix, key);
}

export class UserIndex {
  private readonly fields = new Map<string, FieldIndex>();
  private readonly docs: (StoredUser | undefined)[] = [];
  private readonly docTerms: (string[] | undefined)[] = [];
  private readonly docOf = new Map<string, number>();
  private live = new Bitset(1024);

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

  private termsOf(user: StoredUser): string[] {
    // Flattened [field, key, field, key, ...] so removal needs no second walk of an object that may have changed.
    const terms: string[] = [];
    const emit = (field: string, key: string) => terms.push(field, key);
    for (const f of TOP_FIELDS) {
      const key = scalarKey(user[f]);
      if (key === null) continue;
      if (CASE_INSENSITIVE.has(f)) {
        const lower = key.toLowerCase();
        emit(f, lower);
        if (WORD_FIELDS.has(f)) for (const w of new Set(words(lower))) if (w !== lower) emit(f, w);
      } else emit(f, key);
    }
    if (typeof user.email === 'string' && user.email.includes('@'))
      emit('email.domain', user.email.split('@').pop()!.toLowerCase());
    if (Array.isArray(user.identities)) {
      for (const identity of user.identities as Record<string, unknown>[]) {
        for (const f of IDENTITY_FIELDS) {
          const key = scalarKey(identity?.[f]);
          if (key !== null) emit(`identities.${f}`, key);
        }
      }
    }
    flattenMetadata('app_metadata', user.app_metadata, emit);
    flattenMetadata('user_metadata', user.user_metadata, emit);
    return terms;
  }

  upsert(user: StoredUser): void {
    const id = user.user_id;
    if (typeof id !== 'string') throw new Error('a user needs a user_id');
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
    const terms = this.termsOf(user);
    for (let i = 0; i < terms.length; i += 2) this.field(terms[i]!).add(terms[i + 1]!, doc);
    this.docs[doc] = user;
    this.docTerms[doc] = terms;
    this.live.add(doc);
  }

  private unindex(doc: number): void {
    const terms = this.docTerms[doc];
    if (terms)
      for (let i = 0; i < terms.length; i += 2) this.fields.get(terms[i]!)?.remove(terms[i + 1]!, doc);
    this.docTerms[doc] = undefined;
  }

  remove(userId: string): void {
    const doc = this.docOf.get(userId);
    if (doc === undefined) return;
    this.unindex(doc);
    this.docs[doc] = undefined;
    this.docOf.delete(userId);
    this.live.words[doc >>> 5]! &= ~(1 << (doc & 31));
  }

  /** Every user matching q, in insertion order (no paging cap). */
  matchAll(q: string | undefined): StoredUser[] {
    const node = q && q.trim() ? parseQuery(q) : ({ kind: 'all' } as QueryNode);
    const out: StoredUser[] = [];
    for (const d of this.evaluate(node)) out.push(this.docs[d]!);
    return out;
  }

  /** Matches of q (all users when empty), sorted by `field:1|-1` or in insertion order, then sliced. */
  query(
    q: string | undefined,
    opts: { sort?: string; offset: number; limit: number },
  ): { total: number; users: StoredUser[] } {
    const node = q && q.trim() ? parseQuery(q) : ({ kind: 'all' } as QueryNode);
    const matches = this.evaluate(node);
    const total = matches.count();
    if (!opts.sort) {
      return { total, users: matches.slice(opts.offset, opts.limit).map((d) => this.docs[d]!) };
    }
    const m = /^([A-Za-z0-9_.]+):(1|-1)$/.exec(opts.sort);
    if (!m) throw new QueryError(`Invalid sort "${opts.sort}": use field:1 or field:-1`);
    const field = m[1]!;
    const dir = m[2] === '1' ? 1 : -1;
    const keyed: [unknown, number][] = [];
    for (const d of matches) keyed.push([sortValue(this.docs[d]!, field), d]);
    keyed.sort((a, b) => {
      const [x, y] = [a[0], b[0]];
      if (x === undefined || y === undefined) return x === y ? a[1] - b[1] : x === undefined ? 1 : -1;
      const c =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x) < String(y)
            ? -1
            : String(x) > String(y)
              ? 1
              : 0;
      return c !== 0 ? c * dir : a[1] - b[1];
    });
    return { total, users: keyed.slice(opts.offset, opts.offset + opts.limit).map(([, d]) => this.docs[d]!) };
  }

  private empty(): Bitset {
    return new Bitset(this.live.size);
  }

  private all(): Bitset {
    return this.empty().or(this.live);
  }

  private evaluate(node: QueryNode): Bitset {
    switch (node.kind) {
      case 'all':
        return this.all();
      case 'and': {
        const [first, ...rest] = node.children;
        const out = this.evaluate(first!);
        for (const c of rest) {
          if (c.kind === 'not') out.andNot(this.evaluate(c.child));
          else out.and(this.evaluate(c));
        }
        return out;
      }
      case 'or': {
        const out = this.empty();
        for (const c of node.children) out.or(this.evaluate(c));
        return out;
      }
      case 'not':
        return this.all().andNot(this.evaluate(node.child));
      case 'exists': {
        const out = this.empty();
        const f = this.fields.get(node.field);
        if (f) for (const key of f.postings.keys()) f.into(key, out);
        // A path prefix (e.g. app_metadata.address) exists when any leaf below it does.
        for (const [name, fi] of this.fields) {
          if (name.startsWith(`${node.field}.`)) for (const key of fi.postings.keys()) fi.into(key, out);
        }
        return out;
      }
      case 'term':
        return this.forFields(node.field, (field, out) =>
          this.term(field, node.value.replaceAll('\u0000', '*'), node.phrase, out),
        );
      case 'wildcard':
        return this.forFields(node.field, (field, out) => this.wildcard(field, node.pattern, out));
      case 'range':
        return this.range(node);
    }
  }

  private forFields(field: string | null, fill: (field: string, out: Bitset) => void): Bitset {
    const out = this.empty();
    if (field) fill(field, out);
    else for (const f of DEFAULT_FIELDS) fill(f, out);
    return out;
  }

  private term(field: string, raw: string, phrase: boolean, out: Bitset): void {
    const f = this.fields.get(field);
    if (!f) return;
    const value = CASE_INSENSITIVE.has(field) ? raw.toLowerCase() : raw;
    f.into(value, out);
    if (!WORD_FIELDS.has(field) || !phrase) return;
    // A phrase matches the same words in the same order anywhere in the value.
    const ws = words(value);
    if (ws.length < 2) {
      if (ws.length === 1) f.into(ws[0]!, out);
      return;
    }
    const candidates = this.empty();
    f.into(ws[0]!, candidates);
    for (const w of ws.slice(1)) {
      const next = this.empty();
      f.into(w, next);
      candidates.and(next);
    }
    const needle = ` ${ws.join(' ')} `;
    for (const d of candidates) {
      const v = this.docs[d]?.[field];
      if (typeof v === 'string' && ` ${words(v.toLowerCase()).join(' ')} `.includes(needle)) out.add(d);
    }
  }

  private wildcard(field: string, pattern: string, out: Bitset): void {
    if (field.startsWith('user_metadata.') || field === 'user_metadata')
      throw new QueryError(`Wildcard queries are not supported on user_metadata fields: ${field}:${pattern}`);
    const ci = CASE_INSENSITIVE.has(field);
    const p = (ci ? pattern.toLowerCase() : pattern).replaceAll('\u0000', '*');
    const literal = pattern.replace(/\*/g, '');
    if (pattern.startsWith('*') && literal.length > 0 && literal.length < 3)
      throw new QueryError(
        `Wildcard queries need at least 3 characters besides a leading wildcard: ${field}:${pattern}`,
      );
    const f = this.fields.get(field);
    if (!f) return;
    if (literal.length === 0) {
      for (const key of f.postings.keys()) f.into(key, out);
      return;
    }
    // `email:*@domain` is exactly the users of that domain: answer it from the email.domain index.
    if (field === 'email' && /^\*@[^*@]+$/.test(p)) {
      this.fields.get('email.domain')?.into(p.slice(2), out);
      return;
    }
    const stars = (pattern.match(/\*/g) ?? []).length;
    if (stars === 1 && pattern.endsWith('*')) {
      const prefix = p.slice(0, -1);
      const { keys } = this.lexical(f);
      for (let i = lowerBound(keys, prefix); i < keys.length && keys[i]!.startsWith(prefix); i++)
        f.into(keys[i]!, out);
      return;
    }
    if (stars === 1 && pattern.startsWith('*')) {
      const suffix = [...p.slice(1)].reverse().join('');
      const rev = f.reversed();
      let lo = 0;
      let hi = rev.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (rev[mid]![0] < suffix) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < rev.length && rev[i]![0].startsWith(suffix); i++) f.into(rev[i]![1], out);
      return;
    }
    const matches = globMatcher(ci ? pattern.toLowerCase() : pattern);
    for (const key of f.postings.keys()) if (matches(key)) f.into(key, out);
  }

  /** Lexicographically sorted keys (prefix scans), whatever the field's natural order. */
  private readonly lexicalCache = new WeakMap<string[], string[]>();
  private lexical(f: FieldIndex): { keys: string[] } {
    const { keys, numeric } = f.sorted();
    if (!numeric) return { keys };
    // Keyed by the sorted array itself: the field rebuilds that array whenever its keys change.
    let lex = this.lexicalCache.get(keys);
    if (!lex) {
      lex = [...keys].sort();
      this.lexicalCache.set(keys, lex);
    }
    return { keys: lex };
  }

  private range(node: Extract<QueryNode, { kind: 'range' }>): Bitset {
    if (node.field.startsWith('user_metadata.') || node.field === 'user_metadata')
      throw new QueryError(`Range queries are not supported on user_metadata fields: ${node.field}`);
    const out = this.empty();
    const f = this.fields.get(node.field);
    if (!f) return out;
    const ci = CASE_INSENSITIVE.has(node.field);
    const norm = (v: string | null) => (v === null ? null : ci ? v.toLowerCase() : v);
    const from = norm(node.from);
    const to = norm(node.to);
    const { keys, numeric } = f.sorted();
    const boundsNumeric =
      (from === null || !Number.isNaN(Number(from))) && (to === null || !Number.isNaN(Number(to)));
    if (numeric && !boundsNumeric) throw new QueryError(`Range bounds on ${node.field} must be numbers`);
    const cmp = numeric
      ? (a: string, b: string) => Number(a) - Number(b)
      : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    // Binary search the first key not below `from`.
    let lo = 0;
    if (from !== null) {
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, from) < 0) lo = mid + 1;
        else hi = mid;
      }
    }
    for (let i = lo; i < keys.length; i++) {
      const k = keys[i]!;
      if (from !== null && !node.fromInclusive && cmp(k, from) === 0) continue;
      if (to !== null) {
        const c = cmp(k, to);
        if (c > 0 || (c === 0 && !node.toInclusive)) {
          // Dates: a bound like 2024-01-31 should include 2024-01-31T10:00 when inclusive.
          if (!(node.toInclusive && !numeric && k.startsWith(to))) break;
        }
      }
      f.into(k, out);
    }
    return out;
  }
}

function sortValue(user: StoredUser, field: string): unknown {
  let v: unknown = user;
  for (const part of field.split('.')) {
    if (Array.isArray(v)) v = v[0];
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  if (Array.isArray(v)) v = v[0];
  if (v === null || v === undefined || typeof v === 'object') return undefined;
  return typeof v === 'string' && CASE_INSENSITIVE.has(field) ? v.toLowerCase() : v;
}
