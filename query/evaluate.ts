// A parsed query evaluated over an index, whatever stores it: the semantics (case, words and phrases, default
// fields, wildcards and their limits, ranges and their order, _exists_) live here once; a backend only answers "which
// documents hold these keys" — from memory (RecordIndex) or from SQLite (the offline snapshot store, one SQL
// statement per leaf) — and the boolean structure is combined on bitsets.
import type { Bitset } from './bitset.js';
import { EXISTS, HAS, words, type FieldRules, type SearchRecord } from './fields.js';
import { globMatcher } from './glob.js';
import { QueryError, type QueryNode } from './parser.js';

export interface RangeBounds {
  from: string | null;
  to: string | null;
  fromInclusive: boolean;
  toInclusive: boolean;
  numeric: boolean;
}

/** What a backend answers; every method ORs the documents it finds into `out`. */
export interface Postings {
  /** A bitset able to hold every document number, all clear. */
  empty(): Bitset;
  /** Every document. */
  all(): Bitset;
  /** Documents with exactly this key in this field. */
  exact(field: string, key: string, out: Bitset): void;
  /** Documents with a key of this field starting with `prefix`. */
  prefix(field: string, prefix: string, out: Bitset): void;
  /**
   * Documents with a key of this field that passes `test`; every such key contains `literal` (a pre-filter a
   * backend may use; the test decides). A null test: containing `literal` is the whole test (`*son*`).
   */
  scan(
    field: string,
    literal: string,
    test: ((key: string) => boolean) | null,
    out: Bitset,
    /** The `*` pattern `test` matches (U+0000 an escaped star), for a backend that matches it itself. */
    glob?: string,
  ): void;
  /** Whether every key of the field is a number. */
  numeric(field: string): boolean;
  /** Documents with a key of this field inside the bounds (see `inRange` for exactly which). */
  range(field: string, bounds: RangeBounds, out: Bitset): void;
  /** The record of a document (phrases are checked against the value itself). */
  record(doc: number): SearchRecord | undefined;
  /**
   * Documents whose value of a word field has these words in this order, next to each other — for a backend that
   * keeps each value's words; without it, candidates holding every word are checked against their records.
   */
  phrase?(field: string, words: string[], out: Bitset): void;
}

/**
 * Whether a key lies in a range: numeric or lexical order; an inclusive upper bound on a lexical field also takes
 * keys that start with it (`created_at:[2024-01-01 TO 2024-01-31]` includes 2024-01-31T10:00).
 */
