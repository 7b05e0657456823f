// Parser for Auth0's v3 user-search syntax (a Lucene query-string subset), checked against
// https://auth0.com/docs/manage-users/user-search/user-search-query-syntax: terms, "phrases", AND/OR/NOT (upper case),
// parentheses, field:(sub query), `*` wildcards (no `?`; a leading wildcard needs >= 3 literal characters), ranges
// [a TO b] / {a TO b} / mixed / `*` bounds, _exists_:field. Adjacent clauses without an operator are OR'ed, as in
// Lucene's and Elasticsearch's query_string default. Auth0 does not document the texts of its syntax errors; ours say
// what is wrong and where, under errorCode invalid_query_string.

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  | { kind: 'term'; field: string | null; value: string; phrase: boolean }
  | { kind: 'wildcard'; field: string | null; pattern: string }
  | {
      kind: 'range';
      field: string;
      from: string | null;
      to: string | null;
      fromInclusive: boolean;
      toInclusive: boolean;
    }
  | { kind: 'exists'; field: string };

export class QueryError extends Error {
  readonly errorCode = 'invalid_query_string';
}

/** Limits no real query meets, so that no query can exhaust the stack or the CPU (Elasticsearch caps clauses too). */
export const MAX_QUERY_DEPTH = 32;
export const MAX_QUERY_CLAUSES = 1024;

const FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseQuery(input: string): QueryNode {
  const p = new Parser(input);
  const node = p.parseQueryRoot();
  return node;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private clauses = 0;
  constructor(private readonly s: string) {}

  /** One level deeper (a group or a negation); refused past MAX_QUERY_DEPTH instead of recursing without end. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_QUERY_DEPTH)
      this.fail(`groups and negations nested more than ${MAX_QUERY_DEPTH} levels deep`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private clause<T extends QueryNode>(node: T): T {
    if (++this.clauses > MAX_QUERY_CLAUSES) this.fail(`more than ${MAX_QUERY_CLAUSES} terms`);
    return node;
  }

  private fail(what: string): never {
    const shown = this.s.length > 200 ? `${this.s.slice(0, 200)}…` : this.s;
    throw new QueryError(`Invalid query: ${what} at position ${this.pos} of "${shown}"`);
  }

  private skipWs(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos]!)) this.pos++;
  }

  private peekWord(word: string): boolean {
    this.skipWs();
    if (!this.s.startsWith(word, this.pos)) return false;
    const after = this.s[this.pos + word.length];
    return after === undefined || /[\s()]/.test(after);
  }

  parseQueryRoot(): QueryNode {
    this.skipWs();
    if (this.pos >= this.s.length) return { kind: 'all' };
    const node = this.parseOr(null);
    this.skipWs();
    if (this.pos < this.s.length) this.fail(`unexpected "${this.s[this.pos]}"`);
    return node;
  }

  private parseOr(field: string | null): QueryNode {
    const children = [this.parseAnd(field)];
    for (;;) {
      this.skipWs();
      if (this.peekWord('OR')) this.pos += 2;
      else if (this.s.startsWith('||', this.pos)) this.pos += 2;
      else if (this.pos < this.s.length && this.s[this.pos] !== ')') {
        // Implicit operator: OR, as Lucene's default.
      } else break;
      this.skipWs();
      if (this.pos >= this.s.length || this.s[this.pos] === ')') this.fail('expected a term after OR');
      children.push(this.parseAnd(field));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private parseAnd(field: string | null): QueryNode {
    const children = [this.parseNot(field)];
    for (;;) {
      this.skipWs();
      if (this.peekWord('AND')) this.pos += 3;
      else if (this.s.startsWith('&&', this.pos)) this.pos += 2;
      else break;
      this.skipWs();
      if (this.pos >= this.s.length || this.s[this.pos] === ')') this.fail('expected a term after AND');
      children.push(this.parseNot(field));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private parseNot(field: string | null): QueryNode {
    this.skipWs();
    if (this.peekWord('NOT')) {
      this.pos += 3;
      this.skipWs();
      if (this.pos >= this.s.length) this.fail('expected a term after NOT');
      return { kind: 'not', child: this.nested(() => this.parseNot(field)) };
    }
    const c = this.s[this.pos];
    if (c === '-' || c === '!') {
      this.pos++;
      return { kind: 'not', child: this.nested(() => this.parseNot(field)) };
    }
    if (c === '+') {
      this.pos++;
      return this.nested(() => this.parseNot(field));
    }
    return this.parsePrimary(field);
  }

  private parsePrimary(field: string | null): QueryNode {
    this.skipWs();
    const c = this.s[this.pos];
    if (c === undefined) this.fail('unexpected end of query');
    if (c === '(') {
      this.pos++;
      const inner = this.nested(() => this.parseOr(field));
      this.skipWs();
      if (this.s[this.pos] !== ')') this.fail('missing closing parenthesis');
      this.pos++;
      return inner;
    }
    if (c === ')') this.fail('unexpected ")"');
    if (c === '"') {
      const value = this.readPhrase();
      return this.clause({ kind: 'term', field, value, phrase: true });
    }
    if (c === '[' || c === '{') {
      if (!field) this.fail('a range needs a field');
      return this.clause(this.readRange(field));
    }
    // A field name followed by ':' (only when no field is in scope yet).
    const save = this.pos;
    if (!field) {
      const m = /^([A-Za-z_][A-Za-z0-9_.-]*):/.exec(this.s.slice(this.pos));
      if (m) {
        const name = m[1]!;
        this.pos += m[0].length;
        if (name === '_exists_') {
          const target = this.readWord();
          if (!FIELD_PATTERN.test(target)) this.fail('_exists_ needs a field name');
          return this.clause({ kind: 'exists', field: target });
        }
        this.skipWs();
        if (this.pos >= this.s.length) this.fail(`missing value for field "${name}"`);
        return this.nested(() => this.parsePrimary(name));
      }
    }
    this.pos = save;
    const word = this.readWord();
    if (word === '') this.fail(`unexpected "${this.s[this.pos]}"`);
    if (word === '*' && !field) return { kind: 'all' };
    if (word.includes('*') || word.includes('?')) {
      if (word.includes('?')) this.fail('"?" wildcards are not supported');
      return this.clause({ kind: 'wildcard', field, pattern: word });
    }
    return this.clause({ kind: 'term', field, value: word, phrase: false });
  }

  private readPhrase(): string {
    this.pos++; // opening quote
    let out = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos]!;
      if (ch === '\\') {
        const next = this.s[this.pos + 1];
        if (next === undefined) this.fail('dangling escape');
        out += next;
        this.pos += 2;
        continue;
      }
      if (ch === '"') {
        this.pos++;
        return out;
      }
      out += ch;
      this.pos++;
    }
    this.fail('unterminated phrase (missing closing ")');
  }

  /** A bare word: up to whitespace or a structural character; backslash escapes anything. Keeps `*` literal marks. */
  private readWord(): string {
    let out = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos]!;
      if (ch === '\\') {
        const next = this.s[this.pos + 1];
        if (next === undefined) this.fail('dangling escape');
        // An escaped star is a literal star; mark it so it is not a wildcard.
        out += next === '*' ? '\u0000' : next;
        this.pos += 2;
        continue;
      }
      if (/[\s()"[\]{}]/.test(ch)) break;
      out += ch;
      this.pos++;
    }
    return out;
  }

  private readBound(): string {
    this.skipWs();
    if (this.s[this.pos] === '"') return this.readPhrase();
    let out = '';
    while (this.pos < this.s.length && !/[\s\]}]/.test(this.s[this.pos]!)) {
      if (this.s[this.pos] === '\\') this.pos++;
      out += this.s[this.pos] ?? '';
      this.pos++;
    }
    if (out === '') this.fail('missing range bound');
    return out;
  }

  private readRange(field: string): QueryNode {
    const fromInclusive = this.s[this.pos] === '[';
    this.pos++;
    const from = this.readBound();
    this.skipWs();
    if (!this.s.startsWith('TO', this.pos)) this.fail('expected "TO" in range');
    this.pos += 2;
    const to = this.readBound();
    this.skipWs();
    const close = this.s[this.pos];
    if (close !== ']' && close !== '}') this.fail('missing closing "]" or "}" of range');
    this.pos++;
    return {
      kind: 'range',
      field,
      from: from === '*' ? null : from,
      to: to === '*' ? null : to,
      fromInclusive,
      toInclusive: close === ']',
    };
  }
}