export function inRange(key: string, b: RangeBounds): boolean {
  const cmp = b.numeric
    ? (x: string, y: string) => Number(x) - Number(y)
    : (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  if (b.from !== null) {
    const c = cmp(key, b.from);
    if (c < 0 || (c === 0 && !b.fromInclusive)) return false;
  }
  if (b.to !== null) {
    const c = cmp(key, b.to);
    if (c > 0 || (c === 0 && !b.toInclusive))
      if (!(b.toInclusive && !b.numeric && key.startsWith(b.to))) return false;
  }
  return true;
}

export function evaluate(rules: FieldRules, node: QueryNode, p: Postings): Bitset {
  switch (node.kind) {
    case 'all':
      return p.all();
    case 'and': {
      const [first, ...rest] = node.children;
      const out = evaluate(rules, first!, p);
      for (const c of rest) {
        if (c.kind === 'not') out.andNot(evaluate(rules, c.child, p));
        else out.and(evaluate(rules, c, p));
      }
      return out;
    }
    case 'or': {
      const out = p.empty();
      for (const c of node.children) out.or(evaluate(rules, c, p));
      return out;
    }
    case 'not':
      return p.all().andNot(evaluate(rules, node.child, p));
    case 'exists': {
      const out = p.empty();
      p.exact(EXISTS, node.field, out);
      return out;
    }
    case 'term':
      return forFields(rules, p, node.field, (field, out) =>
        term(rules, p, field, node.value.replaceAll('\u0000', '*'), node.phrase, out),
      );
    case 'wildcard':
      return forFields(rules, p, node.field, (field, out) => wildcard(rules, p, field, node.pattern, out));
    case 'range': {
      const refused = rules.refusal('range', node.field);
      if (refused) throw new QueryError(`${refused}: ${node.field}`);
      const ci = rules.caseInsensitive.has(node.field);
      const norm = (v: string | null) => (v === null ? null : ci ? v.toLowerCase() : v);
      const from = norm(node.from);
      const to = norm(node.to);
      const numeric = p.numeric(node.field);
      const boundsNumeric =
        (from === null || !Number.isNaN(Number(from))) && (to === null || !Number.isNaN(Number(to)));
      if (numeric && !boundsNumeric) throw new QueryError(`Range bounds on ${node.field} must be numbers`);
      const out = p.empty();
      p.range(
        node.field,
        { from, to, fromInclusive: node.fromInclusive, toInclusive: node.toInclusive, numeric },
        out,
      );
      return out;
    }
  }
}

function forFields(
  rules: FieldRules,
  p: Postings,
  field: string | null,
  fill: (field: string, out: Bitset) => void,
): Bitset {
  const out = p.empty();
  if (field) fill(field, out);
  else for (const f of rules.defaultFields) fill(f, out);
  return out;
}

function term(
  rules: FieldRules,
  p: Postings,
  field: string,
  raw: string,
  phrase: boolean,
  out: Bitset,
): void {
  const value = rules.caseInsensitive.has(field) ? raw.toLowerCase() : raw;
  p.exact(field, value, out);
  if (!rules.wordFields.has(field) || !phrase) return;
  // A phrase matches the same words in the same order anywhere in the value.
  const ws = words(value);
  if (ws.length < 2) {
    if (ws.length === 1) p.exact(field, ws[0]!, out);
    return;
  }
  if (p.phrase) {
    p.phrase(field, ws, out);
    return;
  }
  const candidates = p.empty();
  p.exact(field, ws[0]!, candidates);
  for (const w of ws.slice(1)) {
    const next = p.empty();
    p.exact(field, w, next);
    candidates.and(next);
  }
  const needle = ` ${ws.join(' ')} `;
  for (const d of candidates) {
    const v = p.record(d)?.[field];
    if (typeof v === 'string' && ` ${words(v.toLowerCase()).join(' ')} `.includes(needle)) out.add(d);
  }
}

function wildcard(rules: FieldRules, p: Postings, field: string, pattern: string, out: Bitset): void {
  const refused = rules.refusal('wildcard', field);
  if (refused) throw new QueryError(`${refused}: ${field}:${pattern}`);
  const ci = rules.caseInsensitive.has(field);
  const literal = pattern.replace(/\*/g, '');
  if (pattern.startsWith('*') && literal.length > 0 && literal.length < 3)
    throw new QueryError(
      `Wildcard queries need at least 3 characters besides a leading wildcard: ${field}:${pattern}`,
    );
  if (literal.length === 0) {
    p.exact(HAS, field, out);
    return;
  }
  const folded = ci ? pattern.toLowerCase() : pattern;
  // `email:*@domain` is exactly the users of that domain: answered from the email.domain keys.
  if (rules.emailDomain && field === 'email' && /^\*@[^*@]+$/.test(folded) && !folded.includes('\u0000')) {
    p.exact('email.domain', folded.slice(2), out);
    return;
  }
  const pieces = folded.split('*');
  if (pieces.length === 2 && pieces[1] === '') {
    p.prefix(field, pieces[0]!.replaceAll('\u0000', '*'), out);
    return;
  }
  const longest = pieces.reduce((a, b) => (b.length > a.length ? b : a), '').replaceAll('\u0000', '*');
  const containsOnly = pieces.length === 3 && pieces[0] === '' && pieces[2] === '';
  p.scan(field, longest, containsOnly ? null : globMatcher(folded), out, folded);
}
